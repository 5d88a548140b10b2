/* flow.c: how the gradient flows through a net, for the course's vanishing
 * gradients: per layer, the norm of the change a training step makes beside
 * the norm of the parameters (recorded where the step happens, in
 * engine/optim.c, only while tracking is on), and how many units of the
 * activation layers are saturated (sigmoid, tanh) or dead (ReLU) over a set. */
#include "net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The activations whose units nn_unit_stats watches: the slope f' from the
 * output y and its largest value (saturating ones), or whether a unit can
 * die (ReLU: output 0, and slope 0, for every input below 0). */
typedef struct {
    double (*slope)(double y);
    double max_slope;
    int dies;
} watch;

static double sigmoid_slope(double y) { return y * (1.0 - y); }
static double tanh_slope(double y) { return 1.0 - y * y; }

static const watch WATCH[NN_ACT_COUNT] = {
    [NN_ACT_SIGMOID] = {sigmoid_slope, 0.25, 0},
    [NN_ACT_TANH] = {tanh_slope, 1.0, 0},
    [NN_ACT_RELU] = {NULL, 0.0, 1},
};

static const watch *watched(const nn_layer *L)
{
    if (L->spec.kind != NN_LAYER_ACT || L->spec.act < 0 || L->spec.act >= NN_ACT_COUNT)
        return NULL;
    const watch *w = &WATCH[L->spec.act];
    return w->slope || w->dies ? w : NULL;
}

uint64_t nn_flow_scratch(const nn_net *net)
{
    uint64_t n = 0;
    for (int k = 0; k < net->n_layers; k++) {
        const watch *w = watched(&net->layers[k]);
        if (w && w->dies)
            n += (uint64_t)net->layers[k].n_out;
    }
    return n;
}

/* ---- Updates ------------------------------------------------------------- */

int nn_set_track_updates(nn_net *net, int on)
{
    if (!net)
        return NN_ERR_NULL;
    if (on != 0 && on != 1)
        return NN_ERR_VALUE;
    free(net->track_prev);
    free(net->track_norms);
    net->track_prev = NULL;
    net->track_norms = NULL;
    net->track_t = -1;
    if (!on)
        return NN_OK;
    // at least one of each, so that a net without parameters tracks too
    float *prev = malloc(((size_t)net->n_params + 1) * sizeof *prev);
    double *norms = calloc(2 * (size_t)net->n_layers, sizeof *norms);
    if (!prev || !norms) {
        free(prev);
        free(norms);
        return NN_ERR_NOMEM;
    }
    net->track_prev = prev;
    net->track_norms = norms;
    return NN_OK;
}

int nn_get_track_updates(const nn_net *net)
{
    return net && net->track_prev ? 1 : 0;
}

void nn_flow_record(nn_net *net)
{
    const float *before = net->track_prev, *after = net->params;
    for (int k = 0; k < net->n_layers; k++) {
        const nn_layer *L = &net->layers[k];
        // a layer's weights and biases are contiguous (w_off, then b_off = w_off + w_len)
        double w2 = 0.0, d2 = 0.0;
        for (int i = L->w_off; i < L->w_off + L->w_len + L->b_len; i++) {
            double w = before[i], d = (double)after[i] - (double)before[i];
            w2 += w * w;
            d2 += d * d;
        }
        net->track_norms[2 * k] = sqrt(w2);
        net->track_norms[2 * k + 1] = sqrt(d2);
    }
    net->track_t = net->t;
}

int nn_update_norms(const nn_net *net, float *param_norm, float *update_norm, float *ratio)
{
    if (!net)
        return NN_ERR_NULL;
    if (!net->track_prev)
        return NN_ERR_CONFIG;
    int fresh = net->track_t == net->t;
    for (int k = 0; k < net->n_layers; k++) {
        double w = fresh ? net->track_norms[2 * k] : 0.0, d = fresh ? net->track_norms[2 * k + 1] : 0.0;
        if (param_norm)
            param_norm[k] = (float)w;
        if (update_norm)
            update_norm[k] = (float)d;
        if (ratio)
            ratio[k] = d == 0.0 ? 0.0f : w == 0.0 ? INFINITY : (float)(d / w);
    }
    return NN_OK;
}

/* ---- Units --------------------------------------------------------------- */

int nn_unit_stats(nn_net *net, const nn_data *d, float slope, float *saturated, float *dead)
{
    int rc = nn_check_data(net, d, 0);
    if (rc)
        return rc;
    if (d->n < 1)
        return NN_ERR_SIZE;
    if (!(slope > 0.0f && slope < 1.0f))
        return NN_ERR_VALUE;
    double counts[NN_MAX_LAYERS] = {0};
    uint64_t scratch = nn_flow_scratch(net);
    for (uint64_t i = 0; i < scratch; i++)
        net->unit_max[i] = 0.0f;
    int mb = net->cfg.max_batch;
    for (int start = 0; start < d->n; start += mb) {
        int B = d->n - start < mb ? d->n - start : mb;
        nn_forward_eval(net, d, start, B);
        float *alive = net->unit_max;
        for (int k = 0; k < net->n_layers; k++) {
            const nn_layer *L = &net->layers[k];
            const watch *w = watched(L);
            if (!w)
                continue;
            size_t n = (size_t)B * (size_t)L->n_out;
            if (w->slope) {
                double below = (double)slope * w->max_slope, c = 0.0;
                for (size_t i = 0; i < n; i++)
                    c += w->slope(L->out[i]) < below;
                counts[k] += c;
            }
            if (w->dies) {
                // a unit lives when any example gives it an output above 0
                for (int b = 0; b < B; b++) {
                    const float *y = L->out + (size_t)b * (size_t)L->n_out;
                    for (int u = 0; u < L->n_out; u++)
                        alive[u] = y[u] > alive[u] ? y[u] : alive[u];
                }
                alive += L->n_out;
            }
        }
    }
    const float *alive = net->unit_max;
    for (int k = 0; k < net->n_layers; k++) {
        const nn_layer *L = &net->layers[k];
        const watch *w = watched(L);
        float sat = NAN, gone = NAN;
        if (w && w->slope)
            sat = (float)(counts[k] / ((double)d->n * L->n_out));
        if (w && w->dies) {
            int zero = 0;
            for (int u = 0; u < L->n_out; u++)
                zero += !(alive[u] > 0.0f);
            gone = (float)((double)zero / L->n_out);
            alive += L->n_out;
        }
        if (saturated)
            saturated[k] = sat;
        if (dead)
            dead[k] = gone;
    }
    return NN_OK;
}
