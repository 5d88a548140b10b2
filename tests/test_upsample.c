/* test_upsample.c: the layers of a convolutional decoder, nearest-neighbour
 * upsampling and reshape. Their shapes and nn_layer_info; upsample's copy
 * and block-sum gradient against a float64 reference; gradients of each
 * layer alone and inside a small conv autoencoder (conv -> pool -> dense
 * code -> dense -> reshape -> upsample -> conv, sigmoid + BCE) against
 * central differences of an independent float64 implementation of the same
 * net; a saved autoencoder loads and trains on bit for bit; bad specs
 * refused with the layer named; a tiny autoencoder's reconstruction loss
 * falls. */
#include "nn.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

static uint32_t seed = 4242;

static float rnd(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (float)(seed >> 8) / 16777216.0f * 2.0f - 1.0f;
}

/* An autoencoder on (c, h, w) images: sigmoid output, BCE against the inputs. */
static nn_net *make(int c, int h, int w, const nn_layer_spec *layers, int n, int max_batch, int *status)
{
    nn_config cfg = {.n_in = c * h * w, .n_layers = n, .layers = layers, .output = NN_ACT_SIGMOID,
                     .loss = NN_LOSS_BCE, .max_batch = max_batch, .seed = 11, .channels = c, .height = h,
                     .width = w};
    return nn_create(&cfg, status);
}

/* Shapes through nn_layer_info: upsample multiplies h and w by its factor
 * (stride reports it), reshape gives the shape asked for. */
static void shapes(void)
{
    nn_layer_spec layers[] = {nn_upsample(3), nn_avgpool(3, 3), nn_dense(12), nn_reshape(3, 2, 2), nn_upsample(2),
                              nn_conv(2, 3, 1, 1)};
    int st;
    nn_net *net = make(2, 2, 3, layers, 6, 4, &st);
    CHECK(net != NULL, "built: %s (%s)", nn_strerror(st), nn_error_detail());
    if (!net)
        return;
    const int want[][4] = {{2, 6, 9, 3}, {2, 2, 3, 3}, {12, 1, 1, 0}, {3, 2, 2, 0}, {3, 4, 4, 2}, {2, 4, 4, 1}};
    for (int k = 0; k < 6; k++) {
        nn_layer_info info;
        CHECK_OK(nn_layer_info_get(net, k, &info));
        CHECK(info.channels == want[k][0] && info.height == want[k][1] && info.width == want[k][2] &&
                  info.stride == want[k][3] && info.w_len == (k == 2 ? 12 * 12 : k == 5 ? 2 * 3 * 9 : 0),
              "layer %d: %d x %d x %d stride %d", k, info.channels, info.height, info.width, info.stride);
    }
    CHECK(nn_outputs(net) == 32 && nn_inputs(net) == 12, "a conv as the last layer: 32 outputs");
    nn_free(net);
}

/* Upsample's output and input gradient against a float64 reference: the
 * output copies, the gradient sums each block (exactly, in this order, for
 * values that are exact in float: small integers). */
static void upsample_reference(void)
{
    enum { C = 2, H = 3, W = 2, F = 3, HO = H * F, WO = W * F };
    nn_layer_spec layers[] = {nn_upsample(F), nn_conv(1, 1, 1, 0)};
    nn_net *net = make(C, H, W, layers, 2, 1, NULL);
    CHECK(net != NULL, "built");
    if (!net)
        return;
    float x[C * H * W], act[C * HO * WO + HO * WO];
    for (int i = 0; i < C * H * W; i++)
        x[i] = (float)(i * 7 % 11) - 5.0f;
    CHECK_OK(nn_activations(net, x, 1, act));
    int bad = 0;
    for (int c = 0; c < C; c++)
        for (int y = 0; y < HO; y++)
            for (int xx = 0; xx < WO; xx++)
                bad += act[(c * HO + y) * WO + xx] != (double)x[(c * H + y / F) * W + xx / F];
    CHECK(bad == 0, "upsample copies x[c][y / f][x / f]: %d wrong", bad);
    // the input gradient through the conv's weights: with a 1 x 1 conv of
    // weights w_c and BCE, dL/dw_c = sum over outputs of (o - t) * up(x); the
    // float64 sums by blocks give the same numbers as by output pixels
    float t[HO * WO];
    for (int i = 0; i < HO * WO; i++)
        t[i] = (float)(i % 2);
    nn_data d = {.x = x, .y = t, .n = 1, .dx = C * H * W, .dy = HO * WO};
    CHECK_OK(nn_loss_grad(net, &d, NULL));
    float z[HO * WO];
    const float *p = nn_params(net);
    for (int i = 0; i < HO * WO; i++) {
        z[i] = p[2];
        for (int c = 0; c < C; c++)
            z[i] += p[c] * act[c * HO * WO + i];
    }
    for (int c = 0; c < C; c++) {
        double by_block = 0.0;
        for (int y = 0; y < H; y++)
            for (int xx = 0; xx < W; xx++) {
                double s = 0.0; // the block sum of (o - t): what upsample's backward forms
                for (int j = 0; j < F; j++)
                    for (int i = 0; i < F; i++) {
                        int at = (y * F + j) * WO + xx * F + i;
                        s += 1.0 / (1.0 + exp(-(double)z[at])) - t[at];
                    }
                by_block += s * x[(c * H + y) * W + xx];
            }
        CHECK_NEAR(nn_grads(net)[c], by_block, 1e-5 * (1.0 + fabs(by_block)), "dL/dw_c, float64 block sums");
    }
    nn_free(net);
}

/* Central differences of the mean loss in float (accumulated in double)
 * against nn_loss_grad over every parameter, as tests/test_conv.c does:
 * worst entry relative error <= 3e-2 (floor 1e-2), aggregated <= 5e-3. */
static void grad_check(const char *what, int c, int h, int w, const nn_layer_spec *layers, int n, int B)
{
    int st;
    nn_net *net = make(c, h, w, layers, n, B, &st);
    CHECK(net != NULL, "%s: built (%s, %s)", what, nn_strerror(st), nn_error_detail());
    if (!net)
        return;
    int n_in = c * h * w, n_out = nn_outputs(net), np = nn_param_count(net);
    float *x = malloc(sizeof(float) * (size_t)(B * n_in)), *y = malloc(sizeof(float) * (size_t)(B * n_out));
    for (int i = 0; i < B * n_in; i++)
        x[i] = rnd();
    for (int i = 0; i < B * n_out; i++)
        y[i] = 0.5f + 0.5f * rnd();
    float *p = nn_params(net);
    for (int i = 0; i < np; i++)
        p[i] += 0.05f * rnd();
    nn_data d = {.x = x, .y = y, .n = B, .dx = n_in, .dy = n_out};
    CHECK_OK(nn_loss_grad(net, &d, NULL));
    float *g = malloc(sizeof(float) * (size_t)np);
    memcpy(g, nn_grads(net), sizeof(float) * (size_t)np);
    double worst = 0.0, diff2 = 0.0, norm2 = 0.0, gsum = 0.0;
    const float hstep = 2e-3f;
    for (int i = 0; i < np; i++) {
        float keep = p[i], lp, lm;
        p[i] = keep + hstep;
        nn_loss_only(net, &d, 1, &lp);
        p[i] = keep - hstep;
        nn_loss_only(net, &d, 1, &lm);
        p[i] = keep;
        double fd = ((double)lp - (double)lm) / (2.0 * hstep);
        double e = fabs(fd - g[i]) / fmax(fmax(fabs(fd), fabs(g[i])), 1e-2);
        worst = e > worst ? e : worst;
        diff2 += (fd - g[i]) * (fd - g[i]);
        norm2 += (double)g[i] * g[i];
        gsum += fabs(g[i]);
    }
    CHECK(gsum > 0.0, "%s: the gradient is not all zero", what);
    CHECK(worst <= 3e-2, "%s: worst entry relative error %.3g", what, worst);
    CHECK(sqrt(diff2 / norm2) <= 5e-3, "%s: aggregated relative error %.3g", what, sqrt(diff2 / norm2));
    printf("%s: %d parameters, worst entry %.2e, aggregated %.2e\n", what, np, worst, sqrt(diff2 / norm2));
    free(g);
    free(x);
    free(y);
    nn_free(net);
}

static void gradients_alone(void)
{
    // a layer with weights before and after each new layer, so that its
    // backward (the block sum, the copy) is on every path to the loss
    nn_layer_spec up[] = {nn_conv(2, 1, 1, 0), nn_upsample(2), nn_conv(1, 3, 1, 1)};
    grad_check("upsample 2 alone", 2, 3, 3, up, 3, 3);
    nn_layer_spec up3[] = {nn_conv(3, 2, 1, 0), nn_activation(NN_ACT_TANH), nn_upsample(3), nn_conv(2, 3, 2, 0)};
    grad_check("upsample 3 alone, strided conv after", 1, 3, 4, up3, 4, 2);
    nn_layer_spec re[] = {nn_dense(8), nn_reshape(2, 2, 2), nn_conv(1, 2, 1, 1)};
    grad_check("reshape alone", 1, 3, 3, re, 3, 3);
    nn_layer_spec re2[] = {nn_conv(4, 1, 1, 0), nn_reshape(2, 6, 4), nn_conv(1, 3, 1, 0)};
    grad_check("reshape of a conv output", 1, 3, 4, re2, 3, 2);
}

/* ---- a small conv autoencoder, against an independent float64 net ----- */

enum { S = 8, C1 = 2, P = S / 2, CODE = 3, HID = 2 * (P / 2) * (P / 2), BATCH = 3 };
#define AE_LAYERS 9

static nn_net *make_ae(int max_batch, int *status)
{
    nn_layer_spec layers[AE_LAYERS] = {nn_conv(C1, 3, 1, 1), nn_activation(NN_ACT_TANH), nn_maxpool(2, 2),
                                       nn_dense(CODE), nn_dense(HID), nn_activation(NN_ACT_TANH),
                                       nn_reshape(2, P / 2, P / 2), nn_upsample(4), nn_conv(1, 3, 1, 1)};
    return make(1, S, S, layers, AE_LAYERS, max_batch, status);
}

/* out (co, n, n) = b + W * in (ci, n, n), kernel 3, stride 1, padding 1 */
static void conv3_d(double *out, const double *in, const double *W, const double *b, int ci, int co, int n)
{
    for (int o = 0; o < co; o++)
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double s = b[o];
                for (int c = 0; c < ci; c++)
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = y + ky - 1, ix = x + kx - 1;
                            if (iy >= 0 && iy < n && ix >= 0 && ix < n)
                                s += W[((o * ci + c) * 3 + ky) * 3 + kx] * in[(c * n + iy) * n + ix];
                        }
                out[(o * n + y) * n + x] = s;
            }
}

/* The mean BCE of the autoencoder above in float64, from the parameters in
 * the engine's layout (per layer W then b). */
static double ae_loss_d(const double *p, const float *x, int B)
{
    const double *W1 = p, *b1 = W1 + C1 * 9, *W2 = b1 + C1, *b2 = W2 + CODE * C1 * P * P;
    const double *W3 = b2 + CODE, *b3 = W3 + HID * CODE, *W4 = b3 + HID, *b4 = W4 + 2 * 9;
    double total = 0.0;
    for (int e = 0; e < B; e++) {
        double in[S * S], a[C1 * S * S], pool[C1 * P * P], code[CODE], hid[HID], up[2 * P * P * 4], z[S * S];
        for (int i = 0; i < S * S; i++)
            in[i] = x[e * S * S + i];
        conv3_d(a, in, W1, b1, 1, C1, S);
        for (int i = 0; i < C1 * S * S; i++)
            a[i] = tanh(a[i]);
        for (int c = 0; c < C1; c++)
            for (int y = 0; y < P; y++)
                for (int xx = 0; xx < P; xx++) {
                    double m = -INFINITY;
                    for (int j = 0; j < 4; j++) {
                        double v = a[(c * S + 2 * y + j / 2) * S + 2 * xx + j % 2];
                        m = v > m ? v : m;
                    }
                    pool[(c * P + y) * P + xx] = m;
                }
        for (int u = 0; u < CODE; u++) {
            code[u] = b2[u];
            for (int i = 0; i < C1 * P * P; i++)
                code[u] += W2[u * C1 * P * P + i] * pool[i];
        }
        for (int u = 0; u < HID; u++) {
            hid[u] = b3[u];
            for (int i = 0; i < CODE; i++)
                hid[u] += W3[u * CODE + i] * code[i];
            hid[u] = tanh(hid[u]);
        }
        // reshape (2, 2, 2) then upsample 4: (2, 8, 8)
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < S; y++)
                for (int xx = 0; xx < S; xx++)
                    up[(c * S + y) * S + xx] = hid[(c * 2 + y / 4) * 2 + xx / 4];
        conv3_d(z, up, W4, b4, 2, 1, S);
        for (int i = 0; i < S * S; i++) {
            double t = x[e * S * S + i], o = 1.0 / (1.0 + exp(-z[i]));
            total += -t * log(o) - (1.0 - t) * log(1.0 - o);
        }
    }
    return total / B;
}

/* The engine's float gradient against central differences (h = 1e-5) of the
 * float64 loss: each entry within 2e-4 + 2e-3 |fd|, aggregated relative
 * error <= 1e-3; and the engine's loss within 1e-5 relative of float64. */
static void autoencoder_gradients(void)
{
    int st;
    nn_net *net = make_ae(BATCH, &st);
    CHECK(net != NULL, "autoencoder built: %s (%s)", nn_strerror(st), nn_error_detail());
    if (!net)
        return;
    int np = nn_param_count(net);
    CHECK(np == C1 * 9 + C1 + CODE * C1 * P * P + CODE + HID * CODE + HID + 2 * 9 + 1, "parameter count %d", np);
    float x[BATCH * S * S];
    for (int i = 0; i < BATCH * S * S; i++)
        x[i] = 0.5f + 0.5f * rnd();
    float *pf = nn_params(net);
    for (int i = 0; i < np; i++)
        pf[i] += 0.1f * rnd();
    nn_data d = {.x = x, .y = x, .n = BATCH, .dx = S * S, .dy = S * S};
    float loss;
    CHECK_OK(nn_loss_grad(net, &d, &loss));
    double *p = malloc(sizeof(double) * (size_t)np);
    for (int i = 0; i < np; i++)
        p[i] = pf[i];
    double ref = ae_loss_d(p, x, BATCH);
    CHECK_NEAR(loss, ref, 1e-5 * ref, "the engine's loss against float64");
    const float *g = nn_grads(net);
    double worst = 0.0, diff2 = 0.0, norm2 = 0.0;
    int bad = 0;
    for (int i = 0; i < np; i++) {
        double keep = p[i], h = 1e-5;
        p[i] = keep + h;
        double lp = ae_loss_d(p, x, BATCH);
        p[i] = keep - h;
        double lm = ae_loss_d(p, x, BATCH);
        p[i] = keep;
        double fd = (lp - lm) / (2 * h), err = fabs(fd - g[i]);
        bad += err > 2e-4 + 2e-3 * fabs(fd);
        worst = err > worst ? err : worst;
        diff2 += err * err;
        norm2 += fd * fd;
    }
    CHECK(norm2 > 0.0 && bad == 0, "%d of %d entries off; worst absolute error %.3g", bad, np, worst);
    CHECK(sqrt(diff2 / norm2) <= 1e-3, "aggregated relative error %.3g", sqrt(diff2 / norm2));
    printf("conv autoencoder vs float64: %d parameters, worst absolute %.2e, aggregated %.2e\n", np, worst,
           sqrt(diff2 / norm2));
    free(p);
    nn_free(net);
}

/* Saved mid-training, loaded: the same predictions and the same training. */
static void save_load(void)
{
    enum { N = 12 };
    static float x[N * S * S];
    for (int i = 0; i < N * S * S; i++)
        x[i] = 0.5f + 0.5f * rnd();
    nn_net *net = make_ae(4, NULL);
    nn_data d = {.x = x, .y = x, .n = N, .dx = S * S, .dy = S * S};
    CHECK_OK(nn_train(net, &d, 4, 5, NULL)); // mid-epoch
    size_t len = nn_save_size(net);
    uint8_t *buf = malloc(len);
    CHECK_OK(nn_save(net, buf, len, NULL));
    int st;
    nn_net *back = nn_load(buf, len, &st);
    CHECK(back != NULL, "an autoencoder loads: %s", nn_strerror(st));
    if (back) {
        static float a[N * S * S], b[N * S * S];
        CHECK_OK(nn_predict(net, x, N, a));
        CHECK_OK(nn_predict(back, x, N, b));
        CHECK(memcmp(a, b, sizeof a) == 0, "the same reconstructions");
        for (int k = 0; k < AE_LAYERS; k++) {
            nn_layer_info i1, i2;
            nn_layer_info_get(net, k, &i1);
            nn_layer_info_get(back, k, &i2);
            CHECK(memcmp(&i1, &i2, sizeof i1) == 0, "layer %d: the same shape and window", k);
        }
        CHECK_OK(nn_train(net, &d, 4, 7, NULL));
        CHECK_OK(nn_train(back, &d, 4, 7, NULL));
        CHECK(memcmp(nn_params(net), nn_params(back), sizeof(float) * (size_t)nn_param_count(net)) == 0,
              "the loaded autoencoder trains on bit for bit");
    }
    nn_free(back);
    free(buf);
    nn_free(net);
}

/* Bad specs: refused at nn_create with the layer named. */
static void refused(void)
{
    int st;
    nn_layer_spec zero[] = {nn_dense(16), nn_reshape(1, 4, 4), nn_upsample(0), nn_conv(1, 3, 1, 1)};
    CHECK(!make(1, 4, 4, zero, 4, 2, &st) && st == NN_ERR_SIZE, "factor 0");
    CHECK(strcmp(nn_error_detail(), "layer 2, upsample") == 0, "factor 0 names its layer: %s", nn_error_detail());
    zero[2] = nn_upsample(-2);
    CHECK(!make(1, 4, 4, zero, 4, 2, &st) && st == NN_ERR_SIZE, "factor -2");
    zero[2] = nn_upsample(NN_MAX_UNITS);
    CHECK(!make(1, 4, 4, zero, 4, 2, &st) && st == NN_ERR_SIZE, "an output past 2^31 values");
    CHECK(strcmp(nn_error_detail(), "layer 2, upsample on a 1 x 4 x 4 input") == 0, "names it: %s", nn_error_detail());
    nn_layer_spec mismatch[] = {nn_conv(2, 3, 1, 1), nn_maxpool(2, 2), nn_dense(32), nn_reshape(2, 3, 5),
                                nn_conv(1, 3, 1, 1)};
    CHECK(!make(1, 4, 4, mismatch, 5, 2, &st) && st == NN_ERR_SIZE, "reshape 2 x 3 x 5 of 32 values");
    CHECK(strcmp(nn_error_detail(), "layer 3, reshape on a 32 x 1 x 1 input") == 0, "names the reshape and its input: %s",
          nn_error_detail());
    mismatch[3] = nn_reshape(0, 4, 8);
    CHECK(!make(1, 4, 4, mismatch, 5, 2, &st) && st == NN_ERR_SIZE, "a reshape with 0 channels");
    CHECK(strcmp(nn_error_detail(), "layer 3, reshape") == 0, "names it: %s", nn_error_detail());
    mismatch[3] = nn_reshape(2, 4, 4);
    nn_net *ok = make(1, 4, 4, mismatch, 5, 2, &st);
    CHECK(ok != NULL, "2 x 4 x 4 of 32 values builds");
    nn_free(ok);
    // the last layer gives the logits: a layer with weights
    nn_layer_spec last_up[] = {nn_conv(1, 3, 1, 1), nn_upsample(1)};
    CHECK(!make(1, 4, 4, last_up, 2, 2, &st) && st == NN_ERR_CONFIG, "upsample as the last layer");
    nn_layer_spec last_re[] = {nn_dense(16), nn_reshape(1, 4, 4)};
    CHECK(!make(1, 4, 4, last_re, 2, 2, &st) && st == NN_ERR_CONFIG, "reshape as the last layer");
    // a convolution may be the last layer: one logit per output value
    nn_layer_spec conv_last[] = {nn_conv(1, 3, 1, 1)};
    nn_config cfg = {.n_in = 16, .n_layers = 1, .layers = conv_last, .output = NN_ACT_LINEAR, .loss = NN_LOSS_MSE,
                     .max_batch = 2, .seed = 1, .channels = 1, .height = 4, .width = 4};
    ok = nn_create(&cfg, &st);
    CHECK(ok != NULL && nn_outputs(ok) == 16, "a conv as the only layer, MSE");
    nn_free(ok);
}

/* Bars at random places: a tiny autoencoder's reconstruction loss falls. */
static void trains(void)
{
    enum { N = 64 };
    static float x[N * S * S];
    for (int i = 0; i < N; i++) {
        int at = (int)((rnd() + 1.0f) * 3.99f), vertical = i % 2;
        for (int y = 0; y < S; y++)
            for (int xx = 0; xx < S; xx++)
                x[i * S * S + y * S + xx] = (vertical ? xx : y) == at ? 1.0f : 0.0f;
    }
    nn_net *net = make_ae(16, NULL);
    nn_optim adam = nn_optim_default(NN_OPT_ADAM);
    adam.lr = 0.01f;
    CHECK_OK(nn_set_optimizer(net, &adam));
    nn_data d = {.x = x, .y = x, .n = N, .dx = S * S, .dy = S * S};
    float l0, l1;
    CHECK_OK(nn_evaluate(net, &d, &l0, NULL));
    CHECK_OK(nn_train(net, &d, 16, 400, NULL));
    CHECK_OK(nn_evaluate(net, &d, &l1, NULL));
    CHECK(l1 < 0.6f * l0, "reconstruction BCE falls: %g -> %g", l0, l1);
    printf("bars autoencoder: BCE %.3f -> %.3f after 400 steps\n", l0, l1);
    nn_free(net);
}

int main(void)
{
    shapes();
    upsample_reference();
    gradients_alone();
    autoencoder_gradients();
    save_load();
    refused();
    trains();
    CHECK_DONE();
}
