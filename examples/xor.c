/* xor.c: the smallest nnplay program. A 2-4-1 tanh network learns XOR, the
 * problem a single neuron cannot solve; the loss is printed as it falls.
 * Build and run: make examples && build/examples/xor */
#include "nn.h"

#include <stdio.h>

int main(void)
{
    // the four corners of the square and their XOR class
    const float x[] = {-1, -1, -1, 1, 1, 1, 1, -1};
    const float y[] = {0, 1, 0, 1};
    nn_data data = {.x = x, .y = y, .n = 4, .dx = 2, .dy = 1};

    nn_layer_spec layers[] = {nn_dense(4), nn_activation(NN_ACT_TANH), nn_dense(1)};
    nn_config cfg = {.n_in = 2, .n_layers = 3, .layers = layers, .output = NN_ACT_SIGMOID,
                     .loss = NN_LOSS_BCE, .max_batch = 4, .seed = 1};
    int status;
    nn_net *net = nn_create(&cfg, &status);
    if (!net) {
        fprintf(stderr, "xor: %s\n", nn_strerror(status));
        return 1;
    }
    nn_optim sgd = nn_optim_default(NN_OPT_SGD);
    sgd.lr = 0.5f;
    nn_set_optimizer(net, &sgd);

    for (int step = 0; step <= 1000; step++) {
        float loss;
        if ((status = nn_train_batch(net, &data, &loss)) != NN_OK) {
            fprintf(stderr, "xor: %s\n", nn_strerror(status));
            return 1;
        }
        if (step % 100 == 0)
            printf("step %4d  loss %.5f\n", step, loss);
    }
    float p[4];
    nn_predict(net, x, 4, p);
    for (int i = 0; i < 4; i++)
        printf("(%+.0f, %+.0f) -> %.3f (target %.0f)\n", x[2 * i], x[2 * i + 1], p[i], y[i]);
    nn_free(net);
    return 0;
}
