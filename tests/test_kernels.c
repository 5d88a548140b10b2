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
#ifndef NN_SIMD
#define NN_SIMD 1
#endif

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
                for (int trans = 0; trans < 2; trans++)
                    for (int mode = 0; mode < 4; mode++, c++)
                        gemm_case(sizes[i], sizes[j], sizes[k], trans, mode, c % 3);
    // shapes that the packed path splits: K into blocks (sums carried in C),
    // N into column blocks with a short last panel, rows with a tail
    static const int big[][3] = {{37, 150, 1100}, {40, 129, 513}, {33, 32, 128}};
    for (int i = 0; i < (int)(sizeof big / sizeof big[0]); i++)
        for (int trans = 0; trans < 2; trans++)
            for (int mode = 0; mode < 4; mode++, c++)
                gemm_case(big[i][0], big[i][1], big[i][2], trans, mode, c % 3);
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

/* ---- Activations ----------------------------------------------------------- */

static const int acts[] = {NN_ACT_LINEAR, NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU,
                           NN_ACT_LEAKY_RELU, NN_ACT_ELU, NN_ACT_GELU, NN_ACT_SWISH,
                           NN_ACT_SELU};
#define N_ACTS ((int)(sizeof acts / sizeof acts[0]))

// The activation in float64, from the formulas of engine/nn.h.
static double act64(int act, double x, double a)
{
    const double lambda = 1.0507009873554804934, alpha = 1.6732632423543772848;
    switch (act) {
    case NN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
    case NN_ACT_TANH: return tanh(x);
    case NN_ACT_RELU: return x > 0.0 ? x : 0.0;
    case NN_ACT_LEAKY_RELU: return x > 0.0 ? x : a * x;
    case NN_ACT_ELU: return x > 0.0 ? x : a * expm1(x);
    case NN_ACT_GELU:
        return 0.5 * x * (1.0 + tanh(0.79788456080286535588 * (x + 0.044715 * x * x * x)));
    case NN_ACT_SWISH: return x / (1.0 + exp(-x));
    case NN_ACT_SELU: return x > 0.0 ? lambda * x : lambda * alpha * expm1(x);
    default: return x;
    }
}

static void act_case(int act, float a, int n)
{
    const nn_k_act *s = &nn_k_acts[act], *r = &nn_k_acts_ref[act];
    float *x = falloc((size_t)n), *dy = falloc((size_t)n), *ys = falloc((size_t)n);
    float *yr = falloc((size_t)n), *ds = falloc((size_t)n), *dr = falloc((size_t)n);
    float *ones = falloc((size_t)n);
    fill_special(x, n);
    fill(dy, n, -2.0, 2.0);
    s->forward(ys, x, n, a);
    r->forward(yr, x, n, a);
    CHECK(same(ys, yr, n), "act %d a=%g n=%d forward: SIMD != twin", act, a, n);
    s->backward(ds, dy, x, yr, n, a);
    r->backward(dr, dy, x, yr, n, a);
    CHECK(same(ds, dr, n), "act %d a=%g n=%d backward: SIMD != twin", act, a, n);
    // in place (dx == dy), as the squared-error loss calls it
    memcpy(ds, dy, (size_t)n * sizeof *dy);
    s->backward(ds, ds, x, yr, n, a);
    CHECK(same(ds, dr, n), "act %d n=%d backward in place: SIMD differs", act, n);
    memcpy(ds, dy, (size_t)n * sizeof *dy);
    r->backward(ds, ds, x, yr, n, a);
    CHECK(same(ds, dr, n), "act %d n=%d backward in place: twin differs", act, n);

    // truth: values against float64, derivatives (dy = 1) against central
    // differences of the float64 value, away from the kinks at 0
    for (int i = 0; i < n; i++)
        ones[i] = 1.0f;
    r->backward(dr, ones, x, yr, n, a);
    double werr = 0.0, wder = 0.0;
    const double h = 1e-5;
    for (int i = 0; i < n; i++) {
        double xi = x[i], want = act64(act, xi, a);
        double e = fabs(yr[i] - want) / fmax(1.0, fabs(want));
        werr = e > werr ? e : werr;
        if (fabs(xi) < 1e-4)
            continue;
        double fd = (act64(act, xi + h, a) - act64(act, xi - h, a)) / (2.0 * h);
        e = fabs(dr[i] - fd) / fmax(1.0, fabs(fd));
        wder = e > wder ? e : wder;
    }
    max_act_err = werr > max_act_err ? werr : max_act_err;
    max_der_err = wder > max_der_err ? wder : max_der_err;
    CHECK(werr <= 5e-7, "act %d a=%g: value error %g", act, a, werr);
    CHECK(wder <= 1e-6, "act %d a=%g: derivative error %g", act, a, wder);
    free(x), free(dy), free(ys), free(yr), free(ds), free(dr), free(ones);
}

static void test_acts(void)
{
    CHECK(!nn_k_acts[NN_ACT_PRELU].forward && !nn_k_acts_ref[NN_ACT_PRELU].backward, "PRELU");
    CHECK(!nn_k_acts[NN_ACT_SOFTMAX].forward && !nn_k_acts_ref[NN_ACT_SOFTMAX].backward, "SOFTMAX");
    for (int k = 0; k < N_ACTS; k++) {
        CHECK(nn_k_acts[acts[k]].forward && nn_k_acts[acts[k]].backward, "act %d set", acts[k]);
        // the parameter: LeakyReLU slope and ELU alpha, default and another
        float as[2] = {0.0f, 0.0f};
        if (acts[k] == NN_ACT_LEAKY_RELU)
            as[0] = 0.01f, as[1] = 0.2f;
        if (acts[k] == NN_ACT_ELU)
            as[0] = 1.0f, as[1] = 0.5f;
        for (int v = 0; v < 2; v++)
            for (int i = 0; i < N_SIZES; i++)
                act_case(acts[k], as[v], sizes[i]);
    }
}

/* ---- exp, tanh, sigmoid over their range --------------------------------- */

static float sweep_x[SWEEP_MAX], sweep_s[SWEEP_MAX], sweep_r[SWEEP_MAX];

// x from lo to hi (included) in n points; every exp-based kernel, SIMD = twin.
static void sweep(double lo, double hi, int n)
{
    for (int i = 0; i < n; i++)
        sweep_x[i] = (float)(lo + (hi - lo) * i / (n - 1));
    static const int ex[] = {NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_ELU, NN_ACT_GELU,
                             NN_ACT_SWISH, NN_ACT_SELU};
    for (int k = 0; k < 6; k++) {
        nn_k_acts[ex[k]].forward(sweep_s, sweep_x, n, 1.0f);
        nn_k_acts_ref[ex[k]].forward(sweep_r, sweep_x, n, 1.0f);
        CHECK(same(sweep_s, sweep_r, n), "act %d over [%g, %g]: SIMD != twin", ex[k], lo, hi);
    }
}

static void test_transcendentals(void)
{
    sweep(-87.0, 88.0, 175001);
    for (int i = 0; i < 175001; i++) {
        double x = sweep_x[i], e = exp(x);
        double rel = fabs(nn_k_expf(sweep_x[i]) - e) / e;
        max_exp_rel = rel > max_exp_rel ? rel : max_exp_rel;
        rel = fabs(nn_k_sigmoidf(sweep_x[i]) - 1.0 / (1.0 + exp(-x))) * (1.0 + exp(-x));
        max_sig_rel = rel > max_sig_rel ? rel : max_sig_rel;
    }
    CHECK(max_exp_rel < 2e-7, "expf relative error %g", max_exp_rel);
    CHECK(max_sig_rel < 3e-7, "sigmoidf relative error %g", max_sig_rel);

    sweep(-20.0, 20.0, SWEEP_MAX);
    for (int i = 0; i < SWEEP_MAX + 40; i++) {
        // and tiny values, where tanh x = x
        float xf = i < SWEEP_MAX ? sweep_x[i] : ldexpf(1.0f, -(i - SWEEP_MAX) * 3);
        double t = tanh((double)xf), got = nn_k_tanhf(xf), abs_err = fabs(got - t);
        max_tanh_abs = abs_err > max_tanh_abs ? abs_err : max_tanh_abs;
        if (fabs(xf) < 0.625f && xf != 0.0f) {
            double rel = abs_err / fabs(t);
            max_tanh_rel = rel > max_tanh_rel ? rel : max_tanh_rel;
        }
    }
    CHECK(max_tanh_abs < 2e-7, "tanhf absolute error %g", max_tanh_abs);
    CHECK(max_tanh_rel < 2e-7, "tanhf relative error below 0.625: %g", max_tanh_rel);
    // the polynomial / exponential switch of tanh at |x| = 0.625, finely
    sweep(-0.7, 0.7, 100001);
}

// Huge and NaN inputs, through the twins and (lanes and tail) the SIMD kernels.
static void test_special_inputs(void)
{
    float big[9] = {1e30f, -1e30f, 100.0f, -100.0f, INFINITY, -INFINITY, 88.5f, -87.5f, 1e30f};
    for (int i = 0; i < 9; i++) {
        float x = big[i], e = nn_k_expf(x), t = nn_k_tanhf(x), s = nn_k_sigmoidf(x);
        CHECK(isfinite(e) && e > 0.0f && (x < 0.0f ? e < 1e-37f : e > 1e38f),
              "expf(%g) = %g", x, e);
        CHECK(t == (x > 0.0f ? 1.0f : -1.0f), "tanhf(%g) = %g", x, t);
        CHECK(x > 0.0f ? s == 1.0f : (s >= 0.0f && s < 1e-37f), "sigmoidf(%g) = %g", x, s);
    }
    float ys[9], yr[9];
    const int sat[2] = {NN_ACT_TANH, NN_ACT_SIGMOID};
    for (int k = 0; k < 2; k++)
        for (int n = 5; n <= 9; n += 4) {
            nn_k_acts[sat[k]].forward(ys, big, n, 0.0f);
            nn_k_acts_ref[sat[k]].forward(yr, big, n, 0.0f);
            CHECK(same(ys, yr, n), "act %d on huge inputs: SIMD != twin", sat[k]);
        }

    CHECK(isnan(nn_k_expf(NAN)) && isnan(nn_k_tanhf(NAN)) && isnan(nn_k_sigmoidf(NAN)),
          "NaN through the scalar functions");
    CHECK(isnan(nn_k_expf(-NAN)) && isnan(nn_k_tanhf(-NAN)) && isnan(nn_k_sigmoidf(-NAN)),
          "-NaN through the scalar functions");
    float x[9] = {NAN, 1.0f, -NAN, -1.0f, 0.0f, 2.0f, -3.0f, 0.5f, NAN};
    static const int ex[] = {NN_ACT_LINEAR, NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_ELU,
                             NN_ACT_GELU, NN_ACT_SWISH, NN_ACT_SELU};
    for (int k = 0; k < 7; k++) {
        nn_k_acts[ex[k]].forward(ys, x, 9, 1.0f);
        nn_k_acts_ref[ex[k]].forward(yr, x, 9, 1.0f);
        for (int i = 0; i < 9; i++) {
            int nan_in = isnan(x[i]);
            CHECK(nan_in == !!isnan(ys[i]) && nan_in == !!isnan(yr[i]),
                  "act %d lane %d: NaN in %d, out SIMD %g twin %g", ex[k], i, nan_in, ys[i], yr[i]);
            if (!nan_in)
                CHECK(ys[i] == yr[i], "act %d lane %d beside a NaN: SIMD != twin", ex[k], i);
        }
    }
}

/* ---- Optimiser updates, penalty, axpy, mul ----------------------------- */

// got against float64 want, relative to scale (the magnitude of the terms).
static void truth(const char *what, int n, const float *got, const double *want,
                  const double *scale)
{
    double worst = 0.0;
    for (int i = 0; i < n; i++) {
        double e = fabs(got[i] - want[i]) / (scale[i] > 0.0 ? scale[i] : 1.0);
        worst = e > worst ? e : worst;
    }
    max_opt_rel = worst > max_opt_rel ? worst : max_opt_rel;
    CHECK(worst <= 1e-6, "%s n=%d: error %g against float64", what, n, worst);
}

// Inputs p0, g, s0, r0; copies p, s, r for the SIMD kernel [0] and the twin [1].
static float *p0, *g, *s0, *r0, *p[2], *s[2], *r[2];
static double *want, *scale;

static void reset(int n)
{
    for (int k = 0; k < 2; k++) {
        memcpy(p[k], p0, (size_t)n * sizeof(float));
        memcpy(s[k], s0, (size_t)n * sizeof(float));
        memcpy(r[k], r0, (size_t)n * sizeof(float));
    }
}

// Both kernels from the same inputs; every array they may write must agree.
#define BOTH(what, SIMD_CALL, REF_CALL)                                            \
    do {                                                                           \
        reset(n);                                                                  \
        SIMD_CALL;                                                                 \
        REF_CALL;                                                                  \
        CHECK(same(p[0], p[1], n) && same(s[0], s[1], n) && same(r[0], r[1], n), \
              "%s n=%d: SIMD != twin", what, n);                                   \
    } while (0)

static void update_case(int n)
{
    const float lr = 0.05f, al = 0.7f, rho = 0.9f, b1 = 0.8f, b2 = 0.99f, d = 1e-3f;
    const float bc1 = 1.0f - b1 * b1 * b1, bc2 = 1.0f - b2 * b2 * b2, l1 = 0.03f, l2 = 0.2f;
    fill_special(p0, n);
    fill(g, n, -2.0, 2.0);
    fill(s0, n, -0.5, 0.5);
    fill(r0, n, 0.0, 2.0);

    BOTH("sgd", nn_k_sgd(n, p[0], g, lr), nn_k_sgd_ref(n, p[1], g, lr));
    for (int i = 0; i < n; i++)
        want[i] = p0[i] - (double)lr * g[i], scale[i] = fabs(p0[i]) + fabs(lr * g[i]);
    truth("sgd", n, p[1], want, scale);

    BOTH("momentum", nn_k_momentum(n, p[0], g, s[0], lr, al),
         nn_k_momentum_ref(n, p[1], g, s[1], lr, al));
    for (int i = 0; i < n; i++) {
        want[i] = p0[i] + ((double)al * s0[i] - (double)lr * g[i]);
        scale[i] = fabs(p0[i]) + fabs(al * s0[i]) + fabs(lr * g[i]);
    }
    truth("momentum", n, p[1], want, scale);

    BOTH("adagrad", nn_k_adagrad(n, p[0], g, r[0], lr, d),
         nn_k_adagrad_ref(n, p[1], g, r[1], lr, d));
    for (int i = 0; i < n; i++) {
        double step = lr / (d + sqrt(r0[i] + (double)g[i] * g[i])) * g[i];
        want[i] = p0[i] - step, scale[i] = fabs(p0[i]) + fabs(step);
    }
    truth("adagrad", n, p[1], want, scale);

    BOTH("rmsprop", nn_k_rmsprop(n, p[0], g, r[0], lr, rho, d),
         nn_k_rmsprop_ref(n, p[1], g, r[1], lr, rho, d));
    for (int i = 0; i < n; i++) {
        double rr = (double)rho * r0[i] + (1.0 - (double)rho) * g[i] * g[i];
        double step = lr / sqrt(d + rr) * g[i];
        want[i] = p0[i] - step, scale[i] = fabs(p0[i]) + fabs(step);
    }
    truth("rmsprop", n, p[1], want, scale);

    BOTH("adam", nn_k_adam(n, p[0], g, s[0], r[0], lr, b1, b2, d, bc1, bc2),
         nn_k_adam_ref(n, p[1], g, s[1], r[1], lr, b1, b2, d, bc1, bc2));
    for (int i = 0; i < n; i++) {
        double ss = (double)b1 * s0[i] + (1.0 - (double)b1) * g[i];
        double rr = (double)b2 * r0[i] + (1.0 - (double)b2) * g[i] * g[i];
        double den = sqrt(rr / bc2) + d;
        // s may cancel: scale by its terms, not by its value
        double terms = fabs(b1 * s0[i]) + fabs((1.0 - b1) * g[i]);
        want[i] = p0[i] - lr * (ss / bc1) / den;
        scale[i] = fabs(p0[i]) + lr * (terms / bc1) / den;
    }
    truth("adam", n, p[1], want, scale);

    // penalty into g = s0, with w = p0 (zeros of both signs)
    BOTH("penalty", nn_k_penalty(n, s[0], p0, l1, l2), nn_k_penalty_ref(n, s[1], p0, l1, l2));
    for (int i = 0; i < n; i++) {
        double w = p0[i], sg = w > 0.0 ? 1.0 : (w < 0.0 ? -1.0 : 0.0);
        want[i] = s0[i] + (double)l1 * sg + (double)l2 * w;
        scale[i] = fabs(s0[i]) + l1 + fabs(l2 * w);
    }
    truth("penalty", n, s[1], want, scale);

    BOTH("axpy", nn_k_axpy(n, p[0], -0.37f, g), nn_k_axpy_ref(n, p[1], -0.37f, g));
    for (int i = 0; i < n; i++)
        want[i] = p0[i] + -0.37f * (double)g[i], scale[i] = fabs(p0[i]) + fabs(0.37 * g[i]);
    truth("axpy", n, p[1], want, scale);

    BOTH("mul", nn_k_mul(n, p[0], g, s0), nn_k_mul_ref(n, p[1], g, s0));
    for (int i = 0; i < n; i++)
        want[i] = (double)g[i] * s0[i], scale[i] = fabs(want[i]);
    truth("mul", n, p[1], want, scale);

    // transpose of an (n/8 + 1) x 8-ish block, every size: an exact copy
    {
        int rows = 1 + n % 7, cols = n / rows;
        if (cols > 0) {
            BOTH("transpose", nn_k_transpose(p[0], g, rows, cols), nn_k_transpose_ref(p[1], g, rows, cols));
            int ok = 1;
            for (int row = 0; row < rows; row++)
                for (int col = 0; col < cols; col++)
                    ok &= p[1][col * rows + row] == g[row * cols + col];
            CHECK(ok, "transpose %d x %d is exact", rows, cols);
        }
    }

    // bytes to floats (MNIST pixels), every byte value
    uint8_t bytes[128];
    for (int i = 0; i < n; i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    BOTH("bytes", nn_k_bytes(n, p[0], bytes, 1.0f / 255.0f), nn_k_bytes_ref(n, p[1], bytes, 1.0f / 255.0f));
    for (int i = 0; i < n; i++)
        want[i] = bytes[i] / 255.0, scale[i] = 1.0;
    truth("bytes", n, p[1], want, scale);

    // exp over a block (the softmax output)
    BOTH("exp", nn_k_exp(n, p[0], g), nn_k_exp_ref(n, p[1], g));
    for (int i = 0; i < n; i++)
        want[i] = exp((double)g[i]), scale[i] = want[i];
    truth("exp", n, p[1], want, scale);
}

static void test_updates(void)
{
    for (int i = 0; i < N_SIZES; i++) {
        // exact sizes, so ASan sees a kernel running past n
        size_t n = (size_t)sizes[i];
        p0 = falloc(n), g = falloc(n), s0 = falloc(n), r0 = falloc(n);
        for (int k = 0; k < 2; k++)
            p[k] = falloc(n), s[k] = falloc(n), r[k] = falloc(n);
        want = malloc(n * sizeof *want), scale = malloc(n * sizeof *scale);
        if (!want || !scale)
            exit(2);
        update_case((int)n);
        free(p0), free(g), free(s0), free(r0), free(want), free(scale);
        for (int k = 0; k < 2; k++)
            free(p[k]), free(s[k]), free(r[k]);
    }
}

int main(void)
{
    test_gemm();
    test_colsum();
    test_acts();
    test_transcendentals();
    test_special_inputs();
    test_updates();
    printf("NN_SIMD=%d max errors: gemm %.3g (rel. to sum |terms|), expf %.3g rel, "
           "tanhf %.3g abs / %.3g rel below 0.625, sigmoidf %.3g rel, act values %.3g, "
           "derivatives %.3g, updates %.3g\n", NN_SIMD, max_gemm_rel, max_exp_rel,
           max_tanh_abs, max_tanh_rel, max_sig_rel, max_act_err, max_der_err, max_opt_rel);
    CHECK_DONE();
}
