/* loss.c: output functions, losses and accuracy. Each loss returns the sum of
 * its per-example values (double) and writes the gradient of the logits, so
 * softmax + cross-entropy and sigmoid + BCE are fused into the stable forms
 * softmax(z) - onehot and sigmoid(z) - t, and log-sum-exp is never a log of a
 * softmax. Scalings are documented with nn_loss in engine/nn.h. */
#include "kernels.h"
#include "net.h"

#include <math.h>

void nn_output_forward(float *o, const float *z, int B, int n, int out_act, double *lse)
{
    if (out_act != NN_ACT_SOFTMAX) {
        nn_k_acts[out_act].forward(o, z, B * n, 0.0f);
        return;
    }
    // shift each row by its max, one SIMD exp over the block, then normalise;
    // the engine's own expf: no libm, so native and wasm agree
    float m[64];
    for (int i0 = 0; i0 < B; i0 += 64) {
        int rows = B - i0 < 64 ? B - i0 : 64;
        for (int i = 0; i < rows; i++) {
            const float *zi = z + (size_t)(i0 + i) * n;
            float mx = zi[0];
            for (int j = 1; j < n; j++)
                mx = zi[j] > mx ? zi[j] : mx;
            m[i] = mx;
            for (int j = 0; j < n; j++)
                o[(size_t)(i0 + i) * n + j] = zi[j] - mx;
        }
        nn_k_exp(rows * n, o + (size_t)i0 * n, o + (size_t)i0 * n);
        for (int i = 0; i < rows; i++) {
            float *oi = o + (size_t)(i0 + i) * n, s = 0.0f;
            for (int j = 0; j < n; j++)
                s += oi[j];
            float inv = 1.0f / s;
            for (int j = 0; j < n; j++)
                oi[j] *= inv;
            // log-sum-exp of the row, for the cross-entropy
            if (lse)
                lse[i0 + i] = (double)m[i] + log((double)s);
        }
    }
}

/* Squared error on o = f(z): dO = c (o - t), then dz = dO f'(z). */
static double squared_error(const nn_net *net, float *dz, const float *o, const float *z,
                            const float *y, int B, float scale)
{
    int n = net->n_out;
    int half = net->cfg.loss == NN_LOSS_SE_HALF;
    double per = half ? 0.5 : 1.0 / n, sum = 0.0;
    float c = half ? scale : scale * 2.0f / (float)n;
    for (int i = 0; i < B * n; i++) {
        double d = (double)o[i] - y[i];
        sum += per * d * d;
        if (dz)
            dz[i] = c * (o[i] - y[i]);
    }
    if (dz)
        nn_k_acts[net->cfg.output].backward(dz, dz, z, o, B * n, 0.0f);
    return sum;
}

/* max(z,0) - z t + log(1 + e^-|z|): finite for any z. */
static double binary_cross_entropy(const nn_net *net, float *dz, const float *o, const float *z,
                                   const float *y, int B, float scale)
{
    double sum = 0.0;
    for (int i = 0; i < B * net->n_out; i++) {
        double zi = z[i];
        sum += (zi > 0.0 ? zi : 0.0) - zi * y[i] + log1p(exp(-fabs(zi)));
        if (dz)
            dz[i] = scale * (o[i] - y[i]);
    }
    return sum;
}

/* l = log sum_j e^z_j - z_label, the log-sum-exp kept by the softmax pass. */
static double softmax_cross_entropy(const nn_net *net, float *dz, const float *o, const float *z,
                                    const int32_t *label, int B, float scale)
{
    int n = net->n_out;
    double sum = 0.0;
    for (int i = 0; i < B; i++) {
        sum += net->lse[i] - z[i * n + label[i]];
        if (!dz)
            continue;
        for (int j = 0; j < n; j++)
            dz[i * n + j] = scale * (o[i * n + j] - (j == label[i] ? 1.0f : 0.0f));
    }
    return sum;
}

double nn_loss_eval(const nn_net *net, float *dz, float *o, const float *z,
                    const float *y, const int32_t *label, int B, float scale)
{
    nn_output_forward(o, z, B, net->n_out, net->cfg.output, net->lse);
    switch (net->cfg.loss) {
    case NN_LOSS_SE_HALF:
    case NN_LOSS_MSE:
        return squared_error(net, dz, o, z, y, B, scale);
    case NN_LOSS_BCE:
        return binary_cross_entropy(net, dz, o, z, y, B, scale);
    default:
        return softmax_cross_entropy(net, dz, o, z, label, B, scale);
    }
}

static int argmax(const float *v, int n)
{
    int best = 0;
    for (int j = 1; j < n; j++)
        if (v[j] > v[best])
            best = j;
    return best;
}

int nn_count_correct(const nn_net *net, const float *o, const float *y,
                     const int32_t *label, int B)
{
    int n = net->n_out, correct = 0;
    for (int i = 0; i < B; i++) {
        const float *oi = o + i * n;
        if (net->cfg.loss == NN_LOSS_SOFTMAX_CE) {
            correct += argmax(oi, n) == label[i];
        } else if (net->cfg.loss == NN_LOSS_BCE || n == 1) {
            // per output; a row counts when every output is right
            float th = net->cfg.loss == NN_LOSS_BCE ? 0.5f : net->threshold;
            int ok = 1;
            for (int j = 0; j < n; j++)
                ok &= (oi[j] > th) == (y[i * n + j] > th);
            correct += ok;
        } else {
            correct += argmax(oi, n) == argmax(y + i * n, n);
        }
    }
    return correct;
}
