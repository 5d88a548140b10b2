/* layers.c: forward, backward and initialisation of each layer kind, as one
 * table indexed by nn_layer_kind. Backward accumulates (+=) into the
 * gradients and reuses what forward cached (W^T, dropout mask, BN xhat), so
 * nothing here allocates. */
#include "kernels.h"
#include "net.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* ---- Dense --------------------------------------------------------------- */

static void dense_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)train, (void)upd;
    const float *W = net->params + L->w_off;   // (n_out, n_in)
    const float *b = net->params + L->b_off;   // (n_out)
    float *WT = L->aux;                        // (n_in, n_out)
    // W^T makes the output columns contiguous for the 4x8 register block
    nn_k_transpose(WT, W, L->n_out, L->n_in);
    // out (B, n_out) = b + x (B, n_in) W^T (n_in, n_out)
    nn_k_gemm(L->out, x, WT, b, B, L->n_out, L->n_in, L->n_in, 1, L->n_out, L->n_out, 0);
}

static void dense_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    float *dW = net->grads + L->w_off;
    // dW (n_out, n_in) += dy^T (n_out, B) x (B, n_in)
    nn_k_gemm(dW, dy, x, NULL, L->n_out, L->n_in, B, 1, L->n_out, L->n_in, L->n_in, 1);
    nn_k_colsum(net->grads + L->b_off, dy, B, L->n_out);
    // dx (B, n_in) = dy (B, n_out) W (n_out, n_in)
    if (dx)
        nn_k_gemm(dx, dy, net->params + L->w_off, NULL, B, L->n_in, L->n_out, L->n_out, 1,
                  L->n_in, L->n_in, 0);
}

/* ---- Activation ---------------------------------------------------------- */

static void act_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)train, (void)upd;
    int n = L->n_out;
    if (L->spec.act != NN_ACT_PRELU) {
        nn_k_acts[L->spec.act].forward(L->out, x, B * n, L->spec.a);
        return;
    }
    const float *alpha = net->params + L->w_off;
    int per = L->w_len > 1;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < n; j++) {
            float v = x[i * n + j];
            L->out[i * n + j] = v > 0.0f ? v : alpha[per ? j : 0] * v;
        }
}

static void act_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    int n = L->n_out;
    if (L->spec.act != NN_ACT_PRELU) {
        if (dx)
            nn_k_acts[L->spec.act].backward(dx, dy, x, L->out, B * n, L->spec.a);
        return;
    }
    const float *alpha = net->params + L->w_off;
    float *dalpha = net->grads + L->w_off;
    int per = L->w_len > 1;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < n; j++) {
            float v = x[i * n + j], g = dy[i * n + j];
            if (v <= 0.0f)
                dalpha[per ? j : 0] += g * v;
            if (dx)
                dx[i * n + j] = v > 0.0f ? g : alpha[per ? j : 0] * g;
        }
}

/* ---- Dropout ------------------------------------------------------------- */

static void dropout_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)upd;
    int count = B * L->n_out;
    float p = L->spec.a;
    if (!train || p == 0.0f) {
        memcpy(L->out, x, (size_t)count * sizeof *x);
        for (int i = 0; i < count && train; i++)
            L->aux[i] = 1.0f;
        return;
    }
    float keep = 1.0f / (1.0f - p);   // inverted: expectation unchanged, eval is identity
    nn_rng *r = &net->rng[NN_STREAM_DROPOUT];
    for (int i = 0; i < count; i++)
        L->aux[i] = nn_rng_uniform(r) < p ? 0.0f : keep;
    nn_k_mul(count, L->out, x, L->aux);
}

static void dropout_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)net, (void)x;
    if (dx)
        nn_k_mul(B * L->n_out, dx, dy, L->aux);
}

/* ---- Batch normalisation ------------------------------------------------- */

static void bn_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    int n = L->n_out;
    const float *gamma = net->params + L->w_off, *beta = net->params + L->b_off;
    float *rmean = net->stats + L->s_off, *rvar = rmean + n;
    float *xhat = L->aux, *invstd = L->aux + (size_t)net->cfg.max_batch * n;
    float eps = L->spec.eps, mom = L->spec.a;
    for (int j = 0; j < n; j++) {
        double mean, var;
        if (train) {
            double s = 0.0, ss = 0.0;
            for (int i = 0; i < B; i++)
                s += x[i * n + j];
            mean = s / B;
            for (int i = 0; i < B; i++) {
                double d = x[i * n + j] - mean;
                ss += d * d;
            }
            var = ss / B;
            if (upd) {
                // running variance unbiased (B/(B-1)) as in PyTorch
                double uvar = B > 1 ? ss / (B - 1) : var;
                rmean[j] = (float)((1.0 - mom) * rmean[j] + mom * mean);
                // a variance past float range saturates at FLT_MAX: +inf would
                // turn into NaN (0 * inf) at momentum 1 (found by fuzzing)
                double rv = (1.0 - mom) * rvar[j] + mom * uvar;
                rvar[j] = (float)(rv < FLT_MAX ? rv : FLT_MAX);
            }
        } else {
            mean = rmean[j];
            var = rvar[j];
        }
        float is = (float)(1.0 / sqrt(var + eps));
        invstd[j] = is;
        float m = (float)mean;
        for (int i = 0; i < B; i++) {
            float h = (x[i * n + j] - m) * is;
            xhat[i * n + j] = h;
            L->out[i * n + j] = gamma[j] * h + beta[j];
        }
    }
}

static void bn_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)x;
    int n = L->n_out;
    const float *gamma = net->params + L->w_off;
    float *dgamma = net->grads + L->w_off, *dbeta = net->grads + L->b_off;
    const float *xhat = L->aux, *invstd = L->aux + (size_t)net->cfg.max_batch * n;
    for (int j = 0; j < n; j++) {
        double sdy = 0.0, sdyx = 0.0;
        for (int i = 0; i < B; i++) {
            sdy += dy[i * n + j];
            sdyx += (double)dy[i * n + j] * xhat[i * n + j];
        }
        dgamma[j] += (float)sdyx;
        dbeta[j] += (float)sdy;
        if (!dx)
            continue;
        // dx = gamma invstd / B (B dy - sum dy - xhat sum(dy xhat))
        double k = (double)gamma[j] * invstd[j] / B;
        for (int i = 0; i < B; i++)
            dx[i * n + j] = (float)(k * (B * (double)dy[i * n + j] - sdy - xhat[i * n + j] * sdyx));
    }
}

/* ---- Table and initialisation -------------------------------------------- */

typedef struct {
    void (*forward)(nn_net *, nn_layer *, const float *, int, int, int);
    void (*backward)(nn_net *, nn_layer *, float *, const float *, const float *, int);
} layer_ops;

static const layer_ops ops[NN_LAYER_KIND_COUNT] = {
    [NN_LAYER_DENSE] = {dense_forward, dense_backward},
    [NN_LAYER_ACT] = {act_forward, act_backward},
    [NN_LAYER_DROPOUT] = {dropout_forward, dropout_backward},
    [NN_LAYER_BATCHNORM] = {bn_forward, bn_backward},
};

void nn_layer_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int update_stats)
{
    ops[L->spec.kind].forward(net, L, x, B, train, update_stats);
}

void nn_layer_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    ops[L->spec.kind].backward(net, L, dx, dy, x, B);
}

void nn_layer_init_params(nn_net *net, nn_layer *L)
{
    float *p = net->params;
    switch (L->spec.kind) {
    case NN_LAYER_DENSE: {
        double fan_in = L->n_in, fan_out = L->n_out, lim = 0.0, sd = 0.0;
        int normal = 0;
        switch (net->init.scheme) {
        case NN_INIT_UNIFORM_FANIN: lim = 1.0 / sqrt(fan_in); break;
        case NN_INIT_XAVIER_UNIFORM: lim = sqrt(6.0 / (fan_in + fan_out)); break;
        case NN_INIT_XAVIER_NORMAL: sd = sqrt(2.0 / (fan_in + fan_out)); normal = 1; break;
        case NN_INIT_HE_UNIFORM: lim = sqrt(6.0 / fan_in); break;
        case NN_INIT_HE_NORMAL: sd = sqrt(2.0 / fan_in); normal = 1; break;
        default: break;
        }
        nn_rng *r = &net->rng[NN_STREAM_INIT];
        for (int i = 0; i < L->w_len; i++) {
            float w;
            if (net->init.scheme == NN_INIT_CONST)
                w = net->init.w_const;
            else if (normal)
                w = (float)sd * nn_rng_normal(r);
            else
                w = nn_rng_range(r, (float)-lim, (float)lim);
            p[L->w_off + i] = w;
        }
        for (int i = 0; i < L->b_len; i++)
            p[L->b_off + i] = net->init.b_const;
        break;
    }
    case NN_LAYER_ACT:
        for (int i = 0; i < L->w_len; i++)
            p[L->w_off + i] = L->spec.a;
        break;
    case NN_LAYER_BATCHNORM:
        for (int i = 0; i < L->n_out; i++) {
            p[L->w_off + i] = 1.0f;
            p[L->b_off + i] = 0.0f;
            net->stats[L->s_off + i] = 0.0f;
            net->stats[L->s_off + L->n_out + i] = 1.0f;
        }
        break;
    default:
        break;
    }
}
