/* layer_bn.c: batch normalisation per feature over the batch,
 * y = gamma (x - mean) / sqrt(var + eps) + beta, gamma and beta learned. In
 * training the batch statistics are used and (when asked) the running
 * averages updated with momentum spec.a; in evaluation the running ones.
 * Sums are in double. Its statistics are the running means then variances. */
#include "net.h"

#include <float.h>
#include <math.h>

static int bn_check(const nn_layer_spec *s)
{
    return isfinite(s->a) && s->a > 0.0f && s->a <= 1.0f && isfinite(s->eps) && s->eps > 0.0f ? NN_OK
                                                                                            : NN_ERR_VALUE;
}

static nn_layer_size bn_size(const nn_layer_spec *s, int n_in, int max_batch)
{
    (void)s;
    uint64_t n = (uint64_t)n_in;
    // aux: xhat (max_batch, n) then invstd (n)
    return (nn_layer_size){.n_out = n_in, .w_len = n, .b_len = n, .stats = 2 * n,
                           .aux = (uint64_t)max_batch * n + n};
}

static void bn_init(nn_net *net, nn_layer *L)
{
    for (int i = 0; i < L->n_out; i++) {
        net->params[L->w_off + i] = 1.0f;
        net->params[L->b_off + i] = 0.0f;
        net->stats[L->s_off + i] = 0.0f;
        net->stats[L->s_off + L->n_out + i] = 1.0f;
    }
}

/* A file's statistics are possible: finite means, finite variances >= 0
 * (training saturates them at FLT_MAX). */
static int bn_valid_stats(const nn_net *net, const nn_layer *L)
{
    const float *mean = net->stats + L->s_off, *var = mean + L->n_out;
    for (int i = 0; i < L->n_out; i++)
        if (!isfinite(mean[i]) || !isfinite(var[i]) || var[i] < 0.0f)
            return 0;
    return 1;
}

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

const nn_layer_ops nn_layer_batchnorm = {
    .check = bn_check, .size = bn_size, .init = bn_init, .forward = bn_forward, .backward = bn_backward,
    .valid_stats = bn_valid_stats,
};
