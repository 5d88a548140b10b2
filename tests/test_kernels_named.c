/* test_kernels_named.c: the GEMM calls named for the layers' use
 * (nn_k_xwt_plus_b, nn_k_acc_dyt_x, nn_k_dy_w for dense layers, nn_k_acc_ab
 * and nn_k_atb for convolutions) against their scalar twins,
 * bit for bit, and against float64 sums, over sizes that cover the 4x8
 * register block and every tail. */
#include "kernels.h"

#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 12345;

static float rnd(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (float)(seed >> 8) / 16777216.0f * 2.0f - 1.0f;
}

static void fill(float *a, int n)
{
    for (int i = 0; i < n; i++)
        a[i] = rnd();
}

/* The dense forward at the sizes of the packed path (W read as W^T while
 * packed: rows a multiple of 4, at least 32) and just off it (W^T written to
 * the scratch first): bit for bit against the twin, and every output within
 * the float bound K u sum|x w| (u = 2^-24) of its float64 sum. */
static void packed_forward(void)
{
    static const int shapes[][3] = {{32, 32, 128}, {36, 784, 120}, {64, 784, 120}, {64, 120, 80},
                                    {66, 784, 120}, {40, 100, 129}, {48, 37, 133}, {2000, 784, 16}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int B = shapes[s][0], n_in = shapes[s][1], n_out = shapes[s][2];
        float *x = malloc(sizeof(float) * (size_t)B * n_in), *w = malloc(sizeof(float) * (size_t)n_out * n_in);
        float *wt = malloc(sizeof(float) * (size_t)n_out * n_in), *b = malloc(sizeof(float) * (size_t)n_out);
        float *o1 = malloc(sizeof(float) * (size_t)B * n_out), *o2 = malloc(sizeof(float) * (size_t)B * n_out);
        CHECK(x && w && wt && b && o1 && o2, "out of memory");
        if (!(x && w && wt && b && o1 && o2))
            return;
        fill(x, B * n_in);
        fill(w, n_out * n_in);
        fill(b, n_out);
        nn_k_xwt_plus_b(o1, x, w, wt, b, B, n_in, n_out);
        nn_k_xwt_plus_b_ref(o2, x, w, wt, b, B, n_in, n_out);
        CHECK(memcmp(o1, o2, sizeof(float) * (size_t)B * n_out) == 0, "xwt_plus_b %d %d %d", B, n_in, n_out);
        int bad = 0;
        for (int i = 0; i < B; i++)
            for (int j = 0; j < n_out; j++) {
                double sum = b[j], mag = fabs(b[j]);
                for (int k = 0; k < n_in; k++) {
                    sum += (double)x[i * n_in + k] * w[j * n_in + k];
                    mag += fabs((double)x[i * n_in + k] * w[j * n_in + k]);
                }
                bad += fabs(o1[i * n_out + j] - sum) > (n_in + 1) * 0x1p-24 * mag;
            }
        CHECK(bad == 0, "xwt_plus_b %d %d %d: %d outputs outside the float bound", B, n_in, n_out, bad);
        free(x), free(w), free(wt), free(b), free(o1), free(o2);
    }
}

int main(void)
{
    enum { MAX = 23 };
    static float x[MAX * MAX], w[MAX * MAX], wt[MAX * MAX], b[MAX], dy[MAX * MAX];
    static float o1[MAX * MAX], o2[MAX * MAX];
    double worst = 0.0;
    for (int B = 1; B <= MAX; B += 3)
        for (int n_in = 1; n_in <= MAX; n_in += 2)
            for (int n_out = 1; n_out <= MAX; n_out += 4) {
                fill(x, B * n_in);
                fill(w, n_out * n_in);
                fill(b, n_out);
                fill(dy, B * n_out);
                // forward: out = x W^T + b
                nn_k_xwt_plus_b(o1, x, w, wt, b, B, n_in, n_out);
                nn_k_xwt_plus_b_ref(o2, x, w, wt, b, B, n_in, n_out);
                CHECK(memcmp(o1, o2, sizeof(float) * (size_t)(B * n_out)) == 0, "xwt_plus_b %d %d %d", B, n_in, n_out);
                for (int i = 0; i < B; i++)
                    for (int j = 0; j < n_out; j++) {
                        double s = b[j];
                        for (int k = 0; k < n_in; k++)
                            s += (double)x[i * n_in + k] * w[j * n_in + k];
                        double e = fabs(o2[i * n_out + j] - s);
                        worst = e > worst ? e : worst;
                    }
                // dW += dy^T x, from a non-zero start
                fill(o1, n_out * n_in);
                memcpy(o2, o1, sizeof(float) * (size_t)(n_out * n_in));
                float start = o1[0];
                nn_k_acc_dyt_x(o1, dy, x, B, n_in, n_out);
                nn_k_acc_dyt_x_ref(o2, dy, x, B, n_in, n_out);
                CHECK(memcmp(o1, o2, sizeof(float) * (size_t)(n_out * n_in)) == 0, "acc_dyt_x %d %d %d", B, n_in, n_out);
                double s0 = start;
                for (int i = 0; i < B; i++)
                    s0 += (double)dy[i * n_out] * x[i * n_in];
                worst = fabs(o2[0] - s0) > worst ? fabs(o2[0] - s0) : worst;
                // dx = dy W
                nn_k_dy_w(o1, dy, w, B, n_in, n_out);
                nn_k_dy_w_ref(o2, dy, w, B, n_in, n_out);
                CHECK(memcmp(o1, o2, sizeof(float) * (size_t)(B * n_in)) == 0, "dy_w %d %d %d", B, n_in, n_out);
                double s1 = 0.0;
                for (int j = 0; j < n_out; j++)
                    s1 += (double)dy[j] * w[j * n_in];
                worst = fabs(o2[0] - s1) > worst ? fabs(o2[0] - s1) : worst;
            }
    // the convolution's: C += A B and C = A^T B, against their twins and float64
    for (int M = 1; M <= MAX; M += 5)
        for (int K = 1; K <= MAX; K += 4)
            for (int N = 1; N <= MAX; N += 3) {
                fill(x, M * K);
                fill(w, K * N);
                fill(o1, M * N);
                memcpy(o2, o1, sizeof(float) * (size_t)(M * N));
                double s = o1[0];
                for (int k = 0; k < K; k++)
                    s += (double)x[k] * w[k * N];
                nn_k_acc_ab(o1, x, w, M, K, N);
                nn_k_acc_ab_ref(o2, x, w, M, K, N);
                CHECK(memcmp(o1, o2, sizeof(float) * (size_t)(M * N)) == 0, "acc_ab %d %d %d", M, K, N);
                worst = fabs(o2[0] - s) > worst ? fabs(o2[0] - s) : worst;
                // A (K, M): x read as K rows of M
                nn_k_atb(o1, x, w, M, K, N);
                nn_k_atb_ref(o2, x, w, M, K, N);
                CHECK(memcmp(o1, o2, sizeof(float) * (size_t)(M * N)) == 0, "atb %d %d %d", M, K, N);
                double t = 0.0;
                for (int k = 0; k < K; k++)
                    t += (double)x[k * M] * w[k * N];
                worst = fabs(o2[0] - t) > worst ? fabs(o2[0] - t) : worst;
            }
    // sums of at most 24 products of values in [-1, 1], in float
    CHECK(worst <= 1e-5, "named GEMMs against float64: worst error %g", worst);
    packed_forward();
    CHECK_DONE();
}
