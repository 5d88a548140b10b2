/* nn.h: the public interface of the nnplay engine, a small C11 library that
 * builds, trains and inspects multi-layer perceptrons for teaching.
 * Read top to bottom, it is the manual: every call states its shapes and who
 * owns what. All arrays are row-major float32; a batch of B examples with d
 * features is a (B, d) array. Fallible calls return NN_OK (0) or a negative
 * nn_status; constructors return NULL and write the status to *status.
 * Nets are independent: threads may each use their own net at once (the
 * matrix multiply's packing buffers are per thread); one net is not to be
 * used by two threads at once. */
#ifndef NN_H
#define NN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------ */

typedef enum {
    NN_OK = 0,
    NN_ERR_NULL = -1,       /* a required pointer was NULL */
    NN_ERR_SIZE = -2,       /* a size or count is out of range or inconsistent */
    NN_ERR_BATCH = -3,      /* batch larger than the net's max_batch */
    NN_ERR_ENUM = -4,       /* unknown layer kind, activation, loss, optimiser, ... */
    NN_ERR_VALUE = -5,      /* a hyper-parameter is NaN, infinite or out of range */
    NN_ERR_CONFIG = -6,     /* options that do not go together (e.g. BCE without sigmoid) */
    NN_ERR_NOMEM = -7,      /* out of memory */
    NN_ERR_DIVERGED = -8,   /* the mean loss is NaN or beyond float range (|l| > FLT_MAX):
                               training was stopped; the one definition of divergence */
    NN_ERR_FORMAT = -9,     /* a saved buffer is truncated, corrupt or of another version */
    NN_ERR_LABEL = -10      /* a class label is outside [0, n_out) or targets are missing */
} nn_status;

/* The English sentence for a status code; never NULL, static storage. */
const char *nn_strerror(int status);

/* What the last failed nn_create or nn_load of the process found wrong
 * beyond its status: the layer, its kind and its input shape, e.g.
 * "layer 2, conv on a 1 x 5 x 5 input"; "" when the failure was not a layer's.
 * Static storage, rewritten by the next nn_create or nn_load. */
const char *nn_error_detail(void);

/* ---- Limits ------------------------------------------------------------ */

#define NN_MAX_UNITS 65536          /* inputs, and units of a dense layer */
#define NN_MAX_LAYERS 256           /* layer specs in a net */
#define NN_MAX_BATCH 1048576        /* max_batch */
#define NN_MAX_PARAMS (1 << 28)     /* trainable parameters of a net */
#define NN_MAX_STEPS (1LL << 53)    /* steps a net takes at most (NN_ERR_SIZE after): exact in a double */
#define NN_LOAD_MAX_BYTES (512u << 20) /* memory a loaded net may ask for */

/* ---- Layers ------------------------------------------------------------ */

typedef enum {
    NN_LAYER_DENSE = 0,     /* y = x W^T + b, W (units, n_in), b (units) */
    NN_LAYER_ACT = 1,       /* y = f(x) elementwise */
    NN_LAYER_DROPOUT = 2,   /* inverted dropout: training y = x * mask / (1-p), eval y = x */
    NN_LAYER_BATCHNORM = 3, /* per feature (per channel after a spatial layer) over the batch
                               (and positions): y = gamma * xhat + beta */
    NN_LAYER_CONV = 4,      /* 2-D cross-correlation: C_in -> units channels, square kernel,
                               stride, zero padding; W (units, C_in, k, k), b (units) */
    NN_LAYER_MAXPOOL = 5,   /* max over each kernel x kernel window, per channel */
    NN_LAYER_AVGPOOL = 6,   /* mean over each kernel x kernel window, per channel */
    NN_LAYER_UPSAMPLE = 7,  /* nearest neighbour: each value copied into a factor x factor block */
    NN_LAYER_RESHAPE = 8,   /* the same values seen as channels x height x width (no parameters) */
    NN_LAYER_KIND_COUNT
} nn_layer_kind;

/* Activations. Each has a value and a derivative (SIMD kernels in
 * engine/kernels.c with scalar twins, used by engine/layer_act.c); the
 * parameter `a` of a layer spec is the LeakyReLU slope, the initial PReLU
 * slope or the ELU alpha. GELU uses the tanh approximation
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). SELU uses the standard
 * constants (lambda 1.0507, alpha 1.67326). SOFTMAX is an output only. */
typedef enum {
    NN_ACT_LINEAR = 0,
    NN_ACT_SIGMOID,
    NN_ACT_TANH,
    NN_ACT_RELU,
    NN_ACT_LEAKY_RELU,
    NN_ACT_PRELU,
    NN_ACT_ELU,
    NN_ACT_GELU,
    NN_ACT_SWISH,
    NN_ACT_SELU,
    NN_ACT_SOFTMAX,
    NN_ACT_COUNT
} nn_act;

/* One layer of a network. Build them with the helpers below. */
typedef struct {
    int32_t kind;       /* nn_layer_kind */
    int32_t units;      /* DENSE: number of output neurons (>= 1); CONV, RESHAPE: output channels */
    int32_t act;        /* ACT: nn_act (not SOFTMAX) */
    int32_t per_neuron; /* ACT PRELU: 1 = one learned slope per neuron, 0 = one per layer */
    float a;            /* ACT: slope/alpha; DROPOUT: p in [0,1); BATCHNORM: momentum in (0,1] */
    float eps;          /* BATCHNORM: epsilon added to the variance (> 0) */
    int32_t kernel;     /* CONV, MAXPOOL, AVGPOOL: side of the square window (>= 1);
                           RESHAPE: the output's height */
    int32_t stride;     /* CONV, MAXPOOL, AVGPOOL: step between windows (>= 1); UPSAMPLE: the
                           factor (>= 1); RESHAPE: the output's width */
    int32_t pad;        /* CONV: zeros added on each side (>= 0); pools take none */
} nn_layer_spec;

nn_layer_spec nn_dense(int units);
nn_layer_spec nn_activation(nn_act act);             /* LeakyReLU 0.01, ELU 1.0 by default */
nn_layer_spec nn_activation_param(nn_act act, float a);
nn_layer_spec nn_prelu(float initial_slope, int per_neuron);
nn_layer_spec nn_dropout(float p);
nn_layer_spec nn_batchnorm(void);                      /* momentum 0.1, eps 1e-5 */
/* A convolution to `channels` output channels (units), kernel k, stride s, padding p.
 * A layer's output is (channels, height, width), row-major; the output side
 * is floor((n + 2p - k) / s) + 1, and a kernel larger than the padded input
 * is NN_ERR_SIZE. A dense layer after a spatial one sees it flattened. */
nn_layer_spec nn_conv(int channels, int kernel, int stride, int pad);
/* Pools over kernel x kernel windows with the given stride (no padding);
 * max pool routes the gradient to the first maximum of each window. */
nn_layer_spec nn_maxpool(int kernel, int stride);
nn_layer_spec nn_avgpool(int kernel, int stride);
/* ---- Layers for a convolutional decoder (engine/layer_upsample.c,
 * engine/layer_reshape.c) ----
 * Nearest-neighbour upsampling: (C, H, W) -> (C, factor H, factor W), each
 * value copied into a factor x factor block; backward sums each block's
 * gradient. Any channels; factor in [1, NN_MAX_UNITS], and the output must
 * stay within the net's limits (NN_ERR_SIZE otherwise). */
nn_layer_spec nn_upsample(int factor);
/* The previous output (a dense layer's units, or any shape) seen as
 * (channels, height, width), the values unchanged in row-major order:
 * channels * height * width must equal the previous width (NN_ERR_SIZE,
 * nn_error_detail naming the layer and its input, otherwise). No parameters.
 * Stored in the spec as units = channels, kernel = height, stride = width.
 * A conv decoder is dense -> reshape -> upsample -> conv ...; the last layer
 * of a net may be a convolution (its outputs are the logits, e.g. one per
 * pixel for sigmoid + BCE).
 * No transposed convolution: upsample + conv learns the same maps (a
 * transposed conv of stride s is a conv over a zero-stuffed input) without
 * the checkerboard artifacts of overlapping strided kernels (Odena, Dumoulin
 * and Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016), and
 * needs no new kind with its own gradient code. */
nn_layer_spec nn_reshape(int channels, int height, int width);

/* ---- Losses and outputs ------------------------------------------------ */

/* Every loss is averaged over the examples of a batch.
 * SE_HALF: per example E = 1/2 sum_j (t_j - o_j)^2 (the course's worked examples).
 * MSE:     per example 1/n_out sum_j (t_j - o_j)^2.
 * BCE:     per example sum_j -t_j log o_j - (1-t_j) log(1-o_j), computed from
 *          the logits z (o = sigmoid z) as max(z,0) - z t + log(1 + e^-|z|).
 * SOFTMAX_CE: per example log sum_i e^z_i - z_label, from the logits with
 *          an integer class label; its gradient is softmax(z) - onehot.
 * BCE requires output SIGMOID, SOFTMAX_CE requires output SOFTMAX; the
 * squared errors accept LINEAR, SIGMOID or TANH outputs. */
typedef enum {
    NN_LOSS_SE_HALF = 0,
    NN_LOSS_MSE,
    NN_LOSS_BCE,
    NN_LOSS_SOFTMAX_CE,
    NN_LOSS_COUNT
} nn_loss;

/* ---- Networks ---------------------------------------------------------- */

typedef struct nn_net nn_net;

typedef struct {
    int32_t n_in;                 /* input features (>= 1) */
    int32_t n_layers;             /* entries in layers (>= 1, last one DENSE or CONV) */
    const nn_layer_spec *layers;  /* hidden layers and the final dense (or conv) layer; copied */
    int32_t output;               /* nn_act applied to the last layer: LINEAR, SIGMOID, TANH, SOFTMAX */
    int32_t loss;                 /* nn_loss */
    int32_t max_batch;            /* largest batch for training and the chunk size of predict */
    uint32_t seed;                /* seeds the init, shuffle and dropout streams */
    int32_t channels, height, width; /* the input as an image (channels * height * width = n_in),
                                        or all 0 for n_in plain features */
} nn_config;

/* Builds a network, allocating every buffer it will ever use, and initialises
 * it with Xavier uniform weights, zero biases and SGD with lr 0.1.
 * Returns NULL and writes the reason to *status (may be NULL) on failure. */
nn_net *nn_create(const nn_config *cfg, int *status);

/* The bytes nn_create would allocate for cfg (its one arena), into *bytes,
 * computed without allocating anything: NN_OK, or the status nn_create would
 * return (nn_error_detail then names the layer). A caller can refuse a net
 * too big for its memory before building it. */
int nn_plan_bytes(const nn_config *cfg, int64_t *bytes);

/* Frees the network and everything it owns; NULL is allowed. */
void nn_free(nn_net *net);

int nn_inputs(const nn_net *net);         /* n_in */
int nn_outputs(const nn_net *net);        /* width of the last layer */
int nn_max_batch(const nn_net *net);
int nn_loss_kind(const nn_net *net);
int nn_output_act(const nn_net *net);

/* ---- Initialisation and randomness ------------------------------------- */

typedef enum {
    NN_INIT_CONST = 0,        /* every weight = w_const (shows that symmetry is never broken) */
    NN_INIT_UNIFORM_FANIN,    /* U(-1/sqrt(fan_in), 1/sqrt(fan_in)) */
    NN_INIT_XAVIER_UNIFORM,   /* U(-sqrt(6/(fan_in+fan_out)), +...) */
    NN_INIT_XAVIER_NORMAL,    /* N(0, 2/(fan_in+fan_out)) */
    NN_INIT_HE_UNIFORM,       /* U(-sqrt(6/fan_in), +...) */
    NN_INIT_HE_NORMAL,        /* N(0, 2/fan_in) */
    NN_INIT_COUNT
} nn_init_scheme;

typedef struct {
    int32_t scheme;   /* nn_init_scheme for dense weights */
    float w_const;    /* weight value for NN_INIT_CONST */
    float b_const;    /* every dense bias (0 for zero biases) */
} nn_init;

/* Random streams of a net, each its own seeded PCG32 generator. */
typedef enum {
    NN_STREAM_INIT = 0,    /* initial weights */
    NN_STREAM_SHUFFLE,     /* mini-batch order */
    NN_STREAM_DROPOUT,     /* dropout masks and input noise (nn_set_input_noise) */
    NN_STREAM_COUNT
} nn_stream;

/* Sets the init scheme and re-initialises (as nn_reset). */
int nn_set_init(nn_net *net, const nn_init *init);

/* Sets the seed of one stream; takes effect at the next nn_reset (INIT) or
 * immediately (SHUFFLE restarts the epoch, DROPOUT the mask sequence). */
int nn_set_seed(nn_net *net, int stream, uint32_t seed);

/* Back to the state after creation with the current init and seeds: same
 * initial parameters, zero optimiser state and step count, BN running
 * statistics reset, shuffle and dropout streams restarted. */
int nn_reset(nn_net *net);

/* ---- Optimisers and regularisation ------------------------------------- */

/* Update rules (Goodfellow et al., ch. 8), with g the gradient, eps the
 * learning rate and delta the stabiliser:
 *   SGD       theta -= eps g
 *   MOMENTUM  v = alpha v - eps g; theta += v                   (alpha = momentum)
 *   NESTEROV  as MOMENTUM, g taken at the look-ahead theta + alpha v
 *   ADAGRAD   r += g*g; theta -= eps / (delta + sqrt r) * g      (delta outside the root, 1e-7)
 *   RMSPROP   r = rho r + (1-rho) g*g; theta -= eps / sqrt(delta + r) * g  (delta inside, 1e-6)
 *   ADAM      s = b1 s + (1-b1) g; r = b2 r + (1-b2) g*g; s^ = s/(1-b1^t); r^ = r/(1-b2^t);
 *             theta -= eps s^ / (sqrt(r^) + delta)               (delta outside, 1e-8) */
typedef enum {
    NN_OPT_SGD = 0,
    NN_OPT_MOMENTUM,
    NN_OPT_NESTEROV,
    NN_OPT_ADAGRAD,
    NN_OPT_RMSPROP,
    NN_OPT_ADAM,
    NN_OPT_COUNT
} nn_optimizer;

typedef struct {
    int32_t kind;     /* nn_optimizer */
    float lr;         /* eps, > 0 */
    float beta1;      /* momentum alpha, RMSProp rho or Adam rho1, in [0,1) */
    float beta2;      /* Adam rho2, in [0,1) */
    float delta;      /* stabiliser, >= 0 */
    float decay;      /* learning-rate decay: eps_t = eps / (1 + decay * t), >= 0 */
} nn_optim;

/* The course defaults for an optimiser: lr 0.1 for SGD/momentum/Nesterov
 * (alpha 0.9), 0.01 for AdaGrad/RMSProp (rho 0.9), 0.001 for Adam
 * (0.9, 0.999, 1e-8); no decay. Unknown kinds give SGD. */
nn_optim nn_optim_default(int kind);

/* Sets the optimiser. Changing the kind clears its state (and Adam's t
 * starts again from 1); keeping the kind keeps the state, so
 * hyper-parameters can change while training. Learning-rate decay counts
 * every step since creation or reset. */
int nn_set_optimizer(nn_net *net, const nn_optim *opt);
nn_optim nn_get_optimizer(const nn_net *net);

/* Changes only the learning rate; optimiser state is kept. */
int nn_set_lr(nn_net *net, float lr);

/* Penalties on dense weights (not biases, PReLU slopes or BN parameters):
 * l1 * sum |w| + l2/2 * sum w^2, added to the gradient as l1 sign(w) + l2 w.
 * nn_penalty returns the current value of that sum. */
int nn_set_regularization(nn_net *net, float l1, float l2);
float nn_penalty(const nn_net *net);

/* Accuracy threshold for one squared-error output: a prediction (or target)
 * above it is class 1. Defaults: 0.5 for a SIGMOID output, 0 otherwise. */
int nn_set_threshold(nn_net *net, float threshold);

/* ---- Data -------------------------------------------------------------- */

/* A data set or batch, not owned by the net. y holds the targets (n, dy)
 * for squared errors and BCE; label the classes (n) for SOFTMAX_CE. Every
 * call that takes one checks it against the net: dx = n_in; y, when given,
 * has dy = n_out, and dy = 0 without y; the loss's targets are present;
 * x8_scale is finite when bytes are read; labels are in [0, n_out). Inputs
 * are floats x, or bytes x8 (then x is NULL) read as x8 * x8_scale: MNIST
 * stays 1 byte a pixel in memory and is converted a batch at a time. */
typedef struct {
    const float *x;        /* (n, dx) or NULL when x8 is given */
    const float *y;        /* (n, dy) or NULL */
    const int32_t *label;  /* (n) or NULL */
    int32_t n;
    int32_t dx;
    int32_t dy;            /* target width; 0 when only labels are given */
    const uint8_t *x8;     /* (n, dx) bytes, used when x is NULL */
    float x8_scale;        /* e.g. 1/255 */
    int32_t y_is_x;        /* 1: the targets are the inputs as the net reads them (floats x,
                              or x8 * x8_scale), with no copy: y NULL, dy = dx = n_out,
                              not with SOFTMAX_CE (an autoencoder); 0: targets in y */
} nn_data;

/* ---- Training ---------------------------------------------------------- */

/* Forward and backward on one batch in training mode (dropout masks drawn,
 * BN uses batch statistics and updates its running averages): writes the
 * gradient of loss + penalty into nn_grads and the data loss to *loss.
 * Parameters do not change. B <= max_batch. */
int nn_loss_grad(nn_net *net, const nn_data *batch, float *loss);

/* Loss of a batch without touching gradients or state. train = 1 uses
 * training-mode dropout (masks drawn) and BN batch statistics (B <= max_batch,
 * running averages not updated); train = 0 is evaluation mode. */
int nn_loss_only(nn_net *net, const nn_data *batch, int train, float *loss);

/* One optimiser step on one mini-batch (nn_loss_grad then the update).
 * A diverged loss returns NN_ERR_DIVERGED and leaves the parameters and the
 * BN running statistics as they were. *loss (may be NULL) gets the data loss before the step, where
 * the gradient was taken (for Nesterov: at the look-ahead point). */
int nn_train_batch(nn_net *net, const nn_data *batch, float *loss);

typedef struct {
    float loss;       /* mean data loss over the steps run */
    int32_t steps;    /* steps run */
    int32_t epochs;   /* epochs completed during the call */
} nn_report;

/* Runs `steps` mini-batches of `batch` examples drawn without replacement
 * from d, in an order from the shuffle stream, reshuffled each epoch; the
 * last batch of an epoch may be smaller. The epoch position is kept across
 * calls (a new data set restarts it). steps = 0 runs to the end of the
 * current epoch. rep may be NULL; it is filled on failure too (the steps run
 * before it). Labels are checked a batch at a time: a
 * label out of range stops the call (NN_ERR_LABEL) before that batch's step. */
int nn_train(nn_net *net, const nn_data *d, int batch, int steps, nn_report *rep);

/* Whether nn_train draws each new epoch's order from the shuffle stream (1,
 * the default) or takes the examples in the data's order (0: online SGD as
 * the course's exercises run it). Takes effect at the next epoch. */
int nn_set_shuffle(nn_net *net, int shuffle);
int nn_get_shuffle(const nn_net *net);

/* Position in the epoch: examples of the current epoch already used. */
int nn_epoch_position(const nn_net *net);

/* Steps taken since creation or reset. */
int64_t nn_step_count(const nn_net *net);

/* Mean loss and accuracy over a whole set (n >= 1) in evaluation mode; nothing changes.
 * Accuracy: SOFTMAX_CE argmax = label; BCE a row is right when (o > 0.5) =
 * (t > 0.5) for every output;
 * squared error with one output thresholded (nn_set_threshold), with several
 * argmax o = argmax t; NaN for a set whose targets are its inputs (y_is_x:
 * the loss is the reconstruction loss). Either output pointer may be NULL. */
int nn_evaluate(nn_net *net, const nn_data *d, float *loss, float *accuracy);

/* Outputs (n, n_out) for inputs x (n, n_in) in evaluation mode, after the
 * output function (probabilities for SIGMOID/SOFTMAX). Any n >= 0: done in
 * chunks of max_batch. */
int nn_predict(nn_net *net, const float *x, int n, float *out);

/* ---- Inspection -------------------------------------------------------- */

/* All trainable parameters in one array, in layer order: per DENSE layer W
 * (units, n_in) row-major then b (units); per PRELU its slopes; per BATCHNORM
 * gamma then beta. nn_grads has the same layout. Both stay valid until
 * nn_free; the caller may write parameters (then call nothing in between
 * that expects them unchanged). */
float *nn_params(nn_net *net);
float *nn_grads(nn_net *net);
int nn_param_count(const nn_net *net);

typedef struct {
    int32_t kind;     /* nn_layer_kind */
    int32_t act;      /* nn_act for ACT layers, else -1 */
    int32_t n_in;     /* input width */
    int32_t n_out;    /* output width */
    int32_t w_off;    /* offset of W (DENSE), slopes (PRELU) or gamma (BN) in params */
    int32_t w_len;    /* their count (0 when none) */
    int32_t b_off;    /* offset of b (DENSE) or beta (BN) */
    int32_t b_len;    /* their count (0 when none) */
    int32_t channels, height, width; /* the output's shape (n_out, 1, 1 for plain features) */
    int32_t kernel, stride, pad; /* CONV, MAXPOOL, AVGPOOL: the window, as in the spec (pad 0 for pools);
                                    UPSAMPLE: stride = the factor (kernel, pad 0); 0 for the other kinds */
} nn_layer_info;

int nn_layer_count(const nn_net *net);
int nn_layer_info_get(const nn_net *net, int k, nn_layer_info *info);

/* Outputs of every layer for inputs x (n, n_in), evaluation mode, any n.
 * out is laid out layer after layer: layer k occupies (n, n_out_k) starting
 * at n * (sum of the widths of layers before k). nn_activation_width gives
 * the sum of all widths. */
int nn_activation_width(const nn_net *net);
int nn_activations(nn_net *net, const float *x, int n, float *out);

/* L2 norm of each layer's parameter gradient from the last nn_loss_grad or
 * training step (0 for layers without parameters); out has nn_layer_count
 * entries. */
int nn_grad_norms(const nn_net *net, float *out);

/* ---- Gradient flow (engine/flow.c) --------------------------------------- */

/* The usual threshold of nn_unit_stats's `slope`, as a percentage: a unit
 * is saturated where its slope is below 10 % of its largest (the page uses
 * and states this one). */
#define NN_SATURATION_PERCENT 10

/* Whether each training step records, per layer, the norm of the parameters
 * before it and of the change it makes (nn_update_norms): 1 on, 0 off (the
 * default, which costs nothing). On allocates n_params floats (NN_ERR_NOMEM
 * when it cannot: tracking stays off), off frees them; both forget what was
 * recorded. Only observes: a net trains to the same bits either way.
 * Not saved by nn_save (a loaded net starts off). */
int nn_set_track_updates(nn_net *net, int on);
int nn_get_track_updates(const nn_net *net);

/* What the last step taken while tracking did to each layer k (the layer's
 * parameters theta_k as in nn_grad_norms: W and b, PReLU slopes, BN gamma
 * and beta); each output has nn_layer_count entries and may be NULL:
 *   param_norm[k]  = ||theta_k|| before the step,
 *   update_norm[k] = ||theta_k after - theta_k before||,
 *   ratio[k]       = update_norm / param_norm (0 when both are 0, +inf when
 *                    only param_norm is).
 * All 0 for layers without parameters, and until a step is taken with
 * tracking on (again after nn_reset: the values belong to the current step
 * count). NN_ERR_CONFIG while tracking is off. */
int nn_update_norms(const nn_net *net, float *param_norm, float *update_norm, float *ratio);

/* How the units of the activation layers behave over the n >= 1 examples of
 * d (inputs only: targets and labels are not read), in evaluation mode and
 * chunks of max_batch; nothing changes. A unit is one output of the layer
 * (after a convolution, one channel at one position). Per layer k, each
 * output with nn_layer_count entries, either may be NULL:
 *   saturated[k]: SIGMOID and TANH layers, the share of (example, unit)
 *                 outputs y where the slope f' (sigmoid y (1 - y), tanh
 *                 1 - y^2) is below `slope` times its largest value (0.25,
 *                 1); with slope 0.1 a sigmoid output outside [0.026, 0.974]
 *                 or a tanh output beyond +-0.949. NaN for other layers.
 *   dead[k]:      RELU layers, the share of units whose output is 0 for
 *                 every example of d. NaN for other layers.
 * slope is in (0, 1) (NN_ERR_VALUE otherwise). */
int nn_unit_stats(nn_net *net, const nn_data *d, float slope, float *saturated, float *dead);

/* Batch-norm running mean and variance of layer k (one per channel: n_out
 * floats after a dense layer);
 * the pointers stay valid until nn_free. */
int nn_bn_running(nn_net *net, int k, float **mean, float **var);

/* ---- Autoencoders (engine/codes.c, engine/embed.c) ---------------------- */

/* Corruption of the inputs of a denoising autoencoder. */
typedef enum {
    NN_NOISE_NONE = 0,
    NN_NOISE_MASK,        /* each input set to 0 with probability amount, in [0, 1] */
    NN_NOISE_GAUSSIAN,    /* each input plus N(0, amount^2), amount >= 0 */
    NN_NOISE_COUNT
} nn_noise;

/* Corrupts the inputs the net trains on (nn_loss_grad, nn_train_batch,
 * nn_train; never evaluation, nn_loss_only or nn_predict), drawn from the
 * dropout stream; the targets stay clean (a set with y_is_x has the clean
 * inputs as targets). kind is an nn_noise, amount as stated there
 * (NN_ERR_ENUM, NN_ERR_VALUE otherwise, nothing changed). Kept by nn_reset;
 * not saved by nn_save (a loaded net starts with NONE). */
int nn_set_input_noise(nn_net *net, int kind, float amount);
int nn_get_input_noise(const nn_net *net, int *kind, float *amount);

/* The corruption nn_set_input_noise describes, applied in place to x (n, d)
 * with its own PCG32 seeded by seed: to show a noisy input. */
int nn_corrupt(float *x, int n, int d, int kind, float amount, uint32_t seed);

/* The outputs of layer k (0 <= k < nn_layer_count, as nn_layer_info) for the
 * n examples of d (inputs only: targets and labels are not read), evaluation
 * mode, in chunks of max_batch: out (n, n_out of layer k). The last layer's
 * outputs are the logits, before the output function. */
int nn_encode(nn_net *net, int k, const nn_data *d, float *out);

/* Layers k+1 .. last and the output function on act (n, n_out of layer k),
 * evaluation mode, in chunks of max_batch: out (n, nn_outputs). The same
 * code on the same values as nn_predict, so decode(encode(x, k), k) equals
 * nn_predict(x) bit for bit. */
int nn_decode(nn_net *net, int k, const float *act, int n, float *out);

/* The top m principal components of x (n, d), 1 <= m <= min(d, NN_PCA_MAX),
 * n >= 2, accumulated in double: mean (d), components (m, d) unit rows in
 * order of decreasing variance, each signed so that its entry of largest
 * magnitude is positive (the first such entry on a tie); projected (n, m) =
 * (x - mean) components^T; explained (m) each component's share of the total
 * variance. Any output but components may be NULL. Costs O(n d^2) time and
 * d^2 doubles of scratch (NN_ERR_NOMEM). */
#define NN_PCA_MAX 3
int nn_pca(const float *x, int n, int d, int m, float *mean, float *components, float *projected,
           float *explained);

/* The share of the n_query rows of query (n_query, d) whose label is the
 * majority label of their k nearest rows of ref (n_ref, d) (Euclidean
 * distance in double, ties between equal distances to the lower index), a
 * tie in votes going to the label of the nearest among the tied;
 * 1 <= k <= min(n_ref, NN_KNN_MAX_K), n_query >= 1. *accuracy in [0, 1]. */
#define NN_KNN_MAX_K 256
int nn_knn_accuracy(const float *ref, const int32_t *ref_labels, int n_ref, const float *query,
                    const int32_t *query_labels, int n_query, int d, int k, float *accuracy);

/* ---- Optimisers on a plain parameter vector ----------------------------- */

/* An optimiser with its state for n parameters that the caller owns, updated
 * with gradients the caller computes: the update code nets train with (the
 * rules, defaults and checks of nn_optim above), for points on the loss
 * surfaces below or any other function. Allocated once; nothing after. */
typedef struct nn_stepper nn_stepper;

/* A stepper for n parameters (1 <= n <= NN_MAX_PARAMS) with optimiser opt,
 * zero state and bias correction on. NULL and *status (may be NULL) on
 * failure: NN_ERR_NULL, NN_ERR_SIZE, NN_ERR_ENUM or NN_ERR_VALUE (opt is
 * checked as by nn_set_optimizer: a NaN or negative rate is refused),
 * NN_ERR_NOMEM. */
nn_stepper *nn_stepper_create(int n, const nn_optim *opt, int *status);

/* Frees the stepper; NULL is allowed. */
void nn_stepper_free(nn_stepper *s);

/* Changes the optimiser as nn_set_optimizer does: a new kind clears the
 * state (Adam's t starts again from 1), the same kind keeps it. */
int nn_stepper_set_optimizer(nn_stepper *s, const nn_optim *opt);
int nn_stepper_get_optimizer(const nn_stepper *s, nn_optim *out);

/* Adam's bias correction: 1 (the default, and what nets always use) divides
 * the moments by 1 - rho^t; 0 uses them as they are, to show what the
 * correction is for. Other optimisers ignore it; other values: NN_ERR_VALUE. */
int nn_stepper_set_bias_correction(nn_stepper *s, int on);

/* Zero state and step count; the parameters are the caller's. */
int nn_stepper_reset(nn_stepper *s);

/* Updates taken since creation or reset (learning-rate decay counts them). */
int64_t nn_stepper_steps(const nn_stepper *s);

/* Where the gradient of the next update is to be taken: point (n) = x (n),
 * or for NESTEROV the look-ahead x + alpha v. point may be x itself. */
int nn_stepper_lookahead(const nn_stepper *s, const float *x, float *point);

/* One update of x (n) with the gradient g (n) taken at nn_stepper_lookahead's
 * point. Divergence for a plain vector: a gradient that is not finite, or an
 * update that would leave a parameter not finite, returns NN_ERR_DIVERGED and
 * changes nothing (x, state, count); NN_ERR_SIZE after NN_MAX_STEPS updates. */
int nn_stepper_step(nn_stepper *s, float *x, const float *g);

/* ---- Loss surfaces ------------------------------------------------------ */

/* Functions of two parameters (x, y), computed in double, each >= 0 with 0
 * at its global minimum:
 *   QUADRATIC   81 x^2 - 240 x y + 180 y^2: a long valley, Hessian
 *               [[162, -240], [-240, 360]] (eigenvalues 520.6 and 1.383): the
 *               quadratic model at its minimum of the function of Distill's
 *               "Why Momentum Really Works" hero figure, so its step size
 *               alpha = 0.0019 and momentum beta = 0.78 act here as there;
 *               minimum (0, 0)
 *   ROSENBROCK  (1 - x)^2 + 100 (y - x^2)^2; minimum (1, 1)
 *   BEALE       (1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2;
 *               minimum (3, 0.5)
 *   SADDLE      x^2 + (y^2 - 1)^2 / 4: a saddle point at (0, 0), value 1/4,
 *               between the minima (0, -1) and (0, 1)
 *   CAMEL       the six-hump camel (4 - 2.1 x^2 + x^4 / 3) x^2 + x y
 *               + (4 y^2 - 4) y^2 + 1.0316284534898774: six local minima, the
 *               global ones at (0.0898, -0.7127) and (-0.0898, 0.7127)
 *   NOISY       (x^2 + 10 y^2) / 2 with a stochastic gradient, as a mini-batch
 *               gives: N(0, NN_SURFACE_NOISE^2) added to each component;
 *               minimum (0, 0) */
typedef enum {
    NN_SURF_QUADRATIC = 0,
    NN_SURF_ROSENBROCK,
    NN_SURF_BEALE,
    NN_SURF_SADDLE,
    NN_SURF_CAMEL,
    NN_SURF_NOISY,
    NN_SURF_COUNT
} nn_surface;

#define NN_SURFACE_NOISE 2     /* standard deviation of the NOISY surface's gradient noise */
#define NN_TRACE_WIDTH 5       /* floats per update in nn_surface_descend's trace */

/* Values (n) and gradients (n, 2) of surface `kind` at the points xy (n, 2),
 * n >= 0; value or grad may be NULL. NOISY adds the same noise to every
 * gradient of the call: the draw number `draw` (a step's number) from the
 * seed, so every optimiser sees the same noise at the same step and a seed
 * replays the same run. Values beyond float range are +inf. */
int nn_surface_eval(int kind, const float *xy, int n, uint32_t seed, uint32_t draw, float *value,
                    float *grad);

/* Up to `steps` updates of stepper s (of 2 parameters) on surface `kind` from
 * xy (2), updated in place: each takes the gradient at nn_stepper_lookahead's
 * point (NOISY: draw = the stepper's step count, modulo 2^32) and writes a row
 * of trace (steps, NN_TRACE_WIDTH), may be NULL: x, y after the update, the
 * value there and the gradient used (gx, gy). An update whose gradient, new
 * point or value there is not finite is not made: the call returns
 * NN_ERR_DIVERGED, the updates before it kept. *done (may be NULL) gets the
 * updates made, on failure too. */
int nn_surface_descend(nn_stepper *s, int kind, float *xy, int steps, uint32_t seed, float *trace,
                       int *done);

/* ---- Pixels ------------------------------------------------------------ */

/* How nn_colorize picks a palette entry for a value. */
typedef enum {
    NN_COLOR_SIGNED = 0,  /* v in [-1, 1], clamped: entry (v + 1) / 2 of the palette's range */
    NN_COLOR_PROB,        /* p in [0, 1] as 2p - 1, as SIGNED */
    NN_COLOR_SCALED,      /* v / (largest |v| of its column), as SIGNED */
    NN_COLOR_CLASS,       /* the largest of k values, shaded by its confidence */
    NN_COLOR_COUNT
} nn_color_mode;

/* RGBA bytes for the values v (n, k) through palette (palette_n RGBA
 * entries, 4 bytes each). SIGNED, PROB and SCALED colour each column as a
 * tile of n pixels, the k tiles one after the other (rgba holds 4 n k
 * bytes); NaN takes the middle entry. CLASS gives one tile (4 n bytes): the
 * palette is k runs of palette_n / k entries (run c from confidence 0 to 1
 * in class c's colour), and a pixel takes run argmax, entry (p - 1/k) /
 * (1 - 1/k). discrete != 0: SIGNED-like modes take the end entries only
 * (by sign), CLASS full confidence. */
int nn_colorize(uint8_t *rgba, const float *v, int n, int k, int mode, int discrete,
                const uint8_t *palette, int palette_n);

/* Pixels nn_activation_pixels writes for n inputs and these modes (a mode
 * per layer, -1 for a layer not drawn): n per unit, n per CLASS layer. */
int nn_pixel_count(const nn_net *net, int n, const int32_t *modes);

/* Maps of the units of a net, in one call: nn_activations of x (n, n_in)
 * into act (n * nn_activation_width floats, scratch), then nn_colorize of
 * every layer k with modes[k] >= 0, tiles in layer then unit order into rgba
 * (4 * nn_pixel_count bytes). The last layer is coloured after the output
 * function, as nn_predict gives it. */
int nn_activation_pixels(nn_net *net, const float *x, int n, float *act, const int32_t *modes, int discrete,
                         const uint8_t *palette, int palette_n, uint8_t *rgba);

/* ---- Save and load ----------------------------------------------------- */

/* The format version nn_save writes; nn_load reads it and every older one. */
#define NN_SAVE_VERSION 3

/* Bytes needed by nn_save. */
size_t nn_save_size(const nn_net *net);

/* Writes architecture, settings, seeds and random states, parameters,
 * optimiser state and BN statistics into buf (cap bytes). */
int nn_save(const nn_net *net, uint8_t *buf, size_t cap, size_t *written);

/* A new net from a buffer written by nn_save (format version 1 to 3); it
 * continues training exactly as the saved one would, mid-epoch included:
 * the first nn_train on a set with as many rows as the saved epoch resumes
 * it in the same order. The buffer is untrusted: its length must be exactly
 * what its layer specs imply, and every value is checked as the setters
 * check it (no NaN parameter, negative BN variance, impossible step count
 * or random state). NULL and *status on failure: NN_ERR_FORMAT, or
 * NN_ERR_SIZE when the net would need more than NN_LOAD_MAX_BYTES. */
nn_net *nn_load(const uint8_t *buf, size_t len, int *status);

/* ---- Data sets --------------------------------------------------------- */

/* Seeded generators for the course's data sets. Classification sets fill
 * x (n, 2) in [-6, 6]^2 (as TensorFlow Playground) and label (n) with
 * classes 0..k-1 in equal shares; regression sets fill x (n, dx) and y (n).
 * noise is in [0, 1]: the fraction of the set's scale added as noise. */
typedef enum {
    NN_DATA_CIRCLE = 0,  /* class 0 inside a disc of radius 2.5, class 1 in a ring 3.5..5 */
    NN_DATA_XOR,         /* class = (x1 * x2 < 0) */
    NN_DATA_GAUSS,       /* two Gaussian blobs centred at (2,2) and (-2,-2) */
    NN_DATA_SPIRAL,      /* two interleaved spiral arms */
    NN_DATA_SPIRALS,    /* k spiral arms (k in 3..5) */
    NN_DATA_BLOBS,     /* k Gaussian blobs on a circle (k in 2..5) */
    NN_DATA_PLANE,       /* regression: y = (x1 + 2 x2) / 18 in about [-1, 1] */
    NN_DATA_COS,         /* regression, dx = 1: y = cos(x) for x in [-6, 6] */
    NN_DATA_COUNT
} nn_dataset;

/* Input width of a data set (1 for COS, else 2). */
int nn_dataset_dims(int kind);

/* 1 for the classification sets, 0 for regression. */
int nn_dataset_is_classification(int kind);

/* Fills n examples. For classification: x (n, 2) and label (n), y unused
 * (may be NULL); for regression: x (n, dims) and y (n), label unused.
 * k is the number of classes of SPIRALS and BLOBS (ignored otherwise). */
int nn_dataset_generate(int kind, int n, int k, float noise, uint32_t seed,
                        float *x, float *y, int32_t *label);

/* Shuffles the rows of x (n, dx), y (n, dy) and label (n) together with a
 * seeded PCG32 (any of y or label may be NULL). A split into train, dev and
 * test is then three consecutive slices. */
int nn_shuffle(float *x, int dx, float *y, int dy, int32_t *label, int n, uint32_t seed);

#ifdef __cplusplus
}
#endif

#endif /* NN_H */
