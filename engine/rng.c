/* rng.c: PCG32 (XSH-RR variant) with uniform, normal and bounded draws.
 * Integer arithmetic only except the normal draw, so natively and in wasm the
 * same seed gives the same bits (the normal draw goes through libm's log and
 * cos in double, which agree to far below float precision). */
#include "rng.h"

#include <math.h>

uint32_t nn_rng_u32(nn_rng *r)
{
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void nn_rng_seed(nn_rng *r, uint32_t seed, uint32_t stream)
{
    r->state = 0;
    r->inc = ((uint64_t)stream << 1u) | 1u;
    nn_rng_u32(r);
    // spread the 32-bit seed over the 64-bit state (splitmix64 finaliser)
    uint64_t z = (uint64_t)seed + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    r->state += z ^ (z >> 31);
    nn_rng_u32(r);
}

float nn_rng_uniform(nn_rng *r)
{
    return (float)(nn_rng_u32(r) >> 8) * (1.0f / 16777216.0f);
}

float nn_rng_range(nn_rng *r, float lo, float hi)
{
    return lo + (hi - lo) * nn_rng_uniform(r);
}

float nn_rng_normal(nn_rng *r)
{
    // u1 in (0, 1] so the log is finite
    double u1 = ((double)(nn_rng_u32(r) >> 8) + 1.0) / 16777216.0;
    double u2 = (double)(nn_rng_u32(r) >> 8) / 16777216.0;
    return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

uint32_t nn_rng_below(nn_rng *r, uint32_t n)
{
    uint64_t m = (uint64_t)nn_rng_u32(r) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (uint64_t)nn_rng_u32(r) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}
