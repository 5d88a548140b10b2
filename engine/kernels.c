/* kernels.c: the SIMD kernels, the only file of the engine that includes
 * SIMDe. Written against the WebAssembly SIMD128 API, which SIMDe maps to
 * native wasm instructions under emcc -msimd128 and to SSE on x86. Each
 * kernel runs 4 lanes at a time and hands its tail to the scalar twin in
 * engine/kernels_ref.c, whose operations it mirrors. NN_SIMD=0 builds use
 * the twins alone (through the names mapped in engine/kernels.h). */
#include "kernels.h"
#include "nn.h"

#if NN_SIMD

#include <simde/wasm/simd128.h>

typedef simde_v128_t v4;

#define LD(p) simde_wasm_v128_load(p)
#define ST(p, v) simde_wasm_v128_store((p), (v))
#define SPLAT(x) simde_wasm_f32x4_splat(x)
#define ADD simde_wasm_f32x4_add
#define SUB simde_wasm_f32x4_sub
#define MUL simde_wasm_f32x4_mul
#define DIV simde_wasm_f32x4_div

/* ---- exp, tanh, sigmoid (mirrors nn_k_expf and friends) ----------------- */

static v4 v_exp(v4 x)
{
    x = simde_wasm_f32x4_pmin(x, SPLAT(88.0f));
    x = simde_wasm_f32x4_pmax(x, SPLAT(-87.0f));
    v4 fx = simde_wasm_f32x4_floor(ADD(MUL(x, SPLAT(1.44269504088896341f)), SPLAT(0.5f)));
    v4 r = SUB(x, MUL(fx, SPLAT(0.693359375f)));
    r = SUB(r, MUL(fx, SPLAT(-2.12194440e-4f)));
    v4 z = MUL(r, r);
    v4 p = SPLAT(1.9875691500e-4f);
    p = ADD(MUL(p, r), SPLAT(1.3981999507e-3f));
    p = ADD(MUL(p, r), SPLAT(8.3334519073e-3f));
    p = ADD(MUL(p, r), SPLAT(4.1665795894e-2f));
    p = ADD(MUL(p, r), SPLAT(1.6666665459e-1f));
    p = ADD(MUL(p, r), SPLAT(5.0000001201e-1f));
    p = ADD(MUL(p, z), r);
    p = ADD(p, SPLAT(1.0f));
    v4 n = simde_wasm_i32x4_trunc_sat_f32x4(fx);
    v4 scale = simde_wasm_i32x4_shl(simde_wasm_i32x4_add(n, simde_wasm_i32x4_splat(127)), 23);
    return MUL(p, scale);
}

static v4 v_tanh(v4 x)
{
    v4 sign = simde_wasm_v128_and(x, simde_wasm_i32x4_splat((int32_t)0x80000000u));
    v4 ax = simde_wasm_f32x4_abs(x);
    v4 z = MUL(x, x);
    v4 p = SPLAT(-5.70498872745e-3f);
    p = ADD(MUL(p, z), SPLAT(2.06390887954e-2f));
    p = SUB(MUL(p, z), SPLAT(5.37397155531e-2f));
    p = ADD(MUL(p, z), SPLAT(1.33314422036e-1f));
    p = SUB(MUL(p, z), SPLAT(3.33332819422e-1f));
    v4 small = ADD(MUL(MUL(p, z), x), x);
    v4 e = v_exp(ADD(ax, ax));
    v4 t = SUB(SPLAT(1.0f), DIV(SPLAT(2.0f), ADD(e, SPLAT(1.0f))));
    v4 large = simde_wasm_v128_or(simde_wasm_f32x4_abs(t), sign);
    return simde_wasm_v128_bitselect(small, large, simde_wasm_f32x4_lt(ax, SPLAT(0.625f)));
}

static v4 v_sigmoid(v4 x)
{
    // -x as a sign flip, as the scalar unary minus
    v4 neg = simde_wasm_v128_xor(x, simde_wasm_i32x4_splat((int32_t)0x80000000u));
    return DIV(SPLAT(1.0f), ADD(SPLAT(1.0f), v_exp(neg)));
}

void nn_k_exp(int n, float *y, const float *x)
{
    int i = 0;
    for (; i + 4 <= n; i += 4)
        ST(y + i, v_exp(LD(x + i)));
    if (i < n)
        nn_k_exp_ref(n - i, y + i, x + i);
}

void nn_k_bytes(int n, float *y, const uint8_t *x, float scale)
{
    v4 s = SPLAT(scale);
    // b | 0x4B000000 is the float 2^23 + b: subtracting 2^23 gives b exactly,
    // with no int-to-float conversion (which clang 14 scalarises here)
    v4 magic = simde_wasm_i32x4_splat(0x4B000000), two23 = SPLAT(8388608.0f);
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        v4 b = LD(x + i);
        v4 lo = simde_wasm_u16x8_extend_low_u8x16(b), hi = simde_wasm_u16x8_extend_high_u8x16(b);
        v4 q0 = simde_wasm_u32x4_extend_low_u16x8(lo), q1 = simde_wasm_u32x4_extend_high_u16x8(lo);
        v4 q2 = simde_wasm_u32x4_extend_low_u16x8(hi), q3 = simde_wasm_u32x4_extend_high_u16x8(hi);
        ST(y + i, MUL(SUB(simde_wasm_v128_or(q0, magic), two23), s));
        ST(y + i + 4, MUL(SUB(simde_wasm_v128_or(q1, magic), two23), s));
        ST(y + i + 8, MUL(SUB(simde_wasm_v128_or(q2, magic), two23), s));
        ST(y + i + 12, MUL(SUB(simde_wasm_v128_or(q3, magic), two23), s));
    }
    if (i < n)
        nn_k_bytes_ref(n - i, y + i, x + i, scale);
}

/* ---- GEMM ---------------------------------------------------------------- */

/* One row block of up to 4 rows times 8 columns, k in order. */
#define GEMM_INIT(c0, c1, row, n)                                     \
    do {                                                              \
        if (accumulate) {                                             \
            c0 = LD(C + (row) * ldc + (n));                           \
            c1 = LD(C + (row) * ldc + (n) + 4);                       \
        } else if (bias) {                                            \
            c0 = LD(bias + (n));                                      \
            c1 = LD(bias + (n) + 4);                                  \
        } else {                                                      \
            c0 = c1 = SPLAT(0.0f);                                    \
        }                                                             \
    } while (0)

/* The direct GEMM: 4 x 8 blocks read in place, for any shape. */
static void gemm_direct(float *C, const float *A, const float *B, const float *bias,
                        int M, int N, int K, int sam, int sak, int ldb, int ldc, int accumulate)
{
    int m = 0;
    for (; m + 4 <= M; m += 4) {
        const float *a0 = A + (m + 0) * sam, *a1 = A + (m + 1) * sam;
        const float *a2 = A + (m + 2) * sam, *a3 = A + (m + 3) * sam;
        int n = 0;
        for (; n + 8 <= N; n += 8) {
            v4 c00, c01, c10, c11, c20, c21, c30, c31;
            GEMM_INIT(c00, c01, m + 0, n);
            GEMM_INIT(c10, c11, m + 1, n);
            GEMM_INIT(c20, c21, m + 2, n);
            GEMM_INIT(c30, c31, m + 3, n);
            const float *b = B + n;
            for (int k = 0; k < K; k++, b += ldb) {
                v4 b0 = LD(b), b1 = LD(b + 4);
                v4 x = SPLAT(a0[k * sak]);
                c00 = ADD(c00, MUL(x, b0));
                c01 = ADD(c01, MUL(x, b1));
                x = SPLAT(a1[k * sak]);
                c10 = ADD(c10, MUL(x, b0));
                c11 = ADD(c11, MUL(x, b1));
                x = SPLAT(a2[k * sak]);
                c20 = ADD(c20, MUL(x, b0));
                c21 = ADD(c21, MUL(x, b1));
                x = SPLAT(a3[k * sak]);
                c30 = ADD(c30, MUL(x, b0));
                c31 = ADD(c31, MUL(x, b1));
            }
            ST(C + (m + 0) * ldc + n, c00);
            ST(C + (m + 0) * ldc + n + 4, c01);
            ST(C + (m + 1) * ldc + n, c10);
            ST(C + (m + 1) * ldc + n + 4, c11);
            ST(C + (m + 2) * ldc + n, c20);
            ST(C + (m + 2) * ldc + n + 4, c21);
            ST(C + (m + 3) * ldc + n, c30);
            ST(C + (m + 3) * ldc + n + 4, c31);
        }
        for (; n + 4 <= N; n += 4) {
            v4 c[4];
            for (int i = 0; i < 4; i++)
                c[i] = accumulate ? LD(C + (m + i) * ldc + n) : bias ? LD(bias + n) : SPLAT(0.0f);
            const float *b = B + n;
            for (int k = 0; k < K; k++, b += ldb) {
                v4 b0 = LD(b);
                c[0] = ADD(c[0], MUL(SPLAT(a0[k * sak]), b0));
                c[1] = ADD(c[1], MUL(SPLAT(a1[k * sak]), b0));
                c[2] = ADD(c[2], MUL(SPLAT(a2[k * sak]), b0));
                c[3] = ADD(c[3], MUL(SPLAT(a3[k * sak]), b0));
            }
            for (int i = 0; i < 4; i++)
                ST(C + (m + i) * ldc + n, c[i]);
        }
        // the last columns (fewer than 4): the 4 rows go in the lanes
        for (; n < N; n++) {
            v4 c = accumulate ? simde_wasm_f32x4_make(C[(m + 0) * ldc + n], C[(m + 1) * ldc + n],
                                                      C[(m + 2) * ldc + n], C[(m + 3) * ldc + n])
                              : SPLAT(bias ? bias[n] : 0.0f);
            for (int k = 0; k < K; k++) {
                v4 a = simde_wasm_f32x4_make(a0[k * sak], a1[k * sak], a2[k * sak], a3[k * sak]);
                c = ADD(c, MUL(a, SPLAT(B[k * ldb + n])));
            }
            C[(m + 0) * ldc + n] = simde_wasm_f32x4_extract_lane(c, 0);
            C[(m + 1) * ldc + n] = simde_wasm_f32x4_extract_lane(c, 1);
            C[(m + 2) * ldc + n] = simde_wasm_f32x4_extract_lane(c, 2);
            C[(m + 3) * ldc + n] = simde_wasm_f32x4_extract_lane(c, 3);
        }
    }
    for (; m < M; m++) {
        const float *a0 = A + m * sam;
        int n = 0;
        for (; n + 8 <= N; n += 8) {
            v4 c0, c1;
            GEMM_INIT(c0, c1, m, n);
            const float *b = B + n;
            for (int k = 0; k < K; k++, b += ldb) {
                v4 x = SPLAT(a0[k * sak]);
                c0 = ADD(c0, MUL(x, LD(b)));
                c1 = ADD(c1, MUL(x, LD(b + 4)));
            }
            ST(C + m * ldc + n, c0);
            ST(C + m * ldc + n + 4, c1);
        }
        if (n < N)
            nn_k_gemm_ref(C + m * ldc + n, a0, B + n, bias ? bias + n : NULL,
                          1, N - n, K, sam, sak, ldb, ldc, accumulate);
    }
}

/* The packed GEMM for rows in blocks of 4: over K in blocks of at most
 * GEMM_KC (the running sums stored in C and reloaded, so still in k order),
 * B is copied into zero-padded panels of 8 columns, (kc, 8) each, and 4 rows
 * of A into one (kc, 4) panel, so the 4 x 8 block reads both contiguously and
 * the panels of B stay in cache while all rows pass. The buffers are static
 * (GEMM_KC * (GEMM_NC + 4) floats, 264 KB): nothing is allocated per call,
 * and per thread, so threads may each run their own net (engine/nn.h). */
#define GEMM_KC 512
#define GEMM_NC 128

static _Thread_local float gemm_ap[GEMM_KC * 4];              // (kc, 4)
static _Thread_local float gemm_bp[GEMM_KC * GEMM_NC];        // (nc / 8, kc, 8)
static const float gemm_zero[8];

/* c (4, 8) = init + a b over kc in order: a (kc, 4), b (kc, 8), init's rows
 * ldi apart (0 repeats one row: the bias, or zeros). */
static void gemm_tile(float *c, int ldc, const float *init, int ldi, const float *a, const float *b, int kc)
{
    v4 c00 = LD(init), c01 = LD(init + 4);
    v4 c10 = LD(init + ldi), c11 = LD(init + ldi + 4);
    v4 c20 = LD(init + 2 * ldi), c21 = LD(init + 2 * ldi + 4);
    v4 c30 = LD(init + 3 * ldi), c31 = LD(init + 3 * ldi + 4);
    for (int k = 0; k < kc; k++, a += 4, b += 8) {
        v4 b0 = LD(b), b1 = LD(b + 4);
        v4 x = SPLAT(a[0]);
        c00 = ADD(c00, MUL(x, b0));
        c01 = ADD(c01, MUL(x, b1));
        x = SPLAT(a[1]);
        c10 = ADD(c10, MUL(x, b0));
        c11 = ADD(c11, MUL(x, b1));
        x = SPLAT(a[2]);
        c20 = ADD(c20, MUL(x, b0));
        c21 = ADD(c21, MUL(x, b1));
        x = SPLAT(a[3]);
        c30 = ADD(c30, MUL(x, b0));
        c31 = ADD(c31, MUL(x, b1));
    }
    ST(c, c00);
    ST(c + 4, c01);
    ST(c + ldc, c10);
    ST(c + ldc + 4, c11);
    ST(c + 2 * ldc, c20);
    ST(c + 2 * ldc + 4, c21);
    ST(c + 3 * ldc, c30);
    ST(c + 3 * ldc + 4, c31);
}

/* r0..r3 transposed in place: lane i of row j goes to lane j of row i. */
#define TRANSPOSE4(r0, r1, r2, r3)                                                   \
    do {                                                                             \
        v4 t0_ = simde_wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);                       \
        v4 t1_ = simde_wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);                       \
        v4 t2_ = simde_wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);                       \
        v4 t3_ = simde_wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);                       \
        r0 = simde_wasm_i32x4_shuffle(t0_, t2_, 0, 1, 4, 5);                         \
        r1 = simde_wasm_i32x4_shuffle(t0_, t2_, 2, 3, 6, 7);                         \
        r2 = simde_wasm_i32x4_shuffle(t1_, t3_, 0, 1, 4, 5);                         \
        r3 = simde_wasm_i32x4_shuffle(t1_, t3_, 2, 3, 6, 7);                         \
    } while (0)

/* B (kc, nc), element (k, n) at B[k*sbk + n*sbn], into panels of 8 columns,
 * (kc, 8) each, the last zero-padded. Rows of B contiguous (sbn 1) copy as
 * they are; columns contiguous (sbk 1: a dense layer's W read as W^T) go
 * through 4 x 4 transposes. Copies only, so exact. */
static void gemm_pack_b(float *p, const float *B, int sbk, int sbn, int kc, int nc)
{
    for (int j = 0; j < nc; j += 8, p += 8 * kc) {
        int k = 0;
        if (j + 8 <= nc && sbn == 1) {
            for (const float *b = B + j; k < kc; k++, b += sbk) {
                ST(p + 8 * k, LD(b));
                ST(p + 8 * k + 4, LD(b + 4));
            }
        } else if (j + 8 <= nc && sbk == 1) {
            const float *b = B + j * sbn;
            for (; k + 4 <= kc; k += 4) {
                v4 r0 = LD(b + k), r1 = LD(b + sbn + k), r2 = LD(b + 2 * sbn + k), r3 = LD(b + 3 * sbn + k);
                v4 r4 = LD(b + 4 * sbn + k), r5 = LD(b + 5 * sbn + k);
                v4 r6 = LD(b + 6 * sbn + k), r7 = LD(b + 7 * sbn + k);
                TRANSPOSE4(r0, r1, r2, r3);
                TRANSPOSE4(r4, r5, r6, r7);
                ST(p + 8 * k, r0);
                ST(p + 8 * k + 4, r4);
                ST(p + 8 * k + 8, r1);
                ST(p + 8 * k + 12, r5);
                ST(p + 8 * k + 16, r2);
                ST(p + 8 * k + 20, r6);
                ST(p + 8 * k + 24, r3);
                ST(p + 8 * k + 28, r7);
            }
        }
        for (; k < kc; k++)
            for (int t = 0; t < 8; t++)
                p[8 * k + t] = j + t < nc ? B[k * sbk + (j + t) * sbn] : 0.0f;
    }
}

/* 4 rows of A from column k0, element (r, k) at a[r*sam + k*sak], into the
 * (kc, 4) panel: rows contiguous (sak 1) through 4 x 4 transposes, columns
 * contiguous (sam 1: A transposed) as 4-float copies. */
static void gemm_pack_a(float *p, const float *a, int sam, int sak, int kc)
{
    int k = 0;
    if (sak == 1) {
        for (; k + 4 <= kc; k += 4) {
            v4 r0 = LD(a + k), r1 = LD(a + sam + k), r2 = LD(a + 2 * sam + k), r3 = LD(a + 3 * sam + k);
            TRANSPOSE4(r0, r1, r2, r3);
            ST(p + 4 * k, r0);
            ST(p + 4 * k + 4, r1);
            ST(p + 4 * k + 8, r2);
            ST(p + 4 * k + 12, r3);
        }
    } else if (sam == 1) {
        for (; k < kc; k++)
            ST(p + 4 * k, LD(a + k * sak));
    }
    for (; k < kc; k++)
        for (int r = 0; r < 4; r++)
            p[4 * k + r] = a[r * sam + k * sak];
}

static void gemm_packed(float *C, const float *A, const float *B, const float *bias, int M, int N, int K,
                        int sam, int sak, int sbk, int sbn, int ldc, int accumulate)
{
    // K split evenly: 784 is two blocks of 392, not 512 and 272
    int nk = (K + GEMM_KC - 1) / GEMM_KC, KC = (K + nk - 1) / nk;
    for (int k0 = 0; k0 < K; k0 += KC) {
        int kc = K - k0 < KC ? K - k0 : KC;
        int carry = accumulate || k0 > 0;
        for (int n0 = 0; n0 < N; n0 += GEMM_NC) {
            int nc = N - n0 < GEMM_NC ? N - n0 : GEMM_NC;
            gemm_pack_b(gemm_bp, B + k0 * sbk + n0 * sbn, sbk, sbn, kc, nc);
            for (int m = 0; m < M; m += 4) {
                gemm_pack_a(gemm_ap, A + m * sam + k0 * sak, sam, sak, kc);
                for (int j = 0; j < nc; j += 8) {
                    float *c = C + m * ldc + n0 + j;
                    const float *init = carry ? c : bias ? bias + n0 + j : gemm_zero;
                    int ldi = carry ? ldc : 0;
                    if (j + 8 <= nc) {
                        gemm_tile(c, ldc, init, ldi, gemm_ap, gemm_bp + j * kc, kc);
                    } else {
                        // the last columns (fewer than 8) through a whole block
                        float t[32];
                        int w = nc - j;
                        for (int r = 0; r < 4; r++)
                            for (int q = 0; q < 8; q++)
                                t[r * 8 + q] = q < w ? init[r * ldi + q] : 0.0f;
                        gemm_tile(t, 8, t, 8, gemm_ap, gemm_bp + j * kc, kc);
                        for (int r = 0; r < 4; r++)
                            for (int q = 0; q < w; q++)
                                c[r * ldc + q] = t[r * 8 + q];
                    }
                }
            }
        }
    }
}

/* Rows of a GEMM (M, N, K) that take the packed path, a multiple of 4; the
 * direct kernel takes the rest. Packing pays when its copies are reused by
 * enough rows and B is too large to stay in cache as it is (a conv's few
 * filters, a small K or N are not). */
static int gemm_packed_rows(int M, int N, int K)
{
    return M < 32 || N < 16 || K < 32 || K * N < 4096 ? 0 : M & ~3;
}

void nn_k_gemm(float *C, const float *A, const float *B, const float *bias,
               int M, int N, int K, int sam, int sak, int ldb, int ldc, int accumulate)
{
    int packed = gemm_packed_rows(M, N, K);
    if (packed)
        gemm_packed(C, A, B, bias, packed, N, K, sam, sak, ldb, 1, ldc, accumulate);
    if (packed < M)
        gemm_direct(C + packed * ldc, A + packed * sam, B, bias, M - packed, N, K, sam, sak, ldb, ldc,
                    accumulate);
}

void nn_k_xwt_plus_b(float *out, const float *x, const float *W, float *WT, const float *b, int B, int n_in,
                     int n_out)
{
    // the packed path reads W as W^T while packing it; the direct kernel
    // needs W^T in memory, so a batch with rows for it transposes first
    if (gemm_packed_rows(B, n_out, n_in) == B) {
        gemm_packed(out, x, W, b, B, n_out, n_in, n_in, 1, 1, n_in, n_out, 0);
        return;
    }
    nn_k_transpose(WT, W, n_out, n_in);
    nn_k_gemm(out, x, WT, b, B, n_out, n_in, n_in, 1, n_out, n_out, 0);
}

void nn_k_transpose(float *dst, const float *src, int rows, int cols)
{
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
        const float *s = src + r * cols;
        int c = 0;
        // 4 x 4 blocks through shuffles: 4 loads and 4 stores for 16 floats
        for (; c + 4 <= cols; c += 4) {
            v4 a0 = LD(s + c), a1 = LD(s + cols + c), a2 = LD(s + 2 * cols + c), a3 = LD(s + 3 * cols + c);
            v4 t0 = simde_wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), t1 = simde_wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7);
            v4 t2 = simde_wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), t3 = simde_wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7);
            ST(dst + (c + 0) * rows + r, simde_wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
            ST(dst + (c + 1) * rows + r, simde_wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
            ST(dst + (c + 2) * rows + r, simde_wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
            ST(dst + (c + 3) * rows + r, simde_wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
        }
        for (; c < cols; c++)
            for (int i = 0; i < 4; i++)
                dst[c * rows + r + i] = s[i * cols + c];
    }
    if (r < rows)
        for (; r < rows; r++)
            for (int c = 0; c < cols; c++)
                dst[c * rows + r] = src[r * cols + c];
}

void nn_k_colsum(float *out, const float *in, int rows, int n)
{
    int j = 0;
    for (; j + 4 <= n; j += 4) {
        v4 s = LD(out + j);
        for (int i = 0; i < rows; i++)
            s = ADD(s, LD(in + i * n + j));
        ST(out + j, s);
    }
    for (; j < n; j++) {
        float s = out[j];
        for (int i = 0; i < rows; i++)
            s = s + in[i * n + j];
        out[j] = s;
    }
}

/* ---- Activations -------------------------------------------------------- */

#define SELU_LAMBDA 1.05070098735548049f
#define SELU_ALPHA 1.67326324235437728f
#define GELU_C 0.79788456080286536f
#define GELU_K 0.044715f

/* A forward kernel: EXPR computes y from v4 x (and a, va); tail by the twin. */
#define ACT_F(name, EXPR)                                                   \
    static void name##_f(float *y, const float *x, int n, float a)          \
    {                                                                       \
        v4 va = SPLAT(a);                                                   \
        (void)va;                                                           \
        int i = 0;                                                          \
        for (; i + 4 <= n; i += 4) {                                        \
            v4 xv = LD(x + i);                                              \
            ST(y + i, (EXPR));                                              \
        }                                                                   \
        if (i < n)                                                          \
            nn_k_acts_ref[act_##name].forward(y + i, x + i, n - i, a);      \
    }
/* A backward kernel: EXPR computes dx from dyv, xv, yv (and va). */
#define ACT_B(name, EXPR)                                                   \
    static void name##_b(float *dx, const float *dy, const float *x,        \
                         const float *y, int n, float a)                    \
    {                                                                       \
        v4 va = SPLAT(a);                                                   \
        (void)va;                                                           \
        int i = 0;                                                          \
        for (; i + 4 <= n; i += 4) {                                        \
            v4 dyv = LD(dy + i), xv = LD(x + i), yv = LD(y + i);            \
            (void)xv, (void)yv;                                             \
            ST(dx + i, (EXPR));                                             \
        }                                                                   \
        if (i < n)                                                          \
            nn_k_acts_ref[act_##name].backward(dx + i, dy + i, x + i, y + i, n - i, a); \
    }

enum {
    act_sigmoid = NN_ACT_SIGMOID, act_tanh = NN_ACT_TANH, act_relu = NN_ACT_RELU,
    act_leaky = NN_ACT_LEAKY_RELU, act_elu = NN_ACT_ELU, act_gelu = NN_ACT_GELU,
    act_swish = NN_ACT_SWISH, act_selu = NN_ACT_SELU
};

#define POS(v) simde_wasm_f32x4_gt((v), SPLAT(0.0f))
#define SEL(cond, a, b) simde_wasm_v128_bitselect((a), (b), (cond))
#define ONE SPLAT(1.0f)

static v4 v_gelu_u(v4 x)
{
    return MUL(SPLAT(GELU_C), ADD(x, MUL(SPLAT(GELU_K), MUL(MUL(x, x), x))));
}

static v4 v_gelu_d(v4 x)
{
    v4 t = v_tanh(v_gelu_u(x));
    v4 du = MUL(SPLAT(GELU_C), ADD(ONE, MUL(SPLAT(3.0f * GELU_K), MUL(x, x))));
    return ADD(MUL(SPLAT(0.5f), ADD(ONE, t)), MUL(MUL(SPLAT(0.5f), x), MUL(SUB(ONE, MUL(t, t)), du)));
}

static v4 v_swish_d(v4 x, v4 y)
{
    v4 s = v_sigmoid(x);
    return ADD(s, MUL(y, SUB(ONE, s)));
}

static void linear_f(float *y, const float *x, int n, float a)
{
    nn_k_acts_ref[NN_ACT_LINEAR].forward(y, x, n, a);
}
static void linear_b(float *dx, const float *dy, const float *x, const float *y, int n, float a)
{
    nn_k_acts_ref[NN_ACT_LINEAR].backward(dx, dy, x, y, n, a);
}

ACT_F(sigmoid, v_sigmoid(xv))
ACT_B(sigmoid, MUL(dyv, MUL(yv, SUB(ONE, yv))))
ACT_F(tanh, v_tanh(xv))
ACT_B(tanh, MUL(dyv, SUB(ONE, MUL(yv, yv))))
ACT_F(relu, SEL(POS(xv), xv, SPLAT(0.0f)))
ACT_B(relu, SEL(POS(xv), dyv, SPLAT(0.0f)))
ACT_F(leaky, SEL(POS(xv), xv, MUL(va, xv)))
ACT_B(leaky, SEL(POS(xv), dyv, MUL(va, dyv)))
ACT_F(elu, SEL(POS(xv), xv, MUL(va, SUB(v_exp(xv), ONE))))
ACT_B(elu, SEL(POS(xv), dyv, MUL(dyv, ADD(yv, va))))
ACT_F(gelu, MUL(MUL(SPLAT(0.5f), xv), ADD(ONE, v_tanh(v_gelu_u(xv)))))
ACT_B(gelu, MUL(dyv, v_gelu_d(xv)))
ACT_F(swish, MUL(xv, v_sigmoid(xv)))
ACT_B(swish, MUL(dyv, v_swish_d(xv, yv)))
ACT_F(selu, SEL(POS(xv), MUL(SPLAT(SELU_LAMBDA), xv),
                MUL(SPLAT(SELU_LAMBDA * SELU_ALPHA), SUB(v_exp(xv), ONE))))
ACT_B(selu, SEL(POS(xv), MUL(SPLAT(SELU_LAMBDA), dyv),
                MUL(dyv, ADD(yv, SPLAT(SELU_LAMBDA * SELU_ALPHA)))))

static const nn_k_act acts_simd[NN_ACT_COUNT] = {
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
const nn_k_act *const nn_k_acts = acts_simd;

/* ---- Optimisers and friends --------------------------------------------- */

/* A loop over i in steps of 4 with the twin for the tail. */
#define VLOOP(n, BODY, TAIL)           \
    do {                               \
        int i = 0;                     \
        for (; i + 4 <= (n); i += 4) { \
            BODY                       \
        }                              \
        if (i < (n)) {                 \
            TAIL;                      \
        }                              \
    } while (0)

void nn_k_sgd(int n, float *p, const float *g, float lr)
{
    v4 vlr = SPLAT(lr);
    VLOOP(n, ST(p + i, SUB(LD(p + i), MUL(vlr, LD(g + i))));,
          nn_k_sgd_ref(n - i, p + i, g + i, lr));
}

void nn_k_momentum(int n, float *p, const float *g, float *v, float lr, float alpha)
{
    v4 vlr = SPLAT(lr), va = SPLAT(alpha);
    VLOOP(n,
          v4 vv = SUB(MUL(va, LD(v + i)), MUL(vlr, LD(g + i)));
          ST(v + i, vv); ST(p + i, ADD(LD(p + i), vv));,
          nn_k_momentum_ref(n - i, p + i, g + i, v + i, lr, alpha));
}

void nn_k_adagrad(int n, float *p, const float *g, float *r, float lr, float delta)
{
    v4 vlr = SPLAT(lr), vd = SPLAT(delta);
    VLOOP(n,
          v4 gv = LD(g + i);
          v4 rv = ADD(LD(r + i), MUL(gv, gv));
          ST(r + i, rv);
          ST(p + i, SUB(LD(p + i), MUL(DIV(vlr, ADD(vd, simde_wasm_f32x4_sqrt(rv))), gv)));,
          nn_k_adagrad_ref(n - i, p + i, g + i, r + i, lr, delta));
}

void nn_k_rmsprop(int n, float *p, const float *g, float *r, float lr, float rho, float delta)
{
    v4 vlr = SPLAT(lr), vd = SPLAT(delta), vrho = SPLAT(rho), v1r = SPLAT(1.0f - rho);
    VLOOP(n,
          v4 gv = LD(g + i);
          v4 rv = ADD(MUL(vrho, LD(r + i)), MUL(v1r, MUL(gv, gv)));
          ST(r + i, rv);
          ST(p + i, SUB(LD(p + i), MUL(DIV(vlr, simde_wasm_f32x4_sqrt(ADD(vd, rv))), gv)));,
          nn_k_rmsprop_ref(n - i, p + i, g + i, r + i, lr, rho, delta));
}

void nn_k_adam(int n, float *p, const float *g, float *s, float *r, float lr,
               float b1, float b2, float delta, float bc1, float bc2)
{
    v4 vlr = SPLAT(lr), vb1 = SPLAT(b1), vb2 = SPLAT(b2), v1b1 = SPLAT(1.0f - b1);
    v4 v1b2 = SPLAT(1.0f - b2), vd = SPLAT(delta), vc1 = SPLAT(bc1), vc2 = SPLAT(bc2);
    VLOOP(n,
          v4 gv = LD(g + i);
          v4 sv = ADD(MUL(vb1, LD(s + i)), MUL(v1b1, gv));
          v4 rv = ADD(MUL(vb2, LD(r + i)), MUL(v1b2, MUL(gv, gv)));
          ST(s + i, sv); ST(r + i, rv);
          v4 sh = DIV(sv, vc1);
          v4 rh = DIV(rv, vc2);
          ST(p + i, SUB(LD(p + i), MUL(vlr, DIV(sh, ADD(simde_wasm_f32x4_sqrt(rh), vd)))));,
          nn_k_adam_ref(n - i, p + i, g + i, s + i, r + i, lr, b1, b2, delta, bc1, bc2));
}

void nn_k_penalty(int n, float *g, const float *w, float l1, float l2)
{
    v4 vl1 = SPLAT(l1), vl2 = SPLAT(l2), zero = SPLAT(0.0f);
    VLOOP(n,
          v4 wv = LD(w + i);
          v4 sign = SEL(simde_wasm_f32x4_gt(wv, zero), ONE,
                        SEL(simde_wasm_f32x4_lt(wv, zero), SPLAT(-1.0f), zero));
          ST(g + i, ADD(LD(g + i), ADD(MUL(vl1, sign), MUL(vl2, wv))));,
          nn_k_penalty_ref(n - i, g + i, w + i, l1, l2));
}

void nn_k_axpy(int n, float *y, float a, const float *x)
{
    v4 va = SPLAT(a);
    VLOOP(n, ST(y + i, ADD(LD(y + i), MUL(va, LD(x + i))));,
          nn_k_axpy_ref(n - i, y + i, a, x + i));
}

void nn_k_mul(int n, float *y, const float *x, const float *m)
{
    VLOOP(n, ST(y + i, MUL(LD(x + i), LD(m + i)));, nn_k_mul_ref(n - i, y + i, x + i, m + i));
}

#else /* NN_SIMD == 0: kernels.h maps every nn_k_ name to its twin */

const nn_k_act *const nn_k_acts = nn_k_acts_ref;

#endif
