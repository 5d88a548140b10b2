/* test_conv.c: convolution and pooling. The course's cross-correlation
 * example (a kernel 0 1 0 / 0 0 0 / 0 0 0 picks the pixel above the centre:
 * 42), output sizes floor((n + 2p - k)/s) + 1 and the refused ones, gradients
 * of conv (strides 1 and 2, padding 0 to 2, several channels, batch > 1),
 * max and average pooling and batch norm over channels against central
 * differences, max pool's first-maximum rule, and a conv net that saves,
 * loads and trains on bit for bit; each layer's window (kernel, stride, pad)
 * through nn_layer_info, and nn_plan_bytes. */
#include "nn.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

static uint32_t seed = 99;

static float rnd(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (float)(seed >> 8) / 16777216.0f * 2.0f - 1.0f;
}

static nn_net *make(int c, int h, int w, const nn_layer_spec *layers, int n, int max_batch, int *status)
{
    nn_config cfg = {.n_in = c * h * w, .n_layers = n, .layers = layers, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = max_batch, .seed = 7, .channels = c, .height = h,
                     .width = w};
    return nn_create(&cfg, status);
}

/* COURSE.md section 12: cross-correlation, as the libraries compute it. */
static void course_example(void)
{
    nn_layer_spec layers[] = {nn_conv(1, 3, 1, 0), nn_dense(2)};
    nn_net *net = make(1, 5, 5, layers, 2, 4, NULL);
    CHECK(net != NULL, "a 1 x 5 x 5 input and a 3 x 3 kernel");
    if (!net)
        return;
    float *p = nn_params(net);
    const float kernel[9] = {0, 1, 0, 0, 0, 0, 0, 0, 0};
    memcpy(p, kernel, sizeof kernel);
    p[9] = 0.0f;
    float patch[25];
    for (int i = 0; i < 25; i++)
        patch[i] = (float)(10 * i % 97);
    patch[1 * 5 + 2] = 42.0f;   // the pixel above the centre
    float out[9 + 2];
    CHECK_OK(nn_activations(net, patch, 1, out));
    CHECK(out[1 * 3 + 1] == 42.0f, "the centre output is the pixel above the centre: %g", out[4]);
    // every output is the pixel above its window's centre
    for (int oy = 0; oy < 3; oy++)
        for (int ox = 0; ox < 3; ox++)
            CHECK(out[oy * 3 + ox] == patch[oy * 5 + ox + 1], "output (%d, %d)", oy, ox);
    nn_layer_info info;
    CHECK_OK(nn_layer_info_get(net, 0, &info));
    CHECK(info.channels == 1 && info.height == 3 && info.width == 3 && info.n_out == 9, "shape (1, 3, 3)");
    CHECK(info.w_len == 9 && info.b_len == 1, "9 weights and one bias");
    CHECK(info.kernel == 3 && info.stride == 1 && info.pad == 0, "the window as specified: k %d s %d p %d", info.kernel,
          info.stride, info.pad);
    CHECK_OK(nn_layer_info_get(net, 1, &info));
    CHECK(info.kernel == 0 && info.stride == 0 && info.pad == 0, "a dense layer has no window");
    nn_free(net);
}

/* Each layer's window through nn_layer_info, and nn_plan_bytes: the arena
 * nn_create allocates, or the status it would return, without building. */
static void windows_and_plan(void)
{
    nn_layer_spec layers[] = {nn_conv(4, 5, 2, 1), nn_activation(NN_ACT_RELU), nn_maxpool(3, 2), nn_avgpool(2, 1),
                              nn_dense(3)};
    int st;
    nn_net *net = make(1, 28, 28, layers, 5, 8, &st);
    CHECK(net != NULL, "built (%s)", nn_strerror(st));
    if (!net)
        return;
    const int want[][3] = {{5, 2, 1}, {0, 0, 0}, {3, 2, 0}, {2, 1, 0}, {0, 0, 0}};
    for (int k = 0; k < 5; k++) {
        nn_layer_info info;
        CHECK_OK(nn_layer_info_get(net, k, &info));
        CHECK(info.kernel == want[k][0] && info.stride == want[k][1] && info.pad == want[k][2],
              "layer %d: k %d s %d p %d", k, info.kernel, info.stride, info.pad);
    }
    nn_free(net);
    nn_config cfg = {.n_in = 784, .n_layers = 5, .layers = layers, .output = NN_ACT_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                     .max_batch = 8, .seed = 7, .channels = 1, .height = 28, .width = 28};
    int64_t small = 0, big = 0;
    CHECK_OK(nn_plan_bytes(&cfg, &small));
    cfg.max_batch = 64;
    CHECK_OK(nn_plan_bytes(&cfg, &big));
    CHECK(small > 0 && big > small, "more memory for a larger batch: %lld then %lld", (long long)small, (long long)big);
    nn_layer_spec bad[] = {nn_conv(2, 6, 1, 0), nn_dense(2)};
    nn_config no = {.n_in = 25, .n_layers = 2, .layers = bad, .output = NN_ACT_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                    .max_batch = 2, .channels = 1, .height = 5, .width = 5};
    int64_t untouched = -1;
    CHECK(nn_plan_bytes(&no, &untouched) == NN_ERR_SIZE && untouched == -1, "a kernel larger than the input: refused");
    CHECK(strcmp(nn_error_detail(), "layer 0, conv on a 1 x 5 x 5 input") == 0, "the detail names the layer: %s",
          nn_error_detail());
    CHECK(nn_plan_bytes(NULL, &small) == NN_ERR_NULL && nn_plan_bytes(&cfg, NULL) == NN_ERR_NULL, "NULL refused");
}

static void sizes(void)
{
    struct {
        int n, k, s, p, want;
    } cases[] = {{28, 5, 1, 2, 28}, {28, 5, 1, 0, 24}, {28, 3, 2, 1, 14}, {7, 3, 2, 0, 3}, {5, 5, 1, 0, 1},
                 {6, 2, 2, 0, 3}, {5, 2, 2, 0, 2}, {4, 7, 1, 2, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_layer_spec layers[] = {nn_conv(2, cases[i].k, cases[i].s, cases[i].p), nn_dense(2)};
        int st;
        nn_net *net = make(1, cases[i].n, cases[i].n, layers, 2, 2, &st);
        nn_layer_info info = {0};
        if (net)
            nn_layer_info_get(net, 0, &info);
        CHECK(net && info.height == cases[i].want && info.width == cases[i].want, "n %d k %d s %d p %d: side %d, want %d",
              cases[i].n, cases[i].k, cases[i].s, cases[i].p, info.height, cases[i].want);
        nn_free(net);
    }
    int st;
    nn_layer_spec big[] = {nn_conv(2, 6, 1, 0), nn_dense(2)};
    CHECK(!make(1, 5, 5, big, 2, 2, &st) && st == NN_ERR_SIZE, "kernel larger than the input");
    CHECK(strcmp(nn_error_detail(), "layer 0, conv on a 1 x 5 x 5 input") == 0, "the detail names the layer: %s",
          nn_error_detail());
    nn_layer_spec big_pad[] = {nn_conv(2, 8, 1, 1), nn_dense(2)};
    CHECK(!make(1, 5, 5, big_pad, 2, 2, &st) && st == NN_ERR_SIZE, "kernel larger than the padded input");
    nn_layer_spec stride0[] = {nn_conv(2, 3, 0, 0), nn_dense(2)};
    CHECK(!make(1, 5, 5, stride0, 2, 2, &st) && st == NN_ERR_SIZE, "stride 0");
    nn_layer_spec pool_big[] = {nn_maxpool(6, 6), nn_dense(2)};
    CHECK(!make(1, 5, 5, pool_big, 2, 2, &st) && st == NN_ERR_SIZE, "a pool window larger than the input");
    nn_layer_spec pool_pad[] = {nn_maxpool(2, 2), nn_dense(2)};
    pool_pad[0].pad = 1;
    CHECK(!make(1, 4, 4, pool_pad, 2, 2, &st) && st == NN_ERR_CONFIG, "pools take no padding");
    CHECK(strcmp(nn_error_detail(), "layer 0, maxpool") == 0, "a bad spec names its layer: %s", nn_error_detail());
    nn_layer_spec fine[] = {nn_maxpool(2, 2), nn_dense(2)};
    nn_net *ok_net = make(1, 4, 4, fine, 2, 2, &st);
    CHECK(ok_net && nn_error_detail()[0] == '\0', "a net that builds clears the detail");
    nn_free(ok_net);
    nn_layer_spec ok[] = {nn_dense(2)};
    nn_config bad = {.n_in = 25, .n_layers = 1, .layers = ok, .output = NN_ACT_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                     .max_batch = 2, .channels = 1, .height = 5, .width = 4};
    CHECK(!nn_create(&bad, &st) && st == NN_ERR_SIZE, "an image shape that is not n_in");
    bad.width = 5;
    bad.height = 0;
    CHECK(!nn_create(&bad, &st) && st == NN_ERR_SIZE, "a shape with a side of 0");
}

/* Central differences of the mean loss, in training mode without updating
 * statistics, against nn_loss_grad, over every parameter. */
static void grad_check(const char *what, int c, int h, int w, const nn_layer_spec *layers, int n, int B)
{
    int st;
    nn_net *net = make(c, h, w, layers, n, B, &st);
    CHECK(net != NULL, "%s: built (%s)", what, nn_strerror(st));
    if (!net)
        return;
    int n_in = c * h * w, np = nn_param_count(net);
    float *x = malloc(sizeof(float) * (size_t)(B * n_in));
    int32_t *lab = malloc(sizeof(int32_t) * (size_t)B);
    for (int i = 0; i < B * n_in; i++)
        x[i] = rnd();
    for (int i = 0; i < B; i++)
        lab[i] = i % nn_outputs(net);
    // biases away from 0 so that no ReLU sits on its kink
    float *p = nn_params(net);
    for (int i = 0; i < np; i++)
        p[i] += 0.05f * rnd();
    nn_data d = {.x = x, .label = lab, .n = B, .dx = n_in};
    float loss;
    CHECK_OK(nn_loss_grad(net, &d, &loss));
    float *g = malloc(sizeof(float) * (size_t)np);
    memcpy(g, nn_grads(net), sizeof(float) * (size_t)np);
    double worst = 0.0, diff2 = 0.0, norm2 = 0.0, gsum = 0.0;
    const float hstep = 2e-3f;
    for (int i = 0; i < np; i++) {
        float keep = p[i];
        float lp, lm;
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
    free(lab);
    nn_free(net);
}

static void gradients(void)
{
    nn_layer_spec a[] = {nn_conv(3, 3, 1, 1), nn_activation(NN_ACT_TANH), nn_conv(2, 2, 2, 0), nn_dense(3)};
    grad_check("conv k3 s1 p1, conv k2 s2 p0", 2, 6, 6, a, 4, 3);
    nn_layer_spec b[] = {nn_conv(2, 3, 2, 2), nn_activation(NN_ACT_TANH), nn_dense(3)};
    grad_check("conv k3 s2 p2", 3, 5, 5, b, 3, 2);
    nn_layer_spec c[] = {nn_conv(4, 3, 1, 0), nn_batchnorm(), nn_activation(NN_ACT_TANH), nn_maxpool(2, 2), nn_dense(3)};
    grad_check("conv, BN over channels, max pool 2", 1, 8, 8, c, 5, 4);
    nn_layer_spec e[] = {nn_conv(3, 2, 1, 1), nn_activation(NN_ACT_TANH), nn_avgpool(3, 2), nn_dense(3)};
    grad_check("conv k2 p1, average pool 3 stride 2", 2, 7, 7, e, 4, 3);
    nn_layer_spec f[] = {nn_maxpool(3, 1), nn_dense(4), nn_batchnorm(), nn_activation(NN_ACT_TANH), nn_dense(3)};
    grad_check("overlapping max pool, dense BN", 2, 5, 5, f, 5, 4);
}

/* Backward reuses the forward's unrolled inputs when a batch of them fits
 * 64 MB and unrolls again otherwise: both give the same bits. */
static void cached_and_not(void)
{
    nn_layer_spec layers[] = {nn_conv(2, 5, 1, 2), nn_activation(NN_ACT_TANH), nn_maxpool(4, 4), nn_dense(3)};
    // 25 x 4096 floats an example: 2 examples are cached, 200 are not
    nn_net *small = make(1, 64, 64, layers, 4, 2, NULL), *big = make(1, 64, 64, layers, 4, 200, NULL);
    CHECK(small && big, "both built");
    if (!small || !big) {
        nn_free(small);
        nn_free(big);
        return;
    }
    static float x[2 * 4096];
    int32_t lab[2] = {0, 2};
    for (int i = 0; i < 2 * 4096; i++)
        x[i] = rnd();
    nn_data d = {.x = x, .label = lab, .n = 2, .dx = 4096};
    float l1, l2;
    CHECK_OK(nn_loss_grad(small, &d, &l1));
    CHECK_OK(nn_loss_grad(big, &d, &l2));
    CHECK(l1 == l2 && memcmp(nn_grads(small), nn_grads(big), sizeof(float) * (size_t)nn_param_count(big)) == 0,
          "the same gradients with and without the cache");
    nn_free(small);
    nn_free(big);
}

/* Ties: the first maximum of the window, read row by row, takes the gradient. */
static void maxpool_ties(void)
{
    nn_layer_spec layers[] = {nn_maxpool(2, 2), nn_dense(2)};
    nn_net *net = make(1, 2, 2, layers, 2, 1, NULL);
    float x[4] = {1.0f, 3.0f, 3.0f, 3.0f};
    int32_t lab = 0;
    float out[3];
    CHECK_OK(nn_activations(net, x, 1, out));
    CHECK(out[0] == 3.0f, "max 3");
    // the input gradient is dense W^T dz at the first maximum only: check
    // through a net whose first layer is the pool and a second pool input
    nn_layer_spec two[] = {nn_dense(4), nn_maxpool(2, 2), nn_dense(2)};
    nn_config cfg = {.n_in = 4, .n_layers = 3, .layers = two, .output = NN_ACT_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                     .max_batch = 1, .seed = 1};
    nn_net *n2 = nn_create(&cfg, NULL);
    CHECK(n2 == NULL, "a pool after a dense layer has a 1 x 1 input: refused");
    nn_data d = {.x = x, .label = &lab, .n = 1, .dx = 4};
    CHECK_OK(nn_loss_grad(net, &d, NULL));
    nn_free(net);
    (void)n2;
}

/* A small CNN learns a spatial rule, and a saved one trains on exactly. */
static void train_and_save(void)
{
    enum { N = 64, S = 6 };
    static float x[N * S * S];
    static int32_t lab[N];
    for (int i = 0; i < N; i++) {
        // class 1: a vertical bar, class 0: a horizontal bar, at random places
        lab[i] = i % 2;
        int at = (int)((rnd() + 1.0f) * 2.5f);
        for (int y = 0; y < S; y++)
            for (int xx = 0; xx < S; xx++)
                x[i * S * S + y * S + xx] = 0.1f * rnd() + ((lab[i] ? xx : y) == at ? 1.0f : 0.0f);
    }
    nn_layer_spec layers[] = {nn_conv(4, 3, 1, 1), nn_activation(NN_ACT_RELU), nn_maxpool(2, 2), nn_dense(2)};
    nn_net *net = make(1, S, S, layers, 4, 8, NULL);
    nn_optim adam = nn_optim_default(NN_OPT_ADAM);
    adam.lr = 0.01f;
    CHECK_OK(nn_set_optimizer(net, &adam));
    nn_data d = {.x = x, .label = lab, .n = N, .dx = S * S};
    float l0, l1, acc;
    CHECK_OK(nn_evaluate(net, &d, &l0, NULL));
    CHECK_OK(nn_train(net, &d, 8, 300, NULL));
    CHECK_OK(nn_evaluate(net, &d, &l1, &acc));
    CHECK(l1 < 0.5f * l0 && acc >= 0.95f, "a CNN learns bars: loss %g -> %g, accuracy %g", l0, l1, acc);
    CHECK_OK(nn_train(net, &d, 8, 3, NULL)); // mid-epoch
    size_t len = nn_save_size(net);
    uint8_t *buf = malloc(len);
    CHECK_OK(nn_save(net, buf, len, NULL));
    int st;
    nn_net *back = nn_load(buf, len, &st);
    CHECK(back != NULL, "a conv net loads: %s", nn_strerror(st));
    if (back) {
        CHECK_OK(nn_train(net, &d, 8, 20, NULL));
        CHECK_OK(nn_train(back, &d, 8, 20, NULL));
        CHECK(memcmp(nn_params(net), nn_params(back), sizeof(float) * (size_t)nn_param_count(net)) == 0,
              "the loaded conv net trains on bit for bit");
    }
    float norms[4];
    CHECK_OK(nn_grad_norms(net, norms));
    CHECK(norms[0] > 0.0f && norms[3] > 0.0f && norms[1] == 0.0f && norms[2] == 0.0f, "grad norms per layer");
    nn_free(back);
    free(buf);
    nn_free(net);
}

int main(void)
{
    course_example();
    sizes();
    windows_and_plan();
    gradients();
    maxpool_ties();
    cached_and_not();
    train_and_save();
    CHECK_DONE();
}
