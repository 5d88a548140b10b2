/* net.c: building and freeing a network, validating its specs,
 * initialisation, seeds, reset and inspection. nn_create sizes every buffer
 * for max_batch, so later calls never allocate (except the epoch order,
 * which grows once when a larger data set arrives). Status words and the
 * layer-spec helpers are in engine/spec.c. */
#include "net.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Validation ---------------------------------------------------------- */

static char error_detail[96];

const char *nn_error_detail(void)
{
    return error_detail;
}

void nn_set_error_version(uint32_t version)
{
    snprintf(error_detail, sizeof error_detail, "a version-%lu file; this build reads versions 1 to %d",
             (unsigned long)version, NN_SAVE_VERSION);
}

void nn_set_error_layer(int k, const char *kind, int c, int h, int w)
{
    if (k < 0) {
        error_detail[0] = '\0';
        return;
    }
    if (c > 0)
        snprintf(error_detail, sizeof error_detail, "layer %d, %s on a %d x %d x %d input", k, kind, c, h, w);
    else
        snprintf(error_detail, sizeof error_detail, "layer %d, %s", k, kind);
}

static int check_spec(const nn_layer_spec *s)
{
    const nn_layer_ops *ops = nn_layer_kind_ops(s->kind);
    return ops ? ops->check(s) : NN_ERR_ENUM;
}

static int check_config(const nn_config *c)
{
    if (!c->layers)
        return NN_ERR_NULL;
    if (c->n_in < 1 || c->n_in > NN_MAX_UNITS || c->n_layers < 1 || c->n_layers > NN_MAX_LAYERS)
        return NN_ERR_SIZE;
    if (c->max_batch < 1 || c->max_batch > NN_MAX_BATCH)
        return NN_ERR_SIZE;
    // an image input: all three sides given, and as many values as n_in
    if (c->channels || c->height || c->width) {
        if (c->channels < 1 || c->height < 1 || c->width < 1 ||
            (uint64_t)c->channels * (uint64_t)c->height * (uint64_t)c->width != (uint64_t)c->n_in)
            return NN_ERR_SIZE;
    }
    if (c->output < 0 || c->output >= NN_ACT_COUNT || c->loss < 0 || c->loss >= NN_LOSS_COUNT)
        return NN_ERR_ENUM;
    for (int k = 0; k < c->n_layers; k++) {
        int rc = check_spec(&c->layers[k]);
        if (rc) {
            const nn_layer_ops *ops = nn_layer_kind_ops(c->layers[k].kind);
            nn_set_error_layer(k, ops ? ops->name : "unknown kind", 0, 0, 0);
            return rc;
        }
    }
    // the last layer gives the logits: a layer with weights (dense or conv)
    if (!nn_layer_kind_ops(c->layers[c->n_layers - 1].kind)->logits)
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

/* Shapes and parameter offsets of every layer from net->specs, through each
 * kind's size(); counts into net (n_params, n_stats, n_out, max_width). */
static int geometry(nn_net *net)
{
    const nn_config *cfg = &net->cfg;
    uint64_t np = 0, ns = 0;
    nn_shape shape = cfg->channels ? (nn_shape){cfg->channels, cfg->height, cfg->width} : (nn_shape){cfg->n_in, 1, 1};
    int width = cfg->n_in, max_width = cfg->n_in;
    for (int k = 0; k < cfg->n_layers; k++) {
        nn_layer *ly = &net->layers[k];
        memset(ly, 0, sizeof *ly);
        ly->spec = net->specs[k];
        ly->ops = nn_layer_kind_ops(ly->spec.kind);
        nn_layer_size z;
        int rc = ly->ops->size(&ly->spec, shape, cfg->max_batch, &z);
        if (rc) {
            nn_set_error_layer(k, ly->ops->name, shape.c, shape.h, shape.w);
            return rc;
        }
        uint64_t n_out = (uint64_t)z.out.c * (uint64_t)z.out.h * (uint64_t)z.out.w;
        if (n_out < 1 || n_out > INT32_MAX || np + z.w_len + z.b_len > NN_MAX_PARAMS ||
            ns + z.stats > NN_MAX_PARAMS || z.aux > INT32_MAX)
            return NN_ERR_SIZE;
        ly->shape_in = shape;
        ly->shape_out = z.out;
        ly->n_in = width;
        ly->n_out = (int)n_out;
        ly->w_off = (int)np;
        ly->w_len = (int)z.w_len;
        ly->b_off = (int)(np + z.w_len);
        ly->b_len = (int)z.b_len;
        ly->s_off = (int)ns;
        ly->aux_len = (int64_t)z.aux;
        np += z.w_len + z.b_len;
        ns += z.stats;
        width = ly->n_out;
        shape = z.out;
        max_width = width > max_width ? width : max_width;
    }
    // kernels index buffers with int: every (max_batch, width) buffer stays below 2^31
    if ((uint64_t)cfg->max_batch * (uint64_t)max_width >= (1ULL << 31))
        return NN_ERR_SIZE;
    net->n_params = (int)np;
    net->n_stats = (int)ns;
    net->n_out = width;
    net->max_width = max_width;
    return NN_OK;
}

/* One allocation for a whole net: each buffer 64-byte aligned, taken in
 * order; with no base the arena only counts (sizes in 64 bits, so that on
 * wasm32 a large max_batch times a width cannot wrap around). */
typedef struct {
    uint8_t *base;
    uint64_t used;
} arena;

static void *take(arena *a, uint64_t count, size_t size)
{
    uint64_t at = (a->used + 63u) & ~(uint64_t)63u;
    a->used = at + count * size;
    return a->base ? a->base + at : NULL;
}

/* Every buffer after the specs and layers, sized for max_batch. */
static void carve(nn_net *net, arena *a)
{
    uint64_t mb = (uint64_t)net->cfg.max_batch, np = (uint64_t)net->n_params, ns = (uint64_t)net->n_stats;
    net->params = take(a, np, sizeof(float));
    net->grads = take(a, np, sizeof(float));
    net->opt_s = take(a, np, sizeof(float));
    net->opt_r = take(a, np, sizeof(float));
    net->stats = take(a, ns, sizeof(float));
    net->stats_prev = take(a, ns, sizeof(float));
    for (int k = 0; k < net->n_layers; k++) {
        nn_layer *ly = &net->layers[k];
        ly->out = take(a, mb * (uint64_t)ly->n_out, sizeof(float));
        ly->aux = ly->aux_len ? take(a, (uint64_t)ly->aux_len, sizeof(float)) : NULL;
    }
    net->prob = take(a, mb * (uint64_t)net->n_out, sizeof(float));
    net->lse = take(a, mb, sizeof(double));
    net->dbuf[0] = take(a, mb * (uint64_t)net->max_width, sizeof(float));
    net->dbuf[1] = take(a, mb * (uint64_t)net->max_width, sizeof(float));
    net->xbuf = take(a, mb * (uint64_t)net->cfg.n_in, sizeof(float));
    net->ybuf = take(a, mb * (uint64_t)net->n_out, sizeof(float));
    net->lbuf = take(a, mb, sizeof(int32_t));
    net->unit_max = take(a, nn_flow_scratch(net), sizeof(float));
}

/* Validates cfg and computes, without allocating, the counts and the arena
 * size of the net it describes: nn_create allocates that, and nn_load checks
 * a file's length and memory needs with it before building anything. */
int nn_plan(const nn_config *cfg, nn_plan_sizes *sz)
{
    nn_set_error_layer(-1, NULL, 0, 0, 0);
    int rc = check_config(cfg);
    if (rc)
        return rc;
    nn_layer layers[NN_MAX_LAYERS];
    nn_net tmp = {.cfg = *cfg, .specs = (nn_layer_spec *)cfg->layers, .layers = layers, .n_layers = cfg->n_layers};
    if ((rc = geometry(&tmp)) != NN_OK)
        return rc;
    arena a = {NULL, 0};
    take(&a, (uint64_t)cfg->n_layers, sizeof(nn_layer_spec));
    take(&a, (uint64_t)cfg->n_layers, sizeof(nn_layer));
    carve(&tmp, &a);
    sz->n_params = tmp.n_params;
    sz->n_stats = tmp.n_stats;
    sz->n_out = tmp.n_out;
    sz->max_width = tmp.max_width;
    sz->bytes = a.used;
    return NN_OK;
}

int nn_plan_bytes(const nn_config *cfg, int64_t *bytes)
{
    if (!cfg || !bytes)
        return NN_ERR_NULL;
    nn_plan_sizes sz;
    int rc = nn_plan(cfg, &sz);
    if (rc == NN_OK)
        *bytes = sz.bytes > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)sz.bytes;
    return rc;
}

nn_net *nn_create(const nn_config *cfg, int *status)
{
    int dummy;
    if (!status)
        status = &dummy;
    nn_set_error_layer(-1, NULL, 0, 0, 0);
    if (!cfg) {
        *status = NN_ERR_NULL;
        return NULL;
    }
    nn_plan_sizes sz;
    if ((*status = nn_plan(cfg, &sz)) != NN_OK)
        return NULL;
    nn_net *net = calloc(1, sizeof *net);
    // zeroed, as every buffer must start (optimiser state, statistics)
    void *mem = sz.bytes <= SIZE_MAX ? calloc((size_t)sz.bytes, 1) : NULL;
    if (!net || !mem) {
        free(net);
        free(mem);
        *status = NN_ERR_NOMEM;
        return NULL;
    }
    arena a = {mem, 0};
    net->arena = mem;
    net->cfg = *cfg;
    net->n_layers = cfg->n_layers;
    net->specs = take(&a, (uint64_t)cfg->n_layers, sizeof(nn_layer_spec));
    net->layers = take(&a, (uint64_t)cfg->n_layers, sizeof(nn_layer));
    memcpy(net->specs, cfg->layers, (size_t)cfg->n_layers * sizeof *net->specs);
    net->cfg.layers = net->specs;
    geometry(net);
    carve(net, &a);

    net->opt = nn_optim_default(NN_OPT_SGD);
    net->threshold = nn_default_threshold(cfg->output);
    net->init = (nn_init){.scheme = NN_INIT_XAVIER_UNIFORM};
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
    nn_set_track_updates(net, 0);
    free(net->arena);
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
        if (net->layers[k].ops->init)
            net->layers[k].ops->init(net, &net->layers[k]);
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
    info->channels = L->shape_out.c;
    info->height = L->shape_out.h;
    info->width = L->shape_out.w;
    int window = L->spec.kind == NN_LAYER_CONV || L->spec.kind == NN_LAYER_MAXPOOL || L->spec.kind == NN_LAYER_AVGPOOL;
    info->kernel = window ? L->spec.kernel : 0;
    info->stride = window ? L->spec.stride : 0;
    info->pad = L->spec.kind == NN_LAYER_CONV ? L->spec.pad : 0;
    if (L->spec.kind == NN_LAYER_UPSAMPLE)
        info->stride = L->spec.stride;
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
    *var = *mean + net->layers[k].shape_in.c;
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
    // targets = inputs: one row of n_out = n_in per example, read where the
    // inputs are; softmax cross-entropy takes labels, not rows
    if (d->y_is_x) {
        if (d->y_is_x != 1)
            return NN_ERR_VALUE;
        // a call that reads the inputs only takes such a set on any net
        if (!need_targets)
            return d->y || d->dy != d->dx ? NN_ERR_SIZE : NN_OK;
        if (d->y || d->dy != d->dx || net->n_out != d->dx)
            return NN_ERR_SIZE;
        return net->cfg.loss == NN_LOSS_SOFTMAX_CE ? NN_ERR_CONFIG : NN_OK;
    }
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
