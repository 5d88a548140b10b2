/* test_kernels.c: every SIMD kernel of engine/kernels.c against its scalar
 * twin in engine/kernels_ref.c (bit for bit, memcmp, at sizes that exercise
 * the 4- and 8-wide loops and their tails), then the twins against float64
 * truth: gemm, colsum and the optimiser kernels, expf/tanhf/sigmoidf over
 * their range, activation values and derivatives, NaN and huge inputs. */
#include "check.h"
#include "kernels.h"
#include "nn.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const int sizes[] = {1, 3, 4, 5, 8, 17, 64, 127};
#define N_SIZES ((int)(sizeof sizes / sizeof sizes[0]))
#define SWEEP_MAX 200000

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

// splitmix64: a deterministic stream, independent of the engine's PCG
static double uniform(double lo, double hi)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return lo + (hi - lo) * (double)(z >> 11) * 0x1.0p-53;
}

static void fill(float *v, int n, double lo, double hi)
{
    for (int i = 0; i < n; i++)
        v[i] = (float)uniform(lo, hi);
}

// Values in [-6, 6] with the branch points of the kernels mixed in.
static void fill_special(float *v, int n)
{
    static const float sp[] = {0.0f, -0.0f, 0.625f, -0.625f, 0.62499994f, -0.62500006f,
                               1e-8f, -1e-8f, 6.0f, -6.0f, 12.0f, -15.0f, 1.0f, -1.0f};
    fill(v, n, -6.0, 6.0);
    for (int i = 0; i < n; i++)
        if (i % 3 == 1)
            v[i] = sp[(i / 3) % (int)(sizeof sp / sizeof sp[0])];
}

static float *falloc(size_t n)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static int same(const float *a, const float *b, int n)
{
    return memcmp(a, b, (size_t)n * sizeof *a) == 0;
}

static double max_gemm_rel = 0.0, max_exp_rel = 0.0, max_tanh_abs = 0.0, max_tanh_rel = 0.0;
static double max_sig_rel = 0.0, max_act_err = 0.0, max_der_err = 0.0, max_opt_rel = 0.0;

/* ---- GEMM and colsum ----------------------------------------------------- */

// mode 0: zero init, 1: bias, 2: accumulate, 3: accumulate with a bias to ignore
static void gemm_case(int M, int N, int K, int trans, int mode, int pad)
{
    int lda = (trans ? M : K) + pad, ldb = N + (pad + 1) % 4, ldc = N + (pad + 2) % 4;
    int sam = trans ? 1 : lda, sak = trans ? lda : 1;
    // exact sizes, so ASan catches a kernel reading past the last element
    size_t na = trans ? (size_t)(K - 1) * lda + M : (size_t)(M - 1) * lda + K;
    size_t nb = (size_t)(K - 1) * ldb + N, nc = (size_t)(M - 1) * ldc + N;
    float *A = falloc(na), *B = falloc(nb), *bias = falloc((size_t)N);
    float *C0 = falloc(nc), *C1 = falloc(nc), *C2 = falloc(nc);
    fill(A, (int)na, -2.0, 2.0);
    fill(B, (int)nb, -2.0, 2.0);
    fill(bias, N, -1.0, 1.0);
    fill(C0, (int)nc, -3.0, 3.0);
    memcpy(C1, C0, nc * sizeof *C0);
    memcpy(C2, C0, nc * sizeof *C0);
    const float *bp = mode == 0 || mode == 2 ? NULL : bias;
    int acc = mode >= 2;
    nn_k_gemm(C1, A, B, bp, M, N, K, sam, sak, ldb, ldc, acc);
    nn_k_gemm_ref(C2, A, B, bp, M, N, K, sam, sak, ldb, ldc, acc);
    CHECK(same(C1, C2, (int)nc), "gemm M=%d N=%d K=%d trans=%d mode=%d: SIMD != twin",
          M, N, K, trans, mode);
    // float64 truth; error relative to sum |terms| is at most about K * 2^-24
    double worst = 0.0;
    int pad_ok = 1;
    for (int m = 0; m < M; m++) {
        for (int n = 0; n < ldc && (size_t)m * ldc + n < nc; n++) {
            size_t at = (size_t)m * ldc + n;
            if (n >= N) {
                pad_ok &= C2[at] == C0[at];
                continue;
            }
            double init = acc ? C0[at] : (bp ? bp[n] : 0.0);
            double s = init, mag = fabs(init);
            for (int k = 0; k < K; k++) {
                double t = (double)A[m * sam + k * sak] * B[k * ldb + n];
                s += t;
                mag += fabs(t);
            }
            double rel = fabs(C2[at] - s) / (mag > 0.0 ? mag : 1.0);
            worst = rel > worst ? rel : worst;
        }
    }
    max_gemm_rel = worst > max_gemm_rel ? worst : max_gemm_rel;
    CHECK(worst <= 1e-5, "gemm_ref M=%d N=%d K=%d trans=%d mode=%d: rel err %g", M, N, K,
          trans, mode, worst);
    CHECK(pad_ok, "gemm M=%d N=%d K=%d wrote into the row padding of C", M, N, K);
    free(A), free(B), free(bias), free(C0), free(C1), free(C2);
}

static void test_gemm(void)
{
    int c = 0;
    for (int i = 0; i < N_SIZES; i++)
        for (int j = 0; j < N_SIZES; j++)
            for (int k = 0; k < N_SIZES; k++)
                for (int trans = 0; trans < 2; trans++, c++)
                    gemm_case(sizes[i], sizes[j], sizes[k], trans, c % 4, c % 3);
}

static void test_colsum(void)
{
    for (int i = 0; i < N_SIZES; i++)
        for (int j = 0; j < N_SIZES; j++) {
            int rows = sizes[i], n = sizes[j];
            float *in = falloc((size_t)rows * n), *o0 = falloc((size_t)n);
            float *o1 = falloc((size_t)n), *o2 = falloc((size_t)n);
            fill(in, rows * n, -3.0, 3.0);
            fill(o0, n, -1.0, 1.0);
            memcpy(o1, o0, (size_t)n * sizeof *o0);
            memcpy(o2, o0, (size_t)n * sizeof *o0);
            nn_k_colsum(o1, in, rows, n);
            nn_k_colsum_ref(o2, in, rows, n);
            CHECK(same(o1, o2, n), "colsum rows=%d n=%d: SIMD != twin", rows, n);
            double worst = 0.0;
            for (int c = 0; c < n; c++) {
                double s = o0[c], mag = fabs(o0[c]);
                for (int r = 0; r < rows; r++)
                    s += in[r * n + c], mag += fabs(in[r * n + c]);
                double rel = fabs(o2[c] - s) / mag;
                worst = rel > worst ? rel : worst;
            }
            CHECK(worst <= 1e-5, "colsum_ref rows=%d n=%d: rel err %g", rows, n, worst);
            free(in), free(o0), free(o1), free(o2);
        }
}
