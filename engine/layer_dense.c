/* layer_dense.c: the dense layer y = x W^T + b, W (units, n_in), b (units).
 * Forward reads W as W^T (n_in, units), so that the output columns are
 * contiguous for the register-blocked GEMM (in memory, aux, only when the
 * kernel needs it there: engine/kernels.h); backward accumulates dW and db and writes
 * dx. Its weights take the init scheme and the L1/L2 penalties. */
#include "kernels.h"
#include "net.h"

static int dense_check(const nn_layer_spec *s)
{
    return s->units >= 1 && s->units <= NN_MAX_UNITS ? NN_OK : NN_ERR_SIZE;
}

static int dense_size(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z)
{
    (void)max_batch;
    // a spatial input is seen flattened
    uint64_t w = (uint64_t)in.c * (uint64_t)in.h * (uint64_t)in.w * (uint64_t)s->units;
    *z = (nn_layer_size){.out = {s->units, 1, 1}, .w_len = w, .b_len = (uint64_t)s->units, .aux = w};
    return NN_OK;
}

static void dense_init(nn_net *net, nn_layer *L)
{
    nn_init_weights(net, net->params + L->w_off, L->w_len, L->n_in, L->n_out);
    for (int i = 0; i < L->b_len; i++)
        net->params[L->b_off + i] = net->init.b_const;
}

static void dense_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int upd)
{
    (void)train, (void)upd;
    const float *W = net->params + L->w_off;   // (n_out, n_in)
    const float *b = net->params + L->b_off;   // (n_out)
    // aux: scratch for W^T (n_in, n_out), when the kernel needs it in memory
    nn_k_xwt_plus_b(L->out, x, W, L->aux, b, B, L->n_in, L->n_out);
}

static void dense_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B)
{
    float *dW = net->grads + L->w_off;
    nn_k_acc_dyt_x(dW, dy, x, B, L->n_in, L->n_out);
    nn_k_colsum(net->grads + L->b_off, dy, B, L->n_out);
    if (dx)
        nn_k_dy_w(dx, dy, net->params + L->w_off, B, L->n_in, L->n_out);
}

const nn_layer_ops nn_layer_dense = {
    .name = "dense",
    .check = dense_check, .size = dense_size, .init = dense_init,
    .forward = dense_forward, .backward = dense_backward, .penalised = 1, .logits = 1,
};
