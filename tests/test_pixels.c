/* test_pixels.c: native tests of nn_colorize and nn_activation_pixels: the
 * palette entry each mode picks (ends, middle, clamping, NaN, discrete),
 * per-column scaling, class runs shaded by confidence, the tiles of a net's
 * layers in order with the last one after the output function (as
 * nn_predict), and every error code. */
#include "nn.h"
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

// a palette of p entries whose entry i is (i, 255 - i, 7, 255)
static void ramp(uint8_t *pal, int p)
{
    for (int i = 0; i < p; i++) {
        pal[4 * i] = (uint8_t)i;
        pal[4 * i + 1] = (uint8_t)(255 - i);
        pal[4 * i + 2] = 7;
        pal[4 * i + 3] = 255;
    }
}

static void test_signed(void)
{
    uint8_t pal[4 * 5], px[4 * 8];
    ramp(pal, 5);
    const float v[8] = {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, -7.0f, 9.0f, NAN};
    CHECK_OK(nn_colorize(px, v, 8, 1, NN_COLOR_SIGNED, 0, pal, 5));
    const int want[8] = {0, 1, 2, 3, 4, 0, 4, 2};
    for (int i = 0; i < 8; i++)
        CHECK(memcmp(px + 4 * i, pal + 4 * want[i], 4) == 0, "signed %g: entry %d, got %d", (double)v[i], want[i], px[4 * i]);
    CHECK_OK(nn_colorize(px, v, 8, 1, NN_COLOR_SIGNED, 1, pal, 5));
    const int disc[8] = {0, 0, 0, 4, 4, 0, 4, 2};
    for (int i = 0; i < 8; i++)
        CHECK(px[4 * i] == disc[i], "discrete %g: entry %d, got %d", (double)v[i], disc[i], px[4 * i]);
    const float p[3] = {0.0f, 0.5f, 1.0f};
    CHECK_OK(nn_colorize(px, p, 3, 1, NN_COLOR_PROB, 0, pal, 5));
    CHECK(px[0] == 0 && px[4] == 2 && px[8] == 4, "probability: %d %d %d", px[0], px[4], px[8]);
}

static void test_scaled_columns(void)
{
    uint8_t pal[4 * 5], px[4 * 6];
    ramp(pal, 5);
    // (3, 2): column 0 scaled by 4, column 1 by 0.5; tiles one after the other
    const float v[6] = {4.0f, 0.5f, -2.0f, -0.5f, 0.0f, 0.25f};
    CHECK_OK(nn_colorize(px, v, 3, 2, NN_COLOR_SCALED, 0, pal, 5));
    const int want[6] = {4, 1, 2, 4, 0, 3};
    for (int i = 0; i < 6; i++)
        CHECK(px[4 * i] == want[i], "scaled pixel %d: entry %d, got %d", i, want[i], px[4 * i]);
    // an all-zero column takes the middle
    const float z[2] = {0.0f, 0.0f};
    CHECK_OK(nn_colorize(px, z, 2, 1, NN_COLOR_SCALED, 0, pal, 5));
    CHECK(px[0] == 2 && px[4] == 2, "zeros: %d %d", px[0], px[4]);
}

static void test_class(void)
{
    uint8_t pal[4 * 9], px[4 * 4];
    ramp(pal, 9);   // 3 classes x 3 shades
    const float v[12] = {
        1.0f, 0.0f, 0.0f,              // class 0, sure: entry 2
        0.2f, 0.3f, 0.5f,              // class 2, conf 0.25: entry 6 + round(0.5) = 7 (rint: 6)
        1.0f / 3, 1.0f / 3, 1.0f / 3,  // a tie: class 0, no confidence: entry 0
        0.0f, 0.9f, 0.1f,              // class 1, conf 0.85: entry 3 + 2 = 5
    };
    CHECK_OK(nn_colorize(px, v, 4, 3, NN_COLOR_CLASS, 0, pal, 9));
    const int want[4] = {2, 6, 0, 5};
    for (int i = 0; i < 4; i++)
        CHECK(px[4 * i] == want[i], "class pixel %d: entry %d, got %d", i, want[i], px[4 * i]);
    CHECK_OK(nn_colorize(px, v, 4, 3, NN_COLOR_CLASS, 1, pal, 9));
    const int disc[4] = {2, 8, 2, 5};
    for (int i = 0; i < 4; i++)
        CHECK(px[4 * i] == disc[i], "discrete class pixel %d: entry %d, got %d", i, disc[i], px[4 * i]);
}

static void test_errors(void)
{
    uint8_t pal[8] = {0}, px[16];
    float v[4] = {0};
    CHECK(nn_colorize(NULL, v, 1, 1, NN_COLOR_SIGNED, 0, pal, 2) == NN_ERR_NULL, "NULL pixels");
    CHECK(nn_colorize(px, v, 1, 1, NN_COLOR_SIGNED, 0, NULL, 2) == NN_ERR_NULL, "NULL palette");
    CHECK(nn_colorize(NULL, NULL, 0, 1, NN_COLOR_SIGNED, 0, NULL, 2) == NN_OK, "nothing to colour");
    CHECK(nn_colorize(px, v, -1, 1, NN_COLOR_SIGNED, 0, pal, 2) == NN_ERR_SIZE, "n < 0");
    CHECK(nn_colorize(px, v, 1, 0, NN_COLOR_SIGNED, 0, pal, 2) == NN_ERR_SIZE, "k = 0");
    CHECK(nn_colorize(px, v, 1, 1, NN_COLOR_SIGNED, 0, pal, 0) == NN_ERR_SIZE, "empty palette");
    CHECK(nn_colorize(px, v, 1, 3, NN_COLOR_CLASS, 0, pal, 2) == NN_ERR_SIZE, "3 classes, 2 entries");
    CHECK(nn_colorize(px, v, 1, 1, NN_COLOR_COUNT, 0, pal, 2) == NN_ERR_ENUM, "mode COUNT");
    CHECK(nn_colorize(px, v, 1, 1, -1, 0, pal, 2) == NN_ERR_ENUM, "mode -1");
    CHECK(nn_colorize(px, v, INT32_MAX / 2, 4, NN_COLOR_SIGNED, 0, pal, 2) == NN_ERR_SIZE, "n k overflows");
}

// a 2-3-2 tanh net with a sigmoid output: its maps match nn_activations and nn_predict
static void test_activation_pixels(void)
{
    nn_layer_spec layers[] = {nn_dense(3), nn_activation(NN_ACT_TANH), nn_dense(2)};
    nn_config cfg = {.n_in = 2, .n_layers = 3, .layers = layers, .output = NN_ACT_SIGMOID, .loss = NN_LOSS_BCE,
                     .max_batch = 4, .seed = 3};
    int st;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "create: %s", nn_strerror(st));
    if (!net)
        return;
    enum { N = 6 };
    const float x[2 * N] = {-1, -1, -1, 1, 1, -1, 1, 1, 0, 0, 2, -3};
    float act[N * 8], ref[N * 8], out[N * 2];
    CHECK(nn_activation_width(net) == 8, "width %d", nn_activation_width(net));
    const int32_t modes[3] = {-1, NN_COLOR_SCALED, NN_COLOR_PROB};
    CHECK(nn_pixel_count(net, N, modes) == N * 5, "pixel count %d", nn_pixel_count(net, N, modes));
    const int32_t class_modes[3] = {-1, -1, NN_COLOR_CLASS};
    CHECK(nn_pixel_count(net, N, class_modes) == N, "class pixel count");
    enum { P = 101 };
    uint8_t pal[4 * P], px[4 * N * 5], want[4 * N * 5];
    ramp(pal, P);
    CHECK_OK(nn_activation_pixels(net, x, N, act, modes, 0, pal, P, px));
    // the same from the parts: activations scaled per unit, predictions as probabilities
    CHECK_OK(nn_activations(net, x, N, ref));
    CHECK_OK(nn_colorize(want, ref + N * 3, N, 3, NN_COLOR_SCALED, 0, pal, P));
    CHECK_OK(nn_predict(net, x, N, out));
    CHECK_OK(nn_colorize(want + 4 * N * 3, out, N, 2, NN_COLOR_PROB, 0, pal, P));
    CHECK(memcmp(px, want, sizeof px) == 0, "activation pixels = colorize of activations and predictions");
    const int32_t bad[3] = {-1, NN_COLOR_COUNT, -1};
    CHECK(nn_activation_pixels(net, x, N, act, bad, 0, pal, P, px) == NN_ERR_ENUM, "a bad mode");
    CHECK(nn_activation_pixels(net, x, N, NULL, modes, 0, pal, P, px) == NN_ERR_NULL, "no scratch");
    CHECK(nn_activation_pixels(NULL, x, N, act, modes, 0, pal, P, px) == NN_ERR_NULL, "no net");
    CHECK(nn_pixel_count(net, -1, modes) == NN_ERR_SIZE, "n < 0");
    nn_free(net);
}

int main(void)
{
    test_signed();
    test_scaled_columns();
    test_class();
    test_errors();
    test_activation_pixels();
    CHECK_DONE();
}
