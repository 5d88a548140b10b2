/* surface.c: the loss surfaces of engine/nn.h, two-parameter functions
 * with their gradients for the Optimisers view: one row per surface (value
 * and gradient computed together, in double), and the gradient noise of the
 * NOISY surface, drawn from the seed and the step so that runs replay. */
#include "nn.h"
#include "rng.h"

#include <float.h>
#include <math.h>

// f(x, y), with its gradient written to g[0], g[1]
typedef double (*surface_fn)(double x, double y, double *g);

// the quadratic model of Distill's hero function (1 - x)^2 + 20 (3y - x^2)^2
// at its minimum (1, 1/3), moved to the origin: Hessian [[162, -240], [-240, 360]]
static double quadratic(double x, double y, double *g)
{
    g[0] = 162.0 * x - 240.0 * y;
    g[1] = -240.0 * x + 360.0 * y;
    return 81.0 * x * x - 240.0 * x * y + 180.0 * y * y;
}

static double rosenbrock(double x, double y, double *g)
{
    double a = 1.0 - x, b = y - x * x;
    g[0] = -2.0 * a - 400.0 * x * b;
    g[1] = 200.0 * b;
    return a * a + 100.0 * b * b;
}

static double beale(double x, double y, double *g)
{
    double y2 = y * y, y3 = y2 * y;
    double a = 1.5 - x + x * y, b = 2.25 - x + x * y2, c = 2.625 - x + x * y3;
    g[0] = 2.0 * (a * (y - 1.0) + b * (y2 - 1.0) + c * (y3 - 1.0));
    g[1] = 2.0 * x * (a + 2.0 * b * y + 3.0 * c * y2);
    return a * a + b * b + c * c;
}

static double saddle(double x, double y, double *g)
{
    double b = y * y - 1.0;
    g[0] = 2.0 * x;
    g[1] = b * y;
    return x * x + 0.25 * b * b;
}

// the six-hump camel, raised by minus its global minimum value
static double camel(double x, double y, double *g)
{
    double x2 = x * x, y2 = y * y;
    g[0] = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y;
    g[1] = x - 8.0 * y + 16.0 * y2 * y;
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (4.0 * y2 - 4.0) * y2 + 1.0316284534898774;
}

// the noise-free part of the NOISY surface
static double bowl(double x, double y, double *g)
{
    g[0] = x;
    g[1] = 10.0 * y;
    return 0.5 * (x * x + 10.0 * y * y);
}

static const surface_fn surfaces[NN_SURF_COUNT] = {
    [NN_SURF_QUADRATIC] = quadratic,
    [NN_SURF_ROSENBROCK] = rosenbrock,
    [NN_SURF_BEALE] = beale,
    [NN_SURF_SADDLE] = saddle,
    [NN_SURF_CAMEL] = camel,
    [NN_SURF_NOISY] = bowl,
};

// a double as a float, beyond float range as an infinity (a plain
// conversion of an out-of-range value is undefined behaviour)
static float to_float(double v)
{
    if (v > FLT_MAX)
        return INFINITY;
    if (v < -FLT_MAX)
        return -INFINITY;
    return (float)v;
}

int nn_surface_eval(int kind, const float *xy, int n, uint32_t seed, uint32_t draw, float *value,
                    float *grad)
{
    if (kind < 0 || kind >= NN_SURF_COUNT)
        return NN_ERR_ENUM;
    if (n < 0)
        return NN_ERR_SIZE;
    if (n > 0 && !xy)
        return NN_ERR_NULL;
    double noise[2] = {0.0, 0.0};
    if (kind == NN_SURF_NOISY && grad) {
        // one stream per draw: the noise of step k does not depend on the steps before it
        nn_rng r;
        nn_rng_seed(&r, seed, draw);
        noise[0] = NN_SURFACE_NOISE * (double)nn_rng_normal(&r);
        noise[1] = NN_SURFACE_NOISE * (double)nn_rng_normal(&r);
    }
    for (int i = 0; i < n; i++) {
        double g[2];
        double f = surfaces[kind](xy[2 * i], xy[2 * i + 1], g);
        if (value)
            value[i] = to_float(f);
        if (grad) {
            grad[2 * i] = to_float(g[0] + noise[0]);
            grad[2 * i + 1] = to_float(g[1] + noise[1]);
        }
    }
    return NN_OK;
}
