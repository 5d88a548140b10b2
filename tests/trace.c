/* trace.c: prints the first 100 training losses of a fixed run (spiral data,
 * 2-8-8-2 tanh with dropout and batch norm, softmax-CE, Adam, batch 10), one
 * per line as %.9g. tests/wasm_agree.test.mjs runs the same through the wasm
 * build and compares: native and wasm must agree within 1e-5 relative.
 * `trace autoencoder` prints 40 losses of a conv autoencoder instead (for
 * tests/wasm_upsample.test.mjs). */
#include "nn.h"

#include <stdio.h>
#include <string.h>

/* A conv autoencoder on 24 images 1 x 8 x 8 of bars (image k: a vertical bar
 * at column k / 2 mod 8 for odd k, else a horizontal one at that row):
 * conv 4@3x3 pad 1, relu, max pool 2, dense 6 (the code), dense 32, relu,
 * reshape 2 x 4 x 4, upsample 2, conv 1@3x3 pad 1; sigmoid + BCE, Adam 0.01,
 * batch 8. */
static int autoencoder(void)
{
    static float x[24 * 64];
    for (int i = 0; i < 24 * 64; i++) {
        int k = i / 64, y = i % 64 / 8, col = i % 8;
        x[i] = (k % 2 ? col : y) == k / 2 % 8 ? 1.0f : 0.0f;
    }
    nn_layer_spec layers[] = {nn_conv(4, 3, 1, 1), nn_activation(NN_ACT_RELU), nn_maxpool(2, 2), nn_dense(6),
                              nn_dense(32), nn_activation(NN_ACT_RELU), nn_reshape(2, 4, 4), nn_upsample(2),
                              nn_conv(1, 3, 1, 1)};
    nn_config cfg = {.n_in = 64, .n_layers = 9, .layers = layers, .output = NN_ACT_SIGMOID, .loss = NN_LOSS_BCE,
                     .max_batch = 8, .seed = 5, .channels = 1, .height = 8, .width = 8};
    nn_net *net = nn_create(&cfg, NULL);
    nn_optim adam = nn_optim_default(NN_OPT_ADAM);
    adam.lr = 0.01f;
    if (!net || nn_set_optimizer(net, &adam) != NN_OK)
        return 1;
    nn_data d = {.x = x, .y = x, .n = 24, .dx = 64, .dy = 64};
    for (int i = 0; i < 40; i++) {
        nn_report r;
        if (nn_train(net, &d, 8, 1, &r) != NN_OK)
            return 1;
        printf("%.9g\n", r.loss);
    }
    nn_free(net);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "autoencoder") == 0)
        return autoencoder();
    static float x[200 * 2];
    static int32_t label[200];
    if (nn_dataset_generate(NN_DATA_SPIRAL, 200, 2, 0.2f, 3, x, NULL, label) != NN_OK)
        return 1;
    nn_layer_spec layers[] = {nn_dense(8), nn_batchnorm(), nn_activation(NN_ACT_TANH),
                              nn_dropout(0.1f), nn_dense(8), nn_activation(NN_ACT_TANH), nn_dense(2)};
    nn_config cfg = {.n_in = 2, .n_layers = 7, .layers = layers, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 10, .seed = 11};
    nn_net *net = nn_create(&cfg, NULL);
    nn_optim adam = nn_optim_default(NN_OPT_ADAM);
    adam.lr = 0.01f;
    if (!net || nn_set_optimizer(net, &adam) != NN_OK)
        return 1;
    nn_data d = {.x = x, .label = label, .n = 200, .dx = 2};
    for (int i = 0; i < 100; i++) {
        nn_report r;
        if (nn_train(net, &d, 10, 1, &r) != NN_OK)
            return 1;
        printf("%.9g\n", r.loss);
    }
    nn_free(net);
    return 0;
}
