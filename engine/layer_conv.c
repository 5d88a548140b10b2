/* layer_conv.c: 2-D convolution (cross-correlation, as the libraries and the
 * course compute it): C_in -> C_out channels, a square kernel k, stride s,
 * zero padding p; W (C_out, C_in, k, k), one bias per output channel. Each
 * example is unrolled (im2col) into a (C_in k k, positions) matrix, one row
 * per kernel tap filled from runs of input rows, so forward, weight gradient
 * and input gradient are GEMMs; backward reuses the forward's unrolled
 * inputs when a batch of them fits 64 MB, and unrolls again otherwise. Weights take the init scheme with fan-in C_in k k and
 * fan-out C_out k k, and the L1/L2 penalties. */
#include "kernels.h"
#include "net.h"

#include <string.h>

/* Scratch in aux, with K = C_in k k and P = H_out W_out: the weight
 * gradient transposed (K, C_out), dy transposed (P, C_out), the unrolled
 * input's gradient (K, P), then the unrolled input (K, P): one example's,
 * or, when a batch of them takes at most CACHE_FLOATS, every example's, kept
 * from forward for backward. */
#define K_OF(L) ((L)->shape_in.c * (L)->spec.kernel * (L)->spec.kernel)
#define P_OF(L) ((L)->shape_out.h * (L)->shape_out.w)
#define CACHE_FLOATS (16u << 20)

/* The unrolled input of example e: kept from forward (cached) or one slot. */
static float *cols_of(const nn_layer *L, int e, int *cached)
{
    uint64_t K = (uint64_t)K_OF(L), P = (uint64_t)P_OF(L), C = (uint64_t)L->shape_out.c;
    float *cols = L->aux + K * C + P * C + K * P;
    *cached = (uint64_t)L->aux_len > K * C + P * C + 2 * K * P;
    return *cached ? cols + (uint64_t)e * K * P : cols;
}

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
    int h = nn_window_side(in.h, s->kernel, s->stride, s->pad), w = nn_window_side(in.w, s->kernel, s->stride, s->pad);
    if (h < 1 || w < 1)
        return NN_ERR_SIZE;
    uint64_t K = (uint64_t)in.c * (uint64_t)s->kernel * (uint64_t)s->kernel, P = (uint64_t)h * (uint64_t)w;
    uint64_t C = (uint64_t)s->units, batch = (uint64_t)max_batch * K * P;
    *z = (nn_layer_size){.out = {s->units, h, w}, .w_len = C * K, .b_len = C,
                         .aux = K * C + P * C + K * P + (batch <= CACHE_FLOATS ? batch : K * P)};
    return NN_OK;
}

static void conv_init(nn_net *net, nn_layer *L)
{
    int kk = L->spec.kernel * L->spec.kernel;
    nn_init_weights(net, net->params + L->w_off, L->w_len, (double)L->shape_in.c * kk, (double)L->shape_out.c * kk);
    for (int i = 0; i < L->b_len; i++)
        net->params[L->b_off + i] = net->init.b_const;
}

/* The output columns ox whose input column ox s - p + kx lies in [0, W):
 * [*lo, *hi). */
static void inside(int W, int Wo, int s, int p, int kx, int *lo, int *hi)
{
    int a = p - kx > 0 ? (p - kx + s - 1) / s : 0, last = W + p - kx - 1;
    int b = last < 0 ? 0 : last / s + 1;
    *hi = b < Wo ? b : Wo;
    *lo = a < *hi ? a : *hi;
}

/* cols (K, P) of one example x (C_in, H, W): row (c k + ky) k + kx holds,
 * for every output position, the input pixel under that kernel tap (zero
 * in the padding), so each row is filled from runs of one input row. */
static void im2col(float *cols, const float *x, const nn_layer *L)
{
    int C = L->shape_in.c, H = L->shape_in.h, W = L->shape_in.w, k = L->spec.kernel;
    int s = L->spec.stride, p = L->spec.pad, Ho = L->shape_out.h, Wo = L->shape_out.w;
    for (int c = 0; c < C; c++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                float *row = cols + (size_t)((c * k + ky) * k + kx) * (size_t)(Ho * Wo);
                int lo, hi;
                inside(W, Wo, s, p, kx, &lo, &hi);
                for (int oy = 0; oy < Ho; oy++, row += Wo) {
                    int iy = oy * s - p + ky;
                    if (iy < 0 || iy >= H) {
                        memset(row, 0, (size_t)Wo * sizeof *row);
                        continue;
                    }
                    const float *in = x + ((size_t)c * H + iy) * W - p + kx;
                    for (int ox = 0; ox < lo; ox++)
                        row[ox] = 0.0f;
                    for (int ox = lo; ox < hi; ox++)
                        row[ox] = in[ox * s];
                    for (int ox = hi; ox < Wo; ox++)
                        row[ox] = 0.0f;
                }
            }
}

/* dx (C_in, H, W) = the unrolled gradient folded back: each entry adds into
 * the pixel it was read from (dx zeroed first). */
static void col2im(float *dx, const float *dcols, const nn_layer *L)
{
    int C = L->shape_in.c, H = L->shape_in.h, W = L->shape_in.w, k = L->spec.kernel;
    int s = L->spec.stride, p = L->spec.pad, Ho = L->shape_out.h, Wo = L->shape_out.w;
    memset(dx, 0, (size_t)L->n_in * sizeof *dx);
    for (int c = 0; c < C; c++)
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                const float *row = dcols + (size_t)((c * k + ky) * k + kx) * (size_t)(Ho * Wo);
                int lo, hi;
                inside(W, Wo, s, p, kx, &lo, &hi);
                for (int oy = 0; oy < Ho; oy++, row += Wo) {
                    int iy = oy * s - p + ky;
                    if (iy < 0 || iy >= H)
                        continue;
                    float *out = dx + ((size_t)c * H + iy) * W - p + kx;
                    for (int ox = lo; ox < hi; ox++)
                        out[ox * s] += row[ox];
                }
            }
}

static void conv_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)train, (void)upd;
    int K = K_OF(L), P = P_OF(L), C = L->shape_out.c;
    const float *W = net->params + L->w_off;    // (C_out, K)
    const float *b = net->params + L->b_off;    // (C_out)
    int cached;
    for (int e = 0; e < B; e++) {
        float *cols = cols_of(L, e, &cached);   // (K, P)
        im2col(cols, x + (size_t)e * L->n_in, L);
        // out (C_out, P) = b + W cols, every sum from its bias in k order
        float *out = L->out + (size_t)e * L->n_out;
        for (int c = 0; c < C; c++)
            for (int q = 0; q < P; q++)
                out[(size_t)c * P + q] = b[c];
        nn_k_acc_ab(out, W, cols, C, K, P);
    }
}

static void conv_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    int K = K_OF(L), P = P_OF(L), C = L->shape_out.c;
    const float *W = net->params + L->w_off;
    float *dW = net->grads + L->w_off, *db = net->grads + L->b_off;
    float *dWT = L->aux;                        // (K, C_out)
    float *dyT = dWT + (size_t)K * C;           // (P, C_out)
    float *dcols = dyT + (size_t)P * C;         // (K, P)
    memset(dWT, 0, (size_t)K * C * sizeof *dWT);
    int cached;
    for (int e = 0; e < B; e++) {
        const float *dye = dy + (size_t)e * L->n_out;    // (C_out, P)
        float *cols = cols_of(L, e, &cached);   // (K, P)
        // the forward of this batch left it there, or it is unrolled again
        if (!cached)
            im2col(cols, x + (size_t)e * L->n_in, L);
        nn_k_transpose(dyT, dye, C, P);
        // dW^T (K, C_out) += cols dy^T; db += the sums of dy over positions
        nn_k_acc_ab(dWT, cols, dyT, K, P, C);
        nn_k_colsum(db, dyT, P, C);
        if (dx) {
            // dcols (K, P) = W^T dy
            nn_k_atb(dcols, W, dye, K, C, P);
            col2im(dx + (size_t)e * L->n_in, dcols, L);
        }
    }
    for (int c = 0; c < C; c++)
        for (int j = 0; j < K; j++)
            dW[(size_t)c * K + j] += dWT[(size_t)j * C + c];
}

const nn_layer_ops nn_layer_conv = {
    .name = "conv",
    .check = conv_check, .size = conv_size, .init = conv_init,
    .forward = conv_forward, .backward = conv_backward, .penalised = 1, .logits = 1,
};
