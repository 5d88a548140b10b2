/* test_grad.c: finite-difference gradient checks through the public API.
 * nn_loss_grad is compared, parameter by parameter, with central differences
 * of nn_loss_only (training mode) + nn_penalty for every hidden activation,
 * every loss/output pairing, dropout, batch norm, L1/L2 penalties and a
 * deeper net, at batch sizes 1 and 7 (8 where batch statistics matter). */
#include "check.h"
#include "nn.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define H 1e-3f           // finite-difference step
#define MAX_B 8
#define MAX_W 8           // widest input or output of a case
#define MAX_SAMPLE 300    // parameters checked per case at most (strided sample)
#define DROP_SEED 99u     // dropout stream seed set before every forward
#define MARGIN 0.02       // inputs of ReLU-family activations stay this far from 0

/* Tolerances. The engine is float32 and returns the loss as a float, so the
 * central difference carries about FLT_EPSILON |L| / (2h) of rounding per
 * evaluation (6e-5 for L = 1): a few times that is its noise.
 * - per entry: |a - n| / max(|a| + |n|, floor) < TOL_ENTRY, where
 *   floor = max(FLOOR, NOISE_ROUNDINGS FLT_EPSILON max(|L|, 1) / (2h) / TOL_ENTRY):
 *   gradients smaller than the noise are checked to that noise, absolutely.
 * - per case: ||a - n|| / ||a + n|| < TOL_AGG over every checked entry; this
 *   too is mostly rounding noise (BCE's large loss, small gradient is worst).
 * - guard: every layer with parameters gets a gradient of norm > 1e-6, so an
 *   all-zero gradient (or a layer left out of backward) cannot pass.
 * Observed worst: 4e-3 per entry, 4e-4 aggregated; the faults tried on the
 * engine (a factor, a term, a mask left out) all fail by far more. */
#define TOL_ENTRY 1e-2
#define FLOOR 1e-3
#define NOISE_ROUNDINGS 4.0
#define TOL_AGG 2e-3

enum { T_REAL, T_UNIT, T_BINARY, T_SOFT, T_LABEL };

typedef struct {
    const char *name;
    int n_in, n_layers;
    nn_layer_spec layers[8];
    int output, loss;
    int targets;      // how the batch's targets are drawn (T_...)
    float l1, l2;     // penalties; with l1 > 0 dense weights are kept away from 0
} net_case;

static uint32_t lcg_state = 20240601u;
static double worst_entry, worst_agg;

static uint32_t lcg_next(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;   // 24 good bits
}

static float urand(float lo, float hi)
{
    return lo + (hi - lo) * (float)lcg_next() / 16777216.0f;
}

/* Loss + penalty in training mode with the same dropout masks every time. */
static double loss_at(nn_net *net, const nn_data *d)
{
    float l = NAN;
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, DROP_SEED));
    CHECK_OK(nn_loss_only(net, d, 1, &l));
    return (double)l + (double)nn_penalty(net);
}

/* Non-trivial PReLU slopes, BN gamma/beta and (for L1) dense weights with
 * |w| >= 0.1, written straight into the parameter array. */
static void prepare(nn_net *net, const net_case *c)
{
    float *p = nn_params(net);
    for (int k = 0; k < nn_layer_count(net); k++) {
        nn_layer_info li;
        CHECK_OK(nn_layer_info_get(net, k, &li));
        if (li.kind == NN_LAYER_ACT && li.act == NN_ACT_PRELU) {
            for (int i = 0; i < li.w_len; i++)
                p[li.w_off + i] = urand(0.05f, 0.5f);
        } else if (li.kind == NN_LAYER_BATCHNORM) {
            for (int i = 0; i < li.w_len; i++) {
                p[li.w_off + i] = urand(0.5f, 1.5f);
                p[li.b_off + i] = urand(-0.5f, 0.5f);
            }
        } else if (li.kind == NN_LAYER_DENSE && c->l1 > 0.0f) {
            for (int i = 0; i < li.w_len; i++)
                p[li.w_off + i] = (lcg_next() & 1 ? 1.0f : -1.0f) * urand(0.1f, 0.9f);
        }
    }
    CHECK_OK(nn_set_regularization(net, c->l1, c->l2));
}

/* A batch of B examples with inputs in [-1, 1] and targets of the case's kind. */
static nn_data make_batch(const net_case *c, int n_out, int B, float *x, float *y, int32_t *label)
{
    for (int i = 0; i < B * c->n_in; i++)
        x[i] = urand(-1.0f, 1.0f);
    for (int i = 0; i < B * n_out; i++) {
        switch (c->targets) {
        case T_REAL: y[i] = urand(-0.8f, 0.8f); break;
        case T_UNIT: y[i] = urand(0.1f, 0.9f); break;
        case T_BINARY: y[i] = (float)(lcg_next() & 1); break;
        case T_SOFT: y[i] = urand(0.2f, 0.4f); break;
        default: y[i] = 0.0f; break;   // T_LABEL: y unused
        }
    }
    for (int i = 0; i < B; i++)
        label[i] = (int32_t)(lcg_next() % (uint32_t)n_out);
    int lab = c->targets == T_LABEL;
    nn_data d = {.x = x, .y = lab ? NULL : y, .label = lab ? label : NULL, .n = B, .dx = c->n_in,
                 .dy = lab ? 0 : n_out};
    return d;
}

static int has_kink(int act)
{
    return act == NN_ACT_RELU || act == NN_ACT_LEAKY_RELU || act == NN_ACT_PRELU ||
           act == NN_ACT_ELU || act == NN_ACT_SELU;
}

/* Smallest |input| of a ReLU-family activation over the batch in training
 * mode. nn_activations runs in evaluation mode, so BN running statistics are
 * first set to the batch statistics (biased variance, as training uses);
 * dropout in front of a kink would differ, and no case has it. */
static double kink_distance(nn_net *net, const float *x, int B)
{
    int width = nn_activation_width(net);
    float *out = malloc((size_t)B * width * sizeof *out);
    double dist = INFINITY;
    size_t base = 0, prev = 0;
    int dropped = 0;
    for (int k = 0; k < nn_layer_count(net); k++) {
        nn_layer_info li;
        CHECK_OK(nn_layer_info_get(net, k, &li));
        CHECK_OK(nn_activations(net, x, B, out));   // again, after each BN change
        const float *in = k ? out + prev : x;
        int n = li.n_in;
        if (li.kind == NN_LAYER_BATCHNORM) {
            float *mean, *var;
            CHECK_OK(nn_bn_running(net, k, &mean, &var));
            for (int j = 0; j < n; j++) {
                double s = 0.0, ss = 0.0;
                for (int i = 0; i < B; i++)
                    s += in[i * n + j];
                for (int i = 0; i < B; i++)
                    ss += (in[i * n + j] - s / B) * (in[i * n + j] - s / B);
                mean[j] = (float)(s / B);
                var[j] = (float)(ss / B);
            }
        } else if (li.kind == NN_LAYER_ACT && has_kink(li.act)) {
            CHECK(!dropped, "dropout before a kink: not supported by kink_distance");
            for (int i = 0; i < B * n; i++)
                dist = fmin(dist, fabs(in[i]));
        }
        dropped |= li.kind == NN_LAYER_DROPOUT;
        prev = base;
        base += (size_t)B * li.n_out;
    }
    free(out);
    return dist;
}

/* With the penalty on, the gradient must exceed the data gradient by exactly
 * l1 sign(w) + l2 w on dense weights and by nothing elsewhere. */
static void check_penalty_terms(nn_net *net, const nn_data *d, const net_case *c)
{
    int n = nn_param_count(net);
    float *plain = malloc((size_t)n * sizeof *plain);
    float l;
    CHECK_OK(nn_set_regularization(net, 0.0f, 0.0f));
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, DROP_SEED));
    CHECK_OK(nn_loss_grad(net, d, &l));
    memcpy(plain, nn_grads(net), (size_t)n * sizeof *plain);
    CHECK_OK(nn_set_regularization(net, c->l1, c->l2));
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, DROP_SEED));
    CHECK_OK(nn_loss_grad(net, d, &l));
    const float *g = nn_grads(net), *p = nn_params(net);
    int covered = 0;
    for (int k = 0; k < nn_layer_count(net); k++) {
        nn_layer_info li;
        CHECK_OK(nn_layer_info_get(net, k, &li));
        for (int i = li.w_off; i < li.w_off + li.w_len + li.b_len; i++) {
            int weight = li.kind == NN_LAYER_DENSE && i < li.w_off + li.w_len;
            double want = weight ? c->l1 * (p[i] > 0 ? 1.0 : -1.0) + c->l2 * (double)p[i] : 0.0;
            CHECK_NEAR(g[i] - plain[i], want, 1e-5, c->name);
            covered++;
        }
    }
    CHECK(covered == n, "%s: layers cover %d of %d parameters", c->name, covered, n);
    free(plain);
}

/* The central-difference check of one net on one batch. */
static void grad_check(const net_case *c, nn_net *net, const nn_data *d)
{
    int n = nn_param_count(net);
    float *p = nn_params(net);
    double *a = malloc((size_t)n * sizeof *a);
    float *saved = malloc((size_t)n * sizeof *saved);
    memcpy(saved, p, (size_t)n * sizeof *p);
    float l0 = NAN;
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, DROP_SEED));
    CHECK_OK(nn_loss_grad(net, d, &l0));
    const float *g = nn_grads(net);
    for (int i = 0; i < n; i++)
        a[i] = g[i];
    float norms[8];
    CHECK_OK(nn_grad_norms(net, norms));
    for (int k = 0; k < nn_layer_count(net); k++) {
        nn_layer_info li;
        CHECK_OK(nn_layer_info_get(net, k, &li));
        if (li.w_len + li.b_len == 0)
            continue;
        double s = 0.0;
        for (int i = li.w_off; i < li.w_off + li.w_len + li.b_len; i++)
            s += a[i] * a[i];
        CHECK(sqrt(s) > 1e-6, "%s B=%d: layer %d gets no gradient", c->name, d->n, k);
        CHECK_NEAR(norms[k], sqrt(s), 1e-6 * (1.0 + sqrt(s)), "nn_grad_norms");
    }
    // same masks, same batch statistics: nn_loss_grad saw the same function
    float lt = NAN;
    CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, DROP_SEED));
    CHECK_OK(nn_loss_only(net, d, 1, &lt));
    CHECK(l0 == lt, "%s: loss_grad %.9g vs loss_only %.9g", c->name, l0, lt);
    double base = loss_at(net, d);

    int stride = (n + MAX_SAMPLE - 1) / MAX_SAMPLE;
    double noise = NOISE_ROUNDINGS * FLT_EPSILON * fmax(fabs(base), 1.0) / (2.0 * H);
    double least = fmax(FLOOR, noise / TOL_ENTRY);   // the floor of the comment above
    double worst = 0.0, diff2 = 0.0, sum2 = 0.0;
    for (int i = 0; i < n; i += stride) {
        float keep = p[i], up = keep + H, down = keep - H;
        p[i] = up;
        double lp = loss_at(net, d);
        p[i] = down;
        double lm = loss_at(net, d);
        p[i] = keep;
        double num = (lp - lm) / ((double)up - down);
        double err = fabs(a[i] - num), rel = err / fmax(fabs(a[i]) + fabs(num), least);
        CHECK(rel < TOL_ENTRY, "%s B=%d: param %d analytic %.6g numeric %.6g (rel %.2g)",
              c->name, d->n, i, a[i], num, rel);
        worst = fmax(worst, rel);
        diff2 += (a[i] - num) * (a[i] - num);
        sum2 += (a[i] + num) * (a[i] + num);
    }
    double agg = sqrt(diff2) / fmax(sqrt(sum2), 1e-12);
    CHECK(agg < TOL_AGG, "%s B=%d: aggregated relative error %.3g", c->name, d->n, agg);
    CHECK(memcmp(p, saved, (size_t)n * sizeof *p) == 0, "%s: parameters not restored", c->name);
    printf("  %-26s B=%d params %3d  worst %.1e  aggregated %.1e\n", c->name, d->n, n, worst, agg);
    worst_entry = fmax(worst_entry, worst);
    worst_agg = fmax(worst_agg, agg);
    free(a);
    free(saved);
}

static void check_case(const net_case *c, int B)
{
    nn_config cfg = {.n_in = c->n_in, .n_layers = c->n_layers, .layers = c->layers, .output = c->output,
                     .loss = c->loss, .max_batch = MAX_B, .seed = 7u};
    int st;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "%s: create: %s", c->name, nn_strerror(st));
    if (!net)
        return;
    float x[MAX_B * MAX_W], y[MAX_B * MAX_W];
    int32_t label[MAX_B];
    prepare(net, c);
    // re-draw the batch until no activation input sits within MARGIN of a
    // kink: a step of h on any parameter then stays on one side of it
    nn_data d;
    int tries = 0;
    do
        d = make_batch(c, nn_outputs(net), B, x, y, label);
    while (kink_distance(net, x, B) < MARGIN && ++tries < 100);
    CHECK(tries < 100, "%s B=%d: no batch away from the kinks", c->name, B);
    grad_check(c, net, &d);
    if (c->l1 > 0.0f || c->l2 > 0.0f)
        check_penalty_terms(net, &d, c);
    int dropout = 0;
    for (int k = 0; k < c->n_layers; k++)
        dropout |= c->layers[k].kind == NN_LAYER_DROPOUT;
    if (dropout && B > 1) {
        // another dropout seed draws another mask: dropout was really active
        float l1, l2;
        CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, DROP_SEED));
        CHECK_OK(nn_loss_only(net, &d, 1, &l1));
        CHECK_OK(nn_set_seed(net, NN_STREAM_DROPOUT, DROP_SEED + 1));
        CHECK_OK(nn_loss_only(net, &d, 1, &l2));
        CHECK(l1 != l2, "%s: dropout masks do not change the loss", c->name);
    }
    nn_free(net);
}

/* dense(5) -> act -> dense(3), squared error on a linear output. */
static net_case hidden_act(const char *name, nn_layer_spec act)
{
    net_case c = {name, 3, 3, {nn_dense(5), act, nn_dense(3)}, NN_ACT_LINEAR, NN_LOSS_SE_HALF,
                  T_REAL, 0.0f, 0.0f};
    return c;
}

/* dense(5) -> tanh -> dense(n_out) with the given output and loss. */
static net_case output_loss(const char *name, int n_out, int output, int loss, int targets)
{
    net_case c = {name, 3, 3, {nn_dense(5), nn_activation(NN_ACT_TANH), nn_dense(n_out)},
                  output, loss, targets, 0.0f, 0.0f};
    return c;
}

int main(void)
{
    net_case cases[] = {
        hidden_act("act LINEAR", nn_activation(NN_ACT_LINEAR)),
        hidden_act("act SIGMOID", nn_activation(NN_ACT_SIGMOID)),
        hidden_act("act TANH", nn_activation(NN_ACT_TANH)),
        hidden_act("act RELU", nn_activation(NN_ACT_RELU)),
        hidden_act("act LEAKY_RELU 0.1", nn_activation_param(NN_ACT_LEAKY_RELU, 0.1f)),
        hidden_act("act PRELU per layer", nn_prelu(0.25f, 0)),
        hidden_act("act PRELU per neuron", nn_prelu(0.25f, 1)),
        hidden_act("act ELU 1", nn_activation_param(NN_ACT_ELU, 1.0f)),
        hidden_act("act ELU 0.5", nn_activation_param(NN_ACT_ELU, 0.5f)),   // alpha used
        hidden_act("act GELU", nn_activation(NN_ACT_GELU)),
        hidden_act("act SWISH", nn_activation(NN_ACT_SWISH)),
        hidden_act("act SELU", nn_activation(NN_ACT_SELU)),
        output_loss("SE_HALF + LINEAR", 3, NN_ACT_LINEAR, NN_LOSS_SE_HALF, T_REAL),
        output_loss("SE_HALF + SIGMOID", 3, NN_ACT_SIGMOID, NN_LOSS_SE_HALF, T_UNIT),
        output_loss("SE_HALF + TANH", 3, NN_ACT_TANH, NN_LOSS_SE_HALF, T_REAL),
        output_loss("MSE + LINEAR", 3, NN_ACT_LINEAR, NN_LOSS_MSE, T_REAL),
        output_loss("MSE + SIGMOID", 3, NN_ACT_SIGMOID, NN_LOSS_MSE, T_UNIT),
        output_loss("MSE + TANH", 3, NN_ACT_TANH, NN_LOSS_MSE, T_REAL),
        output_loss("BCE + SIGMOID, 0/1", 3, NN_ACT_SIGMOID, NN_LOSS_BCE, T_BINARY),
        output_loss("BCE + SIGMOID, soft", 3, NN_ACT_SIGMOID, NN_LOSS_BCE, T_SOFT),
        output_loss("SOFTMAX_CE + SOFTMAX", 4, NN_ACT_SOFTMAX, NN_LOSS_SOFTMAX_CE, T_LABEL),
        {"DROPOUT 0.3", 3, 4,
         {nn_dense(6), nn_activation(NN_ACT_TANH), nn_dropout(0.3f), nn_dense(3)},
         NN_ACT_LINEAR, NN_LOSS_SE_HALF, T_REAL, 0.0f, 0.0f},
        {"L1", 3, 3, {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(2)},
         NN_ACT_LINEAR, NN_LOSS_SE_HALF, T_REAL, 0.05f, 0.0f},
        {"L2", 3, 3, {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(2)},
         NN_ACT_LINEAR, NN_LOSS_SE_HALF, T_REAL, 0.0f, 0.1f},
        {"L1 + L2", 3, 3, {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(2)},
         NN_ACT_LINEAR, NN_LOSS_SE_HALF, T_REAL, 0.05f, 0.1f},
    };
    // batch statistics need a batch: BN cases only at B = 8
    net_case bn_cases[] = {
        {"BATCHNORM", 3, 4, {nn_dense(4), nn_batchnorm(), nn_activation(NN_ACT_TANH), nn_dense(3)},
         NN_ACT_SIGMOID, NN_LOSS_MSE, T_UNIT, 0.0f, 0.0f},
        {"deep: tanh BN relu dropout", 3, 7,
         {nn_dense(8), nn_activation(NN_ACT_TANH), nn_batchnorm(), nn_dense(6),
          nn_activation(NN_ACT_RELU), nn_dropout(0.3f), nn_dense(4)},
         NN_ACT_SOFTMAX, NN_LOSS_SOFTMAX_CE, T_LABEL, 0.0f, 0.0f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_case(&cases[i], 1);
        check_case(&cases[i], 7);
    }
    for (size_t i = 0; i < sizeof bn_cases / sizeof bn_cases[0]; i++)
        check_case(&bn_cases[i], 8);
    printf("worst entry relative error %.2e, worst aggregated %.2e\n", worst_entry, worst_agg);
    CHECK_DONE();
}
