/* kernels_named.c: the GEMM calls named for the layers' use, written once
 * for both flavours: each is the strided GEMM with the strides of its use,
 * nn_k_gemm in the SIMD kernel, nn_k_gemm_ref in its twin. The layers call
 * these, never the 12-argument GEMM (engine/kernels.h says what each does). */
#include "kernels.h"

#include <stddef.h>

#define NAMED_GEMMS(SFX, GEMM)                                                                          \
    void nn_k_acc_dyt_x##SFX(float *dW, const float *dy, const float *x, int B, int n_in, int n_out)   \
    {                                                                                                  \
        GEMM(dW, dy, x, NULL, n_out, n_in, B, 1, n_out, n_in, n_in, 1);                                \
    }                                                                                                  \
    void nn_k_dy_w##SFX(float *dx, const float *dy, const float *W, int B, int n_in, int n_out)        \
    {                                                                                                  \
        GEMM(dx, dy, W, NULL, B, n_in, n_out, n_out, 1, n_in, n_in, 0);                                \
    }                                                                                                  \
    void nn_k_acc_ab##SFX(float *C, const float *A, const float *B, int M, int K, int N)               \
    {                                                                                                  \
        GEMM(C, A, B, NULL, M, N, K, K, 1, N, N, 1);                                                   \
    }                                                                                                  \
    void nn_k_atb##SFX(float *C, const float *A, const float *B, int M, int K, int N)                  \
    {                                                                                                  \
        GEMM(C, A, B, NULL, M, N, K, 1, M, N, N, 0);                                                   \
    }

NAMED_GEMMS(_ref, nn_k_gemm_ref)

/* the scalar build maps the plain names to the twins (engine/kernels.h) */
#if NN_SIMD
NAMED_GEMMS(, nn_k_gemm)
#endif
