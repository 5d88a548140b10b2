/* abi-gen.c: prints build/wasm/nnplay-abi.mjs, the one JS module that holds
 * the engine's interface (wasm/abi.h) for wasm/nnplay*.mjs. The Makefile
 * compiles it with emcc (so offsets and sizes are wasm32's) and runs it with
 * node at build time. It refuses, and so stops the build, when a table of
 * wasm/abi.c has a gap or misses a status code that nn_strerror knows. */
#include "abi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

static void refuse(const char *what, const char *detail)
{
    fprintf(stderr, "abi-gen: %s: %s\n", what, detail);
    failures++;
}

/* The shortest decimal that reads back as the same float, so 0.1f prints as
 * 0.1 and a JS Float32Array stores the very bits the engine has. */
static void print_float(float f)
{
    char buf[32];
    if (!isfinite(f)) {
        refuse("a default", "is not finite");
        printf("0");
        return;
    }
    for (int p = 1; p <= 9; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, (double)f);
        if (strtof(buf, NULL) == f)
            break;
    }
    printf("%s", buf);
}

static void print_instance(const nnw_struct *s, const void *value)
{
    const uint8_t *b = value;
    printf("{ ");
    for (int32_t j = 0; j < s->n_fields; j++) {
        const nnw_field *f = &s->fields[j];
        int32_t i;
        uint32_t u;
        float x;
        printf("%s%s: ", j ? ", " : "", f->name);
        if (strcmp(f->type, "f32") == 0) {
            memcpy(&x, b + f->offset, 4);
            print_float(x);
        } else if (strcmp(f->type, "i32") == 0) {
            memcpy(&i, b + f->offset, 4);
            printf("%d", (int)i);
        } else {
            memcpy(&u, b + f->offset, 4);
            printf("%u", (unsigned)u);
        }
    }
    printf(" }");
}

static void print_consts(const char *what, const nnw_const *c, int32_t n)
{
    printf("  %s: {\n", what);
    for (int32_t i = 0; i < n; i++) {
        if (c[i].value != floor(c[i].value) || fabs(c[i].value) > 9007199254740992.0)
            refuse(c[i].name, "is not an integer exact in a double");
        printf("    %s: %.0f,\n", c[i].name, c[i].value);
    }
    printf("  },\n");
}

/* Every code nn_strerror has words for must be in the status table. */
static void check_statuses(void)
{
    const char *unknown = nn_strerror(-1000000);
    for (int v = -1000; v <= 1000; v++) {
        if (strcmp(nn_strerror(v), unknown) == 0)
            continue;
        int32_t i = 0;
        while (i < nnw_status_count && nnw_statuses[i].value != v)
            i++;
        if (i == nnw_status_count) {
            char buf[80];
            snprintf(buf, sizeof buf, "code %d has words in nn_strerror but no row in wasm/abi.c", v);
            refuse("nn_status", buf);
        }
    }
    for (int32_t i = 0; i < nnw_status_count; i++)
        if (strcmp(nn_strerror((int)nnw_statuses[i].value), unknown) == 0)
            refuse(nnw_statuses[i].name, "is unknown to nn_strerror");
}

static void check_enums(void)
{
    for (int32_t i = 0; i < nnw_enum_count; i++) {
        const nnw_enum *e = &nnw_enums[i];
        for (int32_t v = 0; v < e->count; v++) {
            if (!e->names[v]) {
                refuse(e->name, "a value has no name in wasm/abi.c");
                continue;
            }
            for (int32_t w = 0; w < v; w++)
                if (e->names[w] && strcmp(e->names[w], e->names[v]) == 0)
                    refuse(e->name, "two values have the same name");
        }
    }
}

int main(void)
{
    check_enums();
    check_statuses();
    if (failures)
        return 1;

    printf("// nnplay-abi.mjs: the engine's interface for the JS API, generated from\n"
           "// engine/nn.h by wasm/abi-gen.c (compiled by emcc for wasm32, run by node\n"
           "// at build time): do not edit. Struct sizes and field offsets in bytes,\n"
           "// enum names indexed by their C value, status codes, limits and defaults.\n"
           "// `hash` covers all of it; nnplay.mjs checks it against the wasm build.\n");
    printf("const freeze = (o) => {\n"
           "  for (const v of Object.values(o)) if (typeof v === 'object') freeze(v);\n"
           "  return Object.freeze(o);\n"
           "};\n\n");
    printf("export const ABI = freeze({\n");
    printf("  hash: %u,\n", (unsigned)nnw_abi_hash_compute());

    printf("  structs: {\n");
    for (int32_t i = 0; i < nnw_struct_count; i++) {
        const nnw_struct *s = &nnw_structs[i];
        printf("    %s: {\n      size: %d,\n      fields: {\n", s->name, (int)s->size);
        for (int32_t j = 0; j < s->n_fields; j++)
            printf("        %s: { offset: %d, type: '%s' },\n", s->fields[j].name, (int)s->fields[j].offset,
                   s->fields[j].type);
        printf("      },\n    },\n");
    }
    printf("  },\n");

    printf("  enums: {\n");
    for (int32_t i = 0; i < nnw_enum_count; i++) {
        printf("    %s: [", nnw_enums[i].name);
        for (int32_t v = 0; v < nnw_enums[i].count; v++)
            printf("%s'%s'", v ? ", " : "", nnw_enums[i].names[v]);
        printf("],\n");
    }
    printf("  },\n");

    print_consts("status", nnw_statuses, nnw_status_count);
    print_consts("limits", nnw_limits, nnw_limit_count);

    // defaults come grouped; each group's struct is named once beside it
    printf("  defaults: {\n");
    nnw_default d;
    const char *group = NULL;
    for (int32_t k = 0; nnw_default_get(k, &d); k++) {
        if (!d.type || !d.key) {
            refuse(d.group, "a default without a struct or a name");
            break;
        }
        if (!group || strcmp(group, d.group) != 0) {
            printf("%s    %s: {\n      struct: '%s',\n      values: {\n", group ? "      },\n    },\n" : "",
                   d.group, d.type->name);
            group = d.group;
        }
        printf("        %s: ", d.key);
        print_instance(d.type, &d.value);
        printf(",\n");
    }
    if (group)
        printf("      },\n    },\n");
    printf("  },\n});\n");
    return failures ? 1 : 0;
}
