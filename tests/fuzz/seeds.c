/* seeds.c: writes the seed corpora of the fuzz harnesses into the folder
 * given (make fuzz-seeds: tests/fuzz/corpus/<harness>/). Saved nets of every
 * layer kind, optimiser and loss for fuzz_load, one input per selector for
 * fuzz_kernels, one per data set for fuzz_data, a few net descriptions for
 * fuzz_train (an autoencoder among them), one stepper per optimiser
 * descending a surface for fuzz_optim. Deterministic: the same files every time. */
#include "nn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *root;

static void write_file(const char *harness, const char *name, const uint8_t *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", root, harness, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        fprintf(stderr, "seeds: cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

static void save_net(const char *name, nn_net *net)
{
    size_t n = nn_save_size(net);
    uint8_t *buf = malloc(n);
    if (nn_save(net, buf, n, NULL) != NN_OK)
        exit(1);
    write_file("fuzz_load", name, buf, n);
    free(buf);
    nn_free(net);
}

static void load_seeds(void)
{
    float x[24];
    int32_t lab[12];
    float y[12];
    for (int i = 0; i < 24; i++)
        x[i] = (float)((i * 5) % 7) / 3.0f - 1.0f;
    for (int i = 0; i < 12; i++) {
        lab[i] = i % 3;
        y[i] = (float)(i % 2);
    }
    nn_layer_spec a[] = {nn_dense(4), nn_batchnorm(), nn_prelu(0.25f, 1), nn_dropout(0.2f), nn_dense(3)};
    nn_config ca = {.n_in = 2, .n_layers = 5, .layers = a, .output = NN_ACT_SOFTMAX,
                    .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 4, .seed = 1};
    nn_net *net = nn_create(&ca, NULL);
    nn_optim adam = nn_optim_default(NN_OPT_ADAM);
    nn_set_optimizer(net, &adam);
    nn_data d = {.x = x, .label = lab, .n = 12, .dx = 2};
    nn_train(net, &d, 4, 2, NULL); // mid-epoch
    save_net("softmax-bn-prelu-dropout-adam-midepoch", net);

    nn_layer_spec b[] = {nn_dense(3), nn_activation(NN_ACT_TANH), nn_dense(1)};
    nn_config cb = {.n_in = 2, .n_layers = 3, .layers = b, .output = NN_ACT_SIGMOID,
                    .loss = NN_LOSS_BCE, .max_batch = 8, .seed = 2};
    net = nn_create(&cb, NULL);
    nn_optim mom = nn_optim_default(NN_OPT_NESTEROV);
    mom.decay = 0.01f;
    nn_set_optimizer(net, &mom);
    nn_set_regularization(net, 0.001f, 0.01f);
    nn_set_shuffle(net, 0);
    nn_data db = {.x = x, .y = y, .n = 12, .dx = 2, .dy = 1};
    nn_train(net, &db, 8, 3, NULL);
    save_net("bce-nesterov-l1l2-noshuffle", net);

    nn_layer_spec c[] = {nn_dense(2), nn_activation(NN_ACT_ELU), nn_dense(1)};
    nn_config cc = {.n_in = 1, .n_layers = 3, .layers = c, .output = NN_ACT_LINEAR,
                    .loss = NN_LOSS_MSE, .max_batch = 2, .seed = 3};
    net = nn_create(&cc, NULL);
    nn_init in = {.scheme = NN_INIT_CONST, .w_const = 0.5f, .b_const = 0.1f};
    nn_set_init(net, &in);
    nn_optim rms = nn_optim_default(NN_OPT_RMSPROP);
    nn_set_optimizer(net, &rms);
    save_net("mse-rmsprop-constant-init", net);

    nn_layer_spec e[] = {nn_dense(1)};
    nn_config ce = {.n_in = 1, .n_layers = 1, .layers = e, .output = NN_ACT_TANH,
                    .loss = NN_LOSS_SE_HALF, .max_batch = 1, .seed = 4};
    net = nn_create(&ce, NULL);
    nn_optim ada = nn_optim_default(NN_OPT_ADAGRAD);
    nn_set_optimizer(net, &ada);
    save_net("tanh-neuron-adagrad", net);

    // a conv autoencoder on 1 x 4 x 4 images, mid-epoch with Adam
    nn_layer_spec f[] = {nn_conv(2, 3, 1, 1), nn_maxpool(2, 2), nn_dense(3), nn_dense(8),
                         nn_activation(NN_ACT_TANH), nn_reshape(2, 2, 2), nn_upsample(2), nn_conv(1, 3, 1, 1)};
    nn_config cf = {.n_in = 16, .n_layers = 8, .layers = f, .output = NN_ACT_SIGMOID, .loss = NN_LOSS_BCE,
                    .max_batch = 2, .seed = 5, .channels = 1, .height = 4, .width = 4};
    net = nn_create(&cf, NULL);
    nn_set_optimizer(net, &adam);
    float img[48];
    for (int i = 0; i < 48; i++)
        img[i] = (float)((i * 7) % 5) / 4.0f;
    nn_data df = {.x = img, .y = img, .n = 3, .dx = 16, .dy = 16};
    nn_train(net, &df, 2, 1, NULL); // mid-epoch
    save_net("conv-autoencoder-adam-midepoch", net);
}

/* A few bytes from a fixed generator, with the first ones given. */
static void bytes_seed(const char *harness, const char *name, const uint8_t *head, size_t nh, size_t n, uint32_t s)
{
    uint8_t buf[512];
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        buf[i] = i < nh ? head[i] : (uint8_t)(s >> 24);
    }
    write_file(harness, name, buf, n);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: seeds CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    load_seeds();
    char name[32];
    for (int k = 0; k < 16; k++) {
        uint8_t head[4] = {(uint8_t)k, 200, (uint8_t)(17 + 8 * k), 1};
        snprintf(name, sizeof name, "kernel-%02d", k);
        bytes_seed("fuzz_kernels", name, head, 4, 400, (uint32_t)k + 1u);
    }
    for (int k = 0; k < NN_DATA_COUNT; k++) {
        uint8_t head[8] = {(uint8_t)(k + 1), 0, 100, 0, 0, 0, 4, 100};
        snprintf(name, sizeof name, "dataset-%d", k);
        bytes_seed("fuzz_data", name, head, 8, 24, (uint32_t)k + 7u);
    }
    // n_in 2, 3 layers: dense 8, act tanh, dense; softmax + CE; then settings
    uint8_t mlp[] = {1, 2, 0, 8, 0, 0, 20, 0, 1, 0, 2, 0, 20, 0, 20, 0, 0, 0, 0, 0, 20, 0, 20, 0, 0, 3, 10, 3, 8};
    bytes_seed("fuzz_train", "softmax-mlp", mlp, sizeof mlp, 300, 11);
    uint8_t bn[] = {0, 4, 0, 5, 0, 0, 20, 0, 20, 0, 3, 0, 0, 0, 20, 25, 20, 5, 1, 0, 5, 0, 20, 0, 20, 0, 0, 1, 2, 2, 6};
    bytes_seed("fuzz_train", "bn-bce", bn, sizeof bn, 300, 12);
    bytes_seed("fuzz_train", "random", NULL, 0, 300, 13);
    // a 1 x 7 x 7 image: conv 3@3x3 pad 1, tanh, max pool 2, dense; softmax + CE
    uint8_t cnn[] = {0, 1, 6, 6, 3,
                     NN_LAYER_CONV, 3, 0, 0, 20, 0, 20, 0, 3, 1, 1,
                     NN_LAYER_ACT, 0, NN_ACT_TANH, 0, 20, 0, 20, 0, 0, 0, 0,
                     NN_LAYER_MAXPOOL, 0, 0, 0, 20, 0, 20, 0, 2, 2, 0,
                     NN_LAYER_DENSE, 3, 0, 0, 20, 0, 20, 0, 0, 0, 0,
                     0, 2, NN_ACT_SOFTMAX, NN_LOSS_SOFTMAX_CE, 8};
    bytes_seed("fuzz_train", "cnn", cnn, sizeof cnn, 400, 14);
    // a conv decoder on a 1 x 4 x 4 image: dense 8, tanh, reshape 2 x 2 x 2,
    // upsample 2, conv 1@3x3 pad 1 as the last layer (kept: 255); sigmoid + BCE
    uint8_t ae[] = {0, 1, 3, 3, 4,
                    NN_LAYER_DENSE, 8, 0, 0, 20, 0, 20, 0, 0, 0, 0,
                    NN_LAYER_ACT, 0, NN_ACT_TANH, 0, 20, 0, 20, 0, 0, 0, 0,
                    NN_LAYER_RESHAPE, 2, 0, 0, 20, 0, 20, 0, 2, 2, 0,
                    NN_LAYER_UPSAMPLE, 0, 0, 0, 20, 0, 20, 0, 0, 2, 0,
                    NN_LAYER_CONV, 1, 0, 0, 20, 0, 20, 0, 3, 1, 1,
                    255, NN_ACT_SIGMOID, NN_LOSS_BCE, 8};
    bytes_seed("fuzz_train", "conv-autoencoder", ae, sizeof ae, 400, 15);
    // an autoencoder 4 -> 2 tanh -> 4 (dense 4 kept by the byte after the layers),
    // sigmoid + BCE, max batch 8: reaches the targets = inputs calls of codes()
    uint8_t dae[] = {3, 0, 2,
                    NN_LAYER_DENSE, 2, 0, 0, 20, 0, 20, 0, 0, 0, 0,
                    NN_LAYER_ACT, 0, NN_ACT_TANH, 0, 20, 0, 20, 0, 0, 0, 0,
                    NN_LAYER_DENSE, 4, 0, 0, 20, 0, 20, 0, 0, 0, 0,
                    0, 3, NN_ACT_SIGMOID, NN_LOSS_BCE, 8};
    bytes_seed("fuzz_train", "autoencoder", dae, sizeof dae, 400, 15);
    // a stepper of 2 parameters per optimiser (lr 0.08, beta1 0.9, beta2 0.9996), from (-2.06, 1.7):
    // a descent of 40 updates on surface k, then settings, steps and evaluations
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        uint8_t head[] = {(uint8_t)(k + 1), 20, 10, 20, 230, 20, 254, 20, 0, 20, 0, 1, 20, 40, 20, 200,
                          4, (uint8_t)k, 40, 1, 0, 0, 0};
        snprintf(name, sizeof name, "stepper-%d", k);
        bytes_seed("fuzz_optim", name, head, sizeof head, 200, (uint32_t)k + 21u);
    }
    return 0;
}
