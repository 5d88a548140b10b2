/* test_data.c: native tests of the data-set generators and nn_shuffle:
 * determinism per seed, balanced classes, the geometric rules of circle and
 * XOR, the square [-6, 6]^2, exact regression targets without noise, rows kept
 * together by the shuffle, and every error code. */
#include "nn.h"
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_N 2000

static float xa[2 * MAX_N], xb[2 * MAX_N];
static float ya[MAX_N], yb[MAX_N];
static int32_t la[MAX_N], lb[MAX_N];

// Classes of a data set: k for the k-class sets, 2 for the others.
static int classes_of(int kind, int k)
{
    return (kind == NN_DATA_SPIRALS || kind == NN_DATA_BLOBS) ? k : 2;
}

static int gen(int kind, int n, int k, float noise, uint32_t seed,
               float *x, float *y, int32_t *label)
{
    return nn_dataset_generate(kind, n, k, noise, seed, x, y, label);
}

static void test_dims(void)
{
    CHECK(nn_dataset_dims(NN_DATA_COS) == 1, "COS dims");
    CHECK(nn_dataset_dims(NN_DATA_PLANE) == 2, "PLANE dims");
    CHECK(nn_dataset_dims(NN_DATA_CIRCLE) == 2, "CIRCLE dims");
    CHECK(nn_dataset_dims(NN_DATA_BLOBS) == 2, "BLOBS dims");
    CHECK(nn_dataset_dims(-1) == NN_ERR_ENUM, "dims of -1");
    CHECK(nn_dataset_dims(NN_DATA_COUNT) == NN_ERR_ENUM, "dims of COUNT");
    for (int kind = 0; kind < NN_DATA_COUNT; kind++) {
        int want = kind != NN_DATA_PLANE && kind != NN_DATA_COS;
        CHECK(nn_dataset_is_classification(kind) == want, "kind %d", kind);
    }
    CHECK(nn_dataset_is_classification(NN_DATA_COUNT) == NN_ERR_ENUM, "COUNT");
    CHECK(nn_dataset_is_classification(-3) == NN_ERR_ENUM, "-3");
}

// Same seed twice gives the same bytes; another seed gives other points.
static void test_determinism(void)
{
    const int n = 301;
    for (int kind = 0; kind < NN_DATA_COUNT; kind++) {
        int k = kind == NN_DATA_BLOBS ? 4 : 3;
        size_t xbytes = (size_t)n * (size_t)nn_dataset_dims(kind) * sizeof(float);
        memset(xa, 0, sizeof xa);
        memset(xb, 0, sizeof xb);
        CHECK_OK(gen(kind, n, k, 0.3f, 42, xa, ya, la));
        CHECK_OK(gen(kind, n, k, 0.3f, 42, xb, yb, lb));
        CHECK(memcmp(xa, xb, xbytes) == 0, "kind %d: x differs for one seed", kind);
        if (nn_dataset_is_classification(kind))
            CHECK(memcmp(la, lb, (size_t)n * sizeof(int32_t)) == 0, "kind %d labels", kind);
        else
            CHECK(memcmp(ya, yb, (size_t)n * sizeof(float)) == 0, "kind %d y", kind);
        CHECK_OK(gen(kind, n, k, 0.3f, 43, xb, yb, lb));
        CHECK(memcmp(xa, xb, xbytes) != 0, "kind %d: seeds 42 and 43 agree", kind);
    }
}

// Counts per class differ by at most one. With noise, CIRCLE and XOR flip
// labels (TF Playground's rule), so they are only checked without noise.
static void check_balance(int kind, int n, int k, float noise, uint32_t seed)
{
    int counts[8] = {0};
    int nc = classes_of(kind, k);
    CHECK_OK(gen(kind, n, k, noise, seed, xa, NULL, la));
    int bad = 0;
    for (int i = 0; i < n; i++) {
        if (la[i] < 0 || la[i] >= nc)
            bad++;
        else
            counts[la[i]]++;
    }
    CHECK(bad == 0, "kind %d k %d: %d labels outside [0, %d)", kind, k, bad, nc);
    int lo = n, hi = 0;
    for (int c = 0; c < nc; c++) {
        lo = counts[c] < lo ? counts[c] : lo;
        hi = counts[c] > hi ? counts[c] : hi;
    }
    CHECK(hi - lo <= 1, "kind %d k %d n %d noise %g: counts %d..%d", kind, k, n,
          (double)noise, lo, hi);
}

static void test_balance(void)
{
    static const int sizes[] = {0, 1, 2, 7, 100, 101, 997};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s];
        for (int kind = NN_DATA_CIRCLE; kind <= NN_DATA_SPIRAL; kind++)
            check_balance(kind, n, 0, 0.0f, 7);
        for (int k = 3; k <= 5; k++)
            check_balance(NN_DATA_SPIRALS, n, k, 0.0f, 7);
        for (int k = 2; k <= 5; k++)
            check_balance(NN_DATA_BLOBS, n, k, 0.0f, 7);
        // these sets take labels from the generator, so noise cannot unbalance them
        check_balance(NN_DATA_GAUSS, n, 0, 1.0f, 8);
        check_balance(NN_DATA_SPIRAL, n, 0, 1.0f, 8);
        check_balance(NN_DATA_SPIRALS, n, 5, 1.0f, 8);
        check_balance(NN_DATA_BLOBS, n, 3, 1.0f, 8);
    }
}

static int circle_rule(const float *p)
{
    double d = sqrt((double)p[0] * p[0] + (double)p[1] * p[1]);
    return d < 2.5 ? 0 : 1;
}

static int xor_rule(const float *p)
{
    return (double)p[0] * p[1] < 0.0 ? 1 : 0;
}

static void test_rules(void)
{
    const int n = MAX_N;
    for (uint32_t seed = 1; seed <= 3; seed++) {
        int bad = 0, gap = 0;
        CHECK_OK(gen(NN_DATA_CIRCLE, n, 0, 0.0f, seed, xa, NULL, la));
        for (int i = 0; i < n; i++) {
            const float *p = xa + 2 * i;
            double d = sqrt((double)p[0] * p[0] + (double)p[1] * p[1]);
            bad += la[i] != circle_rule(p);
            gap += (d >= 2.5 && d < 3.5 - 1e-5) || d > 5.0 + 1e-5;
        }
        CHECK(bad == 0, "CIRCLE seed %u: %d labels break distance < 2.5", seed, bad);
        CHECK(gap == 0, "CIRCLE seed %u: %d points in the gap or beyond 5", seed, gap);

        bad = 0;
        gap = 0;
        CHECK_OK(gen(NN_DATA_XOR, n, 0, 0.0f, seed, xa, NULL, la));
        for (int i = 0; i < n; i++) {
            const float *p = xa + 2 * i;
            bad += la[i] != xor_rule(p);
            gap += fabsf(p[0]) < 0.3f || fabsf(p[1]) < 0.3f;
        }
        CHECK(bad == 0, "XOR seed %u: %d labels break x1 x2 < 0", seed, bad);
        CHECK(gap == 0, "XOR seed %u: %d points inside the padding", seed, gap);
    }

    // noise moves labels, never points, and does flip some labels
    for (int kind = NN_DATA_CIRCLE; kind <= NN_DATA_XOR; kind++) {
        CHECK_OK(gen(kind, n, 0, 0.0f, 5, xa, NULL, la));
        CHECK_OK(gen(kind, n, 0, 0.5f, 5, xb, NULL, lb));
        CHECK(memcmp(xa, xb, 2 * (size_t)n * sizeof(float)) == 0,
              "kind %d: noise moved points", kind);
        int flipped = 0, broken = 0;
        for (int i = 0; i < n; i++) {
            flipped += la[i] != lb[i];
            int rule = kind == NN_DATA_CIRCLE ? circle_rule(xb + 2 * i) : xor_rule(xb + 2 * i);
            broken += lb[i] != rule;
        }
        CHECK(flipped > n / 50 && flipped < n / 2, "kind %d: %d of %d labels flipped",
              kind, flipped, n);
        CHECK(broken == flipped, "kind %d: flips %d, rule broken %d", kind, flipped, broken);
    }
}

static void test_square(void)
{
    static const float noises[] = {0.0f, 0.5f, 1.0f};
    for (int kind = 0; kind < NN_DATA_COUNT; kind++) {
        int d = nn_dataset_dims(kind);
        for (int k = 2; k <= 5; k++) {
            if (kind == NN_DATA_SPIRALS && k == 2)
                continue;
            for (size_t s = 0; s < 3; s++) {
                for (uint32_t seed = 0; seed < 3; seed++) {
                    CHECK_OK(gen(kind, MAX_N, k, noises[s], seed, xa, ya, la));
                    int out = 0;
                    for (int i = 0; i < MAX_N * d; i++)
                        out += !(xa[i] >= -6.0f && xa[i] <= 6.0f);
                    CHECK(out == 0, "kind %d k %d noise %g: %d coordinates outside",
                          kind, k, (double)noises[s], out);
                }
            }
        }
    }
}

// Without noise a spiral point of arm c, position i, has radius 5 i / n_c.
static void test_spiral_shape(void)
{
    for (int k = 2; k <= 5; k++) {
        int n = 203;
        int kind = k == 2 ? NN_DATA_SPIRAL : NN_DATA_SPIRALS;
        CHECK_OK(gen(kind, n, k, 0.0f, 11, xa, NULL, la));
        int bad = 0;
        for (int j = 0; j < n; j++) {
            int c = la[j];
            int nc = n / k + (c < n % k);
            double want = 5.0 * (j / k) / nc;
            double got = hypot(xa[2 * j], xa[2 * j + 1]);
            bad += fabs(got - want) > 1e-5 || c != j % k;
        }
        CHECK(bad == 0, "spiral k %d: %d points off their arm", k, bad);
    }
}

// Class means land on the documented centres.
static void test_blob_centres(void)
{
    const int n = MAX_N;
    // k = 1 stands for GAUSS, 2..5 for BLOBS
    for (int k = 1; k <= 5; k++) {
        int kind = k == 1 ? NN_DATA_GAUSS : NN_DATA_BLOBS;
        int nk = k == 1 ? 2 : k;
        CHECK_OK(gen(kind, n, k, 0.0f, 3, xa, NULL, la));
        double sx[5] = {0}, sy[5] = {0};
        int cnt[5] = {0};
        for (int i = 0; i < n; i++) {
            sx[la[i]] += xa[2 * i];
            sy[la[i]] += xa[2 * i + 1];
            cnt[la[i]]++;
        }
        for (int c = 0; c < nk; c++) {
            double wx = k == 1 ? (c == 0 ? 2.0 : -2.0) : 3.5 * cos(6.283185307179586 * c / k);
            double wy = k == 1 ? (c == 0 ? 2.0 : -2.0) : 3.5 * sin(6.283185307179586 * c / k);
            CHECK_NEAR(sx[c] / cnt[c], wx, 0.15, "blob mean x");
            CHECK_NEAR(sy[c] / cnt[c], wy, 0.15, "blob mean y");
        }
    }
}

static void test_regression(void)
{
    const int n = 500;
    CHECK_OK(gen(NN_DATA_PLANE, n, 0, 0.0f, 9, xa, ya, NULL));
    for (int i = 0; i < n; i++)
        CHECK_NEAR(ya[i], (xa[2 * i] + 2.0 * xa[2 * i + 1]) / 18.0, 1e-6, "plane y");
    CHECK_OK(gen(NN_DATA_COS, n, 0, 0.0f, 9, xa, ya, NULL));
    for (int i = 0; i < n; i++)
        CHECK_NEAR(ya[i], cos((double)xa[i]), 1e-6, "cos y");

    // with noise the targets move, the plane's by at most `noise`
    CHECK_OK(gen(NN_DATA_PLANE, n, 0, 0.5f, 9, xa, ya, NULL));
    int moved = 0, far = 0;
    for (int i = 0; i < n; i++) {
        double dev = fabs(ya[i] - (xa[2 * i] + 2.0 * xa[2 * i + 1]) / 18.0);
        moved += dev > 1e-3;
        far += dev > 0.5 + 1e-5;
    }
    CHECK(moved > n / 2, "plane noise moved only %d targets", moved);
    CHECK(far == 0, "plane noise: %d targets beyond 0.5", far);
    CHECK_OK(gen(NN_DATA_COS, n, 0, 1.0f, 9, xa, ya, NULL));
    double ss = 0.0;
    for (int i = 0; i < n; i++)
        ss += (ya[i] - cos((double)xa[i])) * (ya[i] - cos((double)xa[i]));
    CHECK_NEAR(sqrt(ss / n), 0.5, 0.06, "cos noise sd at noise 1");
}

static void test_shuffle(void)
{
    enum { N = 257, DX = 3, DY = 2 };
    for (int i = 0; i < N; i++) {
        for (int d = 0; d < DX; d++)
            xa[i * DX + d] = (float)(i * 10 + d);
        for (int e = 0; e < DY; e++)
            ya[i * DY + e] = (float)(-i * 10 - e);
        la[i] = i;
    }
    CHECK_OK(nn_shuffle(xa, DX, ya, DY, la, N, 77));
    int seen[N] = {0};
    int moved = 0, torn = 0, out = 0;
    for (int i = 0; i < N; i++) {
        int o = la[i];
        if (o < 0 || o >= N) {
            out++;
            continue;
        }
        seen[o]++;
        moved += o != i;
        for (int d = 0; d < DX; d++)
            torn += xa[i * DX + d] != (float)(o * 10 + d);
        for (int e = 0; e < DY; e++)
            torn += ya[i * DY + e] != (float)(-o * 10 - e);
    }
    int missing = 0;
    for (int i = 0; i < N; i++)
        missing += seen[i] != 1;
    CHECK(out == 0 && missing == 0, "not a permutation: %d out, %d missing", out, missing);
    CHECK(torn == 0, "%d values left their row", torn);
    CHECK(moved > N / 2, "only %d of %d rows moved", moved, N);

    // same seed, same permutation, also without y and with dy = 0
    for (int i = 0; i < N; i++) {
        xb[i] = (float)i;
        lb[i] = i;
    }
    CHECK_OK(nn_shuffle(xb, 1, NULL, 0, lb, N, 77));
    int differ = 0;
    for (int i = 0; i < N; i++)
        differ += lb[i] != la[i] || xb[i] != (float)la[i];
    CHECK(differ == 0, "seed 77 gave another permutation (%d rows)", differ);
    CHECK_OK(nn_shuffle(xb, 1, yb, 0, NULL, N, 78));
    differ = 0;
    for (int i = 0; i < N; i++)
        differ += xb[i] != (float)lb[i];
    CHECK(differ > N / 2, "seed 78 left %d rows in place", N - differ);

    // shuffled circle data keep their rule and their class counts
    CHECK_OK(gen(NN_DATA_CIRCLE, 1001, 0, 0.0f, 4, xa, NULL, la));
    CHECK_OK(nn_shuffle(xa, 2, NULL, 0, la, 1001, 5));
    int bad = 0, ones = 0;
    for (int i = 0; i < 1001; i++) {
        bad += la[i] != circle_rule(xa + 2 * i);
        ones += la[i];
    }
    CHECK(bad == 0, "%d shuffled circle rows broken", bad);
    CHECK(ones == 500, "class 1 count %d after shuffle", ones);

    // uniform over permutations: each order of 3 rows about 1/6 of the seeds
    // (a Sattolo-style off-by-one would never leave a row in place)
    int perm_count[27] = {0};
    int failed = 0;
    for (uint32_t seed = 0; seed < 6000; seed++) {
        float x3[3] = {0.0f, 1.0f, 2.0f};
        failed += nn_shuffle(x3, 1, NULL, 0, NULL, 3, seed) != NN_OK;
        perm_count[(int)x3[0] * 9 + (int)x3[1] * 3 + (int)x3[2]]++;
    }
    CHECK(failed == 0, "%d shuffles of 3 rows failed", failed);
    static const int perms[6] = {0 * 9 + 1 * 3 + 2, 0 * 9 + 2 * 3 + 1, 1 * 9 + 0 * 3 + 2,
                                 1 * 9 + 2 * 3 + 0, 2 * 9 + 0 * 3 + 1, 2 * 9 + 1 * 3 + 0};
    for (int p = 0; p < 6; p++)
        CHECK(abs(perm_count[perms[p]] - 1000) < 150, "permutation %d drawn %d of 6000",
              perms[p], perm_count[perms[p]]);

    CHECK_OK(nn_shuffle(xa, 2, NULL, 0, NULL, 0, 1));
    CHECK_OK(nn_shuffle(xa, 2, NULL, 0, NULL, 1, 1));
}

#define CHECK_RC(expr, want)                                                  \
    do {                                                                      \
        int rc_ = (expr);                                                     \
        CHECK(rc_ == (want), "got %d want %d", rc_, (int)(want));             \
    } while (0)

static void test_errors(void)
{
    float x[8], y[4];
    int32_t l[4];
    CHECK_RC(gen(-1, 4, 3, 0.0f, 1, x, y, l), NN_ERR_ENUM);
    CHECK_RC(gen(NN_DATA_COUNT, 4, 3, 0.0f, 1, x, y, l), NN_ERR_ENUM);
    CHECK_RC(gen(NN_DATA_CIRCLE, 4, 0, 0.0f, 1, NULL, y, l), NN_ERR_NULL);
    CHECK_RC(gen(NN_DATA_PLANE, 4, 0, 0.0f, 1, NULL, y, l), NN_ERR_NULL);
    CHECK_RC(gen(NN_DATA_CIRCLE, 0, 0, 0.0f, 1, NULL, y, l), NN_ERR_NULL);
    CHECK_RC(gen(NN_DATA_SPIRAL, 4, 0, 0.0f, 1, x, y, NULL), NN_ERR_NULL);
    CHECK_RC(gen(NN_DATA_BLOBS, 4, 3, 0.0f, 1, x, y, NULL), NN_ERR_NULL);
    CHECK_RC(gen(NN_DATA_COS, 4, 0, 0.0f, 1, x, NULL, l), NN_ERR_NULL);
    CHECK_RC(gen(NN_DATA_PLANE, 4, 0, 0.0f, 1, x, NULL, l), NN_ERR_NULL);
    CHECK_RC(gen(NN_DATA_XOR, -1, 0, 0.0f, 1, x, y, l), NN_ERR_SIZE);
    CHECK_RC(gen(NN_DATA_COS, -5, 0, 0.0f, 1, x, y, l), NN_ERR_SIZE);
    CHECK_RC(gen(NN_DATA_SPIRALS, 4, 2, 0.0f, 1, x, y, l), NN_ERR_SIZE);
    CHECK_RC(gen(NN_DATA_SPIRALS, 4, 6, 0.0f, 1, x, y, l), NN_ERR_SIZE);
    CHECK_RC(gen(NN_DATA_BLOBS, 4, 1, 0.0f, 1, x, y, l), NN_ERR_SIZE);
    CHECK_RC(gen(NN_DATA_BLOBS, 4, 6, 0.0f, 1, x, y, l), NN_ERR_SIZE);
    CHECK_RC(gen(NN_DATA_GAUSS, 4, 0, NAN, 1, x, y, l), NN_ERR_VALUE);
    CHECK_RC(gen(NN_DATA_GAUSS, 4, 0, -0.01f, 1, x, y, l), NN_ERR_VALUE);
    CHECK_RC(gen(NN_DATA_COS, 4, 0, 1.01f, 1, x, y, l), NN_ERR_VALUE);
    CHECK_RC(gen(NN_DATA_PLANE, 4, 0, INFINITY, 1, x, y, l), NN_ERR_VALUE);

    // the edges of every range are accepted; k is ignored by the other sets
    CHECK_OK(gen(NN_DATA_SPIRALS, 4, 3, 0.0f, 1, x, NULL, l));
    CHECK_OK(gen(NN_DATA_SPIRALS, 4, 5, 1.0f, 1, x, NULL, l));
    CHECK_OK(gen(NN_DATA_BLOBS, 4, 2, 0.0f, 1, x, NULL, l));
    CHECK_OK(gen(NN_DATA_BLOBS, 4, 5, 1.0f, 1, x, NULL, l));
    CHECK_OK(gen(NN_DATA_CIRCLE, 4, -7, 1.0f, 1, x, NULL, l));
    CHECK_OK(gen(NN_DATA_COS, 4, 99, 0.0f, 1, x, y, NULL));
    CHECK_OK(gen(NN_DATA_XOR, 0, 0, 0.0f, 1, x, NULL, l));

    CHECK_RC(nn_shuffle(NULL, 2, y, 1, l, 4, 1), NN_ERR_NULL);
    CHECK_RC(nn_shuffle(x, 2, y, 1, l, -1, 1), NN_ERR_SIZE);
    CHECK_RC(nn_shuffle(x, 0, y, 1, l, 4, 1), NN_ERR_SIZE);
    CHECK_RC(nn_shuffle(x, 2, y, -1, l, 4, 1), NN_ERR_SIZE);
}

int main(void)
{
    test_dims();
    test_determinism();
    test_balance();
    test_rules();
    test_square();
    test_spiral_shape();
    test_blob_centres();
    test_regression();
    test_shuffle();
    test_errors();
    CHECK_DONE();
}
