/* layer_conv.c: 2-D convolution (cross-correlation, as the libraries and the
 * course compute it): C_in -> C_out channels, a square kernel k, stride s,
 * zero padding p; W (C_out, C_in, k, k), one bias per output channel. Each
 * example is unrolled into patches (P, C_in k k), one row per output
 * position, so forward, weight gradient and input gradient are the dense
 * layer's named GEMMs (im2col); backward unrolls again rather than keeping
 * a batch of patches. Weights take the init scheme with fan-in C_in k k and
 * fan-out C_out k k, and the L1/L2 penalties. */
#include "kernels.h"
#include "net.h"

#include <string.h>

/* Scratch in aux: W^T (K, C_out), patches (P, K), a (P, C_out) block and
 * the patches' gradient (P, K), with K = C_in k k and P = H_out W_out. */
#define K_OF(L) ((L)->shape_in.c * (L)->spec.kernel * (L)->spec.kernel)
#define P_OF(L) ((L)->shape_out.h * (L)->shape_out.w)

static int conv_check(const nn_layer_spec *s)
{
    if (s->units < 1 || s->units > NN_MAX_UNITS)
        return NN_ERR_SIZE;
    if (s->kernel < 1 || s->kernel > NN_MAX_UNITS || s->stride < 1 || s->stride > NN_MAX_UNITS || s->pad < 0 ||
        s->pad > NN_MAX_UNITS)
        return NN_ERR_SIZE;
    return NN_OK;
}

/* The output side: floor((n + 2p - k) / s) + 1, or 0 when the kernel does
 * not fit the padded input. Shared with the pools (p = 0). */
int nn_window_side(int n, int k, int s, int p)
{
    int64_t span = (int64_t)n + 2 * (int64_t)p - k;
    return span < 0 ? 0 : (int)(span / s + 1);
}

static int conv_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)max_batch;
    int h = nn_window_side(in.h, s->kernel, s->stride, s->pad), w = nn_window_side(in.w, s->kernel, s->stride, s->pad);
    if (h < 1 || w < 1)
        return NN_ERR_SIZE;
    uint64_t K = (uint64_t)in.c * (uint64_t)s->kernel * (uint64_t)s->kernel, P = (uint64_t)h * (uint64_t)w;
    uint64_t C = (uint64_t)s->units;
    *z = (nn_layer_size){.out = {s->units, h, w}, .w_len = C * K, .b_len = C, .aux = K * C + 2 * P * K + P * C};
    return NN_OK;
}

static void conv_init(nn_net *net, nn_layer *L)
{
    int kk = L->spec.kernel * L->spec.kernel;
    nn_init_weights(net, net->params + L->w_off, L->w_len, (double)L->shape_in.c * kk, (double)L->shape_out.c * kk);
    for (int i = 0; i < L->b_len; i++)
        net->params[L->b_off + i] = net->init.b_const;
}

/* patches (P, K) of one example x (C_in, H, W): row oy W_out + ox holds the
 * window at (oy s - p, ox s - p), channel by channel, zeros outside. */
static void im2col(float *patches, const float *x, const nn_layer *L)
{
    int C = L->shape_in.c, H = L->shape_in.h, W = L->shape_in.w, k = L->spec.kernel;
    int s = L->spec.stride, p = L->spec.pad, Ho = L->shape_out.h, Wo = L->shape_out.w, K = K_OF(L);
    for (int oy = 0; oy < Ho; oy++)
        for (int ox = 0; ox < Wo; ox++) {
            float *row = patches + (size_t)(oy * Wo + ox) * K;
            for (int c = 0; c < C; c++)
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * s - p + ky;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * s - p + kx;
                        int inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
                        *row++ = inside ? x[((size_t)c * H + iy) * W + ix] : 0.0f;
                    }
                }
        }
}

/* dx (C_in, H, W) = the patches' gradient folded back: each entry adds into
 * the pixel it was read from (dx zeroed first). */
static void col2im(float *dx, const float *dpatches, const nn_layer *L)
{
    int C = L->shape_in.c, H = L->shape_in.h, W = L->shape_in.w, k = L->spec.kernel;
    int s = L->spec.stride, p = L->spec.pad, Ho = L->shape_out.h, Wo = L->shape_out.w, K = K_OF(L);
    memset(dx, 0, (size_t)L->n_in * sizeof *dx);
    for (int oy = 0; oy < Ho; oy++)
        for (int ox = 0; ox < Wo; ox++) {
            const float *row = dpatches + (size_t)(oy * Wo + ox) * K;
            for (int c = 0; c < C; c++)
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy * s - p + ky;
                    for (int kx = 0; kx < k; kx++, row++) {
                        int ix = ox * s - p + kx;
                        if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                            dx[((size_t)c * H + iy) * W + ix] += *row;
                    }
                }
        }
}

static void conv_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)train, (void)upd;
    int K = K_OF(L), P = P_OF(L), C = L->shape_out.c;
    const float *W = net->params + L->w_off;    // (C_out, K)
    const float *b = net->params + L->b_off;    // (C_out)
    float *WT = L->aux;                         // (K, C_out)
    float *patches = WT + (size_t)K * C;        // (P, K)
    float *block = patches + (size_t)P * K;     // (P, C_out)
    nn_k_transpose(WT, W, C, K);
    for (int e = 0; e < B; e++) {
        im2col(patches, x + (size_t)e * L->n_in, L);
        // (P, C_out) = patches W^T + b, then channels first: (C_out, P)
        nn_k_xwt_plus_b(block, patches, WT, b, P, K, C);
        nn_k_transpose(L->out + (size_t)e * L->n_out, block, P, C);
    }
}

static void conv_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    int K = K_OF(L), P = P_OF(L), C = L->shape_out.c;
    const float *W = net->params + L->w_off;
    float *dW = net->grads + L->w_off, *db = net->grads + L->b_off;
    float *patches = L->aux + (size_t)K * C;
    float *dyT = patches + (size_t)P * K;       // (P, C_out)
    float *dpatches = dyT + (size_t)P * C;      // (P, K)
    for (int e = 0; e < B; e++) {
        im2col(patches, x + (size_t)e * L->n_in, L);
        nn_k_transpose(dyT, dy + (size_t)e * L->n_out, C, P);
        // dW (C_out, K) += dyT^T patches; db += column sums of dyT
        nn_k_acc_dyt_x(dW, dyT, patches, P, K, C);
        nn_k_colsum(db, dyT, P, C);
        if (dx) {
            nn_k_dy_w(dpatches, dyT, W, P, K, C);
            col2im(dx + (size_t)e * L->n_in, dpatches, L);
        }
    }
}

const nn_layer_ops nn_layer_conv = {
    .name = "conv",
    .check = conv_check, .size = conv_size, .init = conv_init,
    .forward = conv_forward, .backward = conv_backward, .penalised = 1,
};
