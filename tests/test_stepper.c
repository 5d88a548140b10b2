/* test_stepper.c: optimisers on a plain vector (nn_stepper) and the loss
 * surfaces of engine/nn.h. A stepper fed a net's gradients moves the net's
 * parameters to the same bits as nn_train_batch (one update code); 50-step
 * trajectories on every surface match an independent float64 reference
 * written here (tolerance stated below); Adam without bias correction;
 * surface values at the minima, gradients against central differences,
 * the NOISY surface's seeded noise; divergence changes nothing; every bad
 * argument gives its status. */
#include "check.h"
#include "nn.h"
#include "ref_update.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- The float64 reference: surfaces and update rules, written again ----- */

static double ref_f(int kind, double x, double y, double *g)
{
    switch (kind) {
    case NN_SURF_QUADRATIC:
        g[0] = 162 * x - 240 * y, g[1] = 360 * y - 240 * x;
        return 81 * x * x - 240 * x * y + 180 * y * y;
    case NN_SURF_ROSENBROCK:
        g[0] = 2 * (x - 1) - 400 * x * (y - x * x), g[1] = 200 * (y - x * x);
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    case NN_SURF_BEALE: {
        double t[3] = {1.5, 2.25, 2.625}, f = 0;
        g[0] = g[1] = 0;
        for (int i = 1; i <= 3; i++) {
            double e = t[i - 1] - x + x * pow(y, i);
            f += e * e;
            g[0] += 2 * e * (pow(y, i) - 1);
            g[1] += 2 * e * x * i * pow(y, i - 1);
        }
        return f;
    }
    case NN_SURF_SADDLE:
        g[0] = 2 * x, g[1] = (y * y - 1) * y;
        return x * x + (y * y - 1) * (y * y - 1) / 4;
    case NN_SURF_CAMEL:
        g[0] = 8 * x - 8.4 * pow(x, 3) + 2 * pow(x, 5) + y, g[1] = x - 8 * y + 16 * pow(y, 3);
        return 4 * x * x - 2.1 * pow(x, 4) + pow(x, 6) / 3 + x * y - 4 * y * y + 4 * pow(y, 4) + 1.0316284534898774;
    default:
        g[0] = x, g[1] = 10 * y;
        return (x * x + 10 * y * y) / 2;
    }
}

typedef struct {
    nn_optim o;
    int bias;
    double p[2], s[2], r[2];
    int t;
} ref_run;

static void ref_step(ref_run *R, const double *g)
{
    const nn_optim *o = &R->o;
    R->t++;
    for (int i = 0; i < 2; i++)
        ref_update(o->kind, o->lr, o->beta1, o->beta2, o->delta, R->bias ? R->t : 0, g[i], &R->p[i], &R->s[i], &R->r[i]);
}

static nn_optim opt(int kind, float lr, float b1)
{
    nn_optim o = nn_optim_default(kind);
    o.lr = lr;
    if (b1 >= 0)
        o.beta1 = b1;
    return o;
}

/* ---- Trajectories --------------------------------------------------------- */

// Largest distance between the engine's 50 points and the reference's,
// relative to the largest distance the reference moves from its start
// (float32 against float64: about 1e-6; tolerance 1e-4).
#define TRAJ_TOL 1e-4

static void trajectory(int kind, nn_optim o, int bias, double x0, double y0, const char *what)
{
    int st;
    nn_stepper *s = nn_stepper_create(2, &o, &st);
    CHECK(s != NULL, "%s: create %s", what, nn_strerror(st));
    if (!s)
        return;
    CHECK_OK(nn_stepper_set_bias_correction(s, bias));
    float xy[2] = {(float)x0, (float)y0}, trace[50 * NN_TRACE_WIDTH];
    ref_run R = {.o = o, .bias = bias, .p = {xy[0], xy[1]}};
    int done = -1;
    CHECK_OK(nn_surface_descend(s, kind, xy, 50, 0, trace, &done));
    CHECK(done == 50, "%s: %d updates", what, done);
    double worst = 0, moved = 0;
    for (int k = 0; k < 50; k++) {
        double look[2] = {R.p[0], R.p[1]}, g[2], unused[2];
        if (o.kind == NN_OPT_NESTEROV)
            look[0] += o.beta1 * R.s[0], look[1] += o.beta1 * R.s[1];
        ref_f(kind, look[0], look[1], g);
        ref_step(&R, g);
        double f = ref_f(kind, R.p[0], R.p[1], unused);
        const float *row = trace + k * NN_TRACE_WIDTH;
        worst = fmax(worst, hypot(row[0] - R.p[0], row[1] - R.p[1]));
        moved = fmax(moved, hypot(R.p[0] - x0, R.p[1] - y0));
        CHECK(fabs(row[2] - f) <= 1e-4 * fmax(1.0, f), "%s step %d: value %.9g want %.9g", what, k + 1, row[2], f);
    }
    CHECK(moved > 0.1, "%s: the reference moves only %g", what, moved);
    CHECK(worst <= TRAJ_TOL * moved, "%s: %g from the reference (moved %g)", what, worst, moved);
    CHECK(xy[0] == trace[49 * NN_TRACE_WIDTH] && xy[1] == trace[49 * NN_TRACE_WIDTH + 1], "%s: xy is the last row", what);
    printf("  %-36s max distance %.2g (moved %.3g)\n", what, worst, moved);
    nn_stepper_free(s);
}

static void test_trajectories(void)
{
    trajectory(NN_SURF_ROSENBROCK, opt(NN_OPT_ADAM, 0.05f, -1), 1, -1.2, 1.0, "Rosenbrock, Adam 0.05");
    trajectory(NN_SURF_QUADRATIC, opt(NN_OPT_MOMENTUM, 0.0019f, 0.78f), 1, -2.2, 0.5, "quadratic, momentum (Distill)");
    trajectory(NN_SURF_QUADRATIC, opt(NN_OPT_NESTEROV, 0.0019f, 0.95f), 1, -2.2, 0.5, "quadratic, Nesterov 0.95");
    trajectory(NN_SURF_QUADRATIC, opt(NN_OPT_SGD, 0.0019f, -1), 1, -2.2, 0.5, "quadratic, SGD");
    trajectory(NN_SURF_BEALE, opt(NN_OPT_ADAGRAD, 0.5f, -1), 1, 1.0, 1.5, "Beale, AdaGrad");
    trajectory(NN_SURF_SADDLE, opt(NN_OPT_RMSPROP, 0.05f, 0.9f), 1, -1.8, 0.01, "saddle, RMSProp");
    trajectory(NN_SURF_CAMEL, opt(NN_OPT_ADAM, 0.1f, -1), 0, 2.0, 0.25, "camel, Adam without correction");
    trajectory(NN_SURF_CAMEL, opt(NN_OPT_ADAM, 0.1f, -1), 1, 2.0, 0.25, "camel, Adam");
}

/* ---- The same update code as the nets ------------------------------------ */

// A net's gradient at the stepper's point: the net's own parameters are set
// to it for nn_loss_grad and restored after.
static void net_grad(nn_net *net, const nn_data *b, const float *at, float *g, int n)
{
    float keep[64], loss;
    memcpy(keep, nn_params(net), (size_t)n * sizeof(float));
    memcpy(nn_params(net), at, (size_t)n * sizeof(float));
    CHECK_OK(nn_loss_grad(net, b, &loss));
    memcpy(g, nn_grads(net), (size_t)n * sizeof(float));
    memcpy(nn_params(net), keep, (size_t)n * sizeof(float));
}

static void test_same_as_nets(void)
{
    static const float X[8] = {1, -0.5f, 0.2f, 0.8f, -0.6f, 0.4f, 0.5f, 0.1f};
    static const int32_t L[4] = {0, 1, 1, 0};
    nn_data b = {.x = X, .label = L, .n = 4, .dx = 2};
    for (int kind = 0; kind < NN_OPT_COUNT; kind++) {
        nn_layer_spec layers[] = {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(2)};
        nn_config cfg = {.n_in = 2, .n_layers = 3, .layers = layers, .output = NN_ACT_SOFTMAX,
                         .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 4, .seed = 3};
        nn_net *net = nn_create(&cfg, NULL), *probe = nn_create(&cfg, NULL);
        nn_optim o = nn_optim_default(kind);
        o.decay = 0.1f;
        CHECK_OK(nn_set_optimizer(net, &o));
        int n = nn_param_count(net);
        CHECK(n <= 64, "net of %d parameters", n);
        float x[64], g[64], point[64];
        memcpy(x, nn_params(net), (size_t)n * sizeof(float));
        nn_stepper *s = nn_stepper_create(n, &o, NULL);
        for (int k = 0; k < 5; k++) {
            CHECK_OK(nn_train_batch(net, &b, NULL));
            CHECK_OK(nn_stepper_lookahead(s, x, point));
            net_grad(probe, &b, point, g, n);
            CHECK_OK(nn_stepper_step(s, x, g));
        }
        CHECK(memcmp(x, nn_params(net), (size_t)n * sizeof(float)) == 0, "optimiser %d: not the net's bits", kind);
        CHECK(nn_stepper_steps(s) == 5 && nn_step_count(net) == 5, "step counts");
        nn_stepper_free(s);
        nn_free(net);
        nn_free(probe);
    }
}

/* ---- Surfaces ------------------------------------------------------------ */

static void test_surfaces(void)
{
    static const float minima[][3] = {
        {NN_SURF_QUADRATIC, 0, 0}, {NN_SURF_ROSENBROCK, 1, 1}, {NN_SURF_BEALE, 3, 0.5f},
        {NN_SURF_SADDLE, 0, 1}, {NN_SURF_SADDLE, 0, -1}, {NN_SURF_CAMEL, 0.0898420131f, -0.7126564033f},
        {NN_SURF_CAMEL, -0.0898420131f, 0.7126564033f}, {NN_SURF_NOISY, 0, 0},
    };
    for (size_t i = 0; i < sizeof minima / sizeof minima[0]; i++) {
        float v, g[2];
        CHECK_OK(nn_surface_eval((int)minima[i][0], minima[i] + 1, 1, 1, 0, &v, minima[i][0] == NN_SURF_NOISY ? NULL : g));
        CHECK(fabsf(v) < 1e-6f, "surface %d: %g at its minimum", (int)minima[i][0], v);
        if (minima[i][0] != NN_SURF_NOISY)
            CHECK(fabsf(g[0]) < 1e-5f && fabsf(g[1]) < 1e-5f, "surface %d: gradient %g %g at its minimum", (int)minima[i][0], g[0], g[1]);
    }
    float sad[2] = {0, 0}, v;
    CHECK_OK(nn_surface_eval(NN_SURF_SADDLE, sad, 1, 0, 0, &v, NULL));
    CHECK(v == 0.25f, "the saddle point's value %g", v);
    // every gradient against central differences of the value, in double
    for (int kind = 0; kind < NN_SURF_NOISY; kind++)
        for (int i = 0; i < 20; i++) {
            double x = -1.9 + 0.19 * i, y = 1.2 - 0.13 * i, gr[2], gp[2], h = 1e-6;
            float p[2] = {(float)x, (float)y}, g[2];
            CHECK_OK(nn_surface_eval(kind, p, 1, 0, 0, NULL, g));
            for (int d = 0; d < 2; d++) {
                double a[2] = {p[0], p[1]}, b2[2] = {p[0], p[1]};
                a[d] += h, b2[d] -= h;
                double num = (ref_f(kind, a[0], a[1], gp) - ref_f(kind, b2[0], b2[1], gr)) / (2 * h);
                CHECK(fabs(g[d] - num) <= 1e-4 * fmax(1.0, fabs(num)), "surface %d at (%g, %g) d%d: %g vs %g", kind, x, y, d, g[d], num);
            }
        }
    // NOISY: the same draw the same noise, for every point of a call; another draw, another noise
    float pts[4] = {0.5f, -0.5f, 1, 2}, g1[4], g2[4], g3[4], vals[2];
    CHECK_OK(nn_surface_eval(NN_SURF_NOISY, pts, 2, 7, 3, vals, g1));
    CHECK_OK(nn_surface_eval(NN_SURF_NOISY, pts, 2, 7, 3, NULL, g2));
    CHECK_OK(nn_surface_eval(NN_SURF_NOISY, pts, 2, 7, 4, NULL, g3));
    CHECK(memcmp(g1, g2, sizeof g1) == 0, "a seed replays its noise");
    CHECK(memcmp(g1, g3, sizeof g1) != 0, "another draw, another noise");
    CHECK(fabsf((g1[0] - 0.5f) - (g1[2] - 1)) < 1e-6f && fabsf((g1[1] + 5) - (g1[3] - 20)) < 1e-5f, "one noise per call");
    CHECK(vals[0] == 1.375f && vals[1] == 20.5f, "values have no noise: %g %g", vals[0], vals[1]);
    double sum = 0, sum2 = 0;
    for (uint32_t d = 0; d < 4000; d++) {
        float o[2] = {0, 0}, g[2];
        nn_surface_eval(NN_SURF_NOISY, o, 1, 11, d, NULL, g);
        sum += g[0] + g[1], sum2 += g[0] * g[0] + g[1] * g[1];
    }
    double mean = sum / 8000, sd = sqrt(sum2 / 8000 - mean * mean);
    CHECK(fabs(mean) < 0.1 && fabs(sd - NN_SURFACE_NOISE) < 0.1, "noise mean %g sd %g", mean, sd);
    float big[2] = {1e30f, 1e30f};
    CHECK_OK(nn_surface_eval(NN_SURF_BEALE, big, 1, 0, 0, &v, NULL));
    CHECK(v == INFINITY, "a value beyond float range is +inf, got %g", v);
}

/* ---- State, reset, divergence, errors ------------------------------------ */

static void test_state_and_errors(void)
{
    nn_optim adam = opt(NN_OPT_ADAM, 0.1f, -1), sgd = nn_optim_default(NN_OPT_SGD), bad = adam;
    nn_stepper *s = nn_stepper_create(2, &adam, NULL);
    float a[2] = {2, 0.25f}, b[2] = {2, 0.25f}, ta[20 * NN_TRACE_WIDTH], tb[20 * NN_TRACE_WIDTH];
    CHECK_OK(nn_surface_descend(s, NN_SURF_NOISY, a, 20, 5, ta, NULL));
    CHECK_OK(nn_stepper_reset(s));
    CHECK(nn_stepper_steps(s) == 0, "reset count");
    CHECK_OK(nn_surface_descend(s, NN_SURF_NOISY, b, 20, 5, tb, NULL));
    CHECK(memcmp(ta, tb, sizeof ta) == 0, "reset and the same seed replay the run bit for bit");
    // Nesterov's look-ahead is x + alpha v
    nn_optim nag = opt(NN_OPT_NESTEROV, 0.01f, 0.9f);
    CHECK_OK(nn_stepper_set_optimizer(s, &nag));
    float x[2] = {1, 1}, before[2] = {1, 1}, g[2] = {3, -2}, look[2];
    CHECK_OK(nn_stepper_step(s, x, g));
    CHECK_OK(nn_stepper_lookahead(s, x, look));
    // a new kind starts from v = 0: v = 0.9 * 0 - 0.01 g, as the kernel rounds it
    float v[2] = {0.9f * 0.0f - 0.01f * g[0], 0.9f * 0.0f - 0.01f * g[1]};
    CHECK(x[0] == before[0] + v[0] && x[1] == before[1] + v[1], "the update is v");
    CHECK(look[0] == x[0] + 0.9f * v[0] && look[1] == x[1] + 0.9f * v[1], "look-ahead x + alpha v");
    nn_optim got;
    CHECK_OK(nn_stepper_get_optimizer(s, &got));
    CHECK(got.kind == NN_OPT_NESTEROV && got.lr == 0.01f, "get_optimizer");
    // divergence: a NaN gradient, an overflowing update: nothing changes
    float keep[2] = {x[0], x[1]}, nan_g[2] = {NAN, 0}, huge[2] = {FLT_MAX, 0};
    int64_t steps = nn_stepper_steps(s);
    CHECK(nn_stepper_step(s, x, nan_g) == NN_ERR_DIVERGED, "NaN gradient");
    CHECK(nn_stepper_set_optimizer(s, &sgd) == NN_OK, "to SGD");
    sgd.lr = 10;
    CHECK_OK(nn_stepper_set_optimizer(s, &sgd));
    CHECK(nn_stepper_step(s, x, huge) == NN_ERR_DIVERGED, "an update past float range");
    CHECK(memcmp(x, keep, sizeof x) == 0 && nn_stepper_steps(s) == steps, "a diverged update changes nothing");
    // a descent that diverges stops at the last finite point
    float xy[2] = {1, 1.5f}, tr[100 * NN_TRACE_WIDTH];
    int done = -1;
    CHECK(nn_surface_descend(s, NN_SURF_BEALE, xy, 100, 0, tr, &done) == NN_ERR_DIVERGED, "SGD 10 on Beale");
    CHECK(done > 0 && done < 100, "%d updates before it diverged", done);
    CHECK(isfinite(xy[0]) && isfinite(xy[1]) && xy[0] == tr[(done - 1) * NN_TRACE_WIDTH], "xy at the last finite point");
    // bad arguments
    int st = 0;
    bad.lr = NAN;
    CHECK(nn_stepper_create(2, &bad, &st) == NULL && st == NN_ERR_VALUE, "NaN rate: %d", st);
    bad.lr = -0.1f;
    CHECK(nn_stepper_create(2, &bad, &st) == NULL && st == NN_ERR_VALUE, "negative rate");
    bad = adam, bad.kind = NN_OPT_COUNT;
    CHECK(nn_stepper_create(2, &bad, &st) == NULL && st == NN_ERR_ENUM, "unknown optimiser");
    CHECK(nn_stepper_create(2, NULL, &st) == NULL && st == NN_ERR_NULL, "NULL optimiser");
    CHECK(nn_stepper_create(0, &adam, &st) == NULL && st == NN_ERR_SIZE, "n = 0");
    CHECK(nn_stepper_create(NN_MAX_PARAMS + 1, &adam, &st) == NULL && st == NN_ERR_SIZE, "n too large");
    bad = adam, bad.beta1 = 1;
    CHECK(nn_stepper_set_optimizer(s, &bad) == NN_ERR_VALUE, "beta1 = 1");
    CHECK_OK(nn_stepper_get_optimizer(s, &got));
    CHECK(got.kind == NN_OPT_SGD && got.lr == 10, "a refused optimiser changes nothing");
    CHECK(nn_stepper_set_bias_correction(s, 2) == NN_ERR_VALUE, "bias correction 2");
    CHECK(nn_stepper_set_optimizer(NULL, &adam) == NN_ERR_NULL && nn_stepper_reset(NULL) == NN_ERR_NULL &&
          nn_stepper_set_bias_correction(NULL, 1) == NN_ERR_NULL && nn_stepper_get_optimizer(s, NULL) == NN_ERR_NULL &&
          nn_stepper_step(s, NULL, g) == NN_ERR_NULL && nn_stepper_step(s, x, NULL) == NN_ERR_NULL &&
          nn_stepper_lookahead(s, NULL, look) == NN_ERR_NULL && nn_stepper_steps(NULL) == 0, "NULL");
    CHECK(nn_surface_eval(NN_SURF_COUNT, xy, 1, 0, 0, &xy[0], NULL) == NN_ERR_ENUM &&
          nn_surface_eval(-1, xy, 1, 0, 0, NULL, NULL) == NN_ERR_ENUM &&
          nn_surface_eval(0, xy, -1, 0, 0, NULL, NULL) == NN_ERR_SIZE &&
          nn_surface_eval(0, NULL, 1, 0, 0, NULL, NULL) == NN_ERR_NULL &&
          nn_surface_eval(0, NULL, 0, 0, 0, NULL, NULL) == NN_OK, "surface_eval errors");
    CHECK(nn_surface_descend(s, NN_SURF_COUNT, xy, 1, 0, NULL, &done) == NN_ERR_ENUM && done == 0 &&
          nn_surface_descend(s, 0, xy, -1, 0, NULL, NULL) == NN_ERR_SIZE &&
          nn_surface_descend(NULL, 0, xy, 1, 0, NULL, NULL) == NN_ERR_NULL &&
          nn_surface_descend(s, 0, NULL, 1, 0, NULL, NULL) == NN_ERR_NULL, "descend errors");
    nn_stepper *three = nn_stepper_create(3, &adam, NULL);
    CHECK(nn_surface_descend(three, 0, xy, 1, 0, NULL, NULL) == NN_ERR_SIZE, "descend needs 2 parameters");
    nn_stepper_free(three);
    nn_stepper_free(s);
    nn_stepper_free(NULL);
}

int main(void)
{
    test_trajectories();
    test_same_as_nets();
    test_surfaces();
    test_state_and_errors();
    CHECK_DONE();
}
