/* glue.c: the little the wasm build needs beyond engine/nn.h: the calls
 * whose 64-bit result JavaScript cannot take as a plain number, the one that
 * returns a struct by value, and questions about the interface itself
 * (wasm/abi.h), which nnplay.mjs asks at load and tests/abi.test.mjs asks
 * of both builds: the generated build/wasm/nnplay-abi.mjs must agree. */
#include "abi.h"
#include "nn.h"

/* Steps taken, as a double (exact below 2^53). */
double nnw_step_count(const nn_net *net)
{
    return (double)nn_step_count(net);
}

/* A stepper's updates since creation or reset, as a double. */
double nnw_stepper_steps(const nn_stepper *s)
{
    return (double)nn_stepper_steps(s);
}

/* The optimiser settings into out (C returns the struct by value, which
 * JavaScript cannot take). */
void nnw_get_optimizer(const nn_net *net, nn_optim *out)
{
    *out = nn_get_optimizer(net);
}

/* The hash of the interface this build was compiled against; nnplay.mjs
 * refuses a build whose hash is not the one in nnplay-abi.mjs. */
uint32_t nnw_abi_hash(void)
{
    return nnw_abi_hash_compute();
}

/* sizeof the s-th struct of wasm/abi.h (in the order of nnplay-abi.mjs), -1 past the end. */
int nnw_abi_struct_size(int s)
{
    return s >= 0 && s < nnw_struct_count ? nnw_structs[s].size : -1;
}

/* offsetof field f of the s-th struct, -1 when there is none. */
int nnw_abi_field_offset(int s, int f)
{
    if (s < 0 || s >= nnw_struct_count || f < 0 || f >= nnw_structs[s].n_fields)
        return -1;
    return nnw_structs[s].fields[f].offset;
}

/* The count (NN_..._COUNT) of the e-th enum, -1 past the end. */
int nnw_abi_enum_count(int e)
{
    return e >= 0 && e < nnw_enum_count ? nnw_enums[e].count : -1;
}
