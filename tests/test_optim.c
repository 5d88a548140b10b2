/* test_optim.c: every optimiser of engine/nn.h, through the public API, for
 * three steps on a hand-set dense 3 -> 2 net (linear output, SE_HALF loss, one
 * fixed batch of 4) against an independent float64 reference of the gradient
 * and of the update rules of COURSE.md 1.8; then learning-rate decay, L1/L2,
 * nn_set_lr, nn_set_optimizer (state kept or cleared) and the defaults. */
#include "check.h"
#include "nn.h"
#include "ref_update.h"

#include <math.h>
#include <string.h>

#define NP 8   /* W (2, 3) row-major, then b (2) */
#define NW 6
#define B 4

static const float X[B * 3] = {1.0f, -0.5f, 0.3f, 0.2f, 0.8f, -1.0f,
                               -0.6f, 0.4f, 0.9f, 0.5f, 0.1f, -0.2f};
static const float T[B * 2] = {0.5f, -1.0f, 1.0f, 0.3f, -0.5f, 0.8f, 0.2f, 0.0f};
static const float P0[NP] = {0.2f, -0.3f, 0.5f, -0.4f, 0.1f, 0.25f, 0.1f, -0.2f};

/* ---- The float64 reference ------------------------------------------------ */

typedef struct {
    int kind;
    double lr, b1, b2, delta, decay, l1, l2;
    double p[NP], s[NP], r[NP], g[NP];   // parameters, v or s, r, last gradient
    int t;                               // steps since the state was cleared
    int steps;                           // steps taken in all (for the decay)
} ref_opt;

// Loss 1/B sum 1/2 |W x + b - t|^2 at p, and its gradient plus the penalty
// l1 sign(w) + l2 w on the weights only.
static double ref_grad(const double *p, double l1, double l2, double *g)
{
    double loss = 0.0;
    memset(g, 0, NP * sizeof *g);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < 2; j++) {
            double z = p[NW + j];
            for (int k = 0; k < 3; k++)
                z += p[j * 3 + k] * X[i * 3 + k];
            double d = z - T[i * 2 + j];
            loss += 0.5 * d * d / B;
            for (int k = 0; k < 3; k++)
                g[j * 3 + k] += d * X[i * 3 + k] / B;
            g[NW + j] += d / B;
        }
    for (int k = 0; k < NW; k++)
        g[k] += l1 * (p[k] > 0.0 ? 1.0 : p[k] < 0.0 ? -1.0 : 0.0) + l2 * p[k];
    return loss;
}

// Takes the hyper-parameters (the float values the engine holds) from o; a new
// kind starts from a cleared state: s, r and Adam's t (Goodfellow, alg. 8.7).
static void ref_set(ref_opt *R, const nn_optim *o)
{
    if (o->kind != R->kind) {
        memset(R->s, 0, sizeof R->s);
        memset(R->r, 0, sizeof R->r);
        R->t = 0;
    }
    R->kind = o->kind, R->lr = o->lr, R->b1 = o->beta1, R->b2 = o->beta2;
    R->delta = o->delta, R->decay = o->decay;
}

static void ref_init(ref_opt *R, const nn_optim *o, float l1, float l2)
{
    memset(R, 0, sizeof *R);
    R->kind = -1;
    ref_set(R, o);
    R->l1 = l1, R->l2 = l2;
    for (int i = 0; i < NP; i++)
        R->p[i] = P0[i];
}

// One step exactly as COURSE.md 1.8 writes it; returns the loss before it.
static double ref_step(ref_opt *R)
{
    double eps = R->lr / (1.0 + R->decay * R->steps), look[NP];
    double loss = ref_grad(R->p, R->l1, R->l2, R->g);
    if (R->kind == NN_OPT_NESTEROV) {
        // the gradient at the look-ahead point theta + alpha v
        for (int i = 0; i < NP; i++)
            look[i] = R->p[i] + R->b1 * R->s[i];
        ref_grad(look, R->l1, R->l2, R->g);
    }
    R->t++, R->steps++;
    for (int i = 0; i < NP; i++)
        ref_update(R->kind, eps, R->b1, R->b2, R->delta, R->t, R->g[i], &R->p[i], &R->s[i], &R->r[i]);
    return loss;
}

/* ---- The engine against it ------------------------------------------------ */

static const nn_data batch = {.x = X, .y = T, .n = B, .dx = 3, .dy = 2};

static nn_net *make_net(void)
{
    nn_layer_spec layers[] = {nn_dense(2)};
    nn_config cfg = {.n_in = 3, .n_layers = 1, .layers = layers, .output = NN_ACT_LINEAR,
                     .loss = NN_LOSS_SE_HALF, .max_batch = B, .seed = 7};
    int st;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "create: %s", nn_strerror(st));
    if (!net)
        return NULL;
    CHECK(nn_param_count(net) == NP, "param count %d", nn_param_count(net));
    nn_layer_info info;
    CHECK_OK(nn_layer_info_get(net, 0, &info));
    CHECK(info.w_off == 0 && info.w_len == NW && info.b_off == NW && info.b_len == 2, "layout");
    memcpy(nn_params(net), P0, sizeof P0);
    return net;
}

// |got - want| <= 1e-6 max(1, |want|): absolute below 1, relative above.
static int near6(double got, double want)
{
    return fabs(got - want) <= 1e-6 * fmax(1.0, fabs(want));
}

static double max_err = 0.0;

// One step of both; then parameters, gradient and loss compared.
static void step_both(nn_net *net, ref_opt *R, const char *what, int step)
{
    float loss = NAN;
    CHECK_OK(nn_train_batch(net, &batch, &loss));
    double want_loss = ref_step(R);
    const float *p = nn_params(net), *g = nn_grads(net);
    int bad = -1;
    double worst = 0.0;
    for (int i = 0; i < NP; i++) {
        double e = fmax(fabs(p[i] - R->p[i]), fabs(g[i] - R->g[i])) / fmax(1.0, fabs(R->p[i]));
        worst = e > worst ? e : worst;
        if (!near6(p[i], R->p[i]) || !near6(g[i], R->g[i]))
            bad = bad < 0 ? i : bad;
        // adaptive rules divide by |g|: a vanishing gradient would hide errors
        CHECK(fabs(R->g[i]) > 1e-3, "%s step %d: reference gradient %d is %g", what, step, i,
              R->g[i]);
    }
    if (bad < 0)
        max_err = worst > max_err ? worst : max_err;
    CHECK(bad < 0, "%s step %d: param %d got %.9g want %.9g, grad got %.9g want %.9g", what,
          step, bad, p[bad < 0 ? 0 : bad], R->p[bad < 0 ? 0 : bad], g[bad < 0 ? 0 : bad],
          R->g[bad < 0 ? 0 : bad]);
    // Nesterov's reported loss is the one at the look-ahead theta + alpha v,
    // where the engine evaluates the gradient, not at theta: not compared
    if (R->kind != NN_OPT_NESTEROV)
        CHECK(near6(loss, want_loss), "%s step %d: loss %.9g want %.9g", what, step, loss,
              want_loss);
    CHECK(nn_step_count(net) == R->steps, "%s: step count", what);
}

static void run(const nn_optim *o, float l1, float l2, const char *what)
{
    nn_net *net = make_net();
    if (!net)
        return;
    ref_opt R;
    ref_init(&R, o, l1, l2);
    CHECK_OK(nn_set_optimizer(net, o));
    CHECK_OK(nn_set_regularization(net, l1, l2));
    for (int s = 1; s <= 3; s++)
        step_both(net, &R, what, s);
    nn_free(net);
}

static nn_optim custom(int kind, float lr, float b1, float b2, float delta)
{
    nn_optim o = {.kind = kind, .lr = lr, .beta1 = b1, .beta2 = b2, .delta = delta, .decay = 0.0f};
    return o;
}

static void test_rules(void)
{
    const nn_optim opts[] = {
        nn_optim_default(NN_OPT_SGD), custom(NN_OPT_SGD, 0.3f, 0.0f, 0.0f, 0.0f),
        nn_optim_default(NN_OPT_MOMENTUM), custom(NN_OPT_MOMENTUM, 0.2f, 0.5f, 0.0f, 0.0f),
        nn_optim_default(NN_OPT_NESTEROV), custom(NN_OPT_NESTEROV, 0.2f, 0.5f, 0.0f, 0.0f),
        nn_optim_default(NN_OPT_ADAGRAD), custom(NN_OPT_ADAGRAD, 0.5f, 0.0f, 0.0f, 0.1f),
        nn_optim_default(NN_OPT_RMSPROP), custom(NN_OPT_RMSPROP, 0.05f, 0.99f, 0.0f, 1e-3f),
        nn_optim_default(NN_OPT_ADAM), custom(NN_OPT_ADAM, 0.05f, 0.5f, 0.9f, 1e-3f),
    };
    static const char *names[] = {"SGD", "MOMENTUM", "NESTEROV", "ADAGRAD", "RMSPROP", "ADAM"};
    char what[96];
    for (int k = 0; k < (int)(sizeof opts / sizeof opts[0]); k++) {
        const char *kind = names[opts[k].kind], *which = k % 2 ? "custom" : "default";
        snprintf(what, sizeof what, "%s %s", kind, which);
        run(&opts[k], 0.0f, 0.0f, what);
        nn_optim o = opts[k];
        o.decay = 0.5f;   // eps, eps / 1.5, eps / 2
        snprintf(what, sizeof what, "%s %s, decay 0.5", kind, which);
        run(&o, 0.0f, 0.0f, what);
        snprintf(what, sizeof what, "%s %s, l1 0.02 l2 0.1", kind, which);
        run(&opts[k], 0.02f, 0.1f, what);
    }
}

// n1 steps with a, then nn_set_optimizer(b) and n2 steps; new_lr > 0 instead
// changes only the learning rate (nn_set_lr) between the two.
static void switch_case(const nn_optim *a, int n1, const nn_optim *b, float new_lr, int n2,
                        const char *what)
{
    nn_net *net = make_net();
    if (!net)
        return;
    ref_opt R;
    ref_init(&R, a, 0.0f, 0.0f);
    CHECK_OK(nn_set_optimizer(net, a));
    for (int s = 1; s <= n1; s++)
        step_both(net, &R, what, s);
    if (new_lr > 0.0f) {
        CHECK_OK(nn_set_lr(net, new_lr));
        R.lr = new_lr;
        nn_optim got = nn_get_optimizer(net);
        CHECK(got.lr == new_lr && got.kind == a->kind && got.beta1 == a->beta1 &&
              got.beta2 == a->beta2 && got.delta == a->delta, "%s: set_lr changed more", what);
    } else {
        CHECK_OK(nn_set_optimizer(net, b));
        ref_set(&R, b);
    }
    for (int s = n1 + 1; s <= n1 + n2; s++)
        step_both(net, &R, what, s);
    nn_free(net);
}

static void test_changes(void)
{
    nn_optim adam = custom(NN_OPT_ADAM, 0.05f, 0.5f, 0.9f, 1e-3f);
    nn_optim mom9 = custom(NN_OPT_MOMENTUM, 0.1f, 0.9f, 0.0f, 0.0f);
    nn_optim mom5 = custom(NN_OPT_MOMENTUM, 0.2f, 0.5f, 0.0f, 0.0f);
    nn_optim nest = custom(NN_OPT_NESTEROV, 0.1f, 0.9f, 0.0f, 0.0f);
    nn_optim rms = custom(NN_OPT_RMSPROP, 0.05f, 0.9f, 0.0f, 1e-3f);
    nn_optim sgd = nn_optim_default(NN_OPT_SGD);
    // the learning rate alone: moments (and Adam's t) kept
    switch_case(&adam, 2, NULL, 0.02f, 1, "ADAM, lr 0.05 then 0.02");
    switch_case(&mom9, 2, NULL, 0.3f, 1, "MOMENTUM, lr 0.1 then 0.3");
    // same kind, new hyper-parameters: velocity kept
    switch_case(&mom9, 2, &mom5, 0.0f, 1, "MOMENTUM alpha 0.9 then 0.5");
    switch_case(&adam, 2, &adam, 0.0f, 1, "ADAM set again");
    // another kind: its state starts from zero
    switch_case(&mom9, 2, &nest, 0.0f, 1, "MOMENTUM then NESTEROV");
    switch_case(&adam, 2, &rms, 0.0f, 1, "ADAM then RMSPROP");
    switch_case(&sgd, 2, &adam, 0.0f, 1, "SGD then ADAM (bias correction from t = 1)");
    switch_case(&adam, 1, &mom9, 0.0f, 1, "ADAM then MOMENTUM");

    nn_net *net = make_net();
    if (!net)
        return;
    CHECK_OK(nn_set_optimizer(net, &adam));
    CHECK(nn_set_lr(net, 0.0f) == NN_ERR_VALUE && nn_set_lr(net, -1.0f) == NN_ERR_VALUE &&
          nn_set_lr(net, NAN) == NN_ERR_VALUE && nn_set_lr(net, INFINITY) == NN_ERR_VALUE,
          "nn_set_lr accepts a bad rate");
    CHECK(nn_get_optimizer(net).lr == 0.05f, "a refused rate was kept");
    nn_free(net);
}

// The penalty: its value, and the gradient of weights only.
static void test_penalty(void)
{
    nn_net *net = make_net();
    if (!net)
        return;
    double p0[NP], g0[NP], g1[NP], want = 0.0;
    for (int i = 0; i < NP; i++)
        p0[i] = P0[i];
    ref_grad(p0, 0.0, 0.0, g0);
    ref_grad(p0, 0.02f, 0.1f, g1);
    CHECK_OK(nn_set_regularization(net, 0.02f, 0.1f));
    float loss;
    CHECK_OK(nn_loss_grad(net, &batch, &loss));
    const float *g = nn_grads(net);
    for (int i = 0; i < NP; i++) {
        CHECK(near6(g[i], g1[i]), "penalised grad %d: got %.9g want %.9g", i, g[i], g1[i]);
        if (i >= NW)
            CHECK(near6(g[i], g0[i]), "bias grad %d penalised: %.9g vs %.9g", i, g[i], g0[i]);
    }
    for (int i = 0; i < NW; i++)
        want += (double)0.02f * fabs(P0[i]) + 0.5 * (double)0.1f * P0[i] * P0[i];
    CHECK(near6(nn_penalty(net), want), "nn_penalty %.9g want %.9g", nn_penalty(net), want);
    CHECK(nn_set_regularization(net, -0.1f, 0.0f) == NN_ERR_VALUE, "negative l1 accepted");
    nn_free(net);
}

static void test_defaults(void)
{
    static const struct {
        int kind;
        float lr, b1, b2, delta;   // b2 < 0: not documented for this kind
    } want[] = {
        {NN_OPT_SGD, 0.1f, -1.0f, -1.0f, -1.0f},
        {NN_OPT_MOMENTUM, 0.1f, 0.9f, -1.0f, -1.0f},
        {NN_OPT_NESTEROV, 0.1f, 0.9f, -1.0f, -1.0f},
        {NN_OPT_ADAGRAD, 0.01f, -1.0f, -1.0f, 1e-7f},
        {NN_OPT_RMSPROP, 0.01f, 0.9f, -1.0f, 1e-6f},
        {NN_OPT_ADAM, 0.001f, 0.9f, 0.999f, 1e-8f},
    };
    for (int k = 0; k < (int)(sizeof want / sizeof want[0]); k++) {
        nn_optim o = nn_optim_default(want[k].kind);
        CHECK(o.kind == want[k].kind && o.lr == want[k].lr && o.decay == 0.0f,
              "default %d: kind %d lr %g decay %g", want[k].kind, o.kind, o.lr, o.decay);
        CHECK(want[k].b1 < 0.0f || o.beta1 == want[k].b1, "default %d beta1 %g", o.kind, o.beta1);
        CHECK(want[k].b2 < 0.0f || o.beta2 == want[k].b2, "default %d beta2 %g", o.kind, o.beta2);
        CHECK(want[k].delta < 0.0f || o.delta == want[k].delta, "default %d delta %g", o.kind,
              o.delta);
    }
    const int unknown[] = {-1, NN_OPT_COUNT, 1000};
    for (int k = 0; k < 3; k++) {
        nn_optim o = nn_optim_default(unknown[k]);
        CHECK(o.kind == NN_OPT_SGD && o.lr == 0.1f, "unknown kind %d: %d", unknown[k], o.kind);
    }
    nn_net *net = make_net();
    if (!net)
        return;
    nn_optim o = nn_get_optimizer(net);
    CHECK(o.kind == NN_OPT_SGD && o.lr == 0.1f && o.decay == 0.0f, "a new net's optimiser");
    nn_free(net);
}

int main(void)
{
    test_defaults();
    test_penalty();
    test_rules();
    test_changes();
    printf("max error against the float64 reference over the passing steps (params and "
           "grads, abs below 1, rel above): %.3g\n", max_err);
    CHECK_DONE();
}
