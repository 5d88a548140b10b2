/* optim.c: the optimisers of engine/nn.h as one function each over the flat
 * parameter, gradient and state arrays, plus the L1/L2 penalty and the
 * learning-rate schedule. Nets (engine/train.c) and steppers on plain
 * vectors (engine/stepper.c) both update through nn_opt_update and take
 * Nesterov's look-ahead through nn_opt_lookahead: one copy of each rule. */
#include "kernels.h"
#include "net.h"

#include <math.h>
#include <string.h>

// One function per optimiser over the flat arrays of one update: n
// parameters p, their gradient g, the state s (velocity or first moment) and
// r (squared-gradient average), the decayed rate and Adam's step t (from 1).
typedef struct {
    int n;
    float *p;
    const float *g;
    float *s, *r;
    float lr;
    int64_t t;
    int bias_correction;
} update;

typedef void (*step_fn)(const nn_optim *o, const update *u);

static void step_sgd(const nn_optim *o, const update *u)
{
    (void)o;
    nn_k_sgd(u->n, u->p, u->g, u->lr);
}

static void step_momentum(const nn_optim *o, const update *u)
{
    nn_k_momentum(u->n, u->p, u->g, u->s, u->lr, o->beta1);
}

static void step_adagrad(const nn_optim *o, const update *u)
{
    nn_k_adagrad(u->n, u->p, u->g, u->r, u->lr, o->delta);
}

static void step_rmsprop(const nn_optim *o, const update *u)
{
    nn_k_rmsprop(u->n, u->p, u->g, u->r, u->lr, o->beta1, o->delta);
}

static void step_adam(const nn_optim *o, const update *u)
{
    // t counts from the state's last clearing and was incremented before
    // the call: a fresh Adam's first step uses t = 1, as in the course.
    // Without the correction the moments are divided by 1, exactly.
    float bc1 = u->bias_correction ? (float)(1.0 - pow(o->beta1, (double)u->t)) : 1.0f;
    float bc2 = u->bias_correction ? (float)(1.0 - pow(o->beta2, (double)u->t)) : 1.0f;
    nn_k_adam(u->n, u->p, u->g, u->s, u->r, u->lr, o->beta1, o->beta2, o->delta, bc1, bc2);
}

static const step_fn steps[NN_OPT_COUNT] = {
    [NN_OPT_SGD] = step_sgd,
    [NN_OPT_MOMENTUM] = step_momentum,
    [NN_OPT_NESTEROV] = step_momentum,
    [NN_OPT_ADAGRAD] = step_adagrad,
    [NN_OPT_RMSPROP] = step_rmsprop,
    [NN_OPT_ADAM] = step_adam,
};

void nn_opt_update(const nn_optim *o, int bias_correction, int n, float *p, const float *g, float *s,
                   float *r, int64_t *t, int64_t *opt_t)
{
    float lr = o->lr;
    if (o->decay > 0.0f)
        lr = (float)(lr / (1.0 + (double)o->decay * (double)*t));
    ++*t;
    ++*opt_t;
    update u = {.n = n, .p = p, .g = g, .s = s, .r = r, .lr = lr, .t = *opt_t, .bias_correction = bias_correction};
    steps[o->kind](o, &u);
}

void nn_opt_lookahead(const nn_optim *o, int n, float *p, const float *s)
{
    if (o->kind == NN_OPT_NESTEROV)
        nn_k_axpy(n, p, o->beta1, s);
}

void nn_opt_step(nn_net *net)
{
    // gradient flow (engine/flow.c): what the step changes, only observed
    if (net->track_prev)
        memcpy(net->track_prev, net->params, (size_t)net->n_params * sizeof(float));
    nn_opt_update(&net->opt, 1, net->n_params, net->params, net->grads, net->opt_s, net->opt_r, &net->t,
                  &net->opt_t);
    if (net->track_prev)
        nn_flow_record(net);
}

void nn_opt_clear(nn_net *net)
{
    memset(net->opt_s, 0, (size_t)net->n_params * sizeof *net->opt_s);
    memset(net->opt_r, 0, (size_t)net->n_params * sizeof *net->opt_r);
    net->opt_t = 0;
}

void nn_opt_apply_penalty(nn_net *net)
{
    if (net->l1 == 0.0f && net->l2 == 0.0f)
        return;
    for (int k = 0; k < net->n_layers; k++) {
        const nn_layer *L = &net->layers[k];
        if (L->ops->penalised)
            nn_k_penalty(L->w_len, net->grads + L->w_off, net->params + L->w_off, net->l1, net->l2);
    }
}

static int finite_in(float v, float lo, float hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

int nn_opt_validate(const nn_optim *o)
{
    if (!o)
        return NN_ERR_NULL;
    if (o->kind < 0 || o->kind >= NN_OPT_COUNT)
        return NN_ERR_ENUM;
    if (!isfinite(o->lr) || o->lr <= 0.0f)
        return NN_ERR_VALUE;
    if (!finite_in(o->beta1, 0.0f, 0.999999f) || !finite_in(o->beta2, 0.0f, 0.999999f))
        return NN_ERR_VALUE;
    if (!finite_in(o->delta, 0.0f, 1.0f) || !finite_in(o->decay, 0.0f, 1e6f))
        return NN_ERR_VALUE;
    return NN_OK;
}

nn_optim nn_optim_default(int kind)
{
    nn_optim o = {.kind = NN_OPT_SGD, .lr = 0.1f, .beta1 = 0.9f, .beta2 = 0.999f};
    switch (kind) {
    case NN_OPT_MOMENTUM:
    case NN_OPT_NESTEROV:
        o.kind = kind;
        break;
    case NN_OPT_ADAGRAD:
        o.kind = kind, o.lr = 0.01f, o.delta = 1e-7f;
        break;
    case NN_OPT_RMSPROP:
        o.kind = kind, o.lr = 0.01f, o.delta = 1e-6f;
        break;
    case NN_OPT_ADAM:
        o.kind = kind, o.lr = 0.001f, o.delta = 1e-8f;
        break;
    default:
        break;
    }
    return o;
}

int nn_set_optimizer(nn_net *net, const nn_optim *opt)
{
    if (!net)
        return NN_ERR_NULL;
    int rc = nn_opt_validate(opt);
    if (rc)
        return rc;
    if (opt->kind != net->opt.kind)
        nn_opt_clear(net);
    net->opt = *opt;
    return NN_OK;
}

nn_optim nn_get_optimizer(const nn_net *net)
{
    return net ? net->opt : nn_optim_default(NN_OPT_SGD);
}

int nn_set_lr(nn_net *net, float lr)
{
    if (!net)
        return NN_ERR_NULL;
    if (!isfinite(lr) || lr <= 0.0f)
        return NN_ERR_VALUE;
    net->opt.lr = lr;
    return NN_OK;
}

int nn_set_regularization(nn_net *net, float l1, float l2)
{
    if (!net)
        return NN_ERR_NULL;
    if (!isfinite(l1) || !isfinite(l2) || l1 < 0.0f || l2 < 0.0f)
        return NN_ERR_VALUE;
    net->l1 = l1;
    net->l2 = l2;
    return NN_OK;
}

float nn_penalty(const nn_net *net)
{
    if (!net)
        return 0.0f;
    double s1 = 0.0, s2 = 0.0;
    for (int k = 0; k < net->n_layers; k++) {
        const nn_layer *L = &net->layers[k];
        if (!L->ops->penalised)
            continue;
        for (int i = 0; i < L->w_len; i++) {
            double w = net->params[L->w_off + i];
            s1 += fabs(w);
            s2 += w * w;
        }
    }
    return (float)(net->l1 * s1 + 0.5 * net->l2 * s2);
}
