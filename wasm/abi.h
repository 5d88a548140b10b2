/* abi.h: the engine's interface as data, for the JavaScript side: the wasm32
 * layout of every struct JS reads or writes, the names of every enum value,
 * the status codes, the limits and the defaults, all taken from engine/nn.h
 * by the C compiler. wasm/abi.c holds the tables; wasm/abi-gen.c prints them
 * as build/wasm/nnplay-abi.mjs, and wasm/glue.c lets a running build answer
 * for them (nnw_abi_hash), so a stale or mismatched JS module is caught. */
#ifndef NNW_ABI_H
#define NNW_ABI_H

#include "nn.h"

#include <stdint.h>

/* One struct field: its name, byte offset and type ("i32", "u32", "f32" or
 * "ptr"; every field is 4 bytes on wasm32). */
typedef struct {
    const char *name;
    int32_t offset;
    const char *type;
} nnw_field;

typedef struct {
    const char *name;         /* the C type name, e.g. "nn_optim" */
    int32_t size;             /* sizeof on wasm32 */
    int32_t n_fields;
    const nnw_field *fields;  /* in the order of nn.h */
} nnw_struct;

/* An enum whose values run 0 .. count-1: names[v] is the JS name of v. */
typedef struct {
    const char *name;         /* the C type name, e.g. "nn_act" */
    int32_t count;            /* its NN_..._COUNT */
    const char *const *names;
} nnw_enum;

/* A named number: a status code or a limit. */
typedef struct {
    const char *name;
    double value;
} nnw_const;

/* One default value: group ("optim", "activation", "layer"), key (a name
 * from an enum), the struct it is an instance of, and its bytes. */
typedef struct {
    const char *group;
    const char *key;
    const nnw_struct *type;
    union {
        nn_optim optim;
        nn_layer_spec layer;
    } value;
} nnw_default;

extern const nnw_struct nnw_structs[];
extern const int32_t nnw_struct_count;
extern const nnw_enum nnw_enums[];
extern const int32_t nnw_enum_count;
extern const nnw_const nnw_statuses[];
extern const int32_t nnw_status_count;
extern const nnw_const nnw_limits[];
extern const int32_t nnw_limit_count;

/* The k-th default (k from 0); 0 past the last one, else 1 with *out filled. */
int nnw_default_get(int32_t k, nnw_default *out);

/* The struct named `name`, or NULL. */
const nnw_struct *nnw_struct_find(const char *name);

/* FNV-1a over all of the above in a fixed order (tests/abi.test.mjs computes
 * the same from the generated module): equal hashes, equal interfaces. */
uint32_t nnw_abi_hash_compute(void);

#endif /* NNW_ABI_H */
