/* spec.c: the words of the status codes and the helpers that build layer
 * specs, so a C program reads as its network: {nn_dense(8),
 * nn_activation(NN_ACT_TANH), nn_dense(1)}. Defaults live here: LeakyReLU
 * slope 0.01, ELU alpha 1, PReLU initial slope 0.25, BN momentum 0.1 and
 * eps 1e-5. */
#include "nn.h"

const char *nn_strerror(int status)
{
    switch (status) {
    case NN_OK: return "ok";
    case NN_ERR_NULL: return "a required pointer is NULL";
    case NN_ERR_SIZE: return "a size or count is out of range or inconsistent";
    case NN_ERR_BATCH: return "batch is larger than the net's max_batch";
    case NN_ERR_ENUM: return "unknown layer kind, activation, loss, output, init scheme, optimiser or stream";
    case NN_ERR_VALUE: return "a hyper-parameter is NaN, infinite or out of range";
    case NN_ERR_CONFIG: return "options that do not go together (BCE needs a sigmoid output, softmax cross-entropy a softmax output, squared error a linear, sigmoid or tanh output; the last layer must be dense or a convolution)";
    case NN_ERR_NOMEM: return "out of memory";
    case NN_ERR_DIVERGED: return "the loss diverged (NaN or beyond float range): lower the learning rate";
    case NN_ERR_FORMAT: return "the saved network is truncated, corrupt or of another version";
    case NN_ERR_LABEL: return "a class label is out of range, or the targets are missing";
    default: return "unknown status";
    }
}

nn_layer_spec nn_dense(int units)
{
    nn_layer_spec s = {.kind = NN_LAYER_DENSE, .units = units, .act = -1};
    return s;
}

nn_layer_spec nn_activation_param(nn_act act, float a)
{
    nn_layer_spec s = {.kind = NN_LAYER_ACT, .act = (int32_t)act, .a = a};
    return s;
}

nn_layer_spec nn_activation(nn_act act)
{
    float a = act == NN_ACT_LEAKY_RELU ? 0.01f : act == NN_ACT_ELU ? 1.0f
            : act == NN_ACT_PRELU ? 0.25f : 0.0f;
    return nn_activation_param(act, a);
}

nn_layer_spec nn_prelu(float initial_slope, int per_neuron)
{
    nn_layer_spec s = {.kind = NN_LAYER_ACT, .act = NN_ACT_PRELU, .per_neuron = per_neuron != 0, .a = initial_slope};
    return s;
}

nn_layer_spec nn_dropout(float p)
{
    nn_layer_spec s = {.kind = NN_LAYER_DROPOUT, .act = -1, .a = p};
    return s;
}

nn_layer_spec nn_batchnorm(void)
{
    nn_layer_spec s = {.kind = NN_LAYER_BATCHNORM, .act = -1, .a = 0.1f, .eps = 1e-5f};
    return s;
}

nn_layer_spec nn_conv(int channels, int kernel, int stride, int pad)
{
    nn_layer_spec s = {.kind = NN_LAYER_CONV, .units = channels, .act = -1, .kernel = kernel, .stride = stride,
                       .pad = pad};
    return s;
}

nn_layer_spec nn_maxpool(int kernel, int stride)
{
    nn_layer_spec s = {.kind = NN_LAYER_MAXPOOL, .act = -1, .kernel = kernel, .stride = stride};
    return s;
}

nn_layer_spec nn_avgpool(int kernel, int stride)
{
    nn_layer_spec s = {.kind = NN_LAYER_AVGPOOL, .act = -1, .kernel = kernel, .stride = stride};
    return s;
}

nn_layer_spec nn_upsample(int factor)
{
    nn_layer_spec s = {.kind = NN_LAYER_UPSAMPLE, .act = -1, .stride = factor};
    return s;
}

nn_layer_spec nn_reshape(int channels, int height, int width)
{
    nn_layer_spec s = {.kind = NN_LAYER_RESHAPE, .units = channels, .act = -1, .kernel = height, .stride = width};
    return s;
}
