/* data.c: the course's seeded data sets (circle, XOR, two Gaussians, spirals,
 * k blobs, a plane and a cos curve) and the row shuffle that precedes a
 * train/dev/test split. Shapes follow TensorFlow Playground's dataset.ts in
 * the square [-6, 6]^2; every draw comes from a PCG32 seeded by the caller,
 * so (kind, n, k, noise, seed) names one data set on every platform. */
#include "nn.h"
#include "rng.h"

#include <math.h>
#include <stddef.h>

// Stream ids far from the net's streams (0..NN_STREAM_COUNT-1), so a data set
// and a net seeded with the same number do not draw the same sequence.
static const uint32_t data_stream = 0x64617461u;    // "data"
static const uint32_t shuffle_stream = 0x73687566u; // "shuf"

static const double two_pi = 6.283185307179586;

// Radii of the circle set: class 0 inside the disc, class 1 in the ring.
static const float circle_inner = 2.5f;
static const float ring_lo = 3.5f;
static const float ring_hi = 5.0f;

// XOR points keep this distance from the axes so that, without noise, no
// point sits on the class boundary.
static const float xor_padding = 0.3f;

static const float square = 6.0f;

static float clamp_square(float v)
{
    return v < -square ? -square : (v > square ? square : v);
}

// Examples of class c among n when example j has class j % k.
static int class_count(int n, int k, int c)
{
    return n / k + (c < n % k ? 1 : 0);
}

// Trigonometry goes through double so that glibc and the wasm libm, which
// agree far below float precision, give the same float after rounding.
static float sin_f(float a) { return (float)sin((double)a); }
static float cos_f(float a) { return (float)cos((double)a); }

// Labels come from the point displaced by U(-5,5)*noise per coordinate, the
// stored point is the undisplaced one (as TF Playground): noise flips labels
// near the boundary but never moves points, so one seed shows the same cloud
// at every noise level.
static void gen_circle(nn_rng *r, int n, float noise, float *x, int32_t *label)
{
    for (int j = 0; j < n; j++) {
        float rad = (j % 2 == 0) ? nn_rng_range(r, 0.0f, circle_inner)
                                 : nn_rng_range(r, ring_lo, ring_hi);
        float angle = nn_rng_range(r, 0.0f, (float)two_pi);
        float px = rad * sin_f(angle);
        float py = rad * cos_f(angle);
        float qx = px + nn_rng_range(r, -ring_hi, ring_hi) * noise;
        float qy = py + nn_rng_range(r, -ring_hi, ring_hi) * noise;
        x[2 * (size_t)j] = px;
        x[2 * (size_t)j + 1] = py;
        label[j] = (qx * qx + qy * qy < circle_inner * circle_inner) ? 0 : 1;
    }
}

static float xor_coordinate(nn_rng *r)
{
    float v = nn_rng_range(r, -5.0f, 5.0f);
    return v > 0.0f ? v + xor_padding : v - xor_padding;
}

// The quadrant is chosen from the class (flipping x2's sign when needed) so
// the shares are exact; the points are still uniform over the padded square.
static void gen_xor(nn_rng *r, int n, float noise, float *x, int32_t *label)
{
    for (int j = 0; j < n; j++) {
        int want = j % 2;
        float a = xor_coordinate(r);
        float b = xor_coordinate(r);
        if (((a * b < 0.0f) ? 1 : 0) != want)
            b = -b;
        float qa = a + nn_rng_range(r, -5.0f, 5.0f) * noise;
        float qb = b + nn_rng_range(r, -5.0f, 5.0f) * noise;
        x[2 * (size_t)j] = a;
        x[2 * (size_t)j + 1] = b;
        label[j] = (qa * qb < 0.0f) ? 1 : 0;
    }
}

// Blob c is centred at (cx[c], cy[c]); clamping keeps the tails in the square
// the playground draws.
static void gen_blobs(nn_rng *r, int n, int k, const float *cx, const float *cy,
                      float sd, float *x, int32_t *label)
{
    for (int j = 0; j < n; j++) {
        int c = j % k;
        float gx = nn_rng_normal(r);
        float gy = nn_rng_normal(r);
        x[2 * (size_t)j] = clamp_square(cx[c] + sd * gx);
        x[2 * (size_t)j + 1] = clamp_square(cy[c] + sd * gy);
        label[j] = c;
    }
}

// TF Playground's classifySpiralData with k arms: point i of arm c has
// radius 5 i / n_c and angle 1.75 * 2 pi i / n_c + 2 pi c / k, plus U(-1,1)
// * noise per coordinate, which keeps |x| < 6.
static void gen_spiral(nn_rng *r, int n, int k, float noise, float *x, int32_t *label)
{
    for (int j = 0; j < n; j++) {
        int c = j % k;
        int i = j / k;
        double f = (double)i / (double)class_count(n, k, c);
        double rad = 5.0 * f;
        double t = 1.75 * f * two_pi + two_pi * c / k;
        float dx = nn_rng_range(r, -1.0f, 1.0f) * noise;
        float dy = nn_rng_range(r, -1.0f, 1.0f) * noise;
        x[2 * (size_t)j] = (float)(rad * sin(t)) + dx;
        x[2 * (size_t)j + 1] = (float)(rad * cos(t)) + dy;
        label[j] = c;
    }
}

// As TF Playground's regressPlane, the target is taken at the inputs
// displaced by U(-6,6)*noise each, so y moves by at most noise from the plane.
static void gen_plane(nn_rng *r, int n, float noise, float *x, float *y)
{
    for (int j = 0; j < n; j++) {
        float x1 = nn_rng_range(r, -square, square);
        float x2 = nn_rng_range(r, -square, square);
        float q1 = x1 + nn_rng_range(r, -square, square) * noise;
        float q2 = x2 + nn_rng_range(r, -square, square) * noise;
        x[2 * (size_t)j] = x1;
        x[2 * (size_t)j + 1] = x2;
        y[j] = (q1 + 2.0f * q2) / 18.0f;
    }
}

// Gaussian noise of sd noise/2 on a curve of amplitude 1.
static void gen_cos(nn_rng *r, int n, float noise, float *x, float *y)
{
    for (int j = 0; j < n; j++) {
        float v = nn_rng_range(r, -square, square);
        float g = nn_rng_normal(r);
        x[j] = v;
        y[j] = cos_f(v) + 0.5f * noise * g;
    }
}

/* Input width of a data set (1 for COS, else 2); NN_ERR_ENUM if unknown. */
int nn_dataset_dims(int kind)
{
    if (kind < 0 || kind >= NN_DATA_COUNT)
        return NN_ERR_ENUM;
    return kind == NN_DATA_COS ? 1 : 2;
}

/* 1 for the classification sets, 0 for regression; NN_ERR_ENUM if unknown. */
int nn_dataset_is_classification(int kind)
{
    if (kind < 0 || kind >= NN_DATA_COUNT)
        return NN_ERR_ENUM;
    return kind != NN_DATA_PLANE && kind != NN_DATA_COS;
}

/* Fills n examples of a data set: x (n, dims) and label (n) or y (n). */
int nn_dataset_generate(int kind, int n, int k, float noise, uint32_t seed,
                        float *x, float *y, int32_t *label)
{
    int cls = nn_dataset_is_classification(kind);
    if (cls < 0)
        return cls;
    if (!x || (cls && !label) || (!cls && !y))
        return NN_ERR_NULL;
    if (n < 0)
        return NN_ERR_SIZE;
    if (kind == NN_DATA_SPIRALS && (k < 3 || k > 5))
        return NN_ERR_SIZE;
    if (kind == NN_DATA_BLOBS && (k < 2 || k > 5))
        return NN_ERR_SIZE;
    // written so that NaN fails too
    if (!(noise >= 0.0f && noise <= 1.0f))
        return NN_ERR_VALUE;

    nn_rng r;
    nn_rng_seed(&r, seed, data_stream);
    switch (kind) {
    case NN_DATA_CIRCLE:
        gen_circle(&r, n, noise, x, label);
        break;
    case NN_DATA_XOR:
        gen_xor(&r, n, noise, x, label);
        break;
    case NN_DATA_GAUSS: {
        // TF Playground's variance 0.5..4 over its noise range 0..0.5,
        // stretched over our 0..1
        static const float cx[2] = {2.0f, -2.0f};
        static const float cy[2] = {2.0f, -2.0f};
        gen_blobs(&r, n, 2, cx, cy, sqrtf(0.5f + 3.5f * noise), x, label);
        break;
    }
    case NN_DATA_SPIRAL:
        gen_spiral(&r, n, 2, noise, x, label);
        break;
    case NN_DATA_SPIRALS:
        gen_spiral(&r, n, k, noise, x, label);
        break;
    case NN_DATA_BLOBS: {
        float cx[5], cy[5];
        for (int c = 0; c < k; c++) {
            cx[c] = (float)(3.5 * cos(two_pi * c / k));
            cy[c] = (float)(3.5 * sin(two_pi * c / k));
        }
        // sd 0.4 keeps five blobs apart; 2.0 at full noise makes them overlap
        gen_blobs(&r, n, k, cx, cy, 0.4f + 1.6f * noise, x, label);
        break;
    }
    case NN_DATA_PLANE:
        gen_plane(&r, n, noise, x, y);
        break;
    case NN_DATA_COS:
        gen_cos(&r, n, noise, x, y);
        break;
    default:
        return NN_ERR_ENUM;
    }
    return NN_OK;
}

static void swap_rows(float *a, int w, int i, int j)
{
    float *p = a + (size_t)i * (size_t)w;
    float *q = a + (size_t)j * (size_t)w;
    for (int d = 0; d < w; d++) {
        float t = p[d];
        p[d] = q[d];
        q[d] = t;
    }
}

/* Shuffles the rows of x (n, dx), y (n, dy) and label (n) together
 * (Fisher-Yates); y or label may be NULL, dy may be 0. */
int nn_shuffle(float *x, int dx, float *y, int dy, int32_t *label, int n, uint32_t seed)
{
    if (!x)
        return NN_ERR_NULL;
    if (n < 0 || dx < 1 || dy < 0)
        return NN_ERR_SIZE;

    nn_rng r;
    nn_rng_seed(&r, seed, shuffle_stream);
    for (int i = n - 1; i > 0; i--) {
        int j = (int)nn_rng_below(&r, (uint32_t)i + 1u);
        if (j == i)
            continue;
        swap_rows(x, dx, i, j);
        if (y && dy > 0)
            swap_rows(y, dy, i, j);
        if (label) {
            int32_t t = label[i];
            label[i] = label[j];
            label[j] = t;
        }
    }
    return NN_OK;
}
