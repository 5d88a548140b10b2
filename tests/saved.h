/* saved.h: the save format's checksum for the tests that forge files
 * (tests/test_io.c, tests/fuzz/fuzz_load.c): FNV-1a over everything but the
 * last 4 bytes, stored little-endian in them, as engine/io.c writes it. */
#ifndef NN_TEST_SAVED_H
#define NN_TEST_SAVED_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t saved_fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Makes the checksum of a len-byte file good again after a change. */
static inline void saved_reseal(uint8_t *buf, size_t len)
{
    uint32_t h = saved_fnv1a(buf, len - 4);
    for (int i = 0; i < 4; i++)
        buf[len - 4 + (size_t)i] = (uint8_t)(h >> (8 * i));
}

#endif
