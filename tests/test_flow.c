/* test_flow.c: the gradient-flow calls of engine/flow.c against values
 * computed here in float64. nn_unit_stats: a hand-built net whose units are
 * saturated or dead by construction, random nets of every watched activation
 * over sets larger than max_batch (chunks), byte inputs and a CNN, each
 * against a float64 forward pass or the counts of nn_activations' outputs.
 * nn_update_norms: the norms of the change every optimiser makes, against
 * copies of the parameters taken here; for SGD ||dtheta|| = lr ||g||.
 * Tracking only observes: a tracked and an untracked net train to the same
 * bits. Every bad argument gets its status and changes nothing. */
#include "check.h"
#include "nn.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// a value this close to a saturation threshold may round either way in float32
#define EDGE 1e-6

static uint32_t lcg_state = 7u;

static float urand(float lo, float hi)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lo + (hi - lo) * (float)(lcg_state >> 8) / 16777216.0f;
}

static nn_net *make(int n_in, const nn_layer_spec *layers, int n_layers, int max_batch, uint32_t seed)
{
    nn_config cfg = {.n_in = n_in, .n_layers = n_layers, .layers = layers, .output = NN_ACT_SIGMOID,
                     .loss = NN_LOSS_BCE, .max_batch = max_batch, .seed = seed};
    int st = 0;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "create: %s", nn_strerror(st));
    return net;
}

/* ---- a float64 forward pass of dense and activation layers ---------------- */

static double act64(int act, double z)
{
    switch (act) {
    case NN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-z));
    case NN_ACT_TANH: return tanh(z);
    case NN_ACT_RELU: return z > 0.0 ? z : 0.0;
    default: return z;
    }
}

/* Shares of saturated (sat_lo: surely, sat_hi: within EDGE of the threshold
 * included) outputs and of dead units per layer, for inputs x (n, n_in),
 * from the net's parameters, in float64. */
static void reference(nn_net *net, const float *x, int n, float slope, double *sat_lo, double *sat_hi, double *dead)
{
    int L = nn_layer_count(net);
    const float *p = nn_params(net);
    double *cur = malloc(sizeof(double) * 64 * (size_t)n), *next = malloc(sizeof(double) * 64 * (size_t)n);
    int width = nn_inputs(net);
    for (int i = 0; i < n * width; i++)
        cur[i] = x[i];
    for (int k = 0; k < L; k++) {
        nn_layer_info li;
        CHECK_OK(nn_layer_info_get(net, k, &li));
        sat_lo[k] = sat_hi[k] = dead[k] = NAN;
        if (li.kind == NN_LAYER_DENSE) {
            for (int e = 0; e < n; e++)
                for (int j = 0; j < li.n_out; j++) {
                    double z = p[li.b_off + j];
                    for (int i = 0; i < li.n_in; i++)
                        z += (double)p[li.w_off + j * li.n_in + i] * cur[e * li.n_in + i];
                    next[e * li.n_out + j] = z;
                }
        } else {
            double lo = 0.0, hi = 0.0, max = li.act == NN_ACT_SIGMOID ? 0.25 : 1.0;
            int zero = 0;
            for (int j = 0; j < li.n_out; j++) {
                int alive = 0;
                for (int e = 0; e < n; e++) {
                    double y = act64(li.act, cur[e * li.n_out + j]);
                    next[e * li.n_out + j] = y;
                    double s = li.act == NN_ACT_SIGMOID ? y * (1.0 - y) : 1.0 - y * y;
                    lo += s < slope * max - EDGE;
                    hi += s < slope * max + EDGE;
                    alive |= y > 0.0;
                }
                zero += !alive;
            }
            if (li.act == NN_ACT_SIGMOID || li.act == NN_ACT_TANH) {
                sat_lo[k] = lo / ((double)n * li.n_out);
                sat_hi[k] = hi / ((double)n * li.n_out);
            }
            if (li.act == NN_ACT_RELU)
                dead[k] = (double)zero / li.n_out;
        }
        double *t = cur;
        cur = next;
        next = t;
        width = li.n_out;
    }
    free(cur);
    free(next);
}

/* nn_unit_stats of net over x (n rows) against the float64 reference. */
static void check_units(const char *what, nn_net *net, const float *x, int n, float slope)
{
    int L = nn_layer_count(net);
    float sat[16], dead[16];
    double lo[16], hi[16], ref_dead[16];
    nn_data d = {.x = x, .n = n, .dx = nn_inputs(net)};
    CHECK_OK(nn_unit_stats(net, &d, slope, sat, dead));
    reference(net, x, n, slope, lo, hi, ref_dead);
    for (int k = 0; k < L; k++) {
        CHECK(isnan(lo[k]) ? isnan(sat[k]) : sat[k] >= lo[k] - 1e-7 && sat[k] <= hi[k] + 1e-7,
              "%s: layer %d saturated %.9g, float64 says [%.9g, %.9g]", what, k, sat[k], lo[k], hi[k]);
        CHECK(isnan(ref_dead[k]) ? isnan(dead[k]) : fabs(dead[k] - ref_dead[k]) < 1e-7,
              "%s: layer %d dead %.9g, float64 says %.9g", what, k, dead[k], ref_dead[k]);
    }
}

/* A 2-3-3-4-1 net set by hand: sigmoid units at z = 0, -8 and 8 (the last
 * two saturated), tanh units at 0, 3 and -0.2 (the second saturated: 1 -
 * tanh(3)^2 = 0.0099), ReLU units of which two can never fire. */
static void hand_built(void)
{
    nn_layer_spec specs[] = {nn_dense(3), nn_activation(NN_ACT_SIGMOID), nn_dense(3), nn_activation(NN_ACT_TANH),
                             nn_dense(4), nn_activation(NN_ACT_RELU), nn_dense(1)};
    nn_net *net = make(2, specs, 7, 4, 1);
    float *p = nn_params(net);
    memset(p, 0, (size_t)nn_param_count(net) * sizeof *p);
    nn_layer_info l0, l2, l4;
    CHECK_OK(nn_layer_info_get(net, 0, &l0));
    CHECK_OK(nn_layer_info_get(net, 2, &l2));
    CHECK_OK(nn_layer_info_get(net, 4, &l4));
    // sigmoid inputs: z = (0, -8, 8) whatever x (weights 0)
    p[l0.b_off + 1] = -8.0f;
    p[l0.b_off + 2] = 8.0f;
    // tanh inputs: 0, 3 and -0.2, from biases only
    p[l2.b_off + 1] = 3.0f;
    p[l2.b_off + 2] = -0.2f;
    // ReLU: units 0 and 1 take tanh unit 2 (tanh -0.2 = -0.197) with weights
    // +1 (dead) and -1 (alive); units 2 and 3 have bias -5 (dead)
    p[l4.w_off + 0 * 3 + 2] = 1.0f;
    p[l4.w_off + 1 * 3 + 2] = -1.0f;
    p[l4.b_off + 2] = -5.0f;
    p[l4.b_off + 3] = -5.0f;
    const float x[] = {0.1f, 0.2f, -1.0f, 3.0f, 2.0f, -2.0f, 0.5f, 0.5f, 5.0f, 0.9f};
    float sat[7], dead[7];
    nn_data d = {.x = x, .n = 5, .dx = 2};
    CHECK_OK(nn_unit_stats(net, &d, 0.1f, sat, dead));
    CHECK(fabs(sat[1] - 2.0 / 3.0) < 1e-7, "sigmoid: two units of three saturated, %.9g", sat[1]);
    CHECK(fabs(sat[3] - 1.0 / 3.0) < 1e-7, "tanh: one unit of three saturated, %.9g", sat[3]);
    CHECK(fabs(dead[5] - 3.0 / 4.0) < 1e-7, "relu: three units of four dead (one fed -0.197, two bias -5), %.9g", dead[5]);
    for (int k = 0; k < 7; k++) {
        CHECK(k == 1 || k == 3 ? !isnan(sat[k]) : isnan(sat[k]), "layer %d: saturated applies to sigmoid and tanh only", k);
        CHECK(k == 5 ? !isnan(dead[k]) : isnan(dead[k]), "layer %d: dead applies to ReLU only", k);
    }
    // a stricter slope: sigmoid(8) has slope 3.4e-4 = 0.0013 of its largest, tanh(3) 0.0099
    CHECK_OK(nn_unit_stats(net, &d, 0.005f, sat, NULL));
    CHECK(fabs(sat[1] - 2.0 / 3.0) < 1e-7 && sat[3] == 0.0f, "slope 0.005: sigmoid %.9g tanh %.9g", sat[1], sat[3]);
    check_units("hand-built", net, x, 5, 0.1f);
    // a unit alive for one example only, the last of the last chunk (max_batch
    // 4, n 5): sigmoid unit 0 now gives s = sigmoid(x1 - 3), tanh unit 2
    // t = tanh(s - 0.2), ReLU unit 3 -5 + 10 t, above 0 for t > 0.5: only
    // x1 = 5 (t = 0.59; x1 = 2 gives t = 0.069)
    p[l0.w_off + 0] = 1.0f;
    p[l0.b_off + 0] = -3.0f;
    p[l2.w_off + 2 * 3 + 0] = 1.0f;
    p[l4.w_off + 3 * 3 + 2] = 10.0f;
    CHECK_OK(nn_unit_stats(net, &d, 0.1f, NULL, dead));
    CHECK(fabs(dead[5] - 1.0 / 4.0) < 1e-7, "relu: unit 2 alone is dead, %.9g", dead[5]);
    d.n = 4;
    CHECK_OK(nn_unit_stats(net, &d, 0.1f, NULL, dead));
    CHECK(fabs(dead[5] - 2.0 / 4.0) < 1e-7, "relu: without the last example unit 3 is dead too, %.9g", dead[5]);
    check_units("hand-built, one live example", net, x, 5, 0.1f);
    nn_free(net);
}

/* Random nets of sigmoid, tanh and ReLU layers on random sets in chunks. */
static void random_nets(void)
{
    const int acts[] = {NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU};
    for (int c = 0; c < 12; c++) {
        int w = 3 + c % 5, n = 1 + (c * 37) % 90, mb = 1 + c % 16;
        nn_layer_spec specs[9];
        int L = 0;
        for (int h = 0; h < 4; h++) {
            specs[L++] = nn_dense(w);
            specs[L++] = nn_activation(acts[(c + h) % 3]);
        }
        specs[L++] = nn_dense(1);
        nn_net *net = make(3, specs, L, mb, (uint32_t)c + 11u);
        // scale the weights up now and then, so that units saturate and die
        float *p = nn_params(net), scale = 1.0f + (float)(c % 4) * 1.5f;
        for (int i = 0; i < nn_param_count(net); i++)
            p[i] = p[i] * scale + urand(-0.5f, 0.5f);
        float *x = malloc(sizeof(float) * 3 * (size_t)n);
        for (int i = 0; i < 3 * n; i++)
            x[i] = urand(-4.0f, 4.0f);
        char what[48];
        snprintf(what, sizeof what, "random net %d (n %d, max_batch %d)", c, n, mb);
        check_units(what, net, x, n, c % 2 ? 0.1f : 0.3f);
        free(x);
        nn_free(net);
    }
}

/* Byte inputs give the stats of their floats; a CNN's units are its outputs. */
static void bytes_and_cnn(void)
{
    nn_layer_spec specs[] = {nn_conv(2, 3, 1, 1), nn_activation(NN_ACT_RELU), nn_maxpool(2, 2),
                             nn_dense(5), nn_activation(NN_ACT_SIGMOID), nn_dense(1)};
    nn_config cfg = {.n_in = 36, .n_layers = 6, .layers = specs, .output = NN_ACT_SIGMOID, .loss = NN_LOSS_BCE,
                     .max_batch = 3, .seed = 5, .channels = 1, .height = 6, .width = 6};
    int st = 0;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "cnn: %s", nn_strerror(st));
    nn_layer_info li;
    CHECK_OK(nn_layer_info_get(net, 0, &li));
    nn_params(net)[li.b_off] = -50.0f;   // the first channel never fires
    enum { N = 8 };
    uint8_t x8[N * 36];
    float x[N * 36];
    for (int i = 0; i < N * 36; i++) {
        x8[i] = (uint8_t)((i * 53) % 256);
        x[i] = (float)x8[i] * (1.0f / 255.0f);
    }
    nn_data df = {.x = x, .n = N, .dx = 36}, db = {.x8 = x8, .x8_scale = 1.0f / 255.0f, .n = N, .dx = 36};
    float sf[6], sb[6], df_dead[6], db_dead[6];
    CHECK_OK(nn_unit_stats(net, &df, 0.1f, sf, df_dead));
    CHECK_OK(nn_unit_stats(net, &db, 0.1f, sb, db_dead));
    CHECK(memcmp(sf, sb, sizeof sf) == 0 && memcmp(df_dead, db_dead, sizeof df_dead) == 0, "bytes and floats agree");
    // against the outputs nn_activations gives: a unit is one channel at one position
    int width = nn_activation_width(net);
    float *act = malloc(sizeof(float) * (size_t)width * N);
    CHECK_OK(nn_activations(net, x, N, act));
    size_t base = 0;
    for (int k = 0; k < 6; k++) {
        CHECK_OK(nn_layer_info_get(net, k, &li));
        const float *a = act + base;
        if (k == 1 || k == 4) {
            int zero = 0;
            double sat = 0.0;
            for (int u = 0; u < li.n_out; u++) {
                int alive = 0;
                for (int e = 0; e < N; e++) {
                    double y = a[e * li.n_out + u];
                    alive |= y > 0.0;
                    sat += y * (1.0 - y) < 0.025;
                }
                zero += !alive;
            }
            if (k == 1) {
                CHECK(fabs(df_dead[1] - (double)zero / li.n_out) < 1e-7, "cnn relu dead %.9g", df_dead[1]);
                CHECK(df_dead[1] >= 0.5, "the silenced channel's 36 positions are dead: %.9g", df_dead[1]);
            } else {
                CHECK(fabs(sf[4] - sat / (N * li.n_out)) < 1e-7, "cnn sigmoid saturated %.9g", sf[4]);
            }
        }
        base += (size_t)N * (size_t)li.n_out;
    }
    free(act);
    nn_free(net);
}

/* ---- updates ------------------------------------------------------------ */

static void two_moons(float *x, float *y, int n)
{
    for (int i = 0; i < n; i++) {
        x[2 * i] = urand(-3.0f, 3.0f);
        x[2 * i + 1] = urand(-3.0f, 3.0f);
        y[i] = x[2 * i] * x[2 * i + 1] > 0.0f ? 1.0f : 0.0f;
    }
}

/* Every optimiser: the norms of each step against copies taken here; the
 * tracked net and an untracked twin stay bit for bit equal. */
static void updates(void)
{
    nn_layer_spec specs[] = {nn_dense(6), nn_activation(NN_ACT_TANH), nn_batchnorm(), nn_dense(5),
                             nn_prelu(0.2f, 1), nn_dense(1)};
    enum { N = 40 };
    float x[2 * N], y[N];
    two_moons(x, y, N);
    nn_data d = {.x = x, .y = y, .n = N, .dx = 2, .dy = 1};
    for (int o = 0; o < NN_OPT_COUNT; o++) {
        nn_net *net = make(2, specs, 6, 8, 3), *twin = make(2, specs, 6, 8, 3);
        nn_optim opt = nn_optim_default(o);
        opt.decay = 0.01f;
        CHECK_OK(nn_set_optimizer(net, &opt));
        CHECK_OK(nn_set_optimizer(twin, &opt));
        CHECK_OK(nn_set_regularization(net, 1e-3f, 1e-3f));
        CHECK_OK(nn_set_regularization(twin, 1e-3f, 1e-3f));
        CHECK(nn_update_norms(net, NULL, NULL, NULL) == NN_ERR_CONFIG, "off: nothing recorded");
        CHECK_OK(nn_set_track_updates(net, 1));
        CHECK(nn_get_track_updates(net) == 1 && nn_get_track_updates(twin) == 0, "tracking flags");
        int L = nn_layer_count(net), np = nn_param_count(net);
        float pn[6], un[6], ratio[6], gn[6];
        CHECK_OK(nn_update_norms(net, pn, un, ratio));
        for (int k = 0; k < L; k++)
            CHECK(pn[k] == 0.0f && un[k] == 0.0f && ratio[k] == 0.0f, "before any step: zeros (layer %d)", k);
        float *before = malloc(sizeof(float) * (size_t)np);
        for (int s = 0; s < 12; s++) {
            memcpy(before, nn_params(net), sizeof(float) * (size_t)np);
            nn_report r1, r2;
            CHECK_OK(nn_train(net, &d, 8, 1, &r1));
            CHECK_OK(nn_train(twin, &d, 8, 1, &r2));
            CHECK(memcmp(&r1.loss, &r2.loss, sizeof r1.loss) == 0, "opt %d step %d: same loss", o, s);
            CHECK_OK(nn_update_norms(net, pn, un, ratio));
            CHECK_OK(nn_grad_norms(net, gn));
            for (int k = 0; k < L; k++) {
                nn_layer_info li;
                CHECK_OK(nn_layer_info_get(net, k, &li));
                double w2 = 0.0, d2 = 0.0;
                for (int i = li.w_off; i < li.w_off + li.w_len + li.b_len; i++) {
                    double a = before[i], b = nn_params(net)[i];
                    w2 += a * a;
                    d2 += (b - a) * (b - a);
                }
                CHECK_NEAR(pn[k], sqrt(w2), 1e-6 * sqrt(w2), "param norm");
                CHECK_NEAR(un[k], sqrt(d2), 1e-6 * sqrt(d2), "update norm");
                double want = d2 == 0.0 ? 0.0 : sqrt(d2) / sqrt(w2);
                CHECK_NEAR(ratio[k], want, 1e-6 * want, "update ratio");
                CHECK(li.w_len + li.b_len > 0 ? un[k] > 0.0f : un[k] == 0.0f && pn[k] == 0.0f,
                      "opt %d layer %d: a step moves every layer with parameters (%g)", o, k, un[k]);
                // plain SGD: the change is the rate times the gradient it was given
                if (o == NN_OPT_SGD) {
                    double lr = opt.lr / (1.0 + 0.01 * s);
                    CHECK_NEAR(un[k], lr * gn[k], 1e-5 * lr * gn[k] + 1e-9, "SGD: ||dtheta|| = lr ||g||");
                }
            }
        }
        CHECK(memcmp(nn_params(net), nn_params(twin), sizeof(float) * (size_t)np) == 0,
              "opt %d: tracking changes no parameter bit", o);
        // reset: the norms belong to a step count the net no longer has
        CHECK_OK(nn_reset(net));
        CHECK_OK(nn_update_norms(net, pn, un, NULL));
        CHECK(pn[0] == 0.0f && un[0] == 0.0f, "after reset: zeros");
        CHECK_OK(nn_train(net, &d, 8, 1, NULL));
        CHECK_OK(nn_update_norms(net, NULL, un, NULL));
        CHECK(un[0] > 0.0f, "the first step after reset is recorded");
        // a saved and loaded net starts without tracking
        size_t len = nn_save_size(net);
        uint8_t *buf = malloc(len);
        CHECK_OK(nn_save(net, buf, len, NULL));
        int st = 0;
        nn_net *back = nn_load(buf, len, &st);
        CHECK(back && nn_get_track_updates(back) == 0, "loaded: tracking off");
        nn_free(back);
        free(buf);
        // off frees and forgets; on again starts from zeros
        CHECK_OK(nn_set_track_updates(net, 0));
        CHECK(nn_update_norms(net, pn, NULL, NULL) == NN_ERR_CONFIG, "off again");
        CHECK_OK(nn_set_track_updates(net, 1));
        CHECK_OK(nn_update_norms(net, NULL, un, NULL));
        CHECK(un[0] == 0.0f, "on again: nothing recorded yet");
        free(before);
        nn_free(net);
        nn_free(twin);
    }
}

/* A diverged step changes nothing, so the last recorded step stays. */
static void diverged_step(void)
{
    nn_layer_spec specs[] = {nn_dense(3), nn_activation(NN_ACT_RELU), nn_dense(1)};
    nn_config cfg = {.n_in = 1, .n_layers = 3, .layers = specs, .output = NN_ACT_LINEAR, .loss = NN_LOSS_MSE,
                     .max_batch = 2, .seed = 1};
    nn_net *net = nn_create(&cfg, NULL);
    CHECK_OK(nn_set_track_updates(net, 1));
    float x[2] = {1.0f, 2.0f}, y[2] = {1.0f, 0.0f}, big[2] = {1e30f, 1e30f};
    nn_data d = {.x = x, .y = y, .n = 2, .dx = 1, .dy = 1};
    CHECK_OK(nn_train_batch(net, &d, NULL));
    float a[3], b[3];
    CHECK_OK(nn_update_norms(net, NULL, a, NULL));
    d.y = big;
    CHECK(nn_train_batch(net, &d, NULL) == NN_ERR_DIVERGED, "diverges");
    CHECK_OK(nn_update_norms(net, NULL, b, NULL));
    CHECK(memcmp(a, b, sizeof a) == 0 && a[0] > 0.0f, "a diverged step keeps the last record");
    nn_free(net);
}

/* ---- errors ------------------------------------------------------------- */

static void errors(void)
{
    nn_layer_spec specs[] = {nn_dense(2), nn_activation(NN_ACT_SIGMOID), nn_dense(1)};
    nn_net *net = make(2, specs, 3, 4, 1);
    float x[4] = {1, 2, 3, 4}, out[3] = {7, 7, 7};
    nn_data d = {.x = x, .n = 2, .dx = 2};
    CHECK(nn_set_track_updates(NULL, 1) == NN_ERR_NULL, "NULL net");
    CHECK(nn_set_track_updates(net, 2) == NN_ERR_VALUE && nn_get_track_updates(net) == 0, "on must be 0 or 1");
    CHECK(nn_get_track_updates(NULL) == 0, "NULL net is not tracking");
    CHECK(nn_update_norms(NULL, out, out, out) == NN_ERR_NULL, "NULL net");
    CHECK(nn_unit_stats(NULL, &d, 0.1f, out, out) == NN_ERR_NULL, "NULL net");
    CHECK(nn_unit_stats(net, NULL, 0.1f, out, out) == NN_ERR_NULL, "NULL data");
    const float bad_slopes[] = {0.0f, 1.0f, -0.1f, 2.0f, NAN, INFINITY};
    for (int i = 0; i < 6; i++)
        CHECK(nn_unit_stats(net, &d, bad_slopes[i], out, out) == NN_ERR_VALUE, "slope %g", bad_slopes[i]);
    nn_data e = d;
    e.n = 0;
    CHECK(nn_unit_stats(net, &e, 0.1f, out, out) == NN_ERR_SIZE, "no examples");
    e = d;
    e.dx = 3;
    CHECK(nn_unit_stats(net, &e, 0.1f, out, out) == NN_ERR_SIZE, "inputs of another width");
    e = d;
    e.x = NULL;
    CHECK(nn_unit_stats(net, &e, 0.1f, out, out) == NN_ERR_NULL, "no inputs");
    e = d;
    e.n = -1;
    CHECK(nn_unit_stats(net, &e, 0.1f, out, out) == NN_ERR_SIZE, "negative n");
    CHECK(out[0] == 7.0f && out[1] == 7.0f && out[2] == 7.0f, "a refused call writes nothing");
    // labels are not read: out of range ones do not matter
    int32_t lab[2] = {-5, 99};
    e = d;
    e.label = lab;
    CHECK_OK(nn_unit_stats(net, &e, 0.1f, out, NULL));
    CHECK_OK(nn_unit_stats(net, &d, 0.1f, NULL, NULL));
    nn_free(net);
}

int main(void)
{
    hand_built();
    random_nets();
    bytes_and_cnn();
    updates();
    diverged_step();
    errors();
    CHECK_DONE();
}
