/* layer_dropout.c: inverted dropout. In training each unit is kept with
 * probability 1 - p and scaled by 1/(1-p), the mask drawn from the net's
 * dropout stream and kept for backward; in evaluation it is the identity. */
#include "kernels.h"
#include "net.h"

#include <math.h>
#include <string.h>

static int dropout_check(const nn_layer_spec *s)
{
    return isfinite(s->a) && s->a >= 0.0f && s->a < 1.0f ? NN_OK : NN_ERR_VALUE;
}

static int dropout_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)s;
    uint64_t n = (uint64_t)in.c * (uint64_t)in.h * (uint64_t)in.w;
    *z = (nn_layer_size){.out = in, .aux = (uint64_t)max_batch * n};
    return NN_OK;
}

static void dropout_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)upd;
    int count = B * L->n_out;
    float p = L->spec.a;
    if (!train || p == 0.0f) {
        memcpy(L->out, x, (size_t)count * sizeof *x);
        for (int i = 0; i < count && train; i++)
            L->aux[i] = 1.0f;
        return;
    }
    float keep = 1.0f / (1.0f - p);   // inverted: expectation unchanged, eval is identity
    nn_rng *r = &net->rng[NN_STREAM_DROPOUT];
    for (int i = 0; i < count; i++)
        L->aux[i] = nn_rng_uniform(r) < p ? 0.0f : keep;
    nn_k_mul(count, L->out, x, L->aux);
}

static void dropout_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)net, (void)x;
    if (dx)
        nn_k_mul(B * L->n_out, dx, dy, L->aux);
}

const nn_layer_ops nn_layer_dropout = {
    .name = "dropout",
    .check = dropout_check, .size = dropout_size, .forward = dropout_forward, .backward = dropout_backward,
};
