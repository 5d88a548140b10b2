/* net.h: the inside of an nn_net, shared by the engine's source files and by
 * no one else. One contiguous parameter array with gradients and optimiser
 * state in the same layout; layers keep offsets into it and own nothing.
 * Every buffer is sized for max_batch when the net is built, in one arena.
 * Each layer kind is one row of nn_layer_ops, in its own engine/layer_*.c. */
#ifndef NN_NET_H
#define NN_NET_H

#include "nn.h"
#include "rng.h"

#include <stdint.h>

typedef struct nn_layer_ops nn_layer_ops;

/* A layer's input or output as (channels, height, width), row-major;
 * plain features are (n, 1, 1). */
typedef struct {
    int c, h, w;
} nn_shape;

typedef struct {
    nn_layer_spec spec;
    const nn_layer_ops *ops; /* the kind's row of the table (engine/layers.c) */
    nn_shape shape_in, shape_out;
    int n_in, n_out;    /* in.c * in.h * in.w, out.c * out.h * out.w */
    int w_off, w_len;   /* weights in params: W (DENSE), slopes (PRELU), gamma (BN) */
    int b_off, b_len;   /* biases: b (DENSE), beta (BN) */
    int s_off;          /* running statistics in stats (BN: means then variances) */
    int64_t aux_len;    /* floats in aux */
    float *out;         /* (max_batch, n_out): this layer's output */
    float *aux;         /* the kind's scratch: DENSE W^T (n_in, n_out); DROPOUT the mask
                           (max_batch, n_out); BN xhat (max_batch, n_out) then invstd (n_out) */
} nn_layer;

/* What a kind needs for a given input shape, before anything is allocated. */
typedef struct {
    nn_shape out;
    uint64_t w_len, b_len;  /* trainable parameters: weights, then biases */
    uint64_t stats;         /* running statistics, saved with the net */
    uint64_t aux;           /* scratch floats, sized for max_batch */
} nn_layer_size;

/* One row per layer kind: everything the engine does with a layer. Forward
 * runs in training or evaluation mode (update_stats lets a training-mode
 * forward update running statistics); backward accumulates (+=) parameter
 * gradients, reuses what forward cached and writes dx unless it is NULL. */
struct nn_layer_ops {
    const char *name;                                               /* for messages: "conv" */
    int (*check)(const nn_layer_spec *s);                           /* NN_OK or a status */
    int (*size)(const nn_layer_spec *s, nn_shape in, int max_batch, nn_layer_size *z); /* NN_OK or a status */
    void (*init)(nn_net *net, nn_layer *L);                        /* parameters, statistics; may be NULL */
    void (*forward)(nn_net *net, nn_layer *L, const float *x, int B, int train, int update_stats);
    void (*backward)(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B);
    int (*valid_stats)(const nn_net *net, const nn_layer *L);      /* a loaded file's statistics; may be NULL */
    int penalised;                                                  /* L1/L2 apply to its weights */
    int logits;                                                     /* may be the last layer (DENSE, CONV) */
};

extern const nn_layer_ops nn_layer_dense, nn_layer_act, nn_layer_dropout, nn_layer_batchnorm, nn_layer_conv,
    nn_layer_maxpool, nn_layer_avgpool, nn_layer_upsample, nn_layer_reshape;

/* layer_conv.c: the output side of windows of k with stride s over n + 2p
 * (0 when the window does not fit); the pools use it with p = 0. */
int nn_window_side(int n, int k, int s, int p);

/* layers.c: the row of a kind, NULL when there is none. */
const nn_layer_ops *nn_layer_kind_ops(int kind);
/* layers.c: n weights by the net's init scheme, with the layer's fans. */
void nn_init_weights(nn_net *net, float *w, int n, double fan_in, double fan_out);

struct nn_net {
    void *arena;              /* every buffer below but perm, in one allocation */
    nn_config cfg;            /* cfg.layers points at specs */
    nn_layer_spec *specs;
    nn_layer *layers;
    int n_layers;
    int n_out;                /* width of the last layer */
    int max_width;            /* widest of n_in and all layer outputs */

    int n_params;
    float *params;            /* (n_params) */
    float *grads;             /* (n_params) */
    float *opt_s;             /* (n_params) velocity or first moment */
    float *opt_r;             /* (n_params) squared-gradient average; Nesterov's saved params */
    int n_stats;
    float *stats;             /* BN running means and variances */
    float *stats_prev;        /* (n_stats) stats before the current step: a diverged step restores them */

    float *prob;              /* (max_batch, n_out) after the output function */
    double *lse;              /* (max_batch) log-sum-exp of each row of a softmax output */
    float *dbuf[2];           /* (max_batch, max_width) gradient ping-pong */
    float *xbuf;              /* (max_batch, n_in) gathered mini-batch */
    float *ybuf;              /* (max_batch, n_out) gathered targets */
    int32_t *lbuf;            /* (max_batch) gathered labels */

    nn_optim opt;
    float l1, l2;
    float threshold;
    nn_init init;
    uint32_t seeds[NN_STREAM_COUNT];
    nn_rng rng[NN_STREAM_COUNT];
    int64_t t;                /* optimiser steps taken (learning-rate decay) */
    int64_t opt_t;            /* steps since the optimiser state was cleared (Adam's t) */

    int32_t *perm;            /* epoch order; grown only when a larger set arrives */
    int perm_cap;
    int shuffle;              /* 1: each epoch in a new shuffled order, 0: in the data's order */
    int epoch_pos;            /* examples of the current epoch already used */
    const void *epoch_set;    /* the set the epoch belongs to: its x or x8 */
    int epoch_n;
    nn_rng epoch_rng;         /* shuffle stream before this epoch's order was drawn */
    int epoch_shuffled;       /* whether this epoch's order was shuffled */
    int resume;               /* loaded mid-epoch: the next set of epoch_n rows continues it */

    /* engine/flow.c: gradient flow */
    float *track_prev;        /* (n_params) parameters before a tracked step; NULL while not tracking */
    double *track_norms;      /* (2 n_layers) per layer ||theta|| before the last tracked step, ||dtheta|| */
    int64_t track_t;          /* the step count those norms belong to (-1: none) */
    float *unit_max;          /* (nn_flow_scratch) nn_unit_stats: each ReLU unit's largest output */

    /* engine/codes.c: input noise of a denoising autoencoder */
    int noise_kind;           /* nn_noise */
    float noise_amount;
};

/* What nn_plan computes from a config before anything is allocated. */
typedef struct {
    int n_params, n_stats;
    int n_out, max_width;
    uint64_t bytes;           /* the arena nn_create will allocate */
} nn_plan_sizes;

/* net.c: records which layer a failed nn_create or nn_load stopped at
 * (k < 0: clears it), for nn_error_detail. */
void nn_set_error_layer(int k, const char *kind, int c, int h, int w);
/* The detail of a saved file whose version this build cannot read. */
void nn_set_error_version(uint32_t version);

/* net.c: validates cfg and lays out its layers and arena without allocating. */
int nn_plan(const nn_config *cfg, nn_plan_sizes *sz);

/* loss.c: the output function, and the loss summed over the B examples with
 * the gradient of the logits times scale (dz may be NULL). */
void nn_output_forward(float *o, const float *z, int B, int n, int out_act, double *lse);
double nn_loss_eval(const nn_net *net, float *dz, float *o, const float *z,
                    const float *y, const int32_t *label, int B, float scale);
/* Number of correct predictions among B rows of o. */
int nn_count_correct(const nn_net *net, const float *o, const float *y,
                     const int32_t *label, int B);

/* optim.c: one update of n parameters p with gradient g and state s, r (n
 * each) by o; the rate decays with *t (updates since creation or reset),
 * *opt_t (since the state was cleared) is Adam's t; both are incremented.
 * bias_correction 0 leaves Adam's moments uncorrected (nets always pass 1). */
void nn_opt_update(const nn_optim *o, int bias_correction, int n, float *p, const float *g, float *s,
                   float *r, int64_t *t, int64_t *opt_t);
/* Nesterov's look-ahead p += alpha s; nothing for the other kinds. */
void nn_opt_lookahead(const nn_optim *o, int n, float *p, const float *s);
void nn_opt_apply_penalty(nn_net *net);
void nn_opt_step(nn_net *net);
void nn_opt_clear(nn_net *net);
int nn_opt_validate(const nn_optim *o);

/* flow.c: after a step, when tracking, the norms of the change (track_prev
 * holds the parameters before it); and the floats unit_max needs (the widths
 * of the ReLU layers). */
void nn_flow_record(nn_net *net);
uint64_t nn_flow_scratch(const nn_net *net);

/* train.c: rows [start, start + B) of d (B <= max_batch) through every layer
 * in evaluation mode; each layer's out holds its (B, n_out) outputs. */
void nn_forward_eval(nn_net *net, const nn_data *d, int start, int B);
/* train.c: the same through layers [0, to) only. */
void nn_forward_eval_upto(nn_net *net, const nn_data *d, int start, int B, int to);

/* train.c: x (B, n_in of layer `from`) through layers [from, to) in
 * evaluation mode; returns layer to-1's out, or x when from == to. */
const float *nn_forward_range(nn_net *net, const float *x, int B, int from, int to);

/* codes.c: the inputs x (B, n_in) of a training batch corrupted by the
 * net's input noise, in xbuf; *y, when it is x (targets = inputs), becomes
 * a clean copy in ybuf. Returns x unchanged when there is no noise. */
const float *nn_noisy_inputs(nn_net *net, const float *x, int B, const float **y);

/* net.c: structure of a data set (pointers, widths), and the range of labels */
int nn_check_data(const nn_net *net, const nn_data *d, int need_targets);
int nn_check_labels(const nn_net *net, const int32_t *label, int n);
float nn_default_threshold(int out_act);

#endif
