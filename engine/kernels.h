/* kernels.h: the engine's hot loops, each as a SIMD kernel (engine/kernels.c,
 * through SIMDe) and a scalar twin with the suffix _ref (engine/kernels_ref.c).
 * Twins perform the same float operations in the same order (no FMA), so the
 * two agree bit for bit; tests/test_kernels.c checks it. Internal header. */
#ifndef NN_KERNELS_H
#define NN_KERNELS_H

#include <stdint.h>

#ifndef NN_SIMD
#define NN_SIMD 1
#endif

/* C (M, N) = init + A B, where A's element (m, k) is A[m*sam + k*sak]
 * (sam = lda, sak = 1 for A; sam = 1, sak = lda for A transposed), B is
 * (K, N) with row stride ldb, C has row stride ldc. init is C itself when
 * accumulate, else bias[n] when bias is not NULL, else 0. Every element is
 * summed in k order from its init, the same in both twins. */
void nn_k_gemm(float *C, const float *A, const float *B, const float *bias,
               int M, int N, int K, int sam, int sak, int ldb, int ldc, int accumulate);
void nn_k_gemm_ref(float *C, const float *A, const float *B, const float *bias,
                   int M, int N, int K, int sam, int sak, int ldb, int ldc, int accumulate);

/* The GEMM calls of the layers, named for their use (each a wrapper of
 * nn_k_gemm, which layers do not call themselves):
 * out (B, n_out) = x (B, n_in) W^T + b (n_out) for W (n_out, n_in): a dense
 * forward. WT is scratch for W^T (n_in, n_out), written when the SIMD kernel
 * needs W^T in memory (a batch too small for packing, or not a multiple of
 * 4 rows); otherwise W is read as W^T while it is packed. In kernels.c and
 * kernels_ref.c (not kernels_named.c): it picks its path by the packing. */
void nn_k_xwt_plus_b(float *out, const float *x, const float *W, float *WT, const float *b, int B, int n_in,
                     int n_out);
void nn_k_xwt_plus_b_ref(float *out, const float *x, const float *W, float *WT, const float *b, int B,
                         int n_in, int n_out);
/* dW (n_out, n_in) += dy^T (n_out, B) x (B, n_in): a weight gradient. */
void nn_k_acc_dyt_x(float *dW, const float *dy, const float *x, int B, int n_in, int n_out);
void nn_k_acc_dyt_x_ref(float *dW, const float *dy, const float *x, int B, int n_in, int n_out);
/* dx (B, n_in) = dy (B, n_out) W (n_out, n_in): the gradient of the input. */
void nn_k_dy_w(float *dx, const float *dy, const float *W, int B, int n_in, int n_out);
void nn_k_dy_w_ref(float *dx, const float *dy, const float *W, int B, int n_in, int n_out);

/* C (M, N) += A (M, K) B (K, N): a convolution's output from its unrolled
 * input, or its weight gradient. */
void nn_k_acc_ab(float *C, const float *A, const float *B, int M, int K, int N);
void nn_k_acc_ab_ref(float *C, const float *A, const float *B, int M, int K, int N);
/* C (M, N) = A^T B for A (K, M), B (K, N): a convolution's unrolled input gradient. */
void nn_k_atb(float *C, const float *A, const float *B, int M, int K, int N);
void nn_k_atb_ref(float *C, const float *A, const float *B, int M, int K, int N);

/* dst (cols, rows) = src (rows, cols) transposed: a copy, so exact. */
void nn_k_transpose(float *dst, const float *src, int rows, int cols);
void nn_k_transpose_ref(float *dst, const float *src, int rows, int cols);

/* out (n) += column sums of in (rows, n): the bias gradient. */
void nn_k_colsum(float *out, const float *in, int rows, int n);
void nn_k_colsum_ref(float *out, const float *in, int rows, int n);

/* Elementwise activation y = f(x) and dx = dy * f'(x), given x and y = f(x);
 * a is the activation's parameter (LeakyReLU slope, ELU alpha). */
typedef void (*nn_k_act_forward)(float *y, const float *x, int n, float a);
typedef void (*nn_k_act_backward)(float *dx, const float *dy, const float *x,
                                  const float *y, int n, float a);
typedef struct {
    nn_k_act_forward forward;
    nn_k_act_backward backward;
} nn_k_act;

/* Indexed by nn_act; PRELU and SOFTMAX entries are NULL (handled by the
 * layer and the loss). */
extern const nn_k_act *const nn_k_acts;
extern const nn_k_act nn_k_acts_ref[];

/* exp(x) to about 1 ulp (Cephes polynomial), the engine's only exponential
 * in the hot paths so that native and wasm builds agree. */
float nn_k_expf(float x);
float nn_k_tanhf(float x);
float nn_k_sigmoidf(float x);

/* y = exp(x) elementwise with nn_k_expf (y may be x). */
void nn_k_exp(int n, float *y, const float *x);
void nn_k_exp_ref(int n, float *y, const float *x);

/* y = x * scale for n bytes x (MNIST pixels to floats); exact conversion, one rounding. */
void nn_k_bytes(int n, float *y, const uint8_t *x, float scale);
void nn_k_bytes_ref(int n, float *y, const uint8_t *x, float scale);

/* Optimiser updates over n parameters p with gradients g (see engine/nn.h). */
void nn_k_sgd(int n, float *p, const float *g, float lr);
void nn_k_sgd_ref(int n, float *p, const float *g, float lr);
/* v = alpha v - lr g; p += v (momentum and Nesterov). */
void nn_k_momentum(int n, float *p, const float *g, float *v, float lr, float alpha);
void nn_k_momentum_ref(int n, float *p, const float *g, float *v, float lr, float alpha);
void nn_k_adagrad(int n, float *p, const float *g, float *r, float lr, float delta);
void nn_k_adagrad_ref(int n, float *p, const float *g, float *r, float lr, float delta);
void nn_k_rmsprop(int n, float *p, const float *g, float *r, float lr, float rho, float delta);
void nn_k_rmsprop_ref(int n, float *p, const float *g, float *r, float lr, float rho, float delta);
/* bc1 = 1 - b1^t, bc2 = 1 - b2^t: the bias corrections, divided by. */
void nn_k_adam(int n, float *p, const float *g, float *s, float *r, float lr,
               float b1, float b2, float delta, float bc1, float bc2);
void nn_k_adam_ref(int n, float *p, const float *g, float *s, float *r, float lr,
                   float b1, float b2, float delta, float bc1, float bc2);

/* g += l1 sign(w) + l2 w (sign(0) = 0). */
void nn_k_penalty(int n, float *g, const float *w, float l1, float l2);
void nn_k_penalty_ref(int n, float *g, const float *w, float l1, float l2);

/* y += a x. */
void nn_k_axpy(int n, float *y, float a, const float *x);
void nn_k_axpy_ref(int n, float *y, float a, const float *x);

/* y = x * m elementwise (dropout forward and backward). */
void nn_k_mul(int n, float *y, const float *x, const float *m);
void nn_k_mul_ref(int n, float *y, const float *x, const float *m);

/* The scalar build: every kernel is its twin. */
#if !NN_SIMD
#define nn_k_gemm nn_k_gemm_ref
#define nn_k_xwt_plus_b nn_k_xwt_plus_b_ref
#define nn_k_acc_dyt_x nn_k_acc_dyt_x_ref
#define nn_k_dy_w nn_k_dy_w_ref
#define nn_k_acc_ab nn_k_acc_ab_ref
#define nn_k_atb nn_k_atb_ref
#define nn_k_transpose nn_k_transpose_ref
#define nn_k_colsum nn_k_colsum_ref
#define nn_k_exp nn_k_exp_ref
#define nn_k_bytes nn_k_bytes_ref
#define nn_k_sgd nn_k_sgd_ref
#define nn_k_momentum nn_k_momentum_ref
#define nn_k_adagrad nn_k_adagrad_ref
#define nn_k_rmsprop nn_k_rmsprop_ref
#define nn_k_adam nn_k_adam_ref
#define nn_k_penalty nn_k_penalty_ref
#define nn_k_axpy nn_k_axpy_ref
#define nn_k_mul nn_k_mul_ref
#endif

#endif
