/* test_io.c: hostile saved files and data sets. Each case here once
 * corrupted memory, hung or loaded nonsense: data whose target width does
 * not match the net, a file whose random generator can never advance, a
 * header that asks for gigabytes, values no setter would accept. Also: a
 * net saved mid-epoch continues that epoch exactly, and load -> save gives
 * back the same bytes. */
#include "nn.h"

#include "check.h"
#include "saved.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N 50

static float X[N * 2], Y[N * 3];
static int32_t LAB[N];

static void make_data(void)
{
    uint32_t s = 7;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < 2; j++) {
            s = s * 1664525u + 1013904223u;
            X[i * 2 + j] = (float)(s >> 8) / 16777216.0f * 2.0f - 1.0f;
        }
        LAB[i] = (X[i * 2] > 0) + (X[i * 2 + 1] > 0);
        for (int j = 0; j < 3; j++)
            Y[i * 3 + j] = LAB[i] == j;
    }
}

static nn_net *softmax_net(int max_batch, int bn)
{
    nn_layer_spec with_bn[] = {nn_dense(5), nn_batchnorm(), nn_activation(NN_ACT_TANH), nn_dense(3)};
    nn_layer_spec plain[] = {nn_dense(5), nn_activation(NN_ACT_TANH), nn_dense(3)};
    nn_config cfg = {.n_in = 2, .n_layers = bn ? 4 : 3, .layers = bn ? with_bn : plain,
                     .output = NN_ACT_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .max_batch = max_batch, .seed = 3};
    return nn_create(&cfg, NULL);
}

/* ---- Data checked against the net --------------------------------------- */

static void data_against_net(void)
{
    nn_net *net = softmax_net(8, 0);
    // the target width is checked whatever the loss: 8 x 1000 floats would
    // otherwise be copied into a (8, 3) buffer
    float *big = calloc(8 * 1000, sizeof(float));
    nn_data d = {.x = X, .y = big, .label = LAB, .n = 8, .dx = 2, .dy = 1000};
    float x0 = X[0];
    nn_report rep = {.loss = 1.0f, .steps = 99, .epochs = 99};
    CHECK(nn_train(net, &d, 8, 4, &rep) == NN_ERR_SIZE, "target width 1000 on a 3-output net refused");
    CHECK(rep.steps == 0 && rep.epochs == 0 && isnan(rep.loss), "a refused call reports no step");
    CHECK(nn_train_batch(net, &d, NULL) == NN_ERR_SIZE, "train_batch too");
    CHECK(nn_evaluate(net, &d, NULL, NULL) == NN_ERR_SIZE, "evaluate too");
    d.y = NULL;
    CHECK(nn_train(net, &d, 8, 1, NULL) == NN_ERR_SIZE, "dy without y refused");
    d.dy = 0;
    CHECK_OK(nn_train(net, &d, 8, 1, NULL));
    d.y = Y;
    d.dy = 3;
    CHECK_OK(nn_train(net, &d, 8, 1, NULL));
    d.dx = 3;
    CHECK(nn_train(net, &d, 8, 1, NULL) == NN_ERR_SIZE, "input width checked");
    d.dx = 2;
    d.n = -1;
    CHECK(nn_train(net, &d, 8, 1, NULL) == NN_ERR_SIZE, "negative n refused");
    d.n = 8;
    d.label = NULL;
    CHECK(nn_train(net, &d, 8, 1, NULL) == NN_ERR_LABEL, "softmax without labels refused");
    nn_data b = {.x = NULL, .x8 = (const uint8_t *)X, .x8_scale = NAN, .label = LAB, .n = 8, .dx = 2};
    CHECK(nn_train(net, &b, 8, 1, NULL) == NN_ERR_VALUE, "NaN byte scale refused");
    CHECK(X[0] == x0, "the data were not overwritten");
    free(big);
    nn_free(net);
}

/* ---- Saved files -------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t *save(const nn_net *net, size_t *len)
{
    *len = nn_save_size(net);
    uint8_t *buf = malloc(*len);
    CHECK_OK(nn_save(net, buf, *len, NULL));
    return buf;
}

/* Offsets in a version-3 file after the L specs (see engine/io.c). */
enum {
    OFF_OPT_KIND = 0, OFF_OPT_DECAY = 20, OFF_INIT_W = 40, OFF_RNG0_STATE = 52, OFF_RNG0_INC = 60,
    OFF_RNG1_INC = 80, OFF_T = 108, OFF_OPT_T = 116, OFF_SHUFFLE = 124, OFF_EPOCH_N = 132,
    OFF_EPOCH_POS = 136, OFF_PARAMS = 160
};

static size_t settings_at(int n_layers)
{
    return 44 + 36 * (size_t)n_layers;
}

/* A copy of buf with one change, resealed; NULL from nn_load expected. */
static void refuse(const uint8_t *buf, size_t len, size_t at, int width, uint64_t v, const char *what)
{
    uint8_t *b = malloc(len);
    memcpy(b, buf, len);
    if (width == 4)
        put32(b + at, (uint32_t)v);
    else
        put64(b + at, v);
    saved_reseal(b, len);
    int st = 0;
    nn_net *net = nn_load(b, len, &st);
    CHECK(net == NULL && st == NN_ERR_FORMAT, "%s refused (status %d)", what, st);
    nn_free(net);
    free(b);
}

static uint32_t f32_bits(float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    return v;
}

static void hostile_files(void)
{
    nn_net *net = softmax_net(8, 1);
    nn_optim adam = nn_optim_default(NN_OPT_ADAM);
    nn_optim decay = nn_optim_default(NN_OPT_SGD);
    decay.decay = 0.5f;
    CHECK_OK(nn_set_optimizer(net, &adam));
    nn_data d = {.x = X, .label = LAB, .n = N, .dx = 2};
    CHECK_OK(nn_train(net, &d, 8, 3, NULL));
    size_t len;
    uint8_t *buf = save(net, &len);
    size_t S = settings_at(4);
    int st = -1;
    nn_net *ok = nn_load(buf, len, &st);
    CHECK(ok != NULL, "the untouched file loads");
    nn_free(ok);

    // a PCG increment of 0 with state 0 returns 0 for ever: training hung
    refuse(buf, len, S + OFF_RNG1_INC, 8, 0, "even shuffle increment");
    refuse(buf, len, S + OFF_RNG0_INC, 8, 2, "even init increment");
    // step counts: signed overflow in the optimiser, Adam's t = -1 gave NaN
    refuse(buf, len, S + OFF_T, 8, (uint64_t)INT64_MAX, "step count INT64_MAX");
    refuse(buf, len, S + OFF_T, 8, (uint64_t)-1, "step count -1");
    refuse(buf, len, S + OFF_OPT_T, 8, (uint64_t)-1, "Adam t = -1");
    refuse(buf, len, S + OFF_OPT_T, 8, 4, "Adam t beyond the step count");
    refuse(buf, len, S + OFF_OPT_KIND, 4, 9, "unknown optimiser");
    refuse(buf, len, S + OFF_OPT_DECAY, 4, f32_bits(-1.0f), "negative decay");
    refuse(buf, len, S + OFF_INIT_W, 4, f32_bits(NAN), "NaN constant-init weight");
    refuse(buf, len, S + OFF_SHUFFLE, 4, 2, "shuffle flag 2");
    refuse(buf, len, S + OFF_EPOCH_POS, 4, 999, "epoch position beyond the epoch");
    refuse(buf, len, S + OFF_EPOCH_N, 4, 0, "epoch of 0 examples");
    refuse(buf, len, S + OFF_PARAMS, 4, f32_bits(NAN), "NaN weight");
    refuse(buf, len, S + OFF_PARAMS, 4, f32_bits(INFINITY), "infinite weight");
    // Adam's squared-gradient average (third array) is never negative
    int np = nn_param_count(net);
    refuse(buf, len, S + OFF_PARAMS + 8 * (size_t)np, 4, f32_bits(-1.0f), "negative Adam r");
    refuse(buf, len, S + OFF_PARAMS + 8 * (size_t)np, 4, f32_bits(NAN), "NaN Adam r");
    refuse(buf, len, S + OFF_PARAMS + 4 * (size_t)np, 4, f32_bits(INFINITY), "infinite Adam s");
    // a finite gradient's square can overflow while training: r = +inf is a
    // state a running net reaches (found by tests/fuzz/fuzz_load.c)
    put32(buf + S + OFF_PARAMS + 8 * (size_t)np, f32_bits(INFINITY));
    saved_reseal(buf, len);
    ok = nn_load(buf, len, &st);
    CHECK(ok != NULL, "Adam r = +inf loads");
    nn_free(ok);
    // BN statistics: 5 running means then 5 running variances at the end
    refuse(buf, len, len - 4 - 4 * 5, 4, f32_bits(-0.5f), "negative BN running variance");
    refuse(buf, len, len - 4 - 4 * 10, 4, f32_bits(NAN), "NaN BN running mean");
    // older versions with the current layout, and a newer version
    refuse(buf, len, 4, 4, 1, "version 1 with version 3's fields");
    refuse(buf, len, 4, 4, 2, "version 2 with version 3's fields");
    refuse(buf, len, 4, 4, NN_SAVE_VERSION + 1, "a newer version");
    // a version this build cannot read is named in the detail
    char want[96];
    snprintf(want, sizeof want, "a version-%d file; this build reads versions 1 to %d", NN_SAVE_VERSION + 1,
             NN_SAVE_VERSION);
    CHECK(strcmp(nn_error_detail(), want) == 0, "newer version named: \"%s\"", nn_error_detail());
    refuse(buf, len, 4, 4, 0, "version 0");
    CHECK(strstr(nn_error_detail(), "version-0 file") != NULL, "version 0 named: \"%s\"", nn_error_detail());
    refuse(buf, len, 8, 4, 0, "a zero-input net");
    CHECK(nn_error_detail()[0] == '\0', "a bad field after the version leaves no version detail");
    free(buf);

    // settings a setter accepts load: SGD with decay, a saved net with L1
    CHECK_OK(nn_set_optimizer(net, &decay));
    CHECK_OK(nn_set_regularization(net, 0.001f, 0.0f));
    buf = save(net, &len);
    ok = nn_load(buf, len, &st);
    CHECK(ok != NULL && nn_get_optimizer(ok).decay == 0.5f, "decay survives a round trip");
    nn_free(ok);
    free(buf);
    nn_free(net);
}

/* A 216-byte file whose header describes 784 -> 65536 -> 10 with max_batch
 * 1024 used to allocate 1.8 GB before failing: the length is now checked
 * against the specs first. */
static void huge_header(void)
{
    uint8_t buf[216];
    memset(buf, 0, sizeof buf);
    uint32_t head[] = {0x4C504E4Eu, 2, 784, 3, NN_ACT_SOFTMAX, NN_LOSS_SOFTMAX_CE, 1024, 1};
    for (int i = 0; i < 8; i++)
        put32(buf + 4 * i, head[i]);
    uint32_t specs[3][6] = {{NN_LAYER_DENSE, 65536}, {NN_LAYER_ACT, 0, NN_ACT_TANH}, {NN_LAYER_DENSE, 10}};
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 6; j++)
            put32(buf + 32 + 24 * k + 4 * j, specs[k][j]);
    saved_reseal(buf, sizeof buf);
    int st = 0;
    CHECK(nn_load(buf, sizeof buf, &st) == NULL && st == NN_ERR_FORMAT, "huge header refused: %d", st);

    // a file of the right length whose max_batch needs more than a load may take
    nn_layer_spec layers[] = {nn_dense(1000), nn_dense(1000)};
    nn_config cfg = {.n_in = 1, .n_layers = 2, .layers = layers, .output = NN_ACT_LINEAR,
                     .loss = NN_LOSS_MSE, .max_batch = 1, .seed = 1};
    nn_net *net = nn_create(&cfg, NULL);
    size_t len;
    uint8_t *b = save(net, &len);
    put32(b + 24, 100000);
    saved_reseal(b, len);
    CHECK(nn_load(b, len, &st) == NULL && st == NN_ERR_SIZE, "a load past NN_LOAD_MAX_BYTES refused: %d", st);
    put32(b + 24, 1);
    saved_reseal(b, len);
    nn_net *again = nn_load(b, len, &st);
    CHECK(again != NULL, "the same file with max_batch 1 loads");
    nn_free(again);
    nn_free(net);
    free(b);
}

/* The same file in an older format: without the input shape and the
 * specs' kernel, stride and padding (version 2), and without the epoch
 * block too (version 1). Returns the new length. */
static size_t downgrade(uint8_t *dst, const uint8_t *src, size_t len, int n_layers, int version)
{
    size_t o = 0, i = 0;
    memcpy(dst, src, 32);
    put32(dst + 4, (uint32_t)version);
    o = 32, i = 44;
    for (int k = 0; k < n_layers; k++, o += 24, i += 36)
        memcpy(dst + o, src + i, 24);
    size_t epoch = settings_at(n_layers) + OFF_SHUFFLE;
    size_t upto = version == 1 ? epoch : len - 4;
    memcpy(dst + o, src + i, upto - i);
    o += upto - i;
    if (version == 1) {
        memcpy(dst + o, src + epoch + 32, len - 4 - epoch - 32);
        o += len - 4 - epoch - 32;
    }
    saved_reseal(dst, o + 4);
    return o + 4;
}

/* Files of versions 1 and 2 still load, and save again as the current one. */
static void old_versions(void)
{
    nn_net *net = softmax_net(8, 1);
    size_t len;
    uint8_t *buf = save(net, &len);
    uint8_t *old = malloc(len);
    for (int v = 1; v <= 2; v++) {
        size_t n = downgrade(old, buf, len, 4, v);
        int st;
        nn_net *back = nn_load(old, n, &st);
        CHECK(back != NULL, "a version-%d file loads: %s", v, nn_strerror(st));
        if (!back)
            continue;
        CHECK(memcmp(nn_params(back), nn_params(net), (size_t)nn_param_count(net) * 4) == 0, "v%d: same parameters", v);
        CHECK(nn_get_shuffle(back) == 1 && nn_epoch_position(back) == 0, "v%d: shuffled, at an epoch's start", v);
        size_t n2;
        uint8_t *again = save(back, &n2);
        CHECK(n2 == len && memcmp(again, buf, len) == 0, "v%d: saved again as version %d, the same bytes", v,
              NN_SAVE_VERSION);
        free(again);
        nn_free(back);
    }
    free(old);
    free(buf);
    nn_free(net);
}

/* ---- Save mid-epoch, load, and continue exactly ------------------------- */

static void mid_epoch(int shuffle)
{
    nn_net *a = softmax_net(8, 1);
    CHECK_OK(nn_set_shuffle(a, shuffle));
    nn_data d = {.x = X, .label = LAB, .n = N, .dx = 2};
    // 1.5 epochs: 7 batches of 7 in an epoch of 50 (the last one holds 1)
    CHECK_OK(nn_train(a, &d, 7, 11, NULL));
    CHECK(nn_epoch_position(a) > 0, "saved mid-epoch");
    size_t len;
    uint8_t *buf = save(a, &len);
    int st;
    nn_net *b = nn_load(buf, len, &st);
    CHECK(b != NULL, "load: %s", nn_strerror(st));
    if (!b) {
        free(buf);
        nn_free(a);
        return;
    }
    CHECK(nn_epoch_position(b) == nn_epoch_position(a), "epoch position kept");
    CHECK(nn_get_shuffle(b) == shuffle, "shuffle flag kept");
    // load -> save gives the same bytes, before and after the resume
    size_t len2;
    uint8_t *buf2 = save(b, &len2);
    CHECK(len2 == len && memcmp(buf, buf2, len) == 0, "load -> save reproduces the bytes");
    free(buf2);
    // a copy of the data at another address: a loaded net cannot know the
    // pointer, so the first set of the same size continues the epoch
    float *x2 = malloc(sizeof X);
    memcpy(x2, X, sizeof X);
    nn_data d2 = {.x = x2, .label = LAB, .n = N, .dx = 2};
    nn_report ra, rb;
    CHECK_OK(nn_train(a, &d, 7, 20, &ra));
    CHECK_OK(nn_train(b, &d2, 7, 20, &rb));
    CHECK(ra.loss == rb.loss && ra.epochs == rb.epochs, "same losses (%g, %g) and epochs", ra.loss, rb.loss);
    int n = nn_param_count(a);
    CHECK(memcmp(nn_params(a), nn_params(b), (size_t)n * 4) == 0, "bit-identical parameters");
    free(x2);
    free(buf);
    nn_free(a);
    nn_free(b);
}

/* Without shuffling, epochs visit the examples in the data's order: one
 * step of batch 1 on a fresh net equals a train_batch on example 0. */
static void no_shuffle_order(void)
{
    nn_net *a = softmax_net(8, 0), *b = softmax_net(8, 0);
    CHECK_OK(nn_set_shuffle(a, 0));
    CHECK(nn_set_shuffle(a, 2) == NN_ERR_VALUE, "shuffle flag is 0 or 1");
    nn_data d = {.x = X, .label = LAB, .n = N, .dx = 2};
    for (int i = 0; i < 3; i++) {
        CHECK_OK(nn_train(a, &d, 1, 1, NULL));
        nn_data one = {.x = X + 2 * i, .label = LAB + i, .n = 1, .dx = 2};
        CHECK_OK(nn_train_batch(b, &one, NULL));
    }
    CHECK(memcmp(nn_params(a), nn_params(b), (size_t)nn_param_count(a) * 4) == 0,
          "train without shuffle = online SGD in order");
    nn_free(a);
    nn_free(b);
}

/* A diverged step leaves the BN running statistics as well as the
 * parameters as they were, so the net still saves a file that loads. */
static void divergence_keeps_stats(void)
{
    nn_net *net = softmax_net(8, 1);
    nn_optim sgd = nn_optim_default(NN_OPT_SGD);
    sgd.lr = 1e30f;
    CHECK_OK(nn_set_optimizer(net, &sgd));
    float big[16];
    for (int i = 0; i < 16; i++)
        big[i] = X[i] * 1e30f;
    nn_data d = {.x = big, .label = LAB, .n = 8, .dx = 2};
    int rc = NN_OK;
    float mean[5], var[5], *m, *v;
    for (int i = 0; i < 50 && rc == NN_OK; i++) {
        CHECK_OK(nn_bn_running(net, 1, &m, &v));
        memcpy(mean, m, sizeof mean);
        memcpy(var, v, sizeof var);
        rc = nn_train_batch(net, &d, NULL);
    }
    CHECK(rc == NN_ERR_DIVERGED, "the step diverged (%d)", rc);
    CHECK(memcmp(mean, m, sizeof mean) == 0 && memcmp(var, v, sizeof var) == 0, "BN statistics unchanged");
    size_t len;
    uint8_t *buf = save(net, &len);
    int st;
    nn_net *again = nn_load(buf, len, &st);
    CHECK(again != NULL, "a net stopped by divergence saves a file that loads: %s", nn_strerror(st));
    nn_free(again);
    free(buf);
    nn_free(net);
}

int main(void)
{
    make_data();
    data_against_net();
    hostile_files();
    huge_header();
    old_versions();
    mid_epoch(1);
    mid_epoch(0);
    no_shuffle_order();
    divergence_keeps_stats();
    CHECK_DONE();
}
