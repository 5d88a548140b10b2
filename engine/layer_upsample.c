/* layer_upsample.c: nearest-neighbour upsampling by an integer factor f,
 * per channel: (C, H, W) -> (C, f H, f W), output pixel (y, x) copies input
 * pixel (y / f, x / f). Its gradient sums each f x f block of dy back into
 * the pixel it came from (the transpose of the copy). With a convolution
 * after it, it is how a conv decoder grows a small map back to an image. */
#include "net.h"

#include <string.h>

static int upsample_check(const nn_layer_spec *s)
{
    return s->stride >= 1 && s->stride <= NN_MAX_UNITS ? NN_OK : NN_ERR_SIZE;
}

static int upsample_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)max_batch;
    uint64_t f = (uint64_t)s->stride, h = (uint64_t)in.h * f, w = (uint64_t)in.w * f;
    // each side, and then the whole output, within an int (the net checks the total)
    if (h > INT32_MAX || w > INT32_MAX || (uint64_t)in.c * h * w > INT32_MAX)
        return NN_ERR_SIZE;
    *z = (nn_layer_size){.out = {in.c, (int)h, (int)w}};
    return NN_OK;
}

static void upsample_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)net, (void)train, (void)upd;
    int f = L->spec.stride, W = L->shape_in.w, Wo = L->shape_out.w;
    int rows = L->shape_in.c * L->shape_in.h;   // input rows of one example, all channels
    for (int e = 0; e < B; e++) {
        const float *xe = x + (size_t)e * L->n_in;          // (C, H, W)
        float *oe = L->out + (size_t)e * L->n_out;          // (C, f H, f W)
        for (int r = 0; r < rows; r++) {
            const float *in = xe + (size_t)r * W;
            float *out = oe + (size_t)r * f * Wo;
            for (int ix = 0; ix < W; ix++)
                for (int j = 0; j < f; j++)
                    out[ix * f + j] = in[ix];
            // the other f - 1 output rows of this input row are the same
            for (int j = 1; j < f; j++)
                memcpy(out + (size_t)j * Wo, out, (size_t)Wo * sizeof *out);
        }
    }
}

static void upsample_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)net, (void)x;
    if (!dx)
        return;
    int f = L->spec.stride, W = L->shape_in.w, Wo = L->shape_out.w;
    int rows = L->shape_in.c * L->shape_in.h;
    for (int e = 0; e < B; e++) {
        float *de = dx + (size_t)e * L->n_in;               // (C, H, W)
        const float *ge = dy + (size_t)e * L->n_out;        // (C, f H, f W)
        for (int r = 0; r < rows; r++) {
            float *d = de + (size_t)r * W;
            const float *g = ge + (size_t)r * f * Wo;
            for (int ix = 0; ix < W; ix++) {
                float sum = 0.0f;
                for (int j = 0; j < f; j++)
                    for (int i = 0; i < f; i++)
                        sum += g[(size_t)j * Wo + (size_t)ix * f + i];
                d[ix] = sum;
            }
        }
    }
}

const nn_layer_ops nn_layer_upsample = {
    .name = "upsample",
    .check = upsample_check, .size = upsample_size, .forward = upsample_forward, .backward = upsample_backward,
};
