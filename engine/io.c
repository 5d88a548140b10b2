/* io.c: saving a net to bytes and loading it back. The format is
 * little-endian: "NNPL", version, the config (with the input's image shape
 * from version 3) and layer specs (with kernel, stride and padding from
 * version 3), optimiser, regularisation, init, seeds and random states, step
 * counts, the epoch in progress (from version 2), then the parameters,
 * optimiser state and BN
 * statistics, and an FNV-1a checksum of everything before it. Floats are
 * stored as their bits: a round trip is exact. A file is untrusted: its
 * length is checked against the sizes its specs imply, and every value it
 * sets is checked as the setters check it, before anything is built. */
#include "net.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define MAGIC 0x4C504E4Eu /* "NNPL" */
#define VERSION ((uint32_t)NN_SAVE_VERSION)
// a layer spec's bytes: 24 up to version 2, 36 from version 3 (kernel, stride, pad)
#define SPEC_BYTES(version) ((version) >= 3 ? 36u : 24u)

typedef struct {
    uint8_t *p;
    size_t len, cap;
    const uint8_t *r;
    int bad;
} cursor;

static void put_u32(cursor *c, uint32_t v)
{
    if (c->p && c->len + 4 <= c->cap)
        for (int i = 0; i < 4; i++)
            c->p[c->len + (size_t)i] = (uint8_t)(v >> (8 * i));
    c->len += 4;
}

static void put_f32(cursor *c, float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    put_u32(c, v);
}

static void put_u64(cursor *c, uint64_t v)
{
    put_u32(c, (uint32_t)v);
    put_u32(c, (uint32_t)(v >> 32));
}

static void put_floats(cursor *c, const float *f, int n)
{
    for (int i = 0; i < n; i++)
        put_f32(c, f[i]);
}

static uint32_t get_u32(cursor *c)
{
    if (c->len + 4 > c->cap) {
        c->bad = 1;
        return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)c->r[c->len + (size_t)i] << (8 * i);
    c->len += 4;
    return v;
}

static float get_f32(cursor *c)
{
    uint32_t v = get_u32(c);
    float f;
    memcpy(&f, &v, 4);
    return f;
}

static uint64_t get_u64(cursor *c)
{
    uint64_t lo = get_u32(c);
    return lo | ((uint64_t)get_u32(c) << 32);
}

static void get_floats(cursor *c, float *f, int n)
{
    for (int i = 0; i < n && !c->bad; i++)
        f[i] = get_f32(c);
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Writes (or with c->p NULL only counts) everything but the checksum. */
static void write_net(const nn_net *net, cursor *c)
{
    const nn_config *g = &net->cfg;
    put_u32(c, MAGIC);
    put_u32(c, VERSION);
    put_u32(c, (uint32_t)g->n_in);
    put_u32(c, (uint32_t)g->n_layers);
    put_u32(c, (uint32_t)g->output);
    put_u32(c, (uint32_t)g->loss);
    put_u32(c, (uint32_t)g->max_batch);
    put_u32(c, g->seed);
    put_u32(c, (uint32_t)g->channels);
    put_u32(c, (uint32_t)g->height);
    put_u32(c, (uint32_t)g->width);
    for (int k = 0; k < g->n_layers; k++) {
        const nn_layer_spec *s = &net->specs[k];
        put_u32(c, (uint32_t)s->kind);
        put_u32(c, (uint32_t)s->units);
        put_u32(c, (uint32_t)s->act);
        put_u32(c, (uint32_t)s->per_neuron);
        put_f32(c, s->a);
        put_f32(c, s->eps);
        put_u32(c, (uint32_t)s->kernel);
        put_u32(c, (uint32_t)s->stride);
        put_u32(c, (uint32_t)s->pad);
    }
    const nn_optim *o = &net->opt;
    put_u32(c, (uint32_t)o->kind);
    put_f32(c, o->lr);
    put_f32(c, o->beta1);
    put_f32(c, o->beta2);
    put_f32(c, o->delta);
    put_f32(c, o->decay);
    put_f32(c, net->l1);
    put_f32(c, net->l2);
    put_f32(c, net->threshold);
    put_u32(c, (uint32_t)net->init.scheme);
    put_f32(c, net->init.w_const);
    put_f32(c, net->init.b_const);
    for (int s = 0; s < NN_STREAM_COUNT; s++) {
        put_u32(c, net->seeds[s]);
        put_u64(c, net->rng[s].state);
        put_u64(c, net->rng[s].inc);
    }
    put_u64(c, (uint64_t)net->t);
    put_u64(c, (uint64_t)net->opt_t);
    // the epoch in progress, if any: its size, position and the shuffle
    // stream it was drawn from, so a load continues it in the same order
    int mid = (net->epoch_set || net->resume) && net->epoch_pos > 0;
    nn_rng zero = {0, 0};
    put_u32(c, (uint32_t)net->shuffle);
    put_u32(c, mid ? (uint32_t)net->epoch_shuffled : 0u);
    put_u32(c, mid ? (uint32_t)net->epoch_n : 0u);
    put_u32(c, mid ? (uint32_t)net->epoch_pos : 0u);
    put_u64(c, (mid ? net->epoch_rng : zero).state);
    put_u64(c, (mid ? net->epoch_rng : zero).inc);
    put_u32(c, (uint32_t)net->n_params);
    put_floats(c, net->params, net->n_params);
    put_floats(c, net->opt_s, net->n_params);
    put_floats(c, net->opt_r, net->n_params);
    put_u32(c, (uint32_t)net->n_stats);
    put_floats(c, net->stats, net->n_stats);
}

size_t nn_save_size(const nn_net *net)
{
    if (!net)
        return 0;
    cursor c = {0};
    write_net(net, &c);
    return c.len + 4;
}

int nn_save(const nn_net *net, uint8_t *buf, size_t cap, size_t *written)
{
    if (!net || !buf)
        return NN_ERR_NULL;
    size_t need = nn_save_size(net);
    if (cap < need)
        return NN_ERR_SIZE;
    cursor c = {buf, 0, cap, NULL, 0};
    write_net(net, &c);
    put_u32(&c, fnv1a(buf, c.len));
    if (written)
        *written = c.len;
    return NN_OK;
}

static int all_finite(const float *f, int n, float min)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(f[i]) || f[i] < min)
            return 0;
    return 1;
}

/* Everything a file sets besides the arrays, read before anything is built. */
typedef struct {
    nn_optim opt;
    float l1, l2, threshold;
    nn_init init;
    uint32_t seeds[NN_STREAM_COUNT];
    nn_rng rng[NN_STREAM_COUNT];
    int64_t t, opt_t;
    uint32_t shuffle, epoch_shuffled, epoch_n, epoch_pos;
    nn_rng epoch_rng;
} settings;

static void get_settings(cursor *c, uint32_t version, settings *s)
{
    s->opt.kind = (int32_t)get_u32(c);
    s->opt.lr = get_f32(c);
    s->opt.beta1 = get_f32(c);
    s->opt.beta2 = get_f32(c);
    s->opt.delta = get_f32(c);
    s->opt.decay = get_f32(c);
    s->l1 = get_f32(c);
    s->l2 = get_f32(c);
    s->threshold = get_f32(c);
    s->init.scheme = (int32_t)get_u32(c);
    s->init.w_const = get_f32(c);
    s->init.b_const = get_f32(c);
    for (int k = 0; k < NN_STREAM_COUNT; k++) {
        s->seeds[k] = get_u32(c);
        s->rng[k].state = get_u64(c);
        s->rng[k].inc = get_u64(c);
    }
    s->t = (int64_t)get_u64(c);
    s->opt_t = (int64_t)get_u64(c);
    s->shuffle = 1;
    s->epoch_shuffled = s->epoch_n = s->epoch_pos = 0;
    s->epoch_rng = (nn_rng){0, 0};
    if (version >= 2) {
        s->shuffle = get_u32(c);
        s->epoch_shuffled = get_u32(c);
        s->epoch_n = get_u32(c);
        s->epoch_pos = get_u32(c);
        s->epoch_rng.state = get_u64(c);
        s->epoch_rng.inc = get_u64(c);
    }
}

/* The checks of the setters, and what a running net never holds: an even
 * PCG increment (the generator would stick at one value, and nn_rng_below
 * would never return), step counts out of [0, NN_MAX_STEPS] or opt_t > t,
 * an epoch position outside the epoch. */
static int check_settings(const settings *s)
{
    if (nn_opt_validate(&s->opt) != NN_OK)
        return 0;
    if (!isfinite(s->l1) || !isfinite(s->l2) || s->l1 < 0.0f || s->l2 < 0.0f || !isfinite(s->threshold))
        return 0;
    if (s->init.scheme < 0 || s->init.scheme >= NN_INIT_COUNT || !isfinite(s->init.w_const) ||
        !isfinite(s->init.b_const))
        return 0;
    for (int k = 0; k < NN_STREAM_COUNT; k++)
        if (!(s->rng[k].inc & 1u))
            return 0;
    if (s->t < 0 || s->t > NN_MAX_STEPS || s->opt_t < 0 || s->opt_t > s->t)
        return 0;
    if (s->shuffle > 1 || s->epoch_shuffled > 1)
        return 0;
    if (s->epoch_pos == 0)
        return s->epoch_n == 0 && s->epoch_shuffled == 0 && s->epoch_rng.state == 0 && s->epoch_rng.inc == 0;
    return s->epoch_n <= INT32_MAX && s->epoch_pos < s->epoch_n && (s->epoch_rng.inc & 1u);
}

nn_net *nn_load(const uint8_t *buf, size_t len, int *status)
{
    int dummy;
    if (!status)
        status = &dummy;
    *status = NN_ERR_FORMAT;
    nn_set_error_layer(-1, NULL, 0, 0, 0);
    if (!buf) {
        *status = NN_ERR_NULL;
        return NULL;
    }
    if (len < 12 || fnv1a(buf, len - 4) != (buf[len - 4] | (uint32_t)buf[len - 3] << 8 |
                                            (uint32_t)buf[len - 2] << 16 | (uint32_t)buf[len - 1] << 24))
        return NULL;
    cursor c = {NULL, 0, len - 4, buf, 0};
    uint32_t version = 0;
    if (get_u32(&c) != MAGIC)
        return NULL;
    version = get_u32(&c);
    if (version < 1 || version > VERSION) {
        nn_set_error_version(version);
        return NULL;
    }
    nn_config cfg = {0};
    cfg.n_in = (int32_t)get_u32(&c);
    cfg.n_layers = (int32_t)get_u32(&c);
    cfg.output = (int32_t)get_u32(&c);
    cfg.loss = (int32_t)get_u32(&c);
    cfg.max_batch = (int32_t)get_u32(&c);
    cfg.seed = get_u32(&c);
    if (version >= 3) {
        cfg.channels = (int32_t)get_u32(&c);
        cfg.height = (int32_t)get_u32(&c);
        cfg.width = (int32_t)get_u32(&c);
    }
    if (c.bad || cfg.n_layers < 1 || cfg.n_layers > NN_MAX_LAYERS ||
        (size_t)cfg.n_layers > (len - c.len) / SPEC_BYTES(version))
        return NULL;
    nn_layer_spec specs[NN_MAX_LAYERS] = {{0}};
    for (int k = 0; k < cfg.n_layers; k++) {
        specs[k].kind = (int32_t)get_u32(&c);
        specs[k].units = (int32_t)get_u32(&c);
        specs[k].act = (int32_t)get_u32(&c);
        specs[k].per_neuron = (int32_t)get_u32(&c);
        specs[k].a = get_f32(&c);
        specs[k].eps = get_f32(&c);
        if (version >= 3) {
            specs[k].kernel = (int32_t)get_u32(&c);
            specs[k].stride = (int32_t)get_u32(&c);
            specs[k].pad = (int32_t)get_u32(&c);
        }
    }
    cfg.layers = specs;
    settings set;
    get_settings(&c, version, &set);
    // the specs fix every count: the rest of the file must be exactly the
    // arrays they imply, and the net must fit the memory a load may take
    nn_plan_sizes sz;
    if (c.bad || nn_plan(&cfg, &sz) != NN_OK || !check_settings(&set))
        return NULL;
    uint64_t rest = 4 + 12 * (uint64_t)sz.n_params + 4 + 4 * (uint64_t)sz.n_stats;
    if (rest != (uint64_t)(len - 4 - c.len))
        return NULL;
    if (sz.bytes > NN_LOAD_MAX_BYTES) {
        *status = NN_ERR_SIZE;
        return NULL;
    }
    int rc;
    nn_net *net = nn_create(&cfg, &rc);
    if (!net) {
        *status = rc == NN_ERR_NOMEM ? NN_ERR_NOMEM : NN_ERR_FORMAT;
        return NULL;
    }
    nn_set_optimizer(net, &set.opt);
    net->l1 = set.l1;
    net->l2 = set.l2;
    net->threshold = set.threshold;
    net->init = set.init;
    for (int k = 0; k < NN_STREAM_COUNT; k++) {
        net->seeds[k] = set.seeds[k];
        net->rng[k] = set.rng[k];
    }
    net->t = set.t;
    net->opt_t = set.opt_t;
    net->shuffle = (int)set.shuffle;
    net->epoch_shuffled = (int)set.epoch_shuffled;
    net->epoch_n = (int)set.epoch_n;
    net->epoch_pos = (int)set.epoch_pos;
    net->epoch_rng = set.epoch_rng;
    net->resume = set.epoch_pos > 0;
    int ok = get_u32(&c) == (uint32_t)net->n_params;
    get_floats(&c, net->params, net->n_params);
    get_floats(&c, net->opt_s, net->n_params);
    get_floats(&c, net->opt_r, net->n_params);
    ok = ok && get_u32(&c) == (uint32_t)net->n_stats;
    get_floats(&c, net->stats, net->n_stats);
    // squared-gradient sums and averages are never negative or NaN, and may
    // be +inf: a finite gradient's square can overflow in a running net (its
    // update is then 0), so a file may carry that too
    int k = net->opt.kind;
    int squares = k == NN_OPT_ADAGRAD || k == NN_OPT_RMSPROP || k == NN_OPT_ADAM;
    ok = ok && all_finite(net->params, net->n_params, -FLT_MAX) && all_finite(net->opt_s, net->n_params, -FLT_MAX);
    for (int i = 0; ok && i < net->n_params; i++)
        ok = squares ? net->opt_r[i] >= 0.0f : isfinite(net->opt_r[i]);
    // running statistics are values the kind's training can reach
    for (int l = 0; ok && l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        if (L->ops->valid_stats)
            ok = L->ops->valid_stats(net, L);
    }
    if (!ok || c.bad || c.len != len - 4) {
        nn_free(net);
        return NULL;
    }
    *status = NN_OK;
    return net;
}
