/* io.c: saving a net to bytes and loading it back. The format is
 * little-endian: "NNPL", version, the config and layer specs, optimiser,
 * regularisation, init, seeds and random states, step counts, then the
 * parameters, optimiser state and BN statistics, and an FNV-1a checksum of
 * everything before it. Floats are stored as their bits: a round trip is exact. */
#include "net.h"

#include <string.h>

#define MAGIC 0x4C504E4Eu /* "NNPL" */
#define VERSION 1u

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
    for (int k = 0; k < g->n_layers; k++) {
        const nn_layer_spec *s = &net->specs[k];
        put_u32(c, (uint32_t)s->kind);
        put_u32(c, (uint32_t)s->units);
        put_u32(c, (uint32_t)s->act);
        put_u32(c, (uint32_t)s->per_neuron);
        put_f32(c, s->a);
        put_f32(c, s->eps);
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

nn_net *nn_load(const uint8_t *buf, size_t len, int *status)
{
    int dummy;
    if (!status)
        status = &dummy;
    *status = NN_ERR_FORMAT;
    if (!buf) {
        *status = NN_ERR_NULL;
        return NULL;
    }
    if (len < 12 || fnv1a(buf, len - 4) != (buf[len - 4] | (uint32_t)buf[len - 3] << 8 |
                                            (uint32_t)buf[len - 2] << 16 | (uint32_t)buf[len - 1] << 24))
        return NULL;
    cursor c = {NULL, 0, len - 4, buf, 0};
    if (get_u32(&c) != MAGIC || get_u32(&c) != VERSION)
        return NULL;
    nn_config cfg;
    cfg.n_in = (int32_t)get_u32(&c);
    cfg.n_layers = (int32_t)get_u32(&c);
    cfg.output = (int32_t)get_u32(&c);
    cfg.loss = (int32_t)get_u32(&c);
    cfg.max_batch = (int32_t)get_u32(&c);
    cfg.seed = get_u32(&c);
    // each spec takes 24 bytes: refuse counts the buffer cannot hold
    if (c.bad || cfg.n_layers < 1 || (size_t)cfg.n_layers > (len - c.len) / 24)
        return NULL;
    nn_layer_spec specs[256];
    if (cfg.n_layers > 256)
        return NULL;
    for (int k = 0; k < cfg.n_layers; k++) {
        specs[k].kind = (int32_t)get_u32(&c);
        specs[k].units = (int32_t)get_u32(&c);
        specs[k].act = (int32_t)get_u32(&c);
        specs[k].per_neuron = (int32_t)get_u32(&c);
        specs[k].a = get_f32(&c);
        specs[k].eps = get_f32(&c);
    }
    cfg.layers = specs;
    if (c.bad)
        return NULL;
    int rc;
    nn_net *net = nn_create(&cfg, &rc);
    if (!net) {
        *status = rc == NN_ERR_NOMEM ? NN_ERR_NOMEM : NN_ERR_FORMAT;
        return NULL;
    }
    nn_optim o;
    o.kind = (int32_t)get_u32(&c);
    o.lr = get_f32(&c);
    o.beta1 = get_f32(&c);
    o.beta2 = get_f32(&c);
    o.delta = get_f32(&c);
    o.decay = get_f32(&c);
    float l1 = get_f32(&c), l2 = get_f32(&c), th = get_f32(&c);
    nn_init init;
    init.scheme = (int32_t)get_u32(&c);
    init.w_const = get_f32(&c);
    init.b_const = get_f32(&c);
    int ok = !c.bad && nn_set_optimizer(net, &o) == NN_OK &&
             nn_set_regularization(net, l1, l2) == NN_OK && nn_set_threshold(net, th) == NN_OK &&
             init.scheme >= 0 && init.scheme < NN_INIT_COUNT;
    net->init = init;
    for (int s = 0; s < NN_STREAM_COUNT; s++) {
        net->seeds[s] = get_u32(&c);
        net->rng[s].state = get_u64(&c);
        net->rng[s].inc = get_u64(&c);
    }
    net->t = (int64_t)get_u64(&c);
    net->opt_t = (int64_t)get_u64(&c);
    ok = ok && get_u32(&c) == (uint32_t)net->n_params;
    get_floats(&c, net->params, net->n_params);
    get_floats(&c, net->opt_s, net->n_params);
    get_floats(&c, net->opt_r, net->n_params);
    ok = ok && get_u32(&c) == (uint32_t)net->n_stats;
    get_floats(&c, net->stats, net->n_stats);
    if (!ok || c.bad || c.len != len - 4) {
        nn_free(net);
        return NULL;
    }
    *status = NN_OK;
    return net;
}
