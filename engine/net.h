/* net.h: the inside of an nn_net, shared by the engine's source files and by
 * no one else. One contiguous parameter array with gradients and optimiser
 * state in the same layout; layers keep offsets into it and own nothing.
 * Every buffer is sized for max_batch when the net is built. */
#ifndef NN_NET_H
#define NN_NET_H

#include "nn.h"
#include "rng.h"

#include <stdint.h>

typedef struct {
    nn_layer_spec spec;
    int n_in, n_out;
    int w_off, w_len;   /* W (DENSE), slopes (PRELU), gamma (BN) in params */
    int b_off, b_len;   /* b (DENSE), beta (BN) */
    int s_off;          /* BN: running mean then running variance in stats */
    int64_t aux_len;    /* floats in aux */
    float *out;         /* (max_batch, n_out): this layer's output */
    float *aux;         /* DENSE: W^T (n_in, n_out); DROPOUT: mask (max_batch, n_out);
                           BN: xhat (max_batch, n_out) then invstd (n_out) */
} nn_layer;

struct nn_net {
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
};

/* What nn_plan computes from a config before anything is allocated. */
typedef struct {
    int n_params, n_stats;
    int n_out, max_width;
    uint64_t bytes;           /* everything nn_create will allocate */
} nn_plan_sizes;

/* net.c: validates cfg and lays out its layers (layers may be NULL). */
int nn_plan(const nn_config *cfg, nn_layer *layers, nn_plan_sizes *sz);

/* layers.c: forward in training or evaluation mode; backward accumulates
 * parameter gradients and writes dx unless it is NULL. update_stats lets a
 * training-mode forward update BN running averages. */
void nn_layer_forward(nn_net *net, nn_layer *L, const float *x, int B, int train, int update_stats);
void nn_layer_backward(nn_net *net, nn_layer *L, float *dx, const float *dy, const float *x, int B);
void nn_layer_init_params(nn_net *net, nn_layer *L);

/* loss.c: the output function, and the loss summed over the B examples with
 * the gradient of the logits times scale (dz may be NULL). */
void nn_output_forward(float *o, const float *z, int B, int n, int out_act, double *lse);
double nn_loss_eval(const nn_net *net, float *dz, float *o, const float *z,
                    const float *y, const int32_t *label, int B, float scale);
/* Number of correct predictions among B rows of o. */
int nn_count_correct(const nn_net *net, const float *o, const float *y,
                     const int32_t *label, int B);

/* optim.c */
void nn_opt_apply_penalty(nn_net *net);
void nn_opt_step(nn_net *net);
void nn_opt_clear(nn_net *net);
int nn_opt_validate(const nn_optim *o);

/* net.c: structure of a data set (pointers, widths), and the range of labels */
int nn_check_data(const nn_net *net, const nn_data *d, int need_targets);
int nn_check_labels(const nn_net *net, const int32_t *label, int n);
float nn_default_threshold(int out_act);

#endif
