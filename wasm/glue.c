/* glue.c: the little the wasm build needs beyond engine/nn.h. It pins the
 * struct layouts that wasm/nnplay.mjs writes and reads directly (a change in
 * engine/nn.h breaks this build instead of corrupting memory) and wraps the
 * one call whose 64-bit result JavaScript cannot take as a plain number. */
#include "nn.h"

#include <stddef.h>

#define LAYOUT(type, field, offset) \
    _Static_assert(offsetof(type, field) == (offset), #type "." #field " moved")

_Static_assert(sizeof(void *) == 4, "wasm32 only");
_Static_assert(sizeof(nn_layer_spec) == 24, "nn_layer_spec size");
LAYOUT(nn_layer_spec, kind, 0);
LAYOUT(nn_layer_spec, units, 4);
LAYOUT(nn_layer_spec, act, 8);
LAYOUT(nn_layer_spec, per_neuron, 12);
LAYOUT(nn_layer_spec, a, 16);
LAYOUT(nn_layer_spec, eps, 20);
_Static_assert(sizeof(nn_config) == 28, "nn_config size");
LAYOUT(nn_config, n_in, 0);
LAYOUT(nn_config, n_layers, 4);
LAYOUT(nn_config, layers, 8);
LAYOUT(nn_config, output, 12);
LAYOUT(nn_config, loss, 16);
LAYOUT(nn_config, max_batch, 20);
LAYOUT(nn_config, seed, 24);
_Static_assert(sizeof(nn_data) == 32, "nn_data size");
LAYOUT(nn_data, x, 0);
LAYOUT(nn_data, y, 4);
LAYOUT(nn_data, label, 8);
LAYOUT(nn_data, n, 12);
LAYOUT(nn_data, dx, 16);
LAYOUT(nn_data, dy, 20);
LAYOUT(nn_data, x8, 24);
LAYOUT(nn_data, x8_scale, 28);
_Static_assert(sizeof(nn_optim) == 24, "nn_optim size");
LAYOUT(nn_optim, kind, 0);
LAYOUT(nn_optim, lr, 4);
LAYOUT(nn_optim, beta1, 8);
LAYOUT(nn_optim, beta2, 12);
LAYOUT(nn_optim, delta, 16);
LAYOUT(nn_optim, decay, 20);
_Static_assert(sizeof(nn_init) == 12, "nn_init size");
_Static_assert(sizeof(nn_report) == 12, "nn_report size");
_Static_assert(sizeof(nn_layer_info) == 32, "nn_layer_info size");

/* Steps taken, as a double (exact below 2^53). */
double nnw_step_count(const nn_net *net)
{
    return (double)nn_step_count(net);
}

/* The optimiser settings into out (C returns the struct by value, which
 * JavaScript cannot take). */
void nnw_get_optimizer(const nn_net *net, nn_optim *out)
{
    *out = nn_get_optimizer(net);
}

/* Bumped when a layout above changes; nnplay.mjs checks it at load. */
int nnw_abi_version(void)
{
    return 3;
}
