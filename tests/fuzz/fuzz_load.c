/* fuzz_load.c: nn_load on arbitrary bytes, then use of whatever loads.
 * A file is untrusted: it must load or fail with FORMAT, SIZE or NOMEM,
 * never crash, hang or allocate beyond NN_LOAD_MAX_BYTES. A net that loads
 * saves back to the same bytes, predicts, trains a few steps on small data,
 * evaluates, and saves a file that loads again. */
#include "nn.h"

#include "fuzz.h"
#include "../saved.h"

/* Small data for a loaded net: rows of its width, labels or targets. */
static void use(nn_net *net)
{
    int nin = nn_inputs(net), nout = nn_outputs(net), mb = nn_max_batch(net);
    // widths come from the file, which is at most a few KB: keep the work small
    if (nin > 4096 || nout > 4096 || nn_activation_width(net) > 65536)
        return;
    enum { ROWS = 5 };
    float *x = calloc((size_t)ROWS * (size_t)nin, sizeof(float));
    float *y = calloc((size_t)ROWS * (size_t)nout, sizeof(float));
    float *out = calloc((size_t)ROWS * (size_t)nn_activation_width(net) + (size_t)ROWS * (size_t)nout, sizeof(float));
    int32_t lab[ROWS];
    for (int i = 0; i < ROWS * nin; i++)
        x[i] = (float)((i * 7) % 11) / 5.0f - 1.0f;
    for (int i = 0; i < ROWS; i++) {
        lab[i] = i % nout;
        y[(size_t)i * (size_t)nout + (size_t)(i % nout)] = 1.0f;
    }
    int softmax = nn_loss_kind(net) == NN_LOSS_SOFTMAX_CE;
    nn_data d = {.x = x, .y = softmax ? NULL : y, .label = softmax ? lab : NULL, .n = ROWS, .dx = nin,
                 .dy = softmax ? 0 : nout};
    FZ_CHECK(nn_predict(net, x, ROWS, out) == NN_OK, "predict");
    FZ_CHECK(nn_activations(net, x, ROWS, out) == NN_OK, "activations");
    int batch = mb < 3 ? mb : 3;
    nn_report rep;
    int rc = nn_train(net, &d, batch, 4, &rep);
    int at_limit = nn_step_count(net) + 4 > NN_MAX_STEPS;
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_DIVERGED || (rc == NN_ERR_SIZE && at_limit), "train on valid data: %s",
             nn_strerror(rc));
    FZ_CHECK(nn_step_count(net) <= NN_MAX_STEPS, "step count past the limit");
    FZ_CHECK(rc != NN_OK || rep.steps == 4, "4 steps reported");
    float loss, acc;
    rc = nn_evaluate(net, &d, &loss, &acc);
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_DIVERGED, "evaluate: %s", nn_strerror(rc));
    FZ_CHECK(rc != NN_OK || (acc >= 0.0f && acc <= 1.0f), "accuracy %g", acc);
    float norms[NN_MAX_LAYERS];
    FZ_CHECK(nn_grad_norms(net, norms) == NN_OK, "grad norms");
    // saved after training, the net loads again unless training took a
    // parameter out of float range (a file never holds one)
    int finite = 1;
    for (int i = 0; i < nn_param_count(net); i++)
        finite &= isfinite(nn_params(net)[i]) != 0;
    size_t size = nn_save_size(net);
    uint8_t *buf = malloc(size);
    FZ_CHECK(nn_save(net, buf, size, NULL) == NN_OK, "save");
    int st;
    nn_net *again = nn_load(buf, size, &st);
    FZ_CHECK(again || !finite, "a trained net's file loads: %s", nn_strerror(st));
    nn_free(again);
    free(buf);
    free(x);
    free(y);
    free(out);
}

/* Loads bytes; a net that loads must save back to exactly the same bytes
 * (a file of an older version: to a current one that does so in turn). */
static void load_one(const uint8_t *data, size_t size, int depth)
{
    int st = 0;
    nn_net *net = nn_load(data, size, &st);
    if (!net) {
        FZ_CHECK(st == NN_ERR_FORMAT || st == NN_ERR_SIZE || st == NN_ERR_NOMEM, "status %d", st);
        return;
    }
    FZ_CHECK(st == NN_OK, "status %d with a net", st);
    uint32_t version = data[4] | (uint32_t)data[5] << 8 | (uint32_t)data[6] << 16 | (uint32_t)data[7] << 24;
    size_t n = nn_save_size(net);
    uint8_t *buf = malloc(n);
    size_t written = 0;
    FZ_CHECK(nn_save(net, buf, n, &written) == NN_OK && written == n, "save");
    if (version == NN_SAVE_VERSION) {
        FZ_CHECK(n == size, "save size %zu for a %zu-byte file", n, size);
        FZ_CHECK(memcmp(buf, data, n) == 0, "load -> save changed the bytes");
    } else {
        FZ_CHECK(depth == 0, "a saved file is of the current version");
        load_one(buf, n, 1);
    }
    free(buf);
    if (depth == 0)
        use(net);
    nn_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // the bytes as they are (the checksum path), then resealed: almost every
    // mutation breaks the checksum, and the parser behind it must be reached
    load_one(data, size, 0);
    if (size < 12)
        return 0;
    uint8_t *copy = malloc(size);
    memcpy(copy, data, size);
    saved_reseal(copy, size);
    load_one(copy, size, 0);
    free(copy);
    return 0;
}
