/* embed.c: measures of a code space, the outputs of an autoencoder's middle
 * layer: its principal components (to draw codes wider than 2, and the
 * linear baseline an autoencoder is compared with) and how well it
 * separates classes (k-nearest-neighbour accuracy of held-out examples).
 * Both accumulate in double; neither touches a net. */
#include "nn.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Extra vectors of the subspace iteration beyond the m asked for: they make
 * it converge at the rate lambda_{m+EXTRA+1} / lambda_m, not lambda_{m+1} / lambda_m. */
#define PCA_EXTRA 6
#define PCA_MAX_ITER 500
#define PCA_TOL 1e-9
#define PCA_STREAM 0x70636121u
#define PCA_ROWS 32 /* rows added to the covariance at a time */

static int all_finite(const float *x, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

/* Eigen-decomposition of the symmetric p x p matrix a (destroyed) by cyclic
 * Jacobi rotations: values w (p) and vectors as the columns of v (p, p). */
static void jacobi(double *a, int p, double *w, double *v)
{
    for (int i = 0; i < p * p; i++)
        v[i] = (i / p == i % p) ? 1.0 : 0.0;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0.0, diag = 0.0;
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) {
                double e = a[i * p + j] * a[i * p + j];
                if (i == j)
                    diag += e;
                else
                    off += e;
            }
        if (off <= 1e-30 * diag || off == 0.0)
            break;
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++) {
                double aij = a[i * p + j];
                if (aij == 0.0)
                    continue;
                double theta = (a[j * p + j] - a[i * p + i]) / (2.0 * aij);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int r = 0; r < p; r++) { // columns i, j
                    double ri = a[r * p + i], rj = a[r * p + j];
                    a[r * p + i] = c * ri - s * rj;
                    a[r * p + j] = s * ri + c * rj;
                }
                for (int r = 0; r < p; r++) { // rows i, j
                    double ir = a[i * p + r], jr = a[j * p + r];
                    a[i * p + r] = c * ir - s * jr;
                    a[j * p + r] = s * ir + c * jr;
                }
                for (int r = 0; r < p; r++) {
                    double ri = v[r * p + i], rj = v[r * p + j];
                    v[r * p + i] = c * ri - s * rj;
                    v[r * p + j] = s * ri + c * rj;
                }
            }
    }
    for (int i = 0; i < p; i++)
        w[i] = a[i * p + i];
}

/* Orthonormalises the p columns of q (d, p) by modified Gram-Schmidt; a
 * column that vanishes is replaced by a random one from r. */
static void orthonormalise(double *q, int d, int p, nn_rng *r)
{
    for (int j = 0; j < p; j++) {
        for (int attempt = 0;; attempt++) {
            for (int i = 0; i < j; i++) {
                double dot = 0.0;
                for (int t = 0; t < d; t++)
                    dot += q[t * p + i] * q[t * p + j];
                for (int t = 0; t < d; t++)
                    q[t * p + j] -= dot * q[t * p + i];
            }
            double norm = 0.0;
            for (int t = 0; t < d; t++)
                norm += q[t * p + j] * q[t * p + j];
            norm = sqrt(norm);
            if (norm > 1e-150 || attempt == 8) {
                for (int t = 0; t < d; t++)
                    q[t * p + j] = norm > 0.0 ? q[t * p + j] / norm : 0.0;
                break;
            }
            for (int t = 0; t < d; t++)
                q[t * p + j] = nn_rng_uniform(r) - 0.5;
        }
    }
}

/* The top eigenpairs of the covariance c (d, d) by subspace iteration with
 * Rayleigh-Ritz: values w (p) in decreasing order, vectors the columns of q (d, p). */
static void top_eigen(const double *c, int d, int p, int m, double *q, double *z, double *h, double *hv,
                      double *w, double *tmp)
{
    nn_rng r;
    nn_rng_seed(&r, 1u, PCA_STREAM);
    for (int i = 0; i < d * p; i++)
        q[i] = nn_rng_uniform(&r) - 0.5;
    orthonormalise(q, d, p, &r);
    for (int it = 0; it < PCA_MAX_ITER; it++) {
        memset(z, 0, (size_t)d * p * sizeof *z); // z = c q, rows of q in the inner loop
        for (int i = 0; i < d; i++)
            for (int t = 0; t < d; t++) {
                double cit = c[(size_t)i * d + t];
                for (int j = 0; j < p; j++)
                    z[i * p + j] += cit * q[t * p + j];
            }
        for (int i = 0; i < p; i++) // h = q^T z
            for (int j = 0; j < p; j++) {
                double s = 0.0;
                for (int t = 0; t < d; t++)
                    s += q[t * p + i] * z[t * p + j];
                h[i * p + j] = s;
            }
        for (int i = 0; i < p; i++) // symmetric up to rounding
            for (int j = i + 1; j < p; j++)
                h[i * p + j] = h[j * p + i] = 0.5 * (h[i * p + j] + h[j * p + i]);
        jacobi(h, p, w, hv);
        // Ritz vectors in decreasing order of their values: q hv, and c q hv = z hv
        int order[NN_PCA_MAX + PCA_EXTRA];
        for (int i = 0; i < p; i++)
            order[i] = i;
        for (int i = 1; i < p; i++)
            for (int j = i; j > 0 && w[order[j]] > w[order[j - 1]]; j--) {
                int t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        double ws[NN_PCA_MAX + PCA_EXTRA];
        for (int i = 0; i < p; i++)
            ws[i] = w[order[i]];
        memcpy(w, ws, (size_t)p * sizeof *w);
        double *mats[2] = {q, z};
        for (int k = 0; k < 2; k++) {
            for (int t = 0; t < d; t++)
                for (int j = 0; j < p; j++) {
                    double s = 0.0;
                    for (int i = 0; i < p; i++)
                        s += mats[k][t * p + i] * hv[i * p + order[j]];
                    tmp[t * p + j] = s;
                }
            memcpy(mats[k], tmp, (size_t)d * p * sizeof *tmp);
        }
        // converged when each wanted Ritz pair has a small residual ||c q - w q||
        double worst = 0.0, scale = fabs(w[0]);
        for (int j = 0; j < m; j++) {
            double s = 0.0;
            for (int t = 0; t < d; t++) {
                double e = z[t * p + j] - w[j] * q[t * p + j];
                s += e * e;
            }
            worst = fmax(worst, sqrt(s));
        }
        if (scale == 0.0 || worst <= PCA_TOL * scale)
            break;
        memcpy(q, z, (size_t)d * p * sizeof *q);
        orthonormalise(q, d, p, &r);
    }
}

int nn_pca(const float *x, int n, int d, int m, float *mean, float *components, float *projected,
           float *explained)
{
    if (!x || !components)
        return NN_ERR_NULL;
    if (n < 2 || d < 1 || d > NN_MAX_UNITS || m < 1 || m > NN_PCA_MAX || m > d)
        return NN_ERR_SIZE;
    if (!all_finite(x, (size_t)n * d))
        return NN_ERR_VALUE;
    int p = d < m + PCA_EXTRA ? d : m + PCA_EXTRA;
    size_t dd = (size_t)d * d, dp = (size_t)d * p;
    size_t blk = (size_t)PCA_ROWS * d;
    double *mu = malloc((d + dd + 3 * dp + 2 * (size_t)p * p + p + blk) * sizeof *mu);
    if (!mu)
        return NN_ERR_NOMEM;
    double *c = mu + d, *q = c + dd, *z = q + dp, *tmp = z + dp, *h = tmp + dp, *hv = h + (size_t)p * p,
           *w = hv + (size_t)p * p, *rows = w + p;
    memset(mu, 0, (d + dd) * sizeof *mu);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            mu[j] += x[(size_t)i * d + j];
    for (int j = 0; j < d; j++)
        mu[j] /= n;
    // the upper triangle of the covariance, PCA_ROWS centred rows at a time
    // held feature by feature (rows (d, PCA_ROWS)): c is swept once per block
    for (int i0 = 0; i0 < n; i0 += PCA_ROWS) {
        int nb = n - i0 < PCA_ROWS ? n - i0 : PCA_ROWS;
        for (int b = 0; b < nb; b++)
            for (int j = 0; j < d; j++)
                rows[(size_t)j * PCA_ROWS + b] = x[(size_t)(i0 + b) * d + j] - mu[j];
        for (int j = 0; j < d; j++) {
            const double *rj = rows + (size_t)j * PCA_ROWS;
            double *cj = c + (size_t)j * d;
            for (int t = j; t < d; t++) {
                const double *rt = rows + (size_t)t * PCA_ROWS;
                double s = 0.0;
                for (int b = 0; b < nb; b++)
                    s += rj[b] * rt[b];
                cj[t] += s;
            }
        }
    }
    double total = 0.0;
    for (int j = 0; j < d; j++) {
        for (int t = j; t < d; t++)
            c[(size_t)t * d + j] = c[(size_t)j * d + t] /= (n - 1);
        total += c[(size_t)j * d + j];
    }
    top_eigen(c, d, p, m, q, z, h, hv, w, tmp);
    for (int j = 0; j < m; j++) {
        // sign: the entry of largest magnitude is positive (the first of equals)
        int big = 0;
        for (int t = 1; t < d; t++)
            if (fabs(q[t * p + j]) > fabs(q[big * p + j]))
                big = t;
        double sign = q[big * p + j] < 0.0 ? -1.0 : 1.0;
        for (int t = 0; t < d; t++)
            components[(size_t)j * d + t] = (float)(sign * q[t * p + j]);
        if (explained)
            explained[j] = total > 0.0 ? (float)(fmax(w[j], 0.0) / total) : 0.0f;
    }
    if (mean)
        for (int j = 0; j < d; j++)
            mean[j] = (float)mu[j];
    for (int i = 0; projected && i < n; i++)
        for (int j = 0; j < m; j++) {
            double s = 0.0;
            for (int t = 0; t < d; t++)
                s += ((double)x[(size_t)i * d + t] - mu[t]) * (double)components[(size_t)j * d + t];
            projected[(size_t)i * m + j] = (float)s;
        }
    free(mu);
    return NN_OK;
}

int nn_knn_accuracy(const float *ref, const int32_t *ref_labels, int n_ref, const float *query,
                    const int32_t *query_labels, int n_query, int d, int k, float *accuracy)
{
    if (!ref || !ref_labels || !query || !query_labels || !accuracy)
        return NN_ERR_NULL;
    if (n_ref < 1 || n_query < 1 || d < 1 || d > NN_MAX_UNITS || k < 1 || k > n_ref || k > NN_KNN_MAX_K)
        return NN_ERR_SIZE;
    if (!all_finite(ref, (size_t)n_ref * d) || !all_finite(query, (size_t)n_query * d))
        return NN_ERR_VALUE;
    double best[NN_KNN_MAX_K];
    int idx[NN_KNN_MAX_K];
    long correct = 0;
    for (int q = 0; q < n_query; q++) {
        const float *a = query + (size_t)q * d;
        int cnt = 0;
        for (int r = 0; r < n_ref; r++) {
            const float *b = ref + (size_t)r * d;
            double s = 0.0;
            for (int t = 0; t < d; t++) {
                double e = (double)a[t] - (double)b[t];
                s += e * e;
            }
            if (cnt == k && !(s < best[k - 1]))
                continue;
            // insert after every neighbour at the same distance: the lower index stays ahead
            int j = cnt < k ? cnt++ : k - 1;
            for (; j > 0 && best[j - 1] > s; j--) {
                best[j] = best[j - 1];
                idx[j] = idx[j - 1];
            }
            best[j] = s;
            idx[j] = r;
        }
        // majority vote; the first (nearest) label reaching the top count wins a tie
        int32_t winner = ref_labels[idx[0]];
        int top = 0;
        for (int i = 0; i < k; i++) {
            int votes = 0;
            for (int j = 0; j < k; j++)
                votes += ref_labels[idx[j]] == ref_labels[idx[i]];
            if (votes > top) {
                top = votes;
                winner = ref_labels[idx[i]];
            }
        }
        correct += winner == query_labels[q];
    }
    *accuracy = (float)((double)correct / n_query);
    return NN_OK;
}
