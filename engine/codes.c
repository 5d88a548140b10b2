/* codes.c: what an autoencoder needs beyond a classifier's training: the
 * outputs of one layer for a whole set (the codes, nn_encode), the rest of
 * the net run from given codes (nn_decode), and the corruption of the inputs
 * of a denoising autoencoder (nn_set_input_noise while training, nn_corrupt
 * to show it). Targets equal to the inputs are read in engine/train.c. */
#include "net.h"

#include <math.h>
#include <string.h>

/* The PCG32 sequence nn_corrupt draws from (the data generators have theirs). */
#define CORRUPT_STREAM 0x6e6f6973u

static int check_noise(int kind, float amount)
{
    if (kind < 0 || kind >= NN_NOISE_COUNT)
        return NN_ERR_ENUM;
    if (!(amount >= 0.0f && isfinite(amount)))
        return NN_ERR_VALUE;
    return kind == NN_NOISE_MASK && amount > 1.0f ? NN_ERR_VALUE : NN_OK;
}

/* The one definition of the corruption: len values of x in place. */
static void corrupt(nn_rng *r, float *x, size_t len, int kind, float amount)
{
    if (kind == NN_NOISE_MASK) {
        for (size_t i = 0; i < len; i++)
            if (nn_rng_uniform(r) < amount)
                x[i] = 0.0f;
    } else if (kind == NN_NOISE_GAUSSIAN) {
        for (size_t i = 0; i < len; i++)
            x[i] += amount * nn_rng_normal(r);
    }
}

int nn_set_input_noise(nn_net *net, int kind, float amount)
{
    if (!net)
        return NN_ERR_NULL;
    int rc = check_noise(kind, amount);
    if (rc)
        return rc;
    net->noise_kind = kind;
    net->noise_amount = amount;
    return NN_OK;
}

int nn_get_input_noise(const nn_net *net, int *kind, float *amount)
{
    if (!net || !kind || !amount)
        return NN_ERR_NULL;
    *kind = net->noise_kind;
    *amount = net->noise_amount;
    return NN_OK;
}

int nn_corrupt(float *x, int n, int d, int kind, float amount, uint32_t seed)
{
    if (n < 0 || d < 1)
        return NN_ERR_SIZE;
    if (n > 0 && !x)
        return NN_ERR_NULL;
    int rc = check_noise(kind, amount);
    if (rc)
        return rc;
    nn_rng r;
    nn_rng_seed(&r, seed, CORRUPT_STREAM);
    corrupt(&r, x, (size_t)n * (size_t)d, kind, amount);
    return NN_OK;
}

const float *nn_noisy_inputs(nn_net *net, const float *x, int B, const float **y)
{
    // nothing drawn without noise: a net trains to the same bits as before noise existed
    if (net->noise_kind == NN_NOISE_NONE)
        return x;
    size_t len = (size_t)B * (size_t)net->cfg.n_in;
    if (*y == x) {
        // the clean inputs stay the targets (n_out = n_in when targets are inputs)
        memcpy(net->ybuf, x, len * sizeof(float));
        *y = net->ybuf;
    }
    if (x != net->xbuf)
        memcpy(net->xbuf, x, len * sizeof(float));
    corrupt(&net->rng[NN_STREAM_DROPOUT], net->xbuf, len, net->noise_kind, net->noise_amount);
    return net->xbuf;
}

static int check_layer(const nn_net *net, int k)
{
    return k >= 0 && k < net->n_layers ? NN_OK : NN_ERR_SIZE;
}

int nn_encode(nn_net *net, int k, const nn_data *d, float *out)
{
    int rc = nn_check_data(net, d, 0);
    if (rc)
        return rc;
    if ((rc = check_layer(net, k)))
        return rc;
    if (d->n > 0 && !out)
        return NN_ERR_NULL;
    int mb = net->cfg.max_batch, w = net->layers[k].n_out;
    for (int i = 0; i < d->n; i += mb) {
        int B = d->n - i < mb ? d->n - i : mb;
        // bytes are converted into xbuf a chunk at a time, as nn_evaluate does
        nn_forward_eval_upto(net, d, i, B, k + 1);
        memcpy(out + (size_t)i * w, net->layers[k].out, (size_t)B * w * sizeof(float));
    }
    return NN_OK;
}

int nn_decode(nn_net *net, int k, const float *act, int n, float *out)
{
    if (!net || (n > 0 && (!act || !out)))
        return NN_ERR_NULL;
    if (n < 0)
        return NN_ERR_SIZE;
    int rc = check_layer(net, k);
    if (rc)
        return rc;
    int mb = net->cfg.max_batch, w = net->layers[k].n_out, n_out = net->n_out;
    for (int i = 0; i < n; i += mb) {
        int B = n - i < mb ? n - i : mb;
        const float *z = nn_forward_range(net, act + (size_t)i * w, B, k + 1, net->n_layers);
        nn_output_forward(out + (size_t)i * n_out, z, B, n_out, net->cfg.output, NULL);
    }
    return NN_OK;
}
