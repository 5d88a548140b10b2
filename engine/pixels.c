/* pixels.c: values to RGBA pixels, for pictures of a net: a decision
 * boundary, or a map per neuron. The colours are the caller's (a palette of
 * RGBA entries); this file only picks an entry per pixel, so a page that
 * draws hundreds of maps a frame does it in one pass over wasm memory that
 * an ImageData can view. Plain loops: the cost is memory, not arithmetic. */
#include "net.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Palette entry of v in [-1, 1] among p entries (NaN: the middle one). */
static int signed_index(float v, int p, int discrete)
{
    if (!(v == v))
        return (p - 1) / 2;
    if (discrete)
        v = v > 0.0f ? 1.0f : -1.0f;
    v = v < -1.0f ? -1.0f : v > 1.0f ? 1.0f : v;
    return (int)lrintf((v + 1.0f) * 0.5f * (float)(p - 1));
}

static void put(uint8_t *px, const uint8_t *palette, int i)
{
    memcpy(px, palette + 4 * (size_t)i, 4);
}

int nn_colorize(uint8_t *rgba, const float *v, int n, int k, int mode, int discrete,
                const uint8_t *palette, int palette_n)
{
    if (n > 0 && (!rgba || !v || !palette))
        return NN_ERR_NULL;
    if (n < 0 || k < 1 || k > NN_MAX_UNITS || palette_n < 1 || (int64_t)n * k > INT32_MAX)
        return NN_ERR_SIZE;
    if (mode < 0 || mode >= NN_COLOR_COUNT)
        return NN_ERR_ENUM;
    if (mode == NN_COLOR_CLASS) {
        // palette: k runs of L entries, white to the class colour
        if (palette_n % k != 0)
            return NN_ERR_SIZE;
        int L = palette_n / k;
        for (int i = 0; i < n; i++) {
            const float *r = v + (size_t)i * k;
            int best = 0;
            for (int j = 1; j < k; j++)
                if (r[j] > r[best])
                    best = j;
            float conf = discrete ? 1.0f : k > 1 ? (r[best] - 1.0f / k) / (1.0f - 1.0f / k) : r[0];
            if (!(conf >= 0.0f))
                conf = 0.0f;
            if (conf > 1.0f)
                conf = 1.0f;
            put(rgba + 4 * (size_t)i, palette, best * L + (int)lrintf(conf * (float)(L - 1)));
        }
        return NN_OK;
    }
    // one tile of n pixels per column, tiles one after the other
    for (int j = 0; j < k; j++) {
        float scale = 1.0f, shift = 0.0f;
        if (mode == NN_COLOR_PROB) {
            scale = 2.0f;
            shift = -1.0f;
        } else if (mode == NN_COLOR_SCALED) {
            float m = 1e-9f;
            for (int i = 0; i < n; i++) {
                float a = fabsf(v[(size_t)i * k + j]);
                if (a > m)
                    m = a;   // NaN never compares greater: it is skipped
            }
            scale = 1.0f / m;
        }
        uint8_t *tile = rgba + 4 * (size_t)n * j;
        for (int i = 0; i < n; i++)
            put(tile + 4 * (size_t)i, palette, signed_index(v[(size_t)i * k + j] * scale + shift, palette_n, discrete));
    }
    return NN_OK;
}

int nn_pixel_count(const nn_net *net, int n, const int32_t *modes)
{
    if (!net || !modes)
        return NN_ERR_NULL;
    int64_t tiles = 0;
    for (int k = 0; k < net->n_layers; k++)
        if (modes[k] >= 0)
            tiles += modes[k] == NN_COLOR_CLASS ? 1 : net->layers[k].n_out;
    if (n < 0 || tiles * n > INT32_MAX / 4)
        return NN_ERR_SIZE;
    return (int)(tiles * n);
}

int nn_activation_pixels(nn_net *net, const float *x, int n, float *act, const int32_t *modes, int discrete,
                         const uint8_t *palette, int palette_n, uint8_t *rgba)
{
    if (!net || !modes || (n > 0 && (!x || !act || !rgba || !palette)))
        return NN_ERR_NULL;
    int count = nn_pixel_count(net, n, modes);
    if (count < 0)
        return count;
    for (int k = 0; k < net->n_layers; k++)
        if (modes[k] >= NN_COLOR_COUNT)
            return NN_ERR_ENUM;
    int status = nn_activations(net, x, n, act);
    if (status != NN_OK)
        return status;
    size_t base = 0, px = 0;
    for (int k = 0; k < net->n_layers; k++) {
        int w = net->layers[k].n_out;
        float *a = act + base;
        base += (size_t)n * w;
        if (modes[k] < 0)
            continue;
        // the last layer as nn_predict gives it: after the output function
        if (k == net->n_layers - 1)
            nn_output_forward(a, a, n, w, net->cfg.output, NULL);
        status = nn_colorize(rgba + 4 * px, a, n, w, modes[k], discrete, palette, palette_n);
        if (status != NN_OK)
            return status;
        px += (size_t)n * (modes[k] == NN_COLOR_CLASS ? 1 : w);
    }
    return NN_OK;
}
