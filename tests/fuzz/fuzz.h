/* fuzz.h: what the libFuzzer harnesses share: a reader that takes typed
 * values off the fuzzer's bytes (zeros once they run out), and a check that
 * stops the run with a message when an invariant breaks (libFuzzer then
 * saves the input as a crash). Harnesses build with clang
 * -fsanitize=fuzzer,address,undefined against the engine's sources. */
#ifndef NN_FUZZ_H
#define NN_FUZZ_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *p;
    size_t n, at;
} fz_reader;

static inline uint8_t fz_u8(fz_reader *r)
{
    return r->at < r->n ? r->p[r->at++] : 0;
}

static inline uint32_t fz_u32(fz_reader *r)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)fz_u8(r) << (8 * i);
    return v;
}

/* Any float bits at all: NaN, infinities, denormals, -0. */
static inline float fz_raw_f32(fz_reader *r)
{
    uint32_t v = fz_u32(r);
    float f;
    memcpy(&f, &v, 4);
    return f;
}

/* Mostly a tame value in [lo, hi], sometimes raw bits: valid settings get
 * explored deeply, hostile ones still come up. */
static inline float fz_f32(fz_reader *r, float lo, float hi)
{
    uint8_t mode = fz_u8(r);
    if (mode < 16)
        return fz_raw_f32(r);
    return lo + (hi - lo) * (float)fz_u8(r) / 255.0f;
}

#define FZ_CHECK(cond, ...)                                               \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "fuzz invariant broken at %s:%d: %s: ",       \
                    __FILE__, __LINE__, #cond);                           \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
            abort();                                                      \
        }                                                                 \
    } while (0)

/* Bits equal, or both NaN (payloads may differ between lanes and scalars). */
static inline int fz_same(const float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], 4) != 0 && !(isnan(a[i]) && isnan(b[i])))
            return 0;
    return 1;
}

#endif
