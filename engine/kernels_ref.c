/* kernels_ref.c: the scalar twins of engine/kernels.c. They define what each
 * kernel computes, serve the SIMD=0 build, finish the tails of the SIMD loops
 * and are what tests/test_kernels.c compares the SIMD kernels against.
 * Every expression mirrors its SIMD counterpart operation for operation. */
#include "kernels.h"
#include "nn.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- exp, tanh, sigmoid ------------------------------------------------- */

#define EXP_HI 88.0f
#define EXP_LO (-87.0f)

float nn_k_expf(float x)
{
    if (x != x)
        return x;
    // pmin/pmax order: the SIMD twin keeps NaN the same way
    x = (EXP_HI < x) ? EXP_HI : x;
    x = (x < EXP_LO) ? EXP_LO : x;
    float fx = floorf(x * 1.44269504088896341f + 0.5f);
    float r = x - fx * 0.693359375f;
    r = r - fx * -2.12194440e-4f;
    float z = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * z + r;
    p = p + 1.0f;
    int32_t bits = ((int32_t)fx + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

float nn_k_tanhf(float x)
{
    float ax = fabsf(x);
    if (ax < 0.625f) {
        // Cephes odd polynomial: no cancellation near 0
        float z = x * x;
        float p = -5.70498872745e-3f;
        p = p * z + 2.06390887954e-2f;
        p = p * z - 5.37397155531e-2f;
        p = p * z + 1.33314422036e-1f;
        p = p * z - 3.33332819422e-1f;
        return p * z * x + x;
    }
    float e = nn_k_expf(ax + ax);
    float t = 1.0f - 2.0f / (e + 1.0f);
    return copysignf(t, x);
}

float nn_k_sigmoidf(float x)
{
    return 1.0f / (1.0f + nn_k_expf(-x));
}

void nn_k_exp_ref(int n, float *y, const float *x)
{
    for (int i = 0; i < n; i++)
        y[i] = nn_k_expf(x[i]);
}

void nn_k_bytes_ref(int n, float *y, const uint8_t *x, float scale)
{
    for (int i = 0; i < n; i++)
        y[i] = (float)x[i] * scale;
}

/* ---- GEMM and sums ------------------------------------------------------ */

void nn_k_gemm_ref(float *C, const float *A, const float *B, const float *bias,
                   int M, int N, int K, int sam, int sak, int ldb, int ldc, int accumulate)
{
    for (int m = 0; m < M; m++) {
        for (int n = 0; n < N; n++) {
            float c = accumulate ? C[m * ldc + n] : (bias ? bias[n] : 0.0f);
            for (int k = 0; k < K; k++)
                c = c + A[m * sam + k * sak] * B[k * ldb + n];
            C[m * ldc + n] = c;
        }
    }
}

void nn_k_xwt_plus_b_ref(float *out, const float *x, const float *W, float *WT, const float *b, int B,
                         int n_in, int n_out)
{
    (void)WT;   // the twin reads W in place; the sums run in the same k order
    for (int m = 0; m < B; m++)
        for (int n = 0; n < n_out; n++) {
            float c = b ? b[n] : 0.0f;
            for (int k = 0; k < n_in; k++)
                c = c + x[m * n_in + k] * W[n * n_in + k];
            out[m * n_out + n] = c;
        }
}

void nn_k_transpose_ref(float *dst, const float *src, int rows, int cols)
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            dst[c * rows + r] = src[r * cols + c];
}

void nn_k_colsum_ref(float *out, const float *in, int rows, int n)
{
    for (int j = 0; j < n; j++) {
        float s = out[j];
        for (int i = 0; i < rows; i++)
            s = s + in[i * n + j];
        out[j] = s;
    }
}

/* ---- Activations -------------------------------------------------------- */

#define SELU_LAMBDA 1.05070098735548049f
#define SELU_ALPHA 1.67326324235437728f
#define GELU_C 0.79788456080286536f /* sqrt(2/pi) */
#define GELU_K 0.044715f

static float gelu_u(float x)
{
    return GELU_C * (x + GELU_K * (x * x * x));
}

static void linear_f(float *y, const float *x, int n, float a)
{
    (void)a;
    if (y != x)
        memmove(y, x, (size_t)n * sizeof *y);
}
static void linear_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)x, (void)y, (void)a;
    if (dx != dy)
        memmove(dx, dy, (size_t)n * sizeof *dx);
}

static void sigmoid_f(float *y, const float *x, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++)
        y[i] = nn_k_sigmoidf(x[i]);
}
static void sigmoid_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)x, (void)a;
    for (int i = 0; i < n; i++)
        dx[i] = dy[i] * (y[i] * (1.0f - y[i]));
}

static void tanh_f(float *y, const float *x, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++)
        y[i] = nn_k_tanhf(x[i]);
}
static void tanh_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)x, (void)a;
    for (int i = 0; i < n; i++)
        dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

static void relu_f(float *y, const float *x, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
static void relu_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)y, (void)a;
    for (int i = 0; i < n; i++)
        dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

static void leaky_f(float *y, const float *x, int n, float a)
{
    for (int i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : a * x[i];
}
static void leaky_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)y;
    for (int i = 0; i < n; i++)
        dx[i] = x[i] > 0.0f ? dy[i] : a * dy[i];
}

static void elu_f(float *y, const float *x, int n, float a)
{
    for (int i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : a * (nn_k_expf(x[i]) - 1.0f);
}
static void elu_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    for (int i = 0; i < n; i++)
        dx[i] = x[i] > 0.0f ? dy[i] : dy[i] * (y[i] + a);
}

static void gelu_f(float *y, const float *x, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++)
        y[i] = 0.5f * x[i] * (1.0f + nn_k_tanhf(gelu_u(x[i])));
}
static void gelu_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)y, (void)a;
    for (int i = 0; i < n; i++) {
        float t = nn_k_tanhf(gelu_u(x[i]));
        float du = GELU_C * (1.0f + (3.0f * GELU_K) * (x[i] * x[i]));
        float d = 0.5f * (1.0f + t) + (0.5f * x[i]) * ((1.0f - t * t) * du);
        dx[i] = dy[i] * d;
    }
}

static void swish_f(float *y, const float *x, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++)
        y[i] = x[i] * nn_k_sigmoidf(x[i]);
}
static void swish_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++) {
        float s = nn_k_sigmoidf(x[i]);
        dx[i] = dy[i] * (s + y[i] * (1.0f - s));
    }
}

static void selu_f(float *y, const float *x, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? SELU_LAMBDA * x[i]
                           : (SELU_LAMBDA * SELU_ALPHA) * (nn_k_expf(x[i]) - 1.0f);
}
static void selu_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    (void)a;
    for (int i = 0; i < n; i++)
        dx[i] = x[i] > 0.0f ? SELU_LAMBDA * dy[i] : dy[i] * (y[i] + SELU_LAMBDA * SELU_ALPHA);
}

const nn_k_act nn_k_acts_ref[NN_ACT_COUNT] = {
    [NN_ACT_LINEAR] = {linear_f, linear_b},
    [NN_ACT_SIGMOID] = {sigmoid_f, sigmoid_b},
    [NN_ACT_TANH] = {tanh_f, tanh_b},
    [NN_ACT_RELU] = {relu_f, relu_b},
    [NN_ACT_LEAKY_RELU] = {leaky_f, leaky_b},
    [NN_ACT_PRELU] = {NULL, NULL},
    [NN_ACT_ELU] = {elu_f, elu_b},
    [NN_ACT_GELU] = {gelu_f, gelu_b},
    [NN_ACT_SWISH] = {swish_f, swish_b},
    [NN_ACT_SELU] = {selu_f, selu_b},
    [NN_ACT_SOFTMAX] = {NULL, NULL},
};

/* ---- Optimisers and friends --------------------------------------------- */

void nn_k_sgd_ref(int n, float *p, const float *g, float lr)
{
    for (int i = 0; i < n; i++)
        p[i] = p[i] - lr * g[i];
}

void nn_k_momentum_ref(int n, float *p, const float *g, float *v, float lr, float alpha)
{
    for (int i = 0; i < n; i++) {
        v[i] = alpha * v[i] - lr * g[i];
        p[i] = p[i] + v[i];
    }
}

void nn_k_adagrad_ref(int n, float *p, const float *g, float *r, float lr, float delta)
{
    for (int i = 0; i < n; i++) {
        r[i] = r[i] + g[i] * g[i];
        p[i] = p[i] - (lr / (delta + sqrtf(r[i]))) * g[i];
    }
}

void nn_k_rmsprop_ref(int n, float *p, const float *g, float *r, float lr, float rho, float delta)
{
    for (int i = 0; i < n; i++) {
        r[i] = rho * r[i] + (1.0f - rho) * (g[i] * g[i]);
        p[i] = p[i] - (lr / sqrtf(delta + r[i])) * g[i];
    }
}

void nn_k_adam_ref(int n, float *p, const float *g, float *s, float *r, float lr,
                   float b1, float b2, float delta, float bc1, float bc2)
{
    for (int i = 0; i < n; i++) {
        s[i] = b1 * s[i] + (1.0f - b1) * g[i];
        r[i] = b2 * r[i] + (1.0f - b2) * (g[i] * g[i]);
        float sh = s[i] / bc1;
        float rh = r[i] / bc2;
        p[i] = p[i] - lr * (sh / (sqrtf(rh) + delta));
    }
}

void nn_k_penalty_ref(int n, float *g, const float *w, float l1, float l2)
{
    for (int i = 0; i < n; i++) {
        float sign = w[i] > 0.0f ? 1.0f : (w[i] < 0.0f ? -1.0f : 0.0f);
        g[i] = g[i] + (l1 * sign + l2 * w[i]);
    }
}

void nn_k_axpy_ref(int n, float *y, float a, const float *x)
{
    for (int i = 0; i < n; i++)
        y[i] = y[i] + a * x[i];
}

void nn_k_mul_ref(int n, float *y, const float *x, const float *m)
{
    for (int i = 0; i < n; i++)
        y[i] = x[i] * m[i];
}
