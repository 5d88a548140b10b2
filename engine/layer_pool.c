/* layer_pool.c: max and average pooling over kernel x kernel windows with a
 * stride, per channel, no padding: (C, H, W) -> (C, H_out, W_out) with the
 * output side floor((n - k) / s) + 1. Max pool remembers, per output, where
 * its maximum was (the first one on ties, reading the window row by row) and
 * routes the gradient there; average pool spreads it evenly. */
#include "net.h"

#include <string.h>

static int pool_check(const nn_layer_spec *s)
{
    if (s->kernel < 1 || s->kernel > NN_MAX_UNITS || s->stride < 1 || s->stride > NN_MAX_UNITS)
        return NN_ERR_SIZE;
    return s->pad == 0 ? NN_OK : NN_ERR_CONFIG;
}

static int pool_shape(const nn_layer_spec *s, nn_shape in, nn_shape *out)
{
    int h = nn_window_side(in.h, s->kernel, s->stride, 0), w = nn_window_side(in.w, s->kernel, s->stride, 0);
    *out = (nn_shape){in.c, h, w};
    return h >= 1 && w >= 1 ? NN_OK : NN_ERR_SIZE;
}

static int maxpool_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    nn_shape out;
    int rc = pool_shape(s, in, &out);
    // aux: the index of each output's maximum in its example, (max_batch, n_out)
    *z = (nn_layer_size){.out = out, .aux = (uint64_t)max_batch * (uint64_t)out.c * (uint64_t)out.h * (uint64_t)out.w};
    return rc;
}

static int avgpool_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)max_batch;
    nn_shape out;
    int rc = pool_shape(s, in, &out);
    *z = (nn_layer_size){.out = out};
    return rc;
}

/* Every window of example e: calls body(window start index, output index). */
#define FOR_WINDOWS(L, body)                                                              \
    do {                                                                                  \
        int C_ = (L)->shape_in.c, H_ = (L)->shape_in.h, W_ = (L)->shape_in.w;             \
        int Ho_ = (L)->shape_out.h, Wo_ = (L)->shape_out.w, s_ = (L)->spec.stride;        \
        for (int c = 0; c < C_; c++)                                                      \
            for (int oy = 0; oy < Ho_; oy++)                                              \
                for (int ox = 0; ox < Wo_; ox++) {                                        \
                    int at = (c * H_ + oy * s_) * W_ + ox * s_, o = (c * Ho_ + oy) * Wo_ + ox; \
                    body;                                                                 \
                }                                                                         \
    } while (0)

static void maxpool_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)net, (void)train, (void)upd;
    int k = L->spec.kernel, W = L->shape_in.w;
    int32_t *arg = (int32_t *)L->aux;   // (B, n_out): aux is this layer's own, read only as int32
    for (int e = 0; e < B; e++) {
        const float *xe = x + (size_t)e * L->n_in;
        float *oe = L->out + (size_t)e * L->n_out;
        int32_t *ae = arg + (size_t)e * L->n_out;
        FOR_WINDOWS(L, {
            int best = at;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    int i = at + ky * W + kx;
                    if (xe[i] > xe[best])
                        best = i;
                }
            oe[o] = xe[best];
            ae[o] = best;
        });
    }
}

static void maxpool_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)net, (void)x;
    if (!dx)
        return;
    const int32_t *arg = (const int32_t *)L->aux;
    memset(dx, 0, (size_t)B * (size_t)L->n_in * sizeof *dx);
    for (int e = 0; e < B; e++)
        for (int o = 0; o < L->n_out; o++)
            dx[(size_t)e * L->n_in + arg[(size_t)e * L->n_out + o]] += dy[(size_t)e * L->n_out + o];
}

static void avgpool_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)net, (void)train, (void)upd;
    int k = L->spec.kernel, W = L->shape_in.w;
    float scale = 1.0f / (float)(k * k);
    for (int e = 0; e < B; e++) {
        const float *xe = x + (size_t)e * L->n_in;
        float *oe = L->out + (size_t)e * L->n_out;
        FOR_WINDOWS(L, {
            float sum = 0.0f;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++)
                    sum += xe[at + ky * W + kx];
            oe[o] = sum * scale;
        });
    }
}

static void avgpool_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)net, (void)x;
    if (!dx)
        return;
    int k = L->spec.kernel, W = L->shape_in.w;
    float scale = 1.0f / (float)(k * k);
    memset(dx, 0, (size_t)B * (size_t)L->n_in * sizeof *dx);
    for (int e = 0; e < B; e++) {
        float *de = dx + (size_t)e * L->n_in;
        const float *ge = dy + (size_t)e * L->n_out;
        FOR_WINDOWS(L, {
            float g = ge[o] * scale;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++)
                    de[at + ky * W + kx] += g;
        });
    }
}

const nn_layer_ops nn_layer_maxpool = {
    .name = "maxpool",
    .check = pool_check, .size = maxpool_size, .forward = maxpool_forward, .backward = maxpool_backward,
};

const nn_layer_ops nn_layer_avgpool = {
    .name = "avgpool",
    .check = pool_check, .size = avgpool_size, .forward = avgpool_forward, .backward = avgpool_backward,
};
