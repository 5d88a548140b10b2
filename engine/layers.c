/* layers.c: the table of layer kinds (one row each, in engine/layer_*.c:
 * check the spec, sizes from the input width, init, forward, backward) and
 * what the kinds share: the initialisation of weights by the net's scheme.
 * A new kind is one file, one row here and its enum value in nn.h. */
#include "net.h"

#include <math.h>

static const nn_layer_ops *const table[NN_LAYER_KIND_COUNT] = {
    [NN_LAYER_DENSE] = &nn_layer_dense,
    [NN_LAYER_ACT] = &nn_layer_act,
    [NN_LAYER_DROPOUT] = &nn_layer_dropout,
    [NN_LAYER_BATCHNORM] = &nn_layer_batchnorm,
    [NN_LAYER_CONV] = &nn_layer_conv,
    [NN_LAYER_MAXPOOL] = &nn_layer_maxpool,
    [NN_LAYER_AVGPOOL] = &nn_layer_avgpool,
    [NN_LAYER_UPSAMPLE] = &nn_layer_upsample,
    [NN_LAYER_RESHAPE] = &nn_layer_reshape,
};

const nn_layer_ops *nn_layer_kind_ops(int kind)
{
    return kind >= 0 && kind < NN_LAYER_KIND_COUNT ? table[kind] : NULL;
}

void nn_init_weights(nn_net *net, float *w, int n, double fan_in, double fan_out)
{
    double lim = 0.0, sd = 0.0;
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
    for (int i = 0; i < n; i++) {
        if (net->init.scheme == NN_INIT_CONST)
            w[i] = net->init.w_const;
        else if (normal)
            w[i] = (float)sd * nn_rng_normal(r);
        else
            w[i] = nn_rng_range(r, (float)-lim, (float)lim);
    }
}
