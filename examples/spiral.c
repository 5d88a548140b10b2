/* spiral.c: three interleaved spiral arms, classified by a 2-16-16-3 tanh
 * network with softmax and cross-entropy, trained with Adam on mini-batches.
 * Prints train and test loss and accuracy as training goes.
 * Build and run: make examples && build/examples/spiral */
#include "nn.h"

#include <stdio.h>

#define N 600
#define N_TRAIN 480

int main(void)
{
    static float x[N * 2];
    static int32_t label[N];
    // generate, shuffle, then split 80/20 into consecutive slices
    nn_dataset_generate(NN_DATA_SPIRALS, N, 3, 0.1f, 42, x, NULL, label);
    nn_shuffle(x, 2, NULL, 0, label, N, 42);
    nn_data train = {.x = x, .label = label, .n = N_TRAIN, .dx = 2};
    nn_data test = {.x = x + 2 * N_TRAIN, .label = label + N_TRAIN, .n = N - N_TRAIN, .dx = 2};

    nn_layer_spec layers[] = {nn_dense(16), nn_activation(NN_ACT_TANH),
                              nn_dense(16), nn_activation(NN_ACT_TANH), nn_dense(3)};
    nn_config cfg = {.n_in = 2, .n_layers = 5, .layers = layers, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 32, .seed = 7};
    int status;
    nn_net *net = nn_create(&cfg, &status);
    if (!net) {
        fprintf(stderr, "spiral: %s\n", nn_strerror(status));
        return 1;
    }
    nn_optim adam = nn_optim_default(NN_OPT_ADAM);
    adam.lr = 0.01f;
    nn_set_optimizer(net, &adam);

    for (int epoch = 1; epoch <= 300; epoch++) {
        nn_report rep;
        if ((status = nn_train(net, &train, 16, 0, &rep)) != NN_OK) {
            fprintf(stderr, "spiral: %s\n", nn_strerror(status));
            return 1;
        }
        if (epoch % 30 == 0) {
            float tl, ta, vl, va;
            nn_evaluate(net, &train, &tl, &ta);
            nn_evaluate(net, &test, &vl, &va);
            printf("epoch %3d  train loss %.4f acc %5.1f%%  test loss %.4f acc %5.1f%%\n",
                   epoch, tl, 100 * ta, vl, 100 * va);
        }
    }
    nn_free(net);
    return 0;
}
