/* layer_act.c: the activation layer y = f(x), elementwise, with f one of
 * nn_act but SOFTMAX (an output only, in engine/loss.c). The value and
 * derivative of each f are SIMD kernels with scalar twins (engine/kernels.c,
 * engine/kernels_ref.c); PReLU, whose slopes are parameters (one per layer
 * or per neuron, initialised to spec.a), is computed here. */
#include "kernels.h"
#include "net.h"

#include <math.h>

static int act_check(const nn_layer_spec *s)
{
    if (s->act < 0 || s->act >= NN_ACT_COUNT)
        return NN_ERR_ENUM;
    if (s->act == NN_ACT_SOFTMAX)
        return NN_ERR_CONFIG;
    return isfinite(s->a) ? NN_OK : NN_ERR_VALUE;
}

static int act_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)max_batch;
    uint64_t n = (uint64_t)in.c * (uint64_t)in.h * (uint64_t)in.w;
    *z = (nn_layer_size){.out = in, .w_len = s->act != NN_ACT_PRELU ? 0 : s->per_neuron ? n : 1};
    return NN_OK;
}

static void act_init(nn_net *net, nn_layer *L)
{
    for (int i = 0; i < L->w_len; i++)
        net->params[L->w_off + i] = L->spec.a;
}

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

const nn_layer_ops nn_layer_act = {
    .name = "activation",
    .check = act_check, .size = act_size, .init = act_init, .forward = act_forward, .backward = act_backward,
};
