/* trace.c: prints the first 100 training losses of a fixed run (spiral data,
 * 2-8-8-2 tanh with dropout and batch norm, softmax-CE, Adam, batch 10), one
 * per line as %.9g. tests/wasm_agree.test.mjs runs the same through the wasm
 * build and compares: native and wasm must agree within 1e-5 relative. */
#include "nn.h"

#include <stdio.h>

int main(void)
{
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
