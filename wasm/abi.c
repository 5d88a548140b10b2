/* abi.c: the tables of wasm/abi.h. Offsets, sizes and field types come from
 * the compiler (offsetof, sizeof, _Generic), values from nn.h's enums and
 * #defines, defaults from nn.h's own functions; only the JS names are
 * written here, and a new enum value or struct field without one stops the
 * build. Linked into every wasm build and into the generator. */
#include "abi.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

_Static_assert(sizeof(void *) == 4, "wasm32 only: the tables describe wasm32 layouts");

/* ---- structs ----------------------------------------------------------- */

/* The JS type of a field; a field of any other type does not compile. */
#define FIELD_TYPE(T, f) _Generic(((T *)0)->f, \
    int32_t: "i32", uint32_t: "u32", float: "f32", \
    const float *: "ptr", const int32_t *: "ptr", const uint8_t *: "ptr", const nn_layer_spec *: "ptr")
#define FIELD_ROW(T, f) {#f, (int32_t)offsetof(T, f), FIELD_TYPE(T, f)},
#define FIELD_SIZE(T, f) + sizeof(((T *)0)->f)

/* Each list names every field of its struct in nn.h; the assert below each
 * table fails when nn.h gains a field the list lacks. */
#define NN_LAYER_SPEC_FIELDS(F) F(nn_layer_spec, kind) F(nn_layer_spec, units) F(nn_layer_spec, act) \
    F(nn_layer_spec, per_neuron) F(nn_layer_spec, a) F(nn_layer_spec, eps) F(nn_layer_spec, kernel) \
    F(nn_layer_spec, stride) F(nn_layer_spec, pad)
#define NN_CONFIG_FIELDS(F) F(nn_config, n_in) F(nn_config, n_layers) F(nn_config, layers) \
    F(nn_config, output) F(nn_config, loss) F(nn_config, max_batch) F(nn_config, seed) F(nn_config, channels) \
    F(nn_config, height) F(nn_config, width)
#define NN_DATA_FIELDS(F) F(nn_data, x) F(nn_data, y) F(nn_data, label) F(nn_data, n) F(nn_data, dx) \
    F(nn_data, dy) F(nn_data, x8) F(nn_data, x8_scale) F(nn_data, y_is_x)
#define NN_OPTIM_FIELDS(F) F(nn_optim, kind) F(nn_optim, lr) F(nn_optim, beta1) F(nn_optim, beta2) \
    F(nn_optim, delta) F(nn_optim, decay)
#define NN_INIT_FIELDS(F) F(nn_init, scheme) F(nn_init, w_const) F(nn_init, b_const)
#define NN_REPORT_FIELDS(F) F(nn_report, loss) F(nn_report, steps) F(nn_report, epochs)
#define NN_LAYER_INFO_FIELDS(F) F(nn_layer_info, kind) F(nn_layer_info, act) F(nn_layer_info, n_in) \
    F(nn_layer_info, n_out) F(nn_layer_info, w_off) F(nn_layer_info, w_len) F(nn_layer_info, b_off) \
    F(nn_layer_info, b_len) F(nn_layer_info, channels) F(nn_layer_info, height) F(nn_layer_info, width) \
    F(nn_layer_info, kernel) F(nn_layer_info, stride) F(nn_layer_info, pad)

#define STRUCT_TABLE(T, LIST) \
    static const nnw_field T##_fields[] = {LIST(FIELD_ROW)}; \
    _Static_assert(0 LIST(FIELD_SIZE) == sizeof(T), #T ": a field of engine/nn.h is missing from wasm/abi.c")

STRUCT_TABLE(nn_layer_spec, NN_LAYER_SPEC_FIELDS);
STRUCT_TABLE(nn_config, NN_CONFIG_FIELDS);
STRUCT_TABLE(nn_data, NN_DATA_FIELDS);
STRUCT_TABLE(nn_optim, NN_OPTIM_FIELDS);
STRUCT_TABLE(nn_init, NN_INIT_FIELDS);
STRUCT_TABLE(nn_report, NN_REPORT_FIELDS);
STRUCT_TABLE(nn_layer_info, NN_LAYER_INFO_FIELDS);

#define COUNT(a) ((int32_t)(sizeof(a) / sizeof((a)[0])))
#define STRUCT_ROW(T) {#T, (int32_t)sizeof(T), COUNT(T##_fields), T##_fields}

const nnw_struct nnw_structs[] = {
    STRUCT_ROW(nn_layer_spec), STRUCT_ROW(nn_config), STRUCT_ROW(nn_data), STRUCT_ROW(nn_optim),
    STRUCT_ROW(nn_init), STRUCT_ROW(nn_report), STRUCT_ROW(nn_layer_info),
};
const int32_t nnw_struct_count = COUNT(nnw_structs);

/* ---- enums: the names the JS API accepts, indexed by the C value -------- */

/* Each table is sized by its highest entry, so an enum value appended
 * before NN_..._COUNT without a name fails the assert; a gap left in the
 * middle is a NULL that wasm/abi-gen.c refuses. */
#define NAMES(T, COUNT_CONST, ...) \
    static const char *const T##_names[] = {__VA_ARGS__}; \
    _Static_assert(COUNT(T##_names) == (COUNT_CONST), #T ": a value of engine/nn.h has no name in wasm/abi.c")

NAMES(nn_layer_kind, NN_LAYER_KIND_COUNT,
      [NN_LAYER_DENSE] = "dense", [NN_LAYER_ACT] = "activation", [NN_LAYER_DROPOUT] = "dropout",
      [NN_LAYER_BATCHNORM] = "batchnorm", [NN_LAYER_CONV] = "conv", [NN_LAYER_MAXPOOL] = "maxpool",
      [NN_LAYER_AVGPOOL] = "avgpool", [NN_LAYER_UPSAMPLE] = "upsample", [NN_LAYER_RESHAPE] = "reshape");
NAMES(nn_act, NN_ACT_COUNT,
      [NN_ACT_LINEAR] = "linear", [NN_ACT_SIGMOID] = "sigmoid", [NN_ACT_TANH] = "tanh",
      [NN_ACT_RELU] = "relu", [NN_ACT_LEAKY_RELU] = "leaky_relu", [NN_ACT_PRELU] = "prelu",
      [NN_ACT_ELU] = "elu", [NN_ACT_GELU] = "gelu", [NN_ACT_SWISH] = "swish", [NN_ACT_SELU] = "selu",
      [NN_ACT_SOFTMAX] = "softmax");
NAMES(nn_loss, NN_LOSS_COUNT,
      [NN_LOSS_SE_HALF] = "se_half", [NN_LOSS_MSE] = "mse", [NN_LOSS_BCE] = "bce",
      [NN_LOSS_SOFTMAX_CE] = "softmax_ce");
NAMES(nn_optimizer, NN_OPT_COUNT,
      [NN_OPT_SGD] = "sgd", [NN_OPT_MOMENTUM] = "momentum", [NN_OPT_NESTEROV] = "nesterov",
      [NN_OPT_ADAGRAD] = "adagrad", [NN_OPT_RMSPROP] = "rmsprop", [NN_OPT_ADAM] = "adam");
NAMES(nn_init_scheme, NN_INIT_COUNT,
      [NN_INIT_CONST] = "constant", [NN_INIT_UNIFORM_FANIN] = "uniform",
      [NN_INIT_XAVIER_UNIFORM] = "xavier_uniform", [NN_INIT_XAVIER_NORMAL] = "xavier_normal",
      [NN_INIT_HE_UNIFORM] = "he_uniform", [NN_INIT_HE_NORMAL] = "he_normal");
NAMES(nn_stream, NN_STREAM_COUNT,
      [NN_STREAM_INIT] = "init", [NN_STREAM_SHUFFLE] = "shuffle", [NN_STREAM_DROPOUT] = "dropout");
NAMES(nn_dataset, NN_DATA_COUNT,
      [NN_DATA_CIRCLE] = "circle", [NN_DATA_XOR] = "xor", [NN_DATA_GAUSS] = "gauss",
      [NN_DATA_SPIRAL] = "spiral", [NN_DATA_SPIRALS] = "spirals", [NN_DATA_BLOBS] = "blobs",
      [NN_DATA_PLANE] = "plane", [NN_DATA_COS] = "cos");
NAMES(nn_color_mode, NN_COLOR_COUNT,
      [NN_COLOR_SIGNED] = "signed", [NN_COLOR_PROB] = "probability", [NN_COLOR_SCALED] = "scaled",
      [NN_COLOR_CLASS] = "class");
NAMES(nn_surface, NN_SURF_COUNT,
      [NN_SURF_QUADRATIC] = "quadratic", [NN_SURF_ROSENBROCK] = "rosenbrock", [NN_SURF_BEALE] = "beale",
      [NN_SURF_SADDLE] = "saddle", [NN_SURF_CAMEL] = "camel", [NN_SURF_NOISY] = "noisy");

/* autoencoders */
NAMES(nn_noise, NN_NOISE_COUNT,
      [NN_NOISE_NONE] = "none", [NN_NOISE_MASK] = "mask", [NN_NOISE_GAUSSIAN] = "gaussian");

#define ENUM_ROW(T) {#T, COUNT(T##_names), T##_names}

const nnw_enum nnw_enums[] = {
    ENUM_ROW(nn_layer_kind), ENUM_ROW(nn_act), ENUM_ROW(nn_loss), ENUM_ROW(nn_optimizer),
    ENUM_ROW(nn_init_scheme), ENUM_ROW(nn_stream), ENUM_ROW(nn_dataset), ENUM_ROW(nn_color_mode),
    ENUM_ROW(nn_surface),
    ENUM_ROW(nn_noise),
};
const int32_t nnw_enum_count = COUNT(nnw_enums);

/* ---- status codes and limits, under their C names ------------------------ */

#define CONST_ROW(c) {#c, (double)(c)},

/* wasm/abi-gen.c checks with nn_strerror that no code is missing here. */
const nnw_const nnw_statuses[] = {
    CONST_ROW(NN_OK) CONST_ROW(NN_ERR_NULL) CONST_ROW(NN_ERR_SIZE) CONST_ROW(NN_ERR_BATCH)
    CONST_ROW(NN_ERR_ENUM) CONST_ROW(NN_ERR_VALUE) CONST_ROW(NN_ERR_CONFIG) CONST_ROW(NN_ERR_NOMEM)
    CONST_ROW(NN_ERR_DIVERGED) CONST_ROW(NN_ERR_FORMAT) CONST_ROW(NN_ERR_LABEL)
};
const int32_t nnw_status_count = COUNT(nnw_statuses);

/* nn.h's limits and constants (the saturation threshold of nn_unit_stats),
 * and the C types' own where JS passes a count as an int or a seed as a
 * uint32_t; the width of a surface trace and the noise of the NOISY
 * surface. Every value is an integer exact in a double. */
const nnw_const nnw_limits[] = {
    CONST_ROW(NN_MAX_UNITS) CONST_ROW(NN_MAX_LAYERS) CONST_ROW(NN_MAX_BATCH) CONST_ROW(NN_MAX_PARAMS)
    CONST_ROW(NN_MAX_STEPS) CONST_ROW(NN_LOAD_MAX_BYTES) CONST_ROW(INT_MAX) CONST_ROW(UINT32_MAX)
    CONST_ROW(NN_TRACE_WIDTH) CONST_ROW(NN_SURFACE_NOISE) CONST_ROW(NN_SATURATION_PERCENT)
    CONST_ROW(NN_PCA_MAX) CONST_ROW(NN_KNN_MAX_K)
};
const int32_t nnw_limit_count = COUNT(nnw_limits);

/* ---- defaults, from the engine's own functions -------------------------- */

const nnw_struct *nnw_struct_find(const char *name)
{
    for (int32_t i = 0; i < nnw_struct_count; i++)
        if (strcmp(nnw_structs[i].name, name) == 0)
            return &nnw_structs[i];
    return NULL;
}

/* optim: nn_optim_default of every optimiser; activation: nn_activation of
 * every activation (its default parameter a); layer: nn_dense(1),
 * nn_dropout(0), nn_batchnorm(), nn_upsample(2), nn_reshape(1, 1, 1), the
 * templates of the other kinds. */
int nnw_default_get(int32_t k, nnw_default *out)
{
    memset(out, 0, sizeof *out);
    if (k < NN_OPT_COUNT) {
        out->group = "optim";
        out->key = nn_optimizer_names[k];
        out->type = nnw_struct_find("nn_optim");
        out->value.optim = nn_optim_default(k);
        return 1;
    }
    k -= NN_OPT_COUNT;
    out->group = k < NN_ACT_COUNT ? "activation" : "layer";
    out->type = nnw_struct_find("nn_layer_spec");
    if (k < NN_ACT_COUNT) {
        out->key = nn_act_names[k];
        out->value.layer = nn_activation((nn_act)k);
        return 1;
    }
    static const int32_t kinds[] = {NN_LAYER_DENSE, NN_LAYER_DROPOUT, NN_LAYER_BATCHNORM, NN_LAYER_CONV,
                                    NN_LAYER_MAXPOOL, NN_LAYER_AVGPOOL, NN_LAYER_UPSAMPLE, NN_LAYER_RESHAPE};
    k -= NN_ACT_COUNT;
    if (k >= COUNT(kinds))
        return 0;
    out->key = nn_layer_kind_names[kinds[k]];
    switch (kinds[k]) {
    case NN_LAYER_DENSE: out->value.layer = nn_dense(1); break;
    case NN_LAYER_DROPOUT: out->value.layer = nn_dropout(0.0f); break;
    case NN_LAYER_BATCHNORM: out->value.layer = nn_batchnorm(); break;
    // a convolution's defaults: stride 1, no padding; a pool's stride is its window
    case NN_LAYER_CONV: out->value.layer = nn_conv(1, 3, 1, 0); break;
    case NN_LAYER_MAXPOOL: out->value.layer = nn_maxpool(2, 2); break;
    case NN_LAYER_AVGPOOL: out->value.layer = nn_avgpool(2, 2); break;
    // upsampling doubles each side; a reshape's shape is always the caller's
    case NN_LAYER_UPSAMPLE: out->value.layer = nn_upsample(2); break;
    default: out->value.layer = nn_reshape(1, 1, 1); break;
    }
    return 1;
}

_Static_assert(sizeof(nn_optim) == sizeof(((nnw_default *)0)->value.optim), "nnw_default holds an nn_optim");

/* ---- the hash ------------------------------------------------------------ */

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

static uint32_t hash_bytes(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * FNV_PRIME;
    return h;
}

// a string with its terminating zero, so "ab","c" differs from "a","bc"
static uint32_t hash_str(uint32_t h, const char *s) { return hash_bytes(h, s, strlen(s) + 1); }
static uint32_t hash_i32(uint32_t h, int32_t v) { return hash_bytes(h, &v, sizeof v); }
static uint32_t hash_f64(uint32_t h, double v) { return hash_bytes(h, &v, sizeof v); }

static uint32_t hash_consts(uint32_t h, const nnw_const *c, int32_t n)
{
    h = hash_i32(h, n);
    for (int32_t i = 0; i < n; i++)
        h = hash_f64(hash_str(h, c[i].name), c[i].value);
    return h;
}

// wasm is little-endian, as are the typed arrays tests/abi.test.mjs uses
uint32_t nnw_abi_hash_compute(void)
{
    uint32_t h = hash_i32(FNV_OFFSET, nnw_struct_count);
    for (int32_t i = 0; i < nnw_struct_count; i++) {
        const nnw_struct *s = &nnw_structs[i];
        h = hash_i32(hash_i32(hash_str(h, s->name), s->size), s->n_fields);
        for (int32_t j = 0; j < s->n_fields; j++)
            h = hash_str(hash_i32(hash_str(h, s->fields[j].name), s->fields[j].offset), s->fields[j].type);
    }
    h = hash_i32(h, nnw_enum_count);
    for (int32_t i = 0; i < nnw_enum_count; i++) {
        h = hash_i32(hash_str(h, nnw_enums[i].name), nnw_enums[i].count);
        for (int32_t v = 0; v < nnw_enums[i].count; v++)
            h = hash_str(h, nnw_enums[i].names[v] ? nnw_enums[i].names[v] : "");
    }
    h = hash_consts(h, nnw_statuses, nnw_status_count);
    h = hash_consts(h, nnw_limits, nnw_limit_count);
    nnw_default d;
    int32_t k = 0;
    for (; nnw_default_get(k, &d); k++)
        h = hash_bytes(hash_str(hash_str(hash_str(h, d.group), d.key), d.type->name), &d.value, (size_t)d.type->size);
    return hash_i32(h, k);
}
