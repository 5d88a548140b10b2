/* train.c: forward and backward over the whole net, the training calls
 * (one batch, many batches through an epoch) and the read-only ones
 * (evaluate, predict, activations). Large sets are processed in chunks of
 * max_batch through the buffers allocated by nn_create. */
#include "kernels.h"
#include "net.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The one definition of divergence (engine/nn.h): a mean loss that is NaN
 * or does not fit a float. */
static int diverged(double mean_loss)
{
    return !(fabs(mean_loss) <= FLT_MAX);
}

/* x (B, n_in) through every layer; returns the logits (B, n_out). */
static const float *forward(nn_net *net, const float *x, int B, int train, int update_stats)
{
    const float *in = x;
    for (int k = 0; k < net->n_layers; k++) {
        net->layers[k].ops->forward(net, &net->layers[k], in, B, train, update_stats);
        in = net->layers[k].out;
    }
    return in;
}

const float *nn_forward_range(nn_net *net, const float *x, int B, int from, int to)
{
    const float *in = x;
    for (int k = from; k < to; k++) {
        net->layers[k].ops->forward(net, &net->layers[k], in, B, 0, 0);
        in = net->layers[k].out;
    }
    return in;
}

/* The targets of rows [start, start + B) of d whose inputs x are: y_is_x
 * reads them from x itself (no copy of the set). */
static const float *targets(const nn_data *d, const float *x, int start)
{
    if (d->y_is_x)
        return x;
    return d->y ? d->y + (size_t)start * d->dy : NULL;
}

/* Backward from dz (B, n_out) in dbuf[0]; the first layer skips dx. */
static void backward(nn_net *net, const float *x, int B)
{
    int cur = 0;
    for (int k = net->n_layers - 1; k >= 0; k--) {
        const float *in = k ? net->layers[k - 1].out : x;
        float *dx = k ? net->dbuf[1 - cur] : NULL;
        net->layers[k].ops->backward(net, &net->layers[k], dx, net->dbuf[cur], in, B);
        cur = 1 - cur;
    }
}

/* Copies `count` input rows of d from row r into dst as floats. */
static void copy_rows(float *dst, const nn_data *d, int r, int count)
{
    size_t at = (size_t)r * d->dx, len = (size_t)count * d->dx;
    if (d->x)
        memcpy(dst, d->x + at, len * sizeof(float));
    else
        nn_k_bytes((int)len, dst, d->x8 + at, d->x8_scale);
}

/* Rows [start, start + B) of d's inputs as floats: d->x itself, or bytes
 * converted into the net's batch buffer (B <= max_batch). */
static const float *inputs(nn_net *net, const nn_data *d, int start, int B)
{
    if (d->x)
        return d->x + (size_t)start * d->dx;
    copy_rows(net->xbuf, d, start, B);
    return net->xbuf;
}

void nn_forward_eval(nn_net *net, const nn_data *d, int start, int B)
{
    forward(net, inputs(net, d, start, B), B, 0, 0);
}

void nn_forward_eval_upto(nn_net *net, const nn_data *d, int start, int B, int to)
{
    nn_forward_range(net, inputs(net, d, start, B), B, 0, to);
}

static int check_batch(const nn_net *net, const nn_data *b)
{
    int rc = nn_check_data(net, b, 1);
    if (!rc)
        rc = nn_check_labels(net, b->label, b->n);
    if (rc)
        return rc;
    if (b->n < 1)
        return NN_ERR_SIZE;
    return b->n > net->cfg.max_batch ? NN_ERR_BATCH : NN_OK;
}

/* Forward, loss, backward on a checked batch; gradients are overwritten.
 * A diverged loss leaves the BN running statistics as they were. */
static double loss_grad(nn_net *net, const nn_data *b)
{
    int B = b->n;
    size_t stat_bytes = (size_t)net->n_stats * sizeof(float);
    if (stat_bytes)
        memcpy(net->stats_prev, net->stats, stat_bytes);
    const float *x = inputs(net, b, 0, B);
    const float *y = targets(b, x, 0);
    x = nn_noisy_inputs(net, x, B, &y);
    const float *z = forward(net, x, B, 1, 1);
    double sum = nn_loss_eval(net, net->dbuf[0], net->prob, z, y, b->label, B, 1.0f / (float)B);
    memset(net->grads, 0, (size_t)net->n_params * sizeof *net->grads);
    backward(net, x, B);
    nn_opt_apply_penalty(net);
    if (stat_bytes && diverged(sum / B))
        memcpy(net->stats, net->stats_prev, stat_bytes);
    return sum / B;
}

int nn_loss_grad(nn_net *net, const nn_data *batch, float *loss)
{
    int rc = check_batch(net, batch);
    if (rc)
        return rc;
    double l = loss_grad(net, batch);
    if (loss)
        *loss = (float)l;
    return diverged(l) ? NN_ERR_DIVERGED : NN_OK;
}

int nn_loss_only(nn_net *net, const nn_data *batch, int train, float *loss)
{
    if (train) {
        int rc = check_batch(net, batch);
        if (rc)
            return rc;
        const float *x = inputs(net, batch, 0, batch->n);
        const float *z = forward(net, x, batch->n, 1, 0);
        double sum = nn_loss_eval(net, NULL, net->prob, z, targets(batch, x, 0), batch->label, batch->n, 1.0f);
        if (loss)
            *loss = (float)(sum / batch->n);
        return diverged(sum / batch->n) ? NN_ERR_DIVERGED : NN_OK;
    }
    return nn_evaluate(net, batch, loss, NULL);
}

/* One step on a checked batch: Nesterov evaluates the gradient at the
 * look-ahead point, saving the parameters in opt_r (unused by Nesterov). */
static int step(nn_net *net, const nn_data *b, double *loss)
{
    // the step count stays exact in a double and loadable (never reached in
    // practice, but a loaded file may start near it)
    *loss = NAN;
    if (net->t >= NN_MAX_STEPS)
        return NN_ERR_SIZE;
    int nesterov = net->opt.kind == NN_OPT_NESTEROV;
    size_t bytes = (size_t)net->n_params * sizeof(float);
    if (nesterov) {
        memcpy(net->opt_r, net->params, bytes);
        nn_opt_lookahead(&net->opt, net->n_params, net->params, net->opt_s);
    }
    double l = loss_grad(net, b);
    if (nesterov)
        memcpy(net->params, net->opt_r, bytes);
    *loss = l;
    if (diverged(l))
        return NN_ERR_DIVERGED;
    nn_opt_step(net);
    return NN_OK;
}

int nn_train_batch(nn_net *net, const nn_data *batch, float *loss)
{
    int rc = check_batch(net, batch);
    if (rc)
        return rc;
    double l;
    rc = step(net, batch, &l);
    if (loss)
        *loss = (float)l;
    return rc;
}

/* The order of a new epoch: the data's order, or a Fisher-Yates shuffle
 * drawn from r (the shuffle stream, or a saved copy of it when a loaded net
 * rebuilds the order of the epoch it was saved in). */
static void epoch_order(nn_net *net, nn_rng *r, int n, int shuffle)
{
    for (int i = 0; i < n; i++)
        net->perm[i] = i;
    for (int i = n - 1; shuffle && i > 0; i--) {
        int j = (int)nn_rng_below(r, (uint32_t)i + 1u);
        int32_t t = net->perm[i];
        net->perm[i] = net->perm[j];
        net->perm[j] = t;
    }
}

int nn_train(nn_net *net, const nn_data *d, int batch, int steps, nn_report *rep)
{
    // a call refused before its first step reports no step
    if (rep)
        *rep = (nn_report){.loss = NAN};
    int rc = nn_check_data(net, d, 1);
    if (rc)
        return rc;
    if (batch < 1 || steps < 0 || d->n < 1)
        return NN_ERR_SIZE;
    if (batch > net->cfg.max_batch)
        return NN_ERR_BATCH;
    if (d->n > net->perm_cap) {
        int32_t *p = realloc(net->perm, (size_t)d->n * sizeof *p);
        if (!p)
            return NN_ERR_NOMEM;
        net->perm = p;
        net->perm_cap = d->n;
        net->epoch_set = NULL;
    }
    const void *set = d->x ? (const void *)d->x : (const void *)d->x8;
    if (net->resume && net->epoch_n == d->n) {
        // a net loaded mid-epoch: the first set of the same size continues
        // that epoch in the order drawn before the save
        nn_rng r = net->epoch_rng;
        epoch_order(net, &r, d->n, net->epoch_shuffled);
        net->epoch_set = set;
    } else if (net->epoch_set != set || net->epoch_n != d->n) {
        net->epoch_set = set;
        net->epoch_n = d->n;
        net->epoch_pos = 0;
    }
    net->resume = 0;
    int n = d->n, dx = d->dx, dy = d->dy, epochs = 0, done = 0;
    double total = 0.0;
    rc = NN_OK;
    while (steps == 0 ? (done == 0 || net->epoch_pos != 0) : done < steps) {
        if (net->epoch_pos == 0) {
            net->epoch_rng = net->rng[NN_STREAM_SHUFFLE];
            net->epoch_shuffled = net->shuffle;
            epoch_order(net, &net->rng[NN_STREAM_SHUFFLE], n, net->shuffle);
        }
        int B = n - net->epoch_pos < batch ? n - net->epoch_pos : batch;
        // gather the rows of this mini-batch into the net's batch buffers
        for (int i = 0; i < B; i++) {
            int r = net->perm[net->epoch_pos + i];
            copy_rows(net->xbuf + (size_t)i * dx, d, r, 1);
            // targets = inputs are the gathered rows themselves
            if (d->y && dy > 0)
                memcpy(net->ybuf + (size_t)i * dy, d->y + (size_t)r * dy, (size_t)dy * sizeof(float));
            if (d->label)
                net->lbuf[i] = d->label[r];
        }
        nn_data b = {.x = net->xbuf, .y = d->y ? net->ybuf : NULL, .label = d->label ? net->lbuf : NULL,
                     .n = B, .dx = dx, .dy = dy, .y_is_x = d->y_is_x};
        // labels are checked a batch at a time, not the whole set on every call
        rc = nn_check_labels(net, b.label, B);
        if (rc)
            break;
        double l;
        rc = step(net, &b, &l);
        if (rc)
            break;
        total += l;
        done++;
        net->epoch_pos += B;
        if (net->epoch_pos >= n) {
            net->epoch_pos = 0;
            epochs++;
        }
    }
    if (rep) {
        rep->loss = done ? (float)(total / done) : NAN;
        rep->steps = done;
        rep->epochs = epochs;
    }
    return rc;
}

int nn_evaluate(nn_net *net, const nn_data *d, float *loss, float *accuracy)
{
    int rc = nn_check_data(net, d, 1);
    if (!rc)
        rc = nn_check_labels(net, d->label, d->n);
    if (rc)
        return rc;
    // a loss or accuracy over no examples would be a made-up number
    if (d->n < 1)
        return NN_ERR_SIZE;
    int mb = net->cfg.max_batch;
    double sum = 0.0;
    long correct = 0;
    for (int i = 0; i < d->n; i += mb) {
        int B = d->n - i < mb ? d->n - i : mb;
        const float *x = inputs(net, d, i, B);
        const float *z = forward(net, x, B, 0, 0);
        const float *y = targets(d, x, i);
        const int32_t *lab = d->label ? d->label + i : NULL;
        sum += nn_loss_eval(net, NULL, net->prob, z, y, lab, B, 1.0f);
        if (!d->y_is_x)
            correct += nn_count_correct(net, net->prob, y, lab, B);
    }
    if (loss)
        *loss = (float)(sum / d->n);
    // a reconstruction has no accuracy
    if (accuracy)
        *accuracy = d->y_is_x ? NAN : (float)((double)correct / d->n);
    return diverged(sum / d->n) ? NN_ERR_DIVERGED : NN_OK;
}

int nn_predict(nn_net *net, const float *x, int n, float *out)
{
    if (!net || (n > 0 && (!x || !out)))
        return NN_ERR_NULL;
    if (n < 0)
        return NN_ERR_SIZE;
    int mb = net->cfg.max_batch, d = net->cfg.n_in, n_out = net->n_out;
    for (int i = 0; i < n; i += mb) {
        int B = n - i < mb ? n - i : mb;
        const float *z = forward(net, x + (size_t)i * d, B, 0, 0);
        nn_output_forward(out + (size_t)i * n_out, z, B, n_out, net->cfg.output, NULL);
    }
    return NN_OK;
}

int nn_activations(nn_net *net, const float *x, int n, float *out)
{
    if (!net || (n > 0 && (!x || !out)))
        return NN_ERR_NULL;
    if (n < 0)
        return NN_ERR_SIZE;
    int mb = net->cfg.max_batch, d = net->cfg.n_in;
    for (int i = 0; i < n; i += mb) {
        int B = n - i < mb ? n - i : mb;
        forward(net, x + (size_t)i * d, B, 0, 0);
        size_t base = 0;
        for (int k = 0; k < net->n_layers; k++) {
            int w = net->layers[k].n_out;
            memcpy(out + base + (size_t)i * w, net->layers[k].out, (size_t)B * w * sizeof(float));
            base += (size_t)n * w;
        }
    }
    return NN_OK;
}
