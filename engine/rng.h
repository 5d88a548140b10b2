/* rng.h: the engine's seeded random generator (PCG32, O'Neill 2014).
 * Every random draw of the engine goes through one of these; a net keeps one
 * per stream (init, shuffle, dropout) and the data generators their own.
 * Internal: not part of the public API. */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
    uint64_t inc;
} nn_rng;

/* Seeds a generator; `stream` picks one of 2^63 independent sequences. */
void nn_rng_seed(nn_rng *r, uint32_t seed, uint32_t stream);
uint32_t nn_rng_u32(nn_rng *r);
/* Uniform in [0, 1) with 24 random bits (exact in float). */
float nn_rng_uniform(nn_rng *r);
/* Uniform in [lo, hi). */
float nn_rng_range(nn_rng *r, float lo, float hi);
/* Standard normal (Box-Muller in double, one value per call). */
float nn_rng_normal(nn_rng *r);
/* Uniform integer in [0, n), unbiased (Lemire's method). */
uint32_t nn_rng_below(nn_rng *r, uint32_t n);

#endif
