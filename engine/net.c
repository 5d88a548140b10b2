/* net.c: building and freeing a network, validating its specs,
 * initialisation, seeds, reset and inspection. nn_create sizes every buffer
 * for max_batch, so later calls never allocate (except the epoch order,
 * which grows once when a larger data set arrives). Status words and the
 * layer-spec helpers are in engine/spec.c. */
#include "net.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Validation ---------------------------------------------------------- */

static int check_spec(const nn_layer_spec *s)
{
    switch (s->kind) {
    case NN_LAYER_DENSE:
        return s->units >= 1 && s->units <= NN_MAX_UNITS ? NN_OK : NN_ERR_SIZE;
    case NN_LAYER_ACT:
        if (s->act < 0 || s->act >= NN_ACT_COUNT)
            return NN_ERR_ENUM;
        if (s->act == NN_ACT_SOFTMAX)
            return NN_ERR_CONFIG;
        return isfinite(s->a) ? NN_OK : NN_ERR_VALUE;
    case NN_LAYER_DROPOUT:
        return isfinite(s->a) && s->a >= 0.0f && s->a < 1.0f ? NN_OK : NN_ERR_VALUE;
    case NN_LAYER_BATCHNORM:
        return isfinite(s->a) && s->a > 0.0f && s->a <= 1.0f && isfinite(s->eps) && s->eps > 0.0f
                   ? NN_OK : NN_ERR_VALUE;
    default:
        return NN_ERR_ENUM;
    }
}

static int check_config(const nn_config *c)
{
    if (!c->layers)
        return NN_ERR_NULL;
    if (c->n_in < 1 || c->n_in > NN_MAX_UNITS || c->n_layers < 1 || c->n_layers > NN_MAX_LAYERS)
        return NN_ERR_SIZE;
    if (c->max_batch < 1 || c->max_batch > NN_MAX_BATCH)
        return NN_ERR_SIZE;
    if (c->output < 0 || c->output >= NN_ACT_COUNT || c->loss < 0 || c->loss >= NN_LOSS_COUNT)
        return NN_ERR_ENUM;
    for (int k = 0; k < c->n_layers; k++) {
        int rc = check_spec(&c->layers[k]);
        if (rc)
            return rc;
    }
    if (c->layers[c->n_layers - 1].kind != NN_LAYER_DENSE)
        return NN_ERR_CONFIG;
    int out = c->output;
    switch (c->loss) {
    case NN_LOSS_BCE: return out == NN_ACT_SIGMOID ? NN_OK : NN_ERR_CONFIG;
    case NN_LOSS_SOFTMAX_CE: return out == NN_ACT_SOFTMAX ? NN_OK : NN_ERR_CONFIG;
    default:
        return out == NN_ACT_LINEAR || out == NN_ACT_SIGMOID || out == NN_ACT_TANH ? NN_OK
                                                                                  : NN_ERR_CONFIG;
    }
}

float nn_default_threshold(int out_act)
{
    return out_act == NN_ACT_SIGMOID ? 0.5f : 0.0f;
}

/* ---- Create and free ----------------------------------------------------- */

/* calloc with the count in 64 bits: on wasm32 a size_t product of a large
 * max_batch and width would wrap around to a small, wrong buffer. */
static void *zalloc(uint64_t count, size_t size, int *fail)
{
    if (count > SIZE_MAX / size) {
        *fail = 1;
        return NULL;
    }
    void *p = calloc(count ? (size_t)count : 1, size);
    if (!p)
        *fail = 1;
    return p;
}

/* Shapes, parameter offsets and buffer sizes of every layer, without
 * allocating: nn_create lays the net out with it, and nn_load checks a
 * file's length and memory needs with it before building anything.
 * layers (cfg->n_layers entries) may be NULL. */
int nn_plan(const nn_config *cfg, nn_layer *layers, nn_plan_sizes *sz)
{
    int rc = check_config(cfg);
    if (rc)
        return rc;
    uint64_t np = 0, ns = 0, mb = (uint64_t)cfg->max_batch, bytes = 0;
    int width = cfg->n_in, max_width = cfg->n_in;
    for (int k = 0; k < cfg->n_layers; k++) {
        nn_layer tmp, *ly = layers ? &layers[k] : &tmp;
        memset(ly, 0, sizeof *ly);
        ly->spec = cfg->layers[k];
        ly->n_in = width;
        ly->n_out = ly->spec.kind == NN_LAYER_DENSE ? ly->spec.units : width;
        uint64_t w_len = 0, b_len = 0, aux = 0, out = mb * (uint64_t)ly->n_out;
        switch (ly->spec.kind) {
        case NN_LAYER_DENSE:
            w_len = (uint64_t)ly->n_in * (uint64_t)ly->n_out;
            b_len = (uint64_t)ly->n_out;
            aux = w_len;                      // W^T
            break;
        case NN_LAYER_ACT:
            w_len = ly->spec.act != NN_ACT_PRELU ? 0 : ly->spec.per_neuron ? (uint64_t)ly->n_out : 1;
            break;
        case NN_LAYER_DROPOUT:
            aux = out;                        // mask
            break;
        case NN_LAYER_BATCHNORM:
            w_len = b_len = (uint64_t)ly->n_out;
            aux = out + (uint64_t)ly->n_out;  // xhat, invstd
            ly->s_off = (int)ns;
            ns += 2 * (uint64_t)ly->n_out;
            break;
        default:
            break;
        }
        if (np + w_len + b_len > NN_MAX_PARAMS)
            return NN_ERR_SIZE;
        ly->w_off = (int)np;
        ly->w_len = (int)w_len;
        ly->b_off = (int)(np + w_len);
        ly->b_len = (int)b_len;
        np += w_len + b_len;
        ly->aux_len = (int64_t)aux;
        bytes += (out + aux) * sizeof(float);
        width = ly->n_out;
        max_width = width > max_width ? width : max_width;
    }
    // kernels index buffers with int: every (max_batch, width) buffer stays below 2^31
    if (mb * (uint64_t)max_width >= (1ULL << 31))
        return NN_ERR_SIZE;
    // parameters, gradients, two optimiser states; BN statistics and their
    // copy; per example: prob, ybuf, two gradient buffers, xbuf, a label
    // and a log-sum-exp
    bytes += 4 * np * sizeof(float) + 2 * ns * sizeof(float);
    bytes += mb * ((2 * (uint64_t)width + 2 * (uint64_t)max_width + (uint64_t)cfg->n_in) * sizeof(float)
                   + sizeof(int32_t) + sizeof(double));
    sz->n_params = (int)np;
    sz->n_stats = (int)ns;
    sz->n_out = width;
    sz->max_width = max_width;
    sz->bytes = bytes;
    return NN_OK;
}

nn_net *nn_create(const nn_config *cfg, int *status)
{
    int dummy;
    if (!status)
        status = &dummy;
    if (!cfg) {
        *status = NN_ERR_NULL;
        return NULL;
    }
    nn_plan_sizes sz;
    if ((*status = nn_plan(cfg, NULL, &sz)) != NN_OK)
        return NULL;
    if (sz.bytes > SIZE_MAX) {
        *status = NN_ERR_NOMEM;
        return NULL;
    }
    nn_net *net = calloc(1, sizeof *net);
    if (!net) {
        *status = NN_ERR_NOMEM;
        return NULL;
    }
    int fail = 0, L = cfg->n_layers, mb = cfg->max_batch;
    net->cfg = *cfg;
    net->n_layers = L;
    net->specs = zalloc((size_t)L, sizeof *net->specs, &fail);
    net->layers = zalloc((size_t)L, sizeof *net->layers, &fail);
    if (fail) {
        nn_free(net);
        *status = NN_ERR_NOMEM;
        return NULL;
    }
    memcpy(net->specs, cfg->layers, (size_t)L * sizeof *net->specs);
    net->cfg.layers = net->specs;
    nn_plan(&net->cfg, net->layers, &sz);
    int width = sz.n_out, max_width = sz.max_width;
    net->n_out = width;
    net->max_width = max_width;
    net->n_params = sz.n_params;
    net->n_stats = sz.n_stats;

    size_t n = (size_t)sz.n_params;
    net->params = zalloc(n, sizeof(float), &fail);
    net->grads = zalloc(n, sizeof(float), &fail);
    net->opt_s = zalloc(n, sizeof(float), &fail);
    net->opt_r = zalloc(n, sizeof(float), &fail);
    net->stats = zalloc((size_t)sz.n_stats, sizeof(float), &fail);
    net->stats_prev = zalloc((size_t)sz.n_stats, sizeof(float), &fail);
    for (int k = 0; k < L && !fail; k++) {
        nn_layer *ly = &net->layers[k];
        ly->out = zalloc((uint64_t)mb * (uint64_t)ly->n_out, sizeof(float), &fail);
        ly->aux = ly->aux_len ? zalloc((uint64_t)ly->aux_len, sizeof(float), &fail) : NULL;
    }
    net->prob = zalloc((uint64_t)mb * (uint64_t)width, sizeof(float), &fail);
    net->lse = zalloc((uint64_t)mb, sizeof(double), &fail);
    net->dbuf[0] = zalloc((uint64_t)mb * (uint64_t)max_width, sizeof(float), &fail);
    net->dbuf[1] = zalloc((uint64_t)mb * (uint64_t)max_width, sizeof(float), &fail);
    net->xbuf = zalloc((uint64_t)mb * (uint64_t)cfg->n_in, sizeof(float), &fail);
    net->ybuf = zalloc((uint64_t)mb * (uint64_t)width, sizeof(float), &fail);
    net->lbuf = zalloc((size_t)mb, sizeof(int32_t), &fail);
    if (fail) {
        nn_free(net);
        *status = NN_ERR_NOMEM;
        return NULL;
    }

    net->opt = nn_optim_default(NN_OPT_SGD);
    net->threshold = nn_default_threshold(cfg->output);
    net->init = (nn_init){NN_INIT_XAVIER_UNIFORM, 0.0f, 0.0f};
    net->shuffle = 1;
    for (int s = 0; s < NN_STREAM_COUNT; s++)
        net->seeds[s] = cfg->seed;
    nn_reset(net);
    *status = NN_OK;
    return net;
}

void nn_free(nn_net *net)
{
    if (!net)
        return;
    for (int k = 0; net->layers && k < net->n_layers; k++) {
        free(net->layers[k].out);
        free(net->layers[k].aux);
    }
    free(net->layers);
    free(net->specs);
    free(net->params);
    free(net->grads);
    free(net->opt_s);
    free(net->opt_r);
    free(net->stats);
    free(net->stats_prev);
    free(net->prob);
    free(net->dbuf[0]);
    free(net->dbuf[1]);
    free(net->xbuf);
    free(net->ybuf);
    free(net->lbuf);
    free(net->lse);
    free(net->perm);
    free(net);
}

/* ---- Init, seeds, reset -------------------------------------------------- */

int nn_reset(nn_net *net)
{
    if (!net)
        return NN_ERR_NULL;
    // each stream is its own PCG sequence, so equal seeds still differ
    for (int s = 0; s < NN_STREAM_COUNT; s++)
        nn_rng_seed(&net->rng[s], net->seeds[s], (uint32_t)s + 1u);
    memset(net->grads, 0, (size_t)net->n_params * sizeof *net->grads);
    for (int k = 0; k < net->n_layers; k++)
        nn_layer_init_params(net, &net->layers[k]);
    nn_opt_clear(net);
    net->t = 0;
    net->epoch_pos = 0;
    net->epoch_set = NULL;
    net->epoch_n = 0;
    net->resume = 0;
    return NN_OK;
}

int nn_set_init(nn_net *net, const nn_init *init)
{
    if (!net || !init)
        return NN_ERR_NULL;
    if (init->scheme < 0 || init->scheme >= NN_INIT_COUNT)
        return NN_ERR_ENUM;
    if (!isfinite(init->w_const) || !isfinite(init->b_const))
        return NN_ERR_VALUE;
    net->init = *init;
    return nn_reset(net);
}

int nn_set_seed(nn_net *net, int stream, uint32_t seed)
{
    if (!net)
        return NN_ERR_NULL;
    if (stream < 0 || stream >= NN_STREAM_COUNT)
        return NN_ERR_ENUM;
    net->seeds[stream] = seed;
    if (stream != NN_STREAM_INIT)
        nn_rng_seed(&net->rng[stream], seed, (uint32_t)stream + 1u);
    if (stream == NN_STREAM_SHUFFLE) {
        net->epoch_set = NULL;
        net->resume = 0;
    }
    return NN_OK;
}

int nn_set_shuffle(nn_net *net, int shuffle)
{
    if (!net)
        return NN_ERR_NULL;
    if (shuffle != 0 && shuffle != 1)
        return NN_ERR_VALUE;
    net->shuffle = shuffle;
    return NN_OK;
}

int nn_get_shuffle(const nn_net *net)
{
    return net ? net->shuffle : 1;
}

int nn_set_threshold(nn_net *net, float threshold)
{
    if (!net)
        return NN_ERR_NULL;
    if (!isfinite(threshold))
        return NN_ERR_VALUE;
    net->threshold = threshold;
    return NN_OK;
}

/* ---- Inspection ---------------------------------------------------------- */

int nn_inputs(const nn_net *net) { return net ? net->cfg.n_in : 0; }
int nn_outputs(const nn_net *net) { return net ? net->n_out : 0; }
int nn_max_batch(const nn_net *net) { return net ? net->cfg.max_batch : 0; }
int nn_loss_kind(const nn_net *net) { return net ? net->cfg.loss : -1; }
int nn_output_act(const nn_net *net) { return net ? net->cfg.output : -1; }
float *nn_params(nn_net *net) { return net ? net->params : NULL; }
float *nn_grads(nn_net *net) { return net ? net->grads : NULL; }
int nn_param_count(const nn_net *net) { return net ? net->n_params : 0; }
int nn_layer_count(const nn_net *net) { return net ? net->n_layers : 0; }
int64_t nn_step_count(const nn_net *net) { return net ? net->t : 0; }
int nn_epoch_position(const nn_net *net) { return net ? net->epoch_pos : 0; }

int nn_layer_info_get(const nn_net *net, int k, nn_layer_info *info)
{
    if (!net || !info)
        return NN_ERR_NULL;
    if (k < 0 || k >= net->n_layers)
        return NN_ERR_SIZE;
    const nn_layer *L = &net->layers[k];
    info->kind = L->spec.kind;
    info->act = L->spec.kind == NN_LAYER_ACT ? L->spec.act : -1;
    info->n_in = L->n_in;
    info->n_out = L->n_out;
    info->w_off = L->w_off;
    info->w_len = L->w_len;
    info->b_off = L->b_off;
    info->b_len = L->b_len;
    return NN_OK;
}

int nn_activation_width(const nn_net *net)
{
    int w = 0;
    for (int k = 0; net && k < net->n_layers; k++)
        w += net->layers[k].n_out;
    return w;
}

int nn_grad_norms(const nn_net *net, float *out)
{
    if (!net || !out)
        return NN_ERR_NULL;
    // computed on demand from the gradient buffer, which holds the last step's
    for (int k = 0; k < net->n_layers; k++) {
        const nn_layer *L = &net->layers[k];
        const float *g = net->grads + L->w_off;
        double s = 0.0;
        for (int i = 0; i < L->w_len + L->b_len; i++)
            s += (double)g[i] * g[i];
        out[k] = (float)sqrt(s);
    }
    return NN_OK;
}

int nn_bn_running(nn_net *net, int k, float **mean, float **var)
{
    if (!net || !mean || !var)
        return NN_ERR_NULL;
    if (k < 0 || k >= net->n_layers || net->layers[k].spec.kind != NN_LAYER_BATCHNORM)
        return NN_ERR_SIZE;
    *mean = net->stats + net->layers[k].s_off;
    *var = *mean + net->layers[k].n_out;
    return NN_OK;
}

int nn_check_labels(const nn_net *net, const int32_t *label, int n)
{
    for (int i = 0; label && i < n; i++)
        if (label[i] < 0 || label[i] >= net->n_out)
            return NN_ERR_LABEL;
    return NN_OK;
}

int nn_check_data(const nn_net *net, const nn_data *d, int need_targets)
{
    if (!net || !d)
        return NN_ERR_NULL;
    if (d->n < 0 || d->dx != net->cfg.n_in)
        return NN_ERR_SIZE;
    // offsets into the set are size_t: on wasm32 a row count that cannot be
    // in memory would wrap around instead of failing
    if ((uint64_t)d->n * (uint64_t)d->dx > SIZE_MAX / sizeof(float))
        return NN_ERR_SIZE;
    if (d->n > 0 && !d->x && !d->x8)
        return NN_ERR_NULL;
    if (!d->x && d->x8 && !isfinite(d->x8_scale))
        return NN_ERR_VALUE;
    // targets, when given, are exactly one row of n_out per example: they are
    // copied into buffers of that width whatever the loss
    if (d->y ? d->dy != net->n_out : d->dy != 0)
        return NN_ERR_SIZE;
    if (!need_targets)
        return NN_OK;
    if (net->cfg.loss == NN_LOSS_SOFTMAX_CE ? !d->label : !d->y)
        return NN_ERR_LABEL;
    return NN_OK;
}
