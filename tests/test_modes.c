/* test_modes.c: training versus evaluation mode (dropout, batch norm), the
 * save/load round trip, reset and seeds, and every kind of bad input: each
 * returns its status and leaves the net usable, with parameters unchanged. */
#include "check.h"
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float X[64 * 3];
static float Y[64];
static int32_t LAB[64];

static void fill(void)
{
    uint32_t s = 12345;
    for (int i = 0; i < 64 * 3; i++) {
        s = s * 1664525u + 1013904223u;
        X[i] = (float)(s >> 8) / 16777216.0f * 4.0f - 2.0f;
    }
    for (int i = 0; i < 64; i++) {
        Y[i] = X[3 * i] + X[3 * i + 1] > 0.0f ? 1.0f : 0.0f;
        LAB[i] = (int32_t)Y[i] + (X[3 * i + 2] > 1.0f);
    }
}

static void dropout_modes(void)
{
    nn_layer_spec layers[] = {nn_dense(32), nn_dropout(0.5f), nn_dense(1)};
    nn_config cfg = {.n_in = 3, .n_layers = 3, .layers = layers, .output = NN_ACT_LINEAR,
                     .loss = NN_LOSS_MSE, .max_batch = 64, .seed = 1};
    nn_net *net = nn_create(&cfg, NULL);
    float act[64 * 65], act2[64 * 65];
    // eval mode: dropout is the identity, twice the same
    CHECK_OK(nn_activations(net, X, 64, act));
    CHECK(memcmp(act, act + 64 * 32, 64 * 32 * sizeof(float)) == 0, "eval dropout = identity");
    CHECK_OK(nn_activations(net, X, 64, act2));
    CHECK(memcmp(act, act2, sizeof act) == 0, "eval is deterministic");
    // train mode: about half the units are zeroed and the rest doubled
    nn_data d = {.x = X, .y = Y, .n = 64, .dx = 3, .dy = 1};
    float l1, l2, le;
    CHECK_OK(nn_loss_only(net, &d, 1, &l1));
    CHECK_OK(nn_loss_only(net, &d, 1, &l2));
    CHECK_OK(nn_loss_only(net, &d, 0, &le));
    CHECK(l1 != l2, "train-mode masks differ between calls");
    CHECK(l1 != le, "train mode differs from eval");
    // the same dropout seed gives the same mask
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, 9));
    CHECK_OK(nn_loss_only(net, &d, 1, &l1));
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, 9));
    CHECK_OK(nn_loss_only(net, &d, 1, &l2));
    CHECK(l1 == l2, "same dropout seed, same loss");
    // inverted dropout: the mean activation over many masks matches eval
    nn_free(net);
    nn_layer_spec only[] = {nn_dropout(0.25f), nn_dense(1)};
    nn_config c2 = {.n_in = 3, .n_layers = 2, .layers = only, .output = NN_ACT_LINEAR, .loss = NN_LOSS_MSE,
                    .max_batch = 64, .seed = 1};
    net = nn_create(&c2, NULL);
    float *p = nn_params(net);
    p[0] = 1.0f, p[1] = 1.0f, p[2] = 1.0f, p[3] = 0.0f;
    float ones[64 * 3], zero[64];
    for (int i = 0; i < 64 * 3; i++)
        ones[i] = 1.0f;
    memset(zero, 0, sizeof zero);
    nn_data dd = {.x = ones, .y = zero, .n = 64, .dx = 3, .dy = 1};
    double mean = 0.0;
    for (int r = 0; r < 200; r++) {
        float l;
        CHECK_OK(nn_loss_only(net, &dd, 1, &l));
        mean += l;
    }
    // eval loss: (1+1+1)^2 = 9; train E[(sum m_i)^2] = 9 + 3 * var(m), var = p/(1-p)
    CHECK_NEAR(mean / 200.0, 9.0 + 3.0 * (0.25 / 0.75), 0.25, "inverted dropout keeps the expectation");
    float le2;
    CHECK_OK(nn_loss_only(net, &dd, 0, &le2));
    CHECK_NEAR(le2, 9.0, 1e-6, "eval loss without dropout");
    nn_free(net);
}

static void batchnorm_modes(void)
{
    nn_layer_spec layers[] = {nn_dense(4), nn_batchnorm(), nn_dense(1)};
    nn_config cfg = {.n_in = 3, .n_layers = 3, .layers = layers, .output = NN_ACT_LINEAR,
                     .loss = NN_LOSS_MSE, .max_batch = 64, .seed = 3};
    nn_net *net = nn_create(&cfg, NULL);
    nn_data d = {.x = X, .y = Y, .n = 64, .dx = 3, .dy = 1};
    float *mean, *var;
    CHECK_OK(nn_bn_running(net, 1, &mean, &var));
    CHECK(mean[0] == 0.0f && var[0] == 1.0f, "running stats start at 0 and 1");
    float loss;
    CHECK_OK(nn_loss_grad(net, &d, &loss));
    // after one training forward: running = 0.9 * init + 0.1 * batch statistics
    float act[64 * 9];
    CHECK_OK(nn_activations(net, X, 64, act));
    for (int j = 0; j < 4; j++) {
        double s = 0, ss = 0;
        for (int i = 0; i < 64; i++)
            s += act[i * 4 + j];
        double m = s / 64;
        for (int i = 0; i < 64; i++)
            ss += (act[i * 4 + j] - m) * (act[i * 4 + j] - m);
        CHECK_NEAR(mean[j], 0.1 * m, 1e-5, "running mean");
        CHECK_NEAR(var[j], 0.9 + 0.1 * ss / 63, 1e-5, "running variance (unbiased)");
    }
    // training mode normalises with the batch: outputs have mean 0, variance 1
    nn_layer_spec bn_only[] = {nn_batchnorm(), nn_dense(1)};
    nn_config c2 = {.n_in = 3, .n_layers = 2, .layers = bn_only, .output = NN_ACT_LINEAR,
                    .loss = NN_LOSS_MSE, .max_batch = 64, .seed = 3};
    nn_net *n2 = nn_create(&c2, NULL);
    float *p = nn_params(n2);   // gamma (3), beta (3), W (1,3), b
    p[6] = 1.0f, p[7] = 0.0f, p[8] = 0.0f, p[9] = 0.0f;
    float zero[64] = {0};
    nn_data dz = {.x = X, .y = zero, .n = 64, .dx = 3, .dy = 1};
    float ltrain, leval;
    CHECK_OK(nn_loss_only(n2, &dz, 1, &ltrain));
    CHECK_NEAR(ltrain, 1.0, 1e-4, "train-mode BN output has unit variance");
    CHECK_OK(nn_loss_only(n2, &dz, 0, &leval));
    CHECK(fabs(leval - ltrain) > 0.1, "eval mode uses running statistics (%g vs %g)", leval, ltrain);
    nn_free(n2);
    nn_free(net);
}

static nn_net *small_net(void)
{
    nn_layer_spec layers[] = {nn_dense(6), nn_prelu(0.2f, 1), nn_batchnorm(), nn_dropout(0.1f),
                              nn_dense(3)};
    nn_config cfg = {.n_in = 3, .n_layers = 5, .layers = layers, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 16, .seed = 5};
    return nn_create(&cfg, NULL);
}

static void save_load(void)
{
    nn_net *a = small_net();
    nn_optim o = nn_optim_default(NN_OPT_ADAM);
    CHECK_OK(nn_set_optimizer(a, &o));
    CHECK_OK(nn_set_regularization(a, 1e-4f, 1e-3f));
    nn_data d = {.x = X, .label = LAB, .n = 64, .dx = 3};
    CHECK_OK(nn_train(a, &d, 16, 4, NULL));
    size_t size = nn_save_size(a), written = 0;
    uint8_t *buf = malloc(size);
    CHECK_OK(nn_save(a, buf, size, &written));
    CHECK(written == size, "save size");
    int st;
    nn_net *b = nn_load(buf, size, &st);
    CHECK(b != NULL, "load: %s", nn_strerror(st));
    CHECK(nn_param_count(a) == nn_param_count(b), "param count");
    CHECK(memcmp(nn_params(a), nn_params(b), (size_t)nn_param_count(a) * 4) == 0, "params exact");
    // both continue identically: optimiser state, random streams, BN statistics
    float la[8], lb[8];
    for (int i = 0; i < 8; i++) {
        CHECK_OK(nn_train(a, &d, 16, 1, NULL));
        CHECK_OK(nn_train(b, &d, 16, 1, NULL));
        CHECK_OK(nn_evaluate(a, &d, &la[i], NULL));
        CHECK_OK(nn_evaluate(b, &d, &lb[i], NULL));
    }
    CHECK(memcmp(la, lb, sizeof la) == 0, "loaded net trains exactly like the saved one");
    // corruption and truncation are refused
    buf[size / 2] ^= 0x40;
    CHECK(nn_load(buf, size, &st) == NULL && st == NN_ERR_FORMAT, "corrupt buffer refused");
    buf[size / 2] ^= 0x40;
    CHECK(nn_load(buf, size - 1, &st) == NULL && st == NN_ERR_FORMAT, "truncated buffer refused");
    CHECK(nn_load(buf, 3, &st) == NULL && st == NN_ERR_FORMAT, "tiny buffer refused");
    CHECK(nn_save(a, buf, size - 1, NULL) == NN_ERR_SIZE, "small save buffer refused");
    free(buf);
    nn_free(a);
    nn_free(b);
}

static void reset_and_seeds(void)
{
    nn_net *net = small_net();
    int n = nn_param_count(net);
    float *init = malloc((size_t)n * 4);
    memcpy(init, nn_params(net), (size_t)n * 4);
    nn_data d = {.x = X, .label = LAB, .n = 64, .dx = 3};
    float l1, l2;
    CHECK_OK(nn_train(net, &d, 8, 5, NULL));
    CHECK_OK(nn_evaluate(net, &d, &l1, NULL));
    CHECK(memcmp(init, nn_params(net), (size_t)n * 4) != 0, "training moves parameters");
    CHECK_OK(nn_reset(net));
    CHECK(memcmp(init, nn_params(net), (size_t)n * 4) == 0, "reset restores the initial weights");
    CHECK(nn_step_count(net) == 0, "reset clears the step count");
    CHECK_OK(nn_train(net, &d, 8, 5, NULL));
    CHECK_OK(nn_evaluate(net, &d, &l2, NULL));
    CHECK(l1 == l2, "after reset the same run gives the same loss");
    CHECK_OK(nn_set_seed(net, NN_STREAM_INIT, 99));
    CHECK_OK(nn_reset(net));
    CHECK(memcmp(init, nn_params(net), (size_t)n * 4) != 0, "a new init seed gives new weights");
    // constant init: every hidden neuron identical, and they stay identical
    nn_layer_spec layers[] = {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(1)};
    nn_config cfg = {.n_in = 3, .n_layers = 3, .layers = layers, .output = NN_ACT_SIGMOID,
                     .loss = NN_LOSS_BCE, .max_batch = 64, .seed = 1};
    nn_net *sym = nn_create(&cfg, NULL);
    nn_init ci = {.scheme = NN_INIT_CONST, .w_const = 0.3f, .b_const = 0.0f};
    CHECK_OK(nn_set_init(sym, &ci));
    nn_data db = {.x = X, .y = Y, .n = 64, .dx = 3, .dy = 1};
    CHECK_OK(nn_train(sym, &db, 8, 20, NULL));
    const float *w = nn_params(sym);
    int same = 1;
    for (int j = 1; j < 4; j++)
        same &= memcmp(w, w + 3 * j, 3 * sizeof(float)) == 0;
    CHECK(same, "constant init: symmetry is never broken");
    nn_free(sym);
    free(init);
    nn_free(net);
}

/* ASan aborts on a failed huge allocation unless told to return NULL. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static void out_of_memory(void)
{
    // 2^20 rows of 65536 floats per layer buffer: refused before allocating,
    // as the kernels index buffers with int
    nn_layer_spec layers[] = {nn_dense(65536), nn_activation(NN_ACT_TANH), nn_dense(1)};
    nn_config cfg = {.n_in = 4, .n_layers = 3, .layers = layers, .output = NN_ACT_LINEAR,
                     .loss = NN_LOSS_MSE, .max_batch = 1 << 20, .seed = 1};
    int st = 0;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net == NULL && st == NN_ERR_SIZE, "too large a net is refused (status %d)", st);
    nn_free(net);
    // (a real allocation failure is tested through wasm, whose 4 GiB limit
    // makes it cheap: tests/wasm_errors.test.mjs)
    // and the engine still works afterwards
    cfg.max_batch = 4;
    layers[0] = nn_dense(3), layers[2] = nn_dense(1);
    net = nn_create(&cfg, &st);
    CHECK(net != NULL, "create after out of memory: %s", nn_strerror(st));
    nn_free(net);
}

static void bad_input(void)
{
    int st;
    nn_layer_spec good[] = {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(2)};
    nn_config cfg = {.n_in = 3, .n_layers = 3, .layers = good, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 8, .seed = 1};
    CHECK(nn_create(NULL, &st) == NULL && st == NN_ERR_NULL, "NULL config");
    nn_config c = cfg;
    c.n_in = 0;
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_SIZE, "n_in 0");
    c = cfg, c.max_batch = 0;
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_SIZE, "max_batch 0");
    c = cfg, c.loss = 17;
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_ENUM, "unknown loss");
    c = cfg, c.output = NN_ACT_SIGMOID;
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_CONFIG, "CE without softmax");
    c = cfg, c.loss = NN_LOSS_BCE;
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_CONFIG, "BCE without sigmoid");
    nn_layer_spec bad[] = {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(2)};
    c = cfg, c.layers = bad;
    bad[1].act = 99;
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_ENUM, "unknown activation");
    bad[1] = nn_dropout(1.0f);
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_VALUE, "dropout p = 1");
    bad[1] = nn_dropout(-0.1f);
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_VALUE, "dropout p < 0");
    bad[1] = nn_dropout(NAN);
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_VALUE, "dropout p NaN");
    bad[1] = nn_activation(NN_ACT_TANH), bad[2] = nn_activation(NN_ACT_TANH);
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_CONFIG, "last layer not dense");
    bad[2] = nn_dense(0);
    CHECK(nn_create(&c, &st) == NULL && st == NN_ERR_SIZE, "zero units");

    nn_net *net = nn_create(&cfg, &st);
    int n = nn_param_count(net);
    float *before = malloc((size_t)n * 4);
    memcpy(before, nn_params(net), (size_t)n * 4);
    nn_data d = {.x = X, .label = LAB, .n = 8, .dx = 3};
    for (int i = 0; i < 8; i++)
        LAB[i] = LAB[i] % 2;
    nn_optim o = nn_optim_default(NN_OPT_SGD);
    o.lr = NAN;
    CHECK(nn_set_optimizer(net, &o) == NN_ERR_VALUE, "NaN lr");
    o.lr = -0.1f;
    CHECK(nn_set_optimizer(net, &o) == NN_ERR_VALUE, "negative lr");
    o.lr = 0.1f, o.kind = 42;
    CHECK(nn_set_optimizer(net, &o) == NN_ERR_ENUM, "unknown optimiser");
    o = nn_optim_default(NN_OPT_ADAM), o.beta2 = 1.0f;
    CHECK(nn_set_optimizer(net, &o) == NN_ERR_VALUE, "beta2 = 1");
    CHECK(nn_set_lr(net, NAN) == NN_ERR_VALUE && nn_set_lr(net, 0.0f) == NN_ERR_VALUE, "set_lr");
    CHECK(nn_set_regularization(net, -1.0f, 0.0f) == NN_ERR_VALUE, "negative l1");
    CHECK(nn_set_regularization(net, 0.0f, NAN) == NN_ERR_VALUE, "NaN l2");
    nn_init ci = {.scheme = 77, .w_const = 0, .b_const = 0};
    CHECK(nn_set_init(net, &ci) == NN_ERR_ENUM, "unknown init");
    CHECK(nn_set_seed(net, 5, 1) == NN_ERR_ENUM, "unknown stream");
    CHECK(nn_train_batch(NULL, &d, NULL) == NN_ERR_NULL, "NULL net");
    CHECK(nn_train_batch(net, NULL, NULL) == NN_ERR_NULL, "NULL batch");
    nn_data big = d;
    big.n = 9;
    CHECK(nn_train_batch(net, &big, NULL) == NN_ERR_BATCH, "batch too large");
    CHECK(nn_train(net, &d, 9, 1, NULL) == NN_ERR_BATCH, "train batch too large");
    CHECK(nn_train(net, &d, 0, 1, NULL) == NN_ERR_SIZE, "batch 0");
    nn_data wrong = d;
    wrong.dx = 2;
    CHECK(nn_train_batch(net, &wrong, NULL) == NN_ERR_SIZE, "wrong input width");
    wrong = d, wrong.label = NULL;
    CHECK(nn_train_batch(net, &wrong, NULL) == NN_ERR_LABEL, "missing labels");
    int32_t badlab[8] = {0, 1, 2, 0, 1, 0, 1, 0};
    wrong = d, wrong.label = badlab;
    CHECK(nn_train_batch(net, &wrong, NULL) == NN_ERR_LABEL, "label out of range");
    wrong.n = -1;
    CHECK(nn_evaluate(net, &wrong, NULL, NULL) == NN_ERR_SIZE, "negative count");
    CHECK(nn_predict(net, NULL, 4, before) == NN_ERR_NULL, "predict NULL input");
    CHECK(nn_layer_info_get(net, 3, &(nn_layer_info){0}) == NN_ERR_SIZE, "layer index");
    CHECK(memcmp(before, nn_params(net), (size_t)n * 4) == 0, "errors leave parameters unchanged");
    // divergence: a NaN input makes the loss NaN; the step is refused
    float nanx[8 * 3];
    memcpy(nanx, X, sizeof nanx);
    nanx[4] = NAN;
    nn_data dn = {.x = nanx, .label = LAB, .n = 8, .dx = 3};
    float loss;
    CHECK(nn_train_batch(net, &dn, &loss) == NN_ERR_DIVERGED, "NaN loss reported");
    CHECK(isnan(loss), "the NaN loss is returned");
    CHECK(memcmp(before, nn_params(net), (size_t)n * 4) == 0, "a diverged step changes nothing");
    // a too large learning rate on a regression explodes: reported, never continued
    nn_layer_spec reg[] = {nn_dense(4), nn_dense(1)};
    nn_config rc_cfg = {.n_in = 3, .n_layers = 2, .layers = reg, .output = NN_ACT_LINEAR,
                        .loss = NN_LOSS_MSE, .max_batch = 8, .seed = 1};
    nn_net *boom = nn_create(&rc_cfg, NULL);
    o = nn_optim_default(NN_OPT_SGD), o.lr = 10.0f;
    CHECK_OK(nn_set_optimizer(boom, &o));
    nn_data dr = {.x = X, .y = Y, .n = 8, .dx = 3, .dy = 1};
    int rc = NN_OK, steps = 0;
    for (; steps < 1000 && rc == NN_OK; steps++)
        rc = nn_train_batch(boom, &dr, &loss);
    CHECK(rc == NN_ERR_DIVERGED, "lr 10 diverges (status %d after %d steps)", rc, steps);
    CHECK(!isfinite(loss), "the diverged loss is not finite");
    nn_free(boom);
    // and the net is still usable
    CHECK_OK(nn_reset(net));
    CHECK_OK(nn_set_lr(net, 0.1f));
    CHECK_OK(nn_train_batch(net, &d, &loss));
    CHECK(isfinite(loss), "usable after errors");
    CHECK(strlen(nn_strerror(NN_ERR_DIVERGED)) > 10 && strlen(nn_strerror(-999)) > 0, "messages");
    free(before);
    nn_free(net);
}

int main(void)
{
    fill();
    dropout_modes();
    batchnorm_modes();
    save_load();
    reset_and_seeds();
    bad_input();
    out_of_memory();
    CHECK_DONE();
}
