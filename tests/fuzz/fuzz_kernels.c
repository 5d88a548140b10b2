/* fuzz_kernels.c: every SIMD kernel of engine/kernels.c against its scalar
 * twin in engine/kernels_ref.c, on fuzzed sizes (every tail length), strides
 * and float bits (NaN, infinities, denormals, -0 included): the outputs must
 * be the same bits (NaNs may differ in payload only). Built with NN_SIMD=1. */
#include "kernels.h"
#include "nn.h"

#include "fuzz.h"

#define MAXN 300

static float A[MAXN * 2], B[MAXN * 2], C[MAXN * 2], D[MAXN * 2];

static void fill(fz_reader *r, float *v, int n, int raw)
{
    for (int i = 0; i < n; i++)
        v[i] = raw ? fz_raw_f32(r) : fz_f32(r, -4.0f, 4.0f);
}

/* The optimiser kernels: p, s, r updated in place from copies. */
static void optimizers(fz_reader *r, int which, int n, int raw)
{
    float p[2][MAXN], s[2][MAXN], q[2][MAXN], g[MAXN];
    fill(r, p[0], n, raw);
    fill(r, s[0], n, raw);
    fill(r, q[0], n, raw);
    fill(r, g, n, raw);
    for (int i = 0; i < n; i++)
        q[0][i] = fabsf(q[0][i]);
    memcpy(p[1], p[0], sizeof p[0]);
    memcpy(s[1], s[0], sizeof s[0]);
    memcpy(q[1], q[0], sizeof q[0]);
    float lr = fz_f32(r, 0.0f, 1.0f), b1 = fz_f32(r, 0.0f, 0.999f), b2 = fz_f32(r, 0.0f, 0.999f);
    float d = fz_f32(r, 0.0f, 1e-3f), bc1 = fz_f32(r, 0.01f, 1.0f), bc2 = fz_f32(r, 0.001f, 1.0f);
    switch (which) {
    case 0: nn_k_sgd(n, p[0], g, lr); nn_k_sgd_ref(n, p[1], g, lr); break;
    case 1: nn_k_momentum(n, p[0], g, s[0], lr, b1); nn_k_momentum_ref(n, p[1], g, s[1], lr, b1); break;
    case 2: nn_k_adagrad(n, p[0], g, q[0], lr, d); nn_k_adagrad_ref(n, p[1], g, q[1], lr, d); break;
    case 3: nn_k_rmsprop(n, p[0], g, q[0], lr, b1, d); nn_k_rmsprop_ref(n, p[1], g, q[1], lr, b1, d); break;
    case 4:
        nn_k_adam(n, p[0], g, s[0], q[0], lr, b1, b2, d, bc1, bc2);
        nn_k_adam_ref(n, p[1], g, s[1], q[1], lr, b1, b2, d, bc1, bc2);
        break;
    default: nn_k_penalty(n, p[0], g, lr, b1); nn_k_penalty_ref(n, p[1], g, lr, b1); break;
    }
    FZ_CHECK(fz_same(p[0], p[1], (size_t)n) && fz_same(s[0], s[1], (size_t)n) && fz_same(q[0], q[1], (size_t)n),
             "optimiser kernel %d n=%d: SIMD != twin", which, n);
}

/* The packed GEMM's sizes (rows >= 32, N >= 16, K >= 32, K N >= 4096):
 * nn_k_gemm in every mode and both layouts of A, and the dense forward,
 * which reads W as W^T while packing (rows a multiple of 4) or transposes
 * into its scratch first (other rows), against the twins. */
static void packed(fz_reader *r, int raw)
{
    enum { PM = 41, PN = 40, PK = 300 };
    static float pa[PM * PK], pb[PK * (PN + 2)], pc[2][PM * (PN + 2)], pw[PN * PK], bias[PN];
    int M = 32 + fz_u8(r) % (PM - 31), N = 16 + fz_u8(r) % (PN - 15), K = 32 + fz_u8(r) % (PK - 31);
    if (K * N < 4096)
        K = (4096 + N - 1) / N;
    int trans = fz_u8(r) & 1, mode = fz_u8(r) % 3, ldb = N + fz_u8(r) % 3, ldc = N + fz_u8(r) % 3;
    fill(r, pa, M * K, raw);
    fill(r, pb, K * ldb, raw);
    fill(r, bias, N, raw);
    fill(r, pc[0], M * ldc, raw);
    memcpy(pc[1], pc[0], sizeof pc[0]);
    nn_k_gemm(pc[0], pa, pb, mode == 1 ? bias : NULL, M, N, K, trans ? 1 : K, trans ? M : 1, ldb, ldc, mode == 2);
    nn_k_gemm_ref(pc[1], pa, pb, mode == 1 ? bias : NULL, M, N, K, trans ? 1 : K, trans ? M : 1, ldb, ldc, mode == 2);
    FZ_CHECK(fz_same(pc[0], pc[1], (size_t)(M * ldc)), "packed gemm M=%d N=%d K=%d trans=%d mode=%d", M, N, K,
             trans, mode);
    fill(r, pw, N * K, raw);
    nn_k_xwt_plus_b(pc[0], pa, pw, pb, bias, M, K, N);
    nn_k_xwt_plus_b_ref(pc[1], pa, pw, pb, bias, M, K, N);
    FZ_CHECK(fz_same(pc[0], pc[1], (size_t)(M * N)), "packed xwt_plus_b %d %d %d", M, K, N);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    fz_reader r = {bytes, size, 0};
    uint8_t which = fz_u8(&r) % 16;
    int raw = fz_u8(&r) < 64;
    int n = fz_u8(&r) % MAXN + (fz_u8(&r) & 1);
    switch (which) {
    case 0: { // gemm, every mode, both layouts of A
        int M = 1 + fz_u8(&r) % 13, N = 1 + fz_u8(&r) % 17, K = 1 + fz_u8(&r) % 11;
        int trans = fz_u8(&r) & 1, mode = fz_u8(&r) % 3;
        int lda = trans ? M : K, ldb = N + fz_u8(&r) % 3, ldc = N + fz_u8(&r) % 3;
        fill(&r, A, M * K, raw);
        fill(&r, B, K * ldb, raw);
        fill(&r, D, N, raw);
        fill(&r, C, M * ldc, raw);
        float C2[MAXN * 2];
        memcpy(C2, C, sizeof C2);
        nn_k_gemm(C, A, B, mode == 1 ? D : NULL, M, N, K, trans ? 1 : lda, trans ? lda : 1, ldb, ldc, mode == 2);
        nn_k_gemm_ref(C2, A, B, mode == 1 ? D : NULL, M, N, K, trans ? 1 : lda, trans ? lda : 1, ldb, ldc, mode == 2);
        FZ_CHECK(fz_same(C, C2, (size_t)(M * ldc)), "gemm M=%d N=%d K=%d trans=%d mode=%d", M, N, K, trans, mode);
        break;
    }
    case 1: { // transpose and column sums
        int rows = 1 + fz_u8(&r) % 17, cols = 1 + fz_u8(&r) % 17;
        fill(&r, A, rows * cols, raw);
        nn_k_transpose(B, A, rows, cols);
        nn_k_transpose_ref(C, A, rows, cols);
        FZ_CHECK(memcmp(B, C, (size_t)(rows * cols) * 4) == 0, "transpose %dx%d", rows, cols);
        fill(&r, B, cols, raw);
        memcpy(C, B, (size_t)cols * 4);
        nn_k_colsum(B, A, rows, cols);
        nn_k_colsum_ref(C, A, rows, cols);
        FZ_CHECK(fz_same(B, C, (size_t)cols), "colsum %dx%d", rows, cols);
        break;
    }
    case 2: { // every activation, forward and backward
        int act = fz_u8(&r) % NN_ACT_COUNT;
        if (!nn_k_acts[act].forward)
            break;
        float a = fz_f32(&r, 0.0f, 2.0f), ys[MAXN], yr[MAXN], ds[MAXN], dr[MAXN];
        fill(&r, A, n, raw);
        fill(&r, B, n, raw);
        nn_k_acts[act].forward(ys, A, n, a);
        nn_k_acts_ref[act].forward(yr, A, n, a);
        FZ_CHECK(fz_same(ys, yr, (size_t)n), "act %d forward n=%d a=%g", act, n, a);
        nn_k_acts[act].backward(ds, B, A, ys, n, a);
        nn_k_acts_ref[act].backward(dr, B, A, yr, n, a);
        FZ_CHECK(fz_same(ds, dr, (size_t)n), "act %d backward n=%d a=%g", act, n, a);
        break;
    }
    case 3: // exp
        fill(&r, A, n, raw);
        nn_k_exp(n, B, A);
        nn_k_exp_ref(n, C, A);
        FZ_CHECK(fz_same(B, C, (size_t)n), "exp n=%d", n);
        break;
    case 4: { // bytes to floats
        uint8_t b8[MAXN];
        for (int i = 0; i < n; i++)
            b8[i] = fz_u8(&r);
        float scale = fz_f32(&r, 0.0f, 0.01f);
        nn_k_bytes(n, B, b8, scale);
        nn_k_bytes_ref(n, C, b8, scale);
        FZ_CHECK(fz_same(B, C, (size_t)n), "bytes n=%d", n);
        break;
    }
    case 5: { // axpy and mul
        float a = fz_f32(&r, -2.0f, 2.0f);
        fill(&r, A, n, raw);
        fill(&r, B, n, raw);
        memcpy(C, B, (size_t)n * 4);
        nn_k_axpy(n, B, a, A);
        nn_k_axpy_ref(n, C, a, A);
        FZ_CHECK(fz_same(B, C, (size_t)n), "axpy n=%d", n);
        nn_k_mul(n, C, A, B);
        nn_k_mul_ref(n, D, A, B);
        FZ_CHECK(fz_same(C, D, (size_t)n), "mul n=%d", n);
        break;
    }
    case 15:
        packed(&r, raw);
        break;
    case 14: { // the GEMMs named for the layers' use
        int Bn = 1 + fz_u8(&r) % 13, n_in = 1 + fz_u8(&r) % 11, n_out = 1 + fz_u8(&r) % 17;
        float C2[MAXN * 2];
        fill(&r, A, Bn * n_in, raw);
        fill(&r, B, n_in * n_out, raw);
        fill(&r, D, n_out, raw);
        float WT[MAXN * 2];   // B is W (n_out, n_in); the scratch for W^T
        nn_k_xwt_plus_b(C, A, B, WT, D, Bn, n_in, n_out);
        nn_k_xwt_plus_b_ref(C2, A, B, WT, D, Bn, n_in, n_out);
        FZ_CHECK(fz_same(C, C2, (size_t)(Bn * n_out)), "xwt_plus_b %d %d %d", Bn, n_in, n_out);
        fill(&r, D, Bn * n_out, raw);
        fill(&r, C, n_out * n_in, raw);
        memcpy(C2, C, sizeof(float) * (size_t)(n_out * n_in));
        nn_k_acc_dyt_x(C, D, A, Bn, n_in, n_out);
        nn_k_acc_dyt_x_ref(C2, D, A, Bn, n_in, n_out);
        FZ_CHECK(fz_same(C, C2, (size_t)(n_out * n_in)), "acc_dyt_x %d %d %d", Bn, n_in, n_out);
        nn_k_dy_w(C, D, B, Bn, n_in, n_out);
        nn_k_dy_w_ref(C2, D, B, Bn, n_in, n_out);
        FZ_CHECK(fz_same(C, C2, (size_t)(Bn * n_in)), "dy_w %d %d %d", Bn, n_in, n_out);
        // the convolution's: C (Bn, n_out) += A (Bn, n_in) B (n_in, n_out), and C = A^T B with A (n_in, Bn)
        memcpy(C2, C, sizeof(float) * (size_t)(Bn * n_out));
        nn_k_acc_ab(C, A, B, Bn, n_in, n_out);
        nn_k_acc_ab_ref(C2, A, B, Bn, n_in, n_out);
        FZ_CHECK(fz_same(C, C2, (size_t)(Bn * n_out)), "acc_ab %d %d %d", Bn, n_in, n_out);
        nn_k_atb(C, A, B, Bn, n_in, n_out);
        nn_k_atb_ref(C2, A, B, Bn, n_in, n_out);
        FZ_CHECK(fz_same(C, C2, (size_t)(Bn * n_out)), "atb %d %d %d", Bn, n_in, n_out);
        break;
    }
    default:
        optimizers(&r, which - 6, n < MAXN ? n : MAXN, raw);
        break;
    }
    return 0;
}
