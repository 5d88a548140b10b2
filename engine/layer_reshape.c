/* layer_reshape.c: the previous layer's values seen as (C, H, W), unchanged
 * in row-major order, so a dense layer's units can feed a convolution (a
 * conv decoder: dense code -> dense -> reshape -> upsample -> conv). The
 * spec holds C in units, H in kernel and W in stride; C H W must equal the
 * input's width. Forward and backward are copies. */
#include "net.h"

#include <string.h>

static int reshape_check(const nn_layer_spec *s)
{
    int ok = s->units >= 1 && s->units <= NN_MAX_UNITS && s->kernel >= 1 && s->kernel <= NN_MAX_UNITS &&
             s->stride >= 1 && s->stride <= NN_MAX_UNITS;
    return ok ? NN_OK : NN_ERR_SIZE;
}

static int reshape_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)max_batch;
    uint64_t want = (uint64_t)in.c * (uint64_t)in.h * (uint64_t)in.w;
    uint64_t got = (uint64_t)s->units * (uint64_t)s->kernel * (uint64_t)s->stride;
    if (got != want)
        return NN_ERR_SIZE;
    *z = (nn_layer_size){.out = {s->units, s->kernel, s->stride}};
    return NN_OK;
}

static void reshape_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)net, (void)train, (void)upd;
    memcpy(L->out, x, (size_t)B * (size_t)L->n_out * sizeof *x);
}

static void reshape_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)net, (void)x;
    if (dx)
        memcpy(dx, dy, (size_t)B * (size_t)L->n_in * sizeof *dx);
}

const nn_layer_ops nn_layer_reshape = {
    .name = "reshape",
    .check = reshape_check, .size = reshape_size, .forward = reshape_forward, .backward = reshape_backward,
};
