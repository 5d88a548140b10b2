/* test_embed.c: the measures of a code space (engine/embed.c) against
 * independent float64 references written here:
 * - nn_pca on data with known components (planted orthonormal directions
 *   with standard deviations 5, 3, 2 and 0.1 noise, d = 12 and d = 300;
 *   recovered to a cosine above 0.95, sampling noise included)
 *   against power iteration with deflation on the float64 covariance: the
 *   components (to 1e-4 per entry, same sign convention), explained shares,
 *   mean and projections; the planted directions are recovered; bad input;
 * - nn_knn_accuracy against brute force (all distances sorted by distance
 *   then index, votes counted, ties to the nearest) for k = 1 .. n_ref on
 *   data with repeated points, and hand-made ties; bad input. */
#include "check.h"
#include "nn.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t lcg_state = 424242u;

static double urand(double lo, double hi)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lo + (hi - lo) * (double)(lcg_state >> 8) / 16777216.0;
}

static double gauss(void)
{
    double u = urand(1e-12, 1.0), v = urand(0.0, 1.0);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Top m eigenvectors of the symmetric c (d, d) by power iteration with
 * deflation (c is destroyed): rows of vec (m, d), values val (m). */
static void power_reference(double *c, int d, int m, double *vec, double *val)
{
    double *v = malloc((size_t)d * sizeof *v), *w = malloc((size_t)d * sizeof *w);
    for (int j = 0; j < m; j++) {
        for (int i = 0; i < d; i++)
            v[i] = 1.0 + 0.01 * i;
        double lambda = 0.0;
        for (int it = 0; it < 5000; it++) {
            double norm = 0.0;
            for (int i = 0; i < d; i++) {
                w[i] = 0.0;
                for (int t = 0; t < d; t++)
                    w[i] += c[(size_t)i * d + t] * v[t];
                norm += w[i] * w[i];
            }
            norm = sqrt(norm);
            double change = 0.0;
            for (int i = 0; i < d; i++) {
                change = fmax(change, fabs(w[i] / norm - v[i]));
                v[i] = w[i] / norm;
            }
            lambda = norm;
            if (change < 1e-14)
                break;
        }
        // the sign convention of nn.h: the largest entry positive
        int big = 0;
        for (int i = 1; i < d; i++)
            if (fabs(v[i]) > fabs(v[big]))
                big = i;
        double s = v[big] < 0 ? -1.0 : 1.0;
        for (int i = 0; i < d; i++)
            vec[(size_t)j * d + i] = s * v[i];
        val[j] = lambda;
        for (int i = 0; i < d; i++)
            for (int t = 0; t < d; t++)
                c[(size_t)i * d + t] -= lambda * v[i] * v[t];
    }
    free(v);
    free(w);
}

static void pca_case(int n, int d, int m)
{
    const double sd[3] = {5.0, 3.0, 2.0}, noise = 0.1;
    double *u = malloc((size_t)3 * d * sizeof *u);
    // three orthonormal planted directions (Gram-Schmidt of random vectors)
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < d; i++)
            u[j * d + i] = gauss();
        for (int k = 0; k < j; k++) {
            double dot = 0.0;
            for (int i = 0; i < d; i++)
                dot += u[j * d + i] * u[k * d + i];
            for (int i = 0; i < d; i++)
                u[j * d + i] -= dot * u[k * d + i];
        }
        double norm = 0.0;
        for (int i = 0; i < d; i++)
            norm += u[j * d + i] * u[j * d + i];
        for (int i = 0; i < d; i++)
            u[j * d + i] /= sqrt(norm);
    }
    float *x = malloc((size_t)n * d * sizeof *x);
    for (int r = 0; r < n; r++)
        for (int i = 0; i < d; i++)
            x[(size_t)r * d + i] = (float)(0.5 * i + noise * gauss());
    for (int r = 0; r < n; r++)
        for (int j = 0; j < 3; j++) {
            double a = sd[j] * gauss();
            for (int i = 0; i < d; i++)
                x[(size_t)r * d + i] += (float)(a * u[j * d + i]);
        }
    // the float64 reference
    double *mean = calloc((size_t)d, sizeof *mean), *c = calloc((size_t)d * d, sizeof *c);
    double *vec = malloc((size_t)m * d * sizeof *vec), val[3], total = 0.0;
    for (int r = 0; r < n; r++)
        for (int i = 0; i < d; i++)
            mean[i] += x[(size_t)r * d + i] / (double)n;
    for (int r = 0; r < n; r++)
        for (int i = 0; i < d; i++)
            for (int t = 0; t < d; t++)
                c[(size_t)i * d + t] += (x[(size_t)r * d + i] - mean[i]) * (x[(size_t)r * d + t] - mean[t]) / (n - 1);
    for (int i = 0; i < d; i++)
        total += c[(size_t)i * d + i];
    power_reference(c, d, m, vec, val);
    float *mu = malloc((size_t)d * sizeof *mu), *comp = malloc((size_t)m * d * sizeof *comp);
    float *proj = malloc((size_t)n * m * sizeof *proj), expl[3];
    CHECK_OK(nn_pca(x, n, d, m, mu, comp, proj, expl));
    double worst = 0.0;
    for (int i = 0; i < d; i++)
        CHECK_NEAR(mu[i], mean[i], 1e-5 * (1.0 + fabs(mean[i])), "mean");
    for (int j = 0; j < m; j++) {
        double planted = 0.0;
        for (int i = 0; i < d; i++) {
            worst = fmax(worst, fabs(comp[(size_t)j * d + i] - vec[(size_t)j * d + i]));
            planted += comp[(size_t)j * d + i] * u[j * d + i];
        }
        CHECK(fabs(planted) > 0.95, "component %d is the planted direction (|cos| %.4f)", j, fabs(planted));
        CHECK_NEAR(expl[j], val[j] / total, 1e-5, "explained share");
        for (int r = 0; r < n; r++) {
            double s = 0.0;
            for (int i = 0; i < d; i++)
                s += (x[(size_t)r * d + i] - mean[i]) * vec[(size_t)j * d + i];
            CHECK_NEAR(proj[(size_t)r * m + j], s, 1e-3 * (1.0 + fabs(s)), "projection");
        }
    }
    CHECK(worst < 1e-4, "n %d d %d m %d: components differ from the reference by %.3g", n, d, m, worst);
    // optional outputs may be NULL; the components are the same
    float *comp2 = malloc((size_t)m * d * sizeof *comp2);
    CHECK_OK(nn_pca(x, n, d, m, NULL, comp2, NULL, NULL));
    CHECK(memcmp(comp, comp2, (size_t)m * d * sizeof *comp) == 0, "deterministic");
    free(u); free(x); free(mean); free(c); free(vec); free(mu); free(comp); free(proj); free(comp2);
}

static void pca_bad(void)
{
    float x[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, comp[12];
    CHECK(nn_pca(x, 1, 3, 1, NULL, comp, NULL, NULL) == NN_ERR_SIZE, "n = 1");
    CHECK(nn_pca(x, 4, 3, 4, NULL, comp, NULL, NULL) == NN_ERR_SIZE, "m > d");
    CHECK(nn_pca(x, 3, 4, NN_PCA_MAX + 1, NULL, comp, NULL, NULL) == NN_ERR_SIZE, "m > NN_PCA_MAX");
    CHECK(nn_pca(x, 4, 3, 0, NULL, comp, NULL, NULL) == NN_ERR_SIZE, "m = 0");
    CHECK(nn_pca(NULL, 4, 3, 1, NULL, comp, NULL, NULL) == NN_ERR_NULL, "no x");
    CHECK(nn_pca(x, 4, 3, 1, NULL, NULL, NULL, NULL) == NN_ERR_NULL, "no components");
    x[5] = NAN;
    CHECK(nn_pca(x, 4, 3, 1, NULL, comp, NULL, NULL) == NN_ERR_VALUE, "NaN");
    // constant data: no variance, explained 0, components still unit rows
    float flat[12], e[2];
    for (int i = 0; i < 12; i++)
        flat[i] = 3.0f;
    CHECK_OK(nn_pca(flat, 4, 3, 2, NULL, comp, NULL, e));
    CHECK(e[0] == 0.0f && e[1] == 0.0f, "no variance explained");
}

/* Brute force: every distance, sorted by (distance, index); majority of the
 * first k, ties to the label met first. */
typedef struct {
    double d;
    int i;
} nbr;

static int by_distance(const void *a, const void *b)
{
    const nbr *p = a, *q = b;
    return p->d < q->d ? -1 : p->d > q->d ? 1 : p->i - q->i;
}

static double knn_reference(const float *ref, const int32_t *rl, int nr, const float *q, const int32_t *ql, int nq,
                            int d, int k)
{
    nbr *all = malloc((size_t)nr * sizeof *all);
    int correct = 0;
    for (int a = 0; a < nq; a++) {
        for (int r = 0; r < nr; r++) {
            double s = 0.0;
            for (int t = 0; t < d; t++)
                s += ((double)q[a * d + t] - ref[r * d + t]) * ((double)q[a * d + t] - ref[r * d + t]);
            all[r] = (nbr){s, r};
        }
        qsort(all, (size_t)nr, sizeof *all, by_distance);
        int best = -1, best_votes = 0;
        for (int i = 0; i < k; i++) {
            int votes = 0;
            for (int j = 0; j < k; j++)
                votes += rl[all[j].i] == rl[all[i].i];
            if (votes > best_votes) {
                best_votes = votes;
                best = rl[all[i].i];
            }
        }
        correct += best == ql[a];
    }
    free(all);
    return (double)correct / nq;
}

static void knn_cases(void)
{
    enum { NR = 60, NQ = 40, DIM = 3 };
    float ref[NR * DIM], q[NQ * DIM];
    int32_t rl[NR], ql[NQ];
    // points on a coarse grid, so that equal distances and repeated points occur
    for (int i = 0; i < NR; i++) {
        rl[i] = (int32_t)urand(0, 4);
        for (int t = 0; t < DIM; t++)
            ref[i * DIM + t] = (float)(floor(urand(0, 4)) + 0.5 * rl[i]);
    }
    for (int i = 0; i < NQ; i++) {
        ql[i] = (int32_t)urand(0, 4);
        for (int t = 0; t < DIM; t++)
            q[i * DIM + t] = (float)(floor(urand(0, 4)) + 0.5 * ql[i]);
    }
    int checked = 0;
    double lo = 1, hi = 0;
    for (int k = 1; k <= NR; k++) {
        float acc = -1;
        CHECK_OK(nn_knn_accuracy(ref, rl, NR, q, ql, NQ, DIM, k, &acc));
        double want = knn_reference(ref, rl, NR, q, ql, NQ, DIM, k);
        CHECK(acc == (float)want, "k %d: %.6f, brute force %.6f", k, acc, want);
        lo = fmin(lo, acc);
        hi = fmax(hi, acc);
        checked++;
    }
    CHECK(hi - lo > 0.1 && checked == NR, "the cases differ in accuracy (%.3f .. %.3f)", lo, hi);
    // a tie in votes goes to the nearest: refs at 1 (label 7) and 2 (label 3), query at 0
    float r1[2] = {1, 2}, q1[1] = {0}, a;
    int32_t l1[2] = {7, 3}, want7[1] = {7}, want3[1] = {3};
    CHECK_OK(nn_knn_accuracy(r1, l1, 2, q1, want7, 1, 1, 2, &a));
    CHECK(a == 1.0f, "tie to the nearest");
    CHECK_OK(nn_knn_accuracy(r1, l1, 2, q1, want3, 1, 1, 2, &a));
    CHECK(a == 0.0f, "not the farther");
    // equal distances: the lower index is the nearer
    float r2[2] = {-1, 1};
    int32_t l2[2] = {3, 7};
    CHECK_OK(nn_knn_accuracy(r2, l2, 2, q1, want3, 1, 1, 1, &a));
    CHECK(a == 1.0f, "equal distances: the lower index");
    CHECK(nn_knn_accuracy(r1, l1, 2, q1, want7, 1, 1, 3, &a) == NN_ERR_SIZE, "k > n_ref");
    CHECK(nn_knn_accuracy(r1, l1, 2, q1, want7, 1, 1, 0, &a) == NN_ERR_SIZE, "k = 0");
    CHECK(nn_knn_accuracy(r1, l1, 2, q1, want7, 0, 1, 1, &a) == NN_ERR_SIZE, "no queries");
    CHECK(nn_knn_accuracy(r1, l1, 2, q1, want7, 1, 0, 1, &a) == NN_ERR_SIZE, "d = 0");
    CHECK(nn_knn_accuracy(NULL, l1, 2, q1, want7, 1, 1, 1, &a) == NN_ERR_NULL, "no ref");
    CHECK(nn_knn_accuracy(r1, l1, 2, q1, want7, 1, 1, 1, NULL) == NN_ERR_NULL, "no accuracy");
    q1[0] = NAN;
    CHECK(nn_knn_accuracy(r1, l1, 2, q1, want7, 1, 1, 1, &a) == NN_ERR_VALUE, "NaN");
}

int main(void)
{
    pca_case(400, 12, 3);
    pca_case(400, 12, 1);
    pca_case(300, 300, 2);
    pca_case(50, 3, 3);
    pca_bad();
    knn_cases();
    CHECK_DONE();
}
