/* optim.c: the optimisers of engine/nn.h as one function each over the flat
 * parameter, gradient and state arrays, plus the L1/L2 penalty and the
 * learning-rate schedule. Nesterov's look-ahead gradient is taken in
 * engine/train.c, which owns the forward and backward passes. */
#include "kernels.h"
#include "net.h"

#include <math.h>
#include <string.h>

typedef void (*step_fn)(nn_net *net, float lr);

static void step_sgd(nn_net *net, float lr)
{
    nn_k_sgd(net->n_params, net->params, net->grads, lr);
}

static void step_momentum(nn_net *net, float lr)
{
    nn_k_momentum(net->n_params, net->params, net->grads, net->opt_s, lr, net->opt.beta1);
}

static void step_adagrad(nn_net *net, float lr)
{
    nn_k_adagrad(net->n_params, net->params, net->grads, net->opt_r, lr, net->opt.delta);
}

static void step_rmsprop(nn_net *net, float lr)
{
    nn_k_rmsprop(net->n_params, net->params, net->grads, net->opt_r, lr, net->opt.beta1,
                 net->opt.delta);
}

static void step_adam(nn_net *net, float lr)
{
    // opt_t counts from the state's last clearing and was incremented before
    // the call: a fresh Adam's first step uses t = 1, as in the course
    float bc1 = (float)(1.0 - pow(net->opt.beta1, (double)net->opt_t));
    float bc2 = (float)(1.0 - pow(net->opt.beta2, (double)net->opt_t));
    nn_k_adam(net->n_params, net->params, net->grads, net->opt_s, net->opt_r, lr,
              net->opt.beta1, net->opt.beta2, net->opt.delta, bc1, bc2);
}

static const step_fn steps[NN_OPT_COUNT] = {
    [NN_OPT_SGD] = step_sgd,
    [NN_OPT_MOMENTUM] = step_momentum,
    [NN_OPT_NESTEROV] = step_momentum,
    [NN_OPT_ADAGRAD] = step_adagrad,
    [NN_OPT_RMSPROP] = step_rmsprop,
    [NN_OPT_ADAM] = step_adam,
};

void nn_opt_step(nn_net *net)
{
    float lr = net->opt.lr;
    if (net->opt.decay > 0.0f)
        lr = (float)(lr / (1.0 + (double)net->opt.decay * (double)net->t));
    net->t++;
    net->opt_t++;
    // gradient flow (engine/flow.c): what the step changes, only observed
    if (net->track_prev)
        memcpy(net->track_prev, net->params, (size_t)net->n_params * sizeof(float));
    steps[net->opt.kind](net, lr);
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
