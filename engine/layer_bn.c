/* layer_bn.c: batch normalisation per channel over the batch and the
 * positions (per feature after a dense layer, whose output is (n, 1, 1)):
 * y = gamma (x - mean) / sqrt(var + eps) + beta, gamma and beta learned per
 * channel. In training the batch statistics are used and (when asked) the
 * running averages updated with momentum spec.a; in evaluation the running
 * ones. Sums are in double. Its statistics are the running means then
 * variances, one per channel. */
#include "net.h"

#include <float.h>
#include <math.h>

static int bn_check(const nn_layer_spec *s)
{
    return isfinite(s->a) && s->a > 0.0f && s->a <= 1.0f && isfinite(s->eps) && s->eps > 0.0f ? NN_OK
                                                                                            : NN_ERR_VALUE;
}

static int bn_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)s;
    uint64_t c = (uint64_t)in.c, n = c * (uint64_t)in.h * (uint64_t)in.w;
    // aux: xhat (max_batch, n) then invstd (c)
    *z = (nn_layer_size){.out = in, .w_len = c, .b_len = c, .stats = 2 * c, .aux = (uint64_t)max_batch * n + c};
    return NN_OK;
}

static void bn_init(nn_net *net, nn_layer *L)
{
    int C = L->shape_in.c;
    for (int i = 0; i < C; i++) {
        net->params[L->w_off + i] = 1.0f;
        net->params[L->b_off + i] = 0.0f;
        net->stats[L->s_off + i] = 0.0f;
        net->stats[L->s_off + C + i] = 1.0f;
    }
}

/* A file's statistics are possible: finite means, finite variances >= 0
 * (training saturates them at FLT_MAX). */
static int bn_valid_stats(const nn_net *net, const nn_layer *L)
{
    int C = L->shape_in.c;
    const float *mean = net->stats + L->s_off, *var = mean + C;
    for (int i = 0; i < C; i++)
        if (!isfinite(mean[i]) || !isfinite(var[i]) || var[i] < 0.0f)
            return 0;
    return 1;
}

/* x (B, C, P) with P = height * width positions: channel j of example i at
 * x[i * C * P + j * P + p]. */
static void bn_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    int C = L->shape_in.c, P = L->shape_in.h * L->shape_in.w, n = L->n_out, count = B * P;
    const float *gamma = net->params + L->w_off, *beta = net->params + L->b_off;
    float *rmean = net->stats + L->s_off, *rvar = rmean + C;
    float *xhat = L->aux, *invstd = L->aux + (size_t)net->cfg.max_batch * n;
    float eps = L->spec.eps, mom = L->spec.a;
    for (int j = 0; j < C; j++) {
        double mean, var;
        if (train) {
            double s = 0.0, ss = 0.0;
            for (int i = 0; i < B; i++)
                for (int p = 0; p < P; p++)
                    s += x[i * n + j * P + p];
            mean = s / count;
            for (int i = 0; i < B; i++)
                for (int p = 0; p < P; p++) {
                    double d = x[i * n + j * P + p] - mean;
                    ss += d * d;
                }
            var = ss / count;
            if (upd) {
                // running variance unbiased (count/(count-1)) as in PyTorch
                double uvar = count > 1 ? ss / (count - 1) : var;
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
        for (int i = 0; i < B; i++)
            for (int p = 0; p < P; p++) {
                int at = i * n + j * P + p;
                float h = (x[at] - m) * is;
                xhat[at] = h;
                L->out[at] = gamma[j] * h + beta[j];
            }
    }
}

static void bn_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    (void)x;
    int C = L->shape_in.c, P = L->shape_in.h * L->shape_in.w, n = L->n_out, count = B * P;
    const float *gamma = net->params + L->w_off;
    float *dgamma = net->grads + L->w_off, *dbeta = net->grads + L->b_off;
    const float *xhat = L->aux, *invstd = L->aux + (size_t)net->cfg.max_batch * n;
    for (int j = 0; j < C; j++) {
        double sdy = 0.0, sdyx = 0.0;
        for (int i = 0; i < B; i++)
            for (int p = 0; p < P; p++) {
                int at = i * n + j * P + p;
                sdy += dy[at];
                sdyx += (double)dy[at] * xhat[at];
            }
        dgamma[j] += (float)sdyx;
        dbeta[j] += (float)sdy;
        if (!dx)
            continue;
        // dx = gamma invstd / m (m dy - sum dy - xhat sum(dy xhat)), m = B * P
        double k = (double)gamma[j] * invstd[j] / count;
        for (int i = 0; i < B; i++)
            for (int p = 0; p < P; p++) {
                int at = i * n + j * P + p;
                dx[at] = (float)(k * (count * (double)dy[at] - sdy - xhat[at] * sdyx));
            }
    }
}

const nn_layer_ops nn_layer_batchnorm = {
    .name = "batchnorm",
    .check = bn_check, .size = bn_size, .init = bn_init, .forward = bn_forward, .backward = bn_backward,
    .valid_stats = bn_valid_stats,
};
