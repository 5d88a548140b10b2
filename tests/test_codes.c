/* test_codes.c: the autoencoder paths of the engine (engine/codes.c and the
 * targets = inputs reading of engine/train.c), natively in both the SIMD and
 * the scalar build:
 * - gradients through a set whose targets are its inputs (y_is_x), BCE with
 *   a sigmoid output and squared errors, float and byte inputs, against
 *   central differences, and bit for bit against the same set with the
 *   inputs copied as y (loss, gradient, a trained net, evaluation);
 * - decode(encode(x, k), k) == predict(x) bit for bit for every layer k of a
 *   dense, a convolutional and an upsampling autoencoder (BN and dropout in
 *   eval mode; reshape and upsample);
 * - input noise: the statistics of nn_corrupt (mask rate, Gaussian mean and
 *   variance) within stated tolerances, training corrupts the inputs from
 *   the dropout stream while the targets stay clean, bad settings refused;
 * - the checks of nn_data with y_is_x, nn_encode and nn_decode. */
#include "check.h"
#include "nn.h"
#include "rng.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define H 1e-3f
/* |a - n| / max(|a| + |n|, floor) per entry, as tests/test_grad.c: floor =
 * max(FLOOR, 4 FLT_EPSILON max(|L|, 1) / (2h) / TOL_ENTRY), the float32
 * rounding of the loss (BCE over 6 outputs is about 4) seen through 2h. */
#define TOL_ENTRY 1e-2
#define FLOOR 1e-3
#define TOL_AGG 2e-3      // ||a - n|| / ||a + n|| over all parameters
#define D 6               // inputs = outputs of the small autoencoders
#define B 5

static uint32_t lcg_state = 20261202u;

static float urand(float lo, float hi)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lo + (hi - lo) * (float)(lcg_state >> 8) / 16777216.0f;
}

/* D -> 4 tanh -> 2 -> 4 tanh -> D with `output` and `loss`. */
static nn_net *small_ae(int output, int loss, int max_batch)
{
    nn_layer_spec L[] = {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(2), nn_dense(4),
                         nn_activation(NN_ACT_TANH), nn_dense(D)};
    nn_config cfg = {.n_in = D, .n_layers = 6, .layers = L, .output = output, .loss = loss,
                     .max_batch = max_batch, .seed = 7};
    int st;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "create: %s", nn_strerror(st));
    return net;
}

static double loss_at(nn_net *net, const nn_data *d)
{
    float l = NAN;
    CHECK_OK(nn_loss_only(net, d, 1, &l));
    return l;
}

/* Gradient of a y_is_x batch against central differences and against the
 * same batch with explicit targets. */
static void grad_case(const char *name, int output, int loss, int bytes)
{
    nn_net *net = small_ae(output, loss, 8);
    if (!net)
        return;
    float x[B * D];
    uint8_t x8[B * D];
    const float scale = 1.0f / 255.0f;
    for (int i = 0; i < B * D; i++) {
        x8[i] = (uint8_t)(urand(0.0f, 256.0f));
        x[i] = bytes ? x8[i] * scale : urand(0.05f, 0.95f);
    }
    nn_data d = {.x = bytes ? NULL : x, .x8 = bytes ? x8 : NULL, .x8_scale = scale, .n = B, .dx = D, .dy = D,
                 .y_is_x = 1};
    nn_data e = {.x = x, .y = x, .n = B, .dx = D, .dy = D};
    int n = nn_param_count(net);
    float *g = malloc((size_t)n * sizeof *g), l, le;
    CHECK_OK(nn_loss_grad(net, &d, &l));
    memcpy(g, nn_grads(net), (size_t)n * sizeof *g);
    CHECK_OK(nn_loss_grad(net, &e, &le));
    CHECK(l == le, "%s: loss %.9g with targets = inputs, %.9g with them as y", name, l, le);
    CHECK(memcmp(g, nn_grads(net), (size_t)n * sizeof *g) == 0, "%s: the same gradient bit for bit", name);
    float *p = nn_params(net);
    double floor_ = fmax(FLOOR, 4.0 * FLT_EPSILON * fmax(fabs(l), 1.0) / (2.0 * H) / TOL_ENTRY);
    double num2 = 0.0, den2 = 0.0, worst = 0.0, norm = 0.0;
    for (int i = 0; i < n; i++) {
        float keep = p[i];
        p[i] = keep + H;
        double lp = loss_at(net, &d);
        p[i] = keep - H;
        double lm = loss_at(net, &d);
        p[i] = keep;
        double num = (lp - lm) / (2.0 * H), a = g[i];
        double rel = fabs(a - num) / fmax(fabs(a) + fabs(num), floor_);
        worst = fmax(worst, rel);
        num2 += (a - num) * (a - num);
        den2 += (a + num) * (a + num);
        norm += a * a;
    }
    CHECK(worst < TOL_ENTRY, "%s: worst entry %.3g", name, worst);
    CHECK(sqrt(num2 / den2) < TOL_AGG, "%s: aggregate %.3g", name, sqrt(num2 / den2));
    CHECK(sqrt(norm) > 1e-4, "%s: the gradient is not zero (%.3g)", name, sqrt(norm));
    free(g);
    nn_free(net);
}

/* Training and evaluation on a y_is_x set equal those on its copy as y. */
static void train_same(int bytes)
{
    enum { N = 23 };
    float x[N * D];
    uint8_t x8[N * D];
    const float scale = 1.0f / 255.0f;
    for (int i = 0; i < N * D; i++) {
        x8[i] = (uint8_t)urand(0.0f, 256.0f);
        x[i] = x8[i] * scale;
    }
    nn_net *a = small_ae(NN_ACT_SIGMOID, NN_LOSS_BCE, 4), *b = small_ae(NN_ACT_SIGMOID, NN_LOSS_BCE, 4);
    nn_data d = {.x = bytes ? NULL : x, .x8 = bytes ? x8 : NULL, .x8_scale = scale, .n = N, .dx = D, .dy = D,
                 .y_is_x = 1};
    nn_data e = {.x = x, .y = x, .n = N, .dx = D, .dy = D};
    nn_report ra, rb;
    CHECK_OK(nn_train(a, &d, 4, 17, &ra));
    CHECK_OK(nn_train(b, &e, 4, 17, &rb));
    CHECK(ra.loss == rb.loss, "train: %.9g vs %.9g", ra.loss, rb.loss);
    CHECK(memcmp(nn_params(a), nn_params(b), (size_t)nn_param_count(a) * sizeof(float)) == 0,
          "train: the same parameters");
    float la, lb, acc_a, acc_b;
    CHECK_OK(nn_evaluate(a, &d, &la, &acc_a));
    CHECK_OK(nn_evaluate(b, &e, &lb, &acc_b));
    CHECK(la == lb, "evaluate: %.9g vs %.9g", la, lb);
    CHECK(isnan(acc_a) && !isnan(acc_b), "a reconstruction has no accuracy (%g)", acc_a);
    nn_free(a);
    nn_free(b);
}

/* decode(encode(x, k), k) == predict(x) for every k, n not a multiple of max_batch. */
static void roundtrip(const char *name, const nn_config *cfg)
{
    int st;
    nn_net *net = nn_create(cfg, &st);
    CHECK(net != NULL, "%s: %s", name, nn_strerror(st));
    if (!net)
        return;
    enum { N = 19 };
    int d = cfg->n_in, o = nn_outputs(net);
    float *x = malloc((size_t)N * d * sizeof *x), *want = malloc((size_t)N * o * sizeof *want);
    float *got = malloc((size_t)N * o * sizeof *got), *codes = malloc((size_t)N * 4096 * sizeof *codes);
    for (int i = 0; i < N * d; i++)
        x[i] = urand(0.0f, 1.0f);
    // a few steps first, so that BN statistics and weights are not the initial ones
    nn_data t = {.x = x, .n = N, .dx = d, .dy = d, .y_is_x = 1};
    CHECK_OK(nn_train(net, &t, 4, 6, NULL));
    CHECK_OK(nn_predict(net, x, N, want));
    nn_data in = {.x = x, .n = N, .dx = d};
    for (int k = 0; k < nn_layer_count(net); k++) {
        nn_layer_info li;
        CHECK_OK(nn_layer_info_get(net, k, &li));
        CHECK(li.n_out <= 4096, "%s: layer %d too wide for the test", name, k);
        memset(got, 0xff, (size_t)N * o * sizeof *got);
        CHECK_OK(nn_encode(net, k, &in, codes));
        CHECK_OK(nn_decode(net, k, codes, N, got));
        CHECK(memcmp(got, want, (size_t)N * o * sizeof *got) == 0, "%s: layer %d: decode(encode(x)) != predict(x)",
              name, k);
    }
    free(x);
    free(want);
    free(got);
    free(codes);
    nn_free(net);
}

static void roundtrips(void)
{
    nn_layer_spec dense[] = {nn_dense(8), nn_batchnorm(), nn_activation(NN_ACT_RELU), nn_dropout(0.3f), nn_dense(2),
                             nn_dense(8), nn_activation(NN_ACT_SIGMOID), nn_dense(12)};
    nn_config a = {.n_in = 12, .n_layers = 8, .layers = dense, .output = NN_ACT_SIGMOID, .loss = NN_LOSS_BCE,
                   .max_batch = 4, .seed = 3};
    roundtrip("dense", &a);
    nn_layer_spec conv[] = {nn_conv(3, 3, 1, 1), nn_activation(NN_ACT_RELU), nn_maxpool(2, 2), nn_dense(3),
                            nn_dense(36)};
    nn_config c = {.n_in = 36, .n_layers = 5, .layers = conv, .output = NN_ACT_LINEAR, .loss = NN_LOSS_MSE,
                   .max_batch = 5, .seed = 4, .channels = 1, .height = 6, .width = 6};
    roundtrip("conv", &c);
    // a convolutional decoder: code 4 -> dense 8 -> reshape 2 x 2 x 2 -> upsample 3 -> conv to 1 x 6 x 6
    nn_layer_spec up[] = {nn_conv(2, 3, 1, 1), nn_activation(NN_ACT_RELU), nn_maxpool(3, 3), nn_dense(4), nn_dense(8),
                          nn_activation(NN_ACT_TANH), nn_reshape(2, 2, 2), nn_upsample(3), nn_conv(1, 3, 1, 1)};
    nn_config u = {.n_in = 36, .n_layers = 9, .layers = up, .output = NN_ACT_SIGMOID, .loss = NN_LOSS_BCE,
                   .max_batch = 6, .seed = 5, .channels = 1, .height = 6, .width = 6};
    roundtrip("conv autoencoder (reshape, upsample)", &u);
}

/* nn_corrupt: mask rate, Gaussian mean and variance. With N values the
 * tolerances are 5 standard errors: mask rate sqrt(p(1-p)/N); Gaussian mean
 * s/sqrt(N), variance s^2 sqrt(2/N). */
static void noise_statistics(void)
{
    enum { N = 200000 };
    float *x = malloc(N * sizeof *x);
    for (int i = 0; i < N; i++)
        x[i] = 1.0f;
    const double p = 0.3, s = 0.2;
    CHECK_OK(nn_corrupt(x, N / 8, 8, NN_NOISE_MASK, (float)p, 11u));
    long zeros = 0, other = 0;
    for (int i = 0; i < N; i++) {
        zeros += x[i] == 0.0f;
        other += x[i] != 0.0f && x[i] != 1.0f;
    }
    CHECK_NEAR((double)zeros / N, p, 5 * sqrt(p * (1 - p) / N), "mask rate");
    CHECK(other == 0, "mask: %ld inputs neither kept nor zeroed", other);
    for (int i = 0; i < N; i++)
        x[i] = 0.5f;
    CHECK_OK(nn_corrupt(x, N, 1, NN_NOISE_GAUSSIAN, (float)s, 12u));
    double sum = 0.0, sq = 0.0;
    for (int i = 0; i < N; i++)
        sum += x[i] - 0.5;
    double mean = sum / N;
    for (int i = 0; i < N; i++)
        sq += (x[i] - 0.5 - mean) * (x[i] - 0.5 - mean);
    CHECK_NEAR(mean, 0.0, 5 * s / sqrt(N), "Gaussian mean");
    CHECK_NEAR(sq / (N - 1), s * s, 5 * s * s * sqrt(2.0 / N), "Gaussian variance");
    // zero amounts change nothing; the same seed gives the same noise
    float a[16], b[16];
    for (int i = 0; i < 16; i++)
        a[i] = b[i] = urand(0.0f, 1.0f);
    CHECK_OK(nn_corrupt(a, 2, 8, NN_NOISE_MASK, 0.0f, 1u));
    CHECK_OK(nn_corrupt(a, 2, 8, NN_NOISE_GAUSSIAN, 0.0f, 1u));
    CHECK_OK(nn_corrupt(a, 2, 8, NN_NOISE_NONE, 0.0f, 1u));
    CHECK(memcmp(a, b, sizeof a) == 0, "zero noise changes nothing");
    CHECK_OK(nn_corrupt(a, 2, 8, NN_NOISE_GAUSSIAN, 0.5f, 9u));
    CHECK_OK(nn_corrupt(b, 2, 8, NN_NOISE_GAUSSIAN, 0.5f, 9u));
    CHECK(memcmp(a, b, sizeof a) == 0, "seeded");
    CHECK(nn_corrupt(a, 2, 8, NN_NOISE_COUNT, 0.1f, 1u) == NN_ERR_ENUM, "unknown kind");
    CHECK(nn_corrupt(a, 2, 8, -1, 0.1f, 1u) == NN_ERR_ENUM, "negative kind");
    CHECK(nn_corrupt(a, 2, 8, NN_NOISE_MASK, 1.5f, 1u) == NN_ERR_VALUE, "mask > 1");
    CHECK(nn_corrupt(a, 2, 8, NN_NOISE_GAUSSIAN, -0.1f, 1u) == NN_ERR_VALUE, "negative sigma");
    CHECK(nn_corrupt(a, 2, 8, NN_NOISE_GAUSSIAN, NAN, 1u) == NN_ERR_VALUE, "NaN");
    CHECK(nn_corrupt(a, 2, 0, NN_NOISE_MASK, 0.1f, 1u) == NN_ERR_SIZE, "d = 0");
    CHECK(nn_corrupt(NULL, 2, 8, NN_NOISE_MASK, 0.1f, 1u) == NN_ERR_NULL, "NULL");
    free(x);
}

/* Training with noise: the loss nn_loss_grad reports is the loss of the
 * inputs corrupted from the dropout stream against the clean inputs. */
static void noise_training(int kind, float amount, int bytes)
{
    nn_net *net = small_ae(NN_ACT_SIGMOID, NN_LOSS_BCE, 8);
    if (!net)
        return;
    float x[B * D], noisy[B * D];
    uint8_t x8[B * D];
    for (int i = 0; i < B * D; i++) {
        x8[i] = (uint8_t)urand(0.0f, 256.0f);
        x[i] = x8[i] * (1.0f / 255.0f);
    }
    CHECK(nn_set_input_noise(net, NN_NOISE_COUNT, 0.1f) == NN_ERR_ENUM, "unknown kind refused");
    CHECK(nn_set_input_noise(net, NN_NOISE_MASK, 2.0f) == NN_ERR_VALUE, "mask 2 refused");
    CHECK(nn_set_input_noise(net, NN_NOISE_GAUSSIAN, INFINITY) == NN_ERR_VALUE, "infinite sigma refused");
    int k = -1;
    float amt = -1.0f;
    CHECK_OK(nn_get_input_noise(net, &k, &amt));
    CHECK(k == NN_NOISE_NONE && amt == 0.0f, "refused settings change nothing (%d, %g)", k, amt);
    CHECK_OK(nn_set_input_noise(net, kind, amount));
    CHECK_OK(nn_get_input_noise(net, &k, &amt));
    CHECK(k == kind && amt == amount, "the setting reads back");
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, 77u));
    nn_data d = {.x = bytes ? NULL : x, .x8 = bytes ? x8 : NULL, .x8_scale = 1.0f / 255.0f, .n = B, .dx = D,
                 .dy = D, .y_is_x = 1};
    float l;
    CHECK_OK(nn_loss_grad(net, &d, &l));
    // the same draws, as engine/codes.c makes them from the dropout stream
    nn_rng r;
    nn_rng_seed(&r, 77u, NN_STREAM_DROPOUT + 1u);
    int changed = 0;
    for (int i = 0; i < B * D; i++) {
        noisy[i] = x[i];
        if (kind == NN_NOISE_MASK && nn_rng_uniform(&r) < amount)
            noisy[i] = 0.0f;
        if (kind == NN_NOISE_GAUSSIAN)
            noisy[i] += amount * nn_rng_normal(&r);
        changed += noisy[i] != x[i];
    }
    CHECK(changed > 0, "the noise changed some inputs");
    nn_data e = {.x = noisy, .y = x, .n = B, .dx = D, .dy = D};
    float want;
    CHECK_OK(nn_loss_only(net, &e, 1, &want));
    CHECK(l == want, "noisy inputs, clean targets: %.9g vs %.9g", l, want);
    // evaluation never corrupts
    float ev, clean;
    nn_data c = {.x = x, .y = x, .n = B, .dx = D, .dy = D};
    CHECK_OK(nn_evaluate(net, &d, &ev, NULL));
    CHECK_OK(nn_loss_only(net, &c, 0, &clean));
    CHECK(ev == clean, "evaluation is clean");
    // not saved: a loaded net starts without noise
    size_t sz = nn_save_size(net), w;
    uint8_t *buf = malloc(sz);
    CHECK_OK(nn_save(net, buf, sz, &w));
    int st;
    nn_net *back = nn_load(buf, w, &st);
    CHECK(back != NULL, "load");
    if (back) {
        CHECK_OK(nn_get_input_noise(back, &k, &amt));
        CHECK(k == NN_NOISE_NONE, "a loaded net has no noise");
        nn_free(back);
    }
    free(buf);
    nn_free(net);
}

static void bad_calls(void)
{
    nn_net *net = small_ae(NN_ACT_SIGMOID, NN_LOSS_BCE, 4);
    float x[2 * D] = {0}, y[2 * D] = {0}, out[64];
    nn_data ok = {.x = x, .n = 2, .dx = D, .dy = D, .y_is_x = 1};
    float l;
    nn_data d = ok;
    d.y = y;
    CHECK(nn_loss_grad(net, &d, &l) == NN_ERR_SIZE, "y beside y_is_x");
    d = ok;
    d.dy = 0;
    CHECK(nn_loss_grad(net, &d, &l) == NN_ERR_SIZE, "dy != dx");
    d = ok;
    d.y_is_x = 2;
    CHECK(nn_loss_grad(net, &d, &l) == NN_ERR_VALUE, "y_is_x is 0 or 1");
    CHECK(nn_encode(net, 0, &ok, out) == NN_OK, "encode takes a y_is_x set");
    CHECK(nn_encode(net, -1, &ok, out) == NN_ERR_SIZE, "k < 0");
    CHECK(nn_encode(net, nn_layer_count(net), &ok, out) == NN_ERR_SIZE, "k past the last layer");
    CHECK(nn_encode(net, 0, &ok, NULL) == NN_ERR_NULL, "no out");
    CHECK(nn_decode(net, 6, x, 1, out) == NN_ERR_SIZE, "decode: k past the last layer");
    CHECK(nn_decode(net, 0, NULL, 1, out) == NN_ERR_NULL, "decode: no codes");
    CHECK(nn_decode(net, 0, x, -1, out) == NN_ERR_SIZE, "decode: n < 0");
    CHECK(nn_decode(net, 0, x, 0, NULL) == NN_OK, "decode: nothing to do");
    CHECK(nn_decode(NULL, 0, x, 1, out) == NN_ERR_NULL, "decode: no net");
    // a classifier, and a net narrower at the output, take no y_is_x targets
    nn_layer_spec L[] = {nn_dense(D)};
    nn_config cfg = {.n_in = D, .n_layers = 1, .layers = L, .output = NN_ACT_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                     .max_batch = 4, .seed = 1};
    nn_net *clf = nn_create(&cfg, NULL);
    CHECK(nn_loss_grad(clf, &ok, &l) == NN_ERR_CONFIG, "softmax CE with targets = inputs");
    nn_layer_spec L3[] = {nn_dense(3)};
    nn_config narrow = {.n_in = D, .n_layers = 1, .layers = L3, .output = NN_ACT_SIGMOID, .loss = NN_LOSS_BCE,
                        .max_batch = 4, .seed = 1};
    nn_net *nar = nn_create(&narrow, NULL);
    CHECK(nn_evaluate(nar, &ok, &l, NULL) == NN_ERR_SIZE, "n_out != n_in");
    CHECK(nn_encode(nar, 0, &ok, out) == NN_OK, "encode reads the inputs only");
    // the net still trains after the refusals
    CHECK_OK(nn_train(net, &ok, 2, 3, NULL));
    nn_free(clf);
    nn_free(nar);
    nn_free(net);
}

int main(void)
{
    grad_case("bce sigmoid, float", NN_ACT_SIGMOID, NN_LOSS_BCE, 0);
    grad_case("bce sigmoid, bytes", NN_ACT_SIGMOID, NN_LOSS_BCE, 1);
    grad_case("mse sigmoid, float", NN_ACT_SIGMOID, NN_LOSS_MSE, 0);
    grad_case("mse linear, bytes", NN_ACT_LINEAR, NN_LOSS_MSE, 1);
    grad_case("se_half sigmoid, bytes", NN_ACT_SIGMOID, NN_LOSS_SE_HALF, 1);
    train_same(0);
    train_same(1);
    roundtrips();
    noise_statistics();
    noise_training(NN_NOISE_MASK, 0.4f, 0);
    noise_training(NN_NOISE_MASK, 0.4f, 1);
    noise_training(NN_NOISE_GAUSSIAN, 0.3f, 0);
    noise_training(NN_NOISE_GAUSSIAN, 0.3f, 1);
    bad_calls();
    CHECK_DONE();
}
