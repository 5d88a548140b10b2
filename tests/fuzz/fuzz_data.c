/* fuzz_data.c: the seeded data generators and nn_shuffle with fuzzed
 * kinds, sizes, class counts, noise and seeds. A call succeeds or returns
 * the documented status; what succeeds is finite, labels are in [0, k),
 * the same seed gives the same bits, and a shuffle is a permutation. The
 * measures of a code space (nn_pca, nn_knn_accuracy) run on what was
 * generated, with fuzzed component and neighbour counts: see embed(). */
#include "nn.h"

#include "fuzz.h"

/* PCA and k-NN accuracy of the first rows of x (n, dims) with labels lab:
 * refused with the documented status, or unit components, shares of the
 * variance in [0, 1] that add up to at most 1, an accuracy in [0, 1]. */
static void embed(fz_reader *r, const float *x, const int32_t *lab, int n, int dims)
{
    int m = (int)(fz_u8(r) % 5) - 1, rows = n < 400 ? n : 400;
    float comp[3 * 2], mean[2], expl[3];
    float *proj = calloc((size_t)(rows > 0 ? rows : 1) * 3, sizeof(float));
    int rc = nn_pca(x, rows, dims, m, mean, comp, proj, expl);
    int valid = rows >= 2 && m >= 1 && m <= dims && m <= NN_PCA_MAX;
    FZ_CHECK(valid ? rc == NN_OK : rc == NN_ERR_SIZE, "pca n %d d %d m %d: %d", rows, dims, m, rc);
    double total = 0.0;
    for (int j = 0; rc == NN_OK && j < m; j++) {
        double norm = 0.0;
        for (int t = 0; t < dims; t++)
            norm += (double)comp[j * dims + t] * comp[j * dims + t];
        FZ_CHECK(fabs(norm - 1.0) < 1e-4, "component %d has norm %g", j, sqrt(norm));
        FZ_CHECK(expl[j] >= 0.0f && expl[j] <= 1.0f + 1e-6f, "explained %g", expl[j]);
        total += expl[j];
    }
    FZ_CHECK(total <= 1.0 + 1e-5, "explained in all %g", total);
    int k = (int)(fz_u8(r) % 12), half = rows / 2;
    float acc = -1.0f;
    rc = nn_knn_accuracy(x, lab, rows - half, x + (size_t)(rows - half) * dims, lab + rows - half, half, dims, k, &acc);
    valid = half >= 1 && k >= 1 && k <= rows - half;
    FZ_CHECK(valid ? rc == NN_OK && acc >= 0.0f && acc <= 1.0f : rc == NN_ERR_SIZE, "knn n %d k %d: %d (%g)", rows,
             k, rc, acc);
    free(proj);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    fz_reader r = {bytes, size, 0};
    int kind = (int)(fz_u8(&r) % (NN_DATA_COUNT + 2)) - 1;
    uint8_t nb = fz_u8(&r);
    int n = nb < 250 ? (int)(fz_u32(&r) % 3000) : -(int)(fz_u8(&r) + 1);
    int k = (int)(fz_u8(&r) % 8);
    float noise = fz_f32(&r, 0.0f, 1.0f);
    uint32_t seed = fz_u32(&r);
    size_t rows = n > 0 ? (size_t)n : 1;
    float *x = calloc(rows * 2, sizeof(float)), *x2 = calloc(rows * 2, sizeof(float));
    float *y = calloc(rows, sizeof(float)), *y2 = calloc(rows, sizeof(float));
    int32_t *lab = calloc(rows, sizeof(int32_t)), *lab2 = calloc(rows, sizeof(int32_t));
    int rc = nn_dataset_generate(kind, n, k, noise, seed, x, y, lab);
    int cls = nn_dataset_is_classification(kind), dims = nn_dataset_dims(kind);
    if (kind < 0 || kind >= NN_DATA_COUNT) {
        FZ_CHECK(rc == NN_ERR_ENUM && cls == NN_ERR_ENUM && dims == NN_ERR_ENUM, "unknown kind %d: %d", kind, rc);
    } else if (rc != NN_OK) {
        FZ_CHECK(rc == NN_ERR_SIZE || rc == NN_ERR_VALUE, "kind %d n %d k %d noise %g: %d", kind, n, k, noise, rc);
        FZ_CHECK(n < 0 || !(noise >= 0.0f && noise <= 1.0f) || kind == NN_DATA_SPIRALS || kind == NN_DATA_BLOBS,
                 "refused a valid call");
    } else {
        int classes = kind == NN_DATA_SPIRALS || kind == NN_DATA_BLOBS ? k : 2;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dims; j++)
                FZ_CHECK(isfinite(x[i * dims + j]), "x[%d] not finite", i);
            if (cls)
                FZ_CHECK(lab[i] >= 0 && lab[i] < classes, "label %d of %d classes", lab[i], classes);
            else
                FZ_CHECK(isfinite(y[i]), "y[%d] not finite", i);
        }
        FZ_CHECK(nn_dataset_generate(kind, n, k, noise, seed, x2, y2, lab2) == NN_OK, "again");
        FZ_CHECK(memcmp(x, x2, (size_t)n * (size_t)dims * 4) == 0, "same seed, same inputs");
        FZ_CHECK(!cls || memcmp(lab, lab2, (size_t)n * 4) == 0, "same seed, same labels");
        // shuffle x with labels (or y): label counts, and the sum of the rows, are kept
        long count[8] = {0}, after[8] = {0};
        for (int i = 0; i < n && cls; i++)
            count[lab[i]]++;
        double sum = 0.0, sum2 = 0.0;
        for (int i = 0; i < n * dims; i++)
            sum += x[i];
        rc = nn_shuffle(x, dims, cls ? NULL : y, cls ? 0 : 1, cls ? lab : NULL, n, fz_u32(&r));
        FZ_CHECK(rc == NN_OK, "shuffle %d", rc);
        for (int i = 0; i < n && cls; i++)
            after[lab[i]]++;
        for (int i = 0; i < n * dims; i++)
            sum2 += x[i];
        FZ_CHECK(memcmp(count, after, sizeof count) == 0, "label counts kept");
        FZ_CHECK(sum == sum2 || fabs(sum - sum2) <= 1e-9 * (fabs(sum) + 1.0), "rows kept (%g vs %g)", sum, sum2);
    }
    rc = nn_shuffle(x, (int)(fz_u8(&r) % 3), y, (int)(fz_u8(&r) % 3) - 1, lab, n < 0 ? n : n / 2, seed);
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_SIZE, "shuffle %d", rc);
    if (kind >= 0 && kind < NN_DATA_COUNT && n > 0)
        embed(&r, x, lab, n, dims);
    free(x); free(x2); free(y); free(y2); free(lab); free(lab2);
    return 0;
}
