/* fuzz_data.c: the seeded data generators and nn_shuffle with fuzzed
 * kinds, sizes, class counts, noise and seeds. A call succeeds or returns
 * the documented status; what succeeds is finite, labels are in [0, k),
 * the same seed gives the same bits, and a shuffle is a permutation. */
#include "nn.h"

#include "fuzz.h"

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
    free(x); free(x2); free(y); free(y2); free(lab); free(lab2);
    return 0;
}
