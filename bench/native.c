/* native.c: the native engine of the benchmark suite. bench/run.mjs spawns it
 * once per round; it runs each selected case once through engine/nn.h (built
 * -O3 with the SIMD kernels, as the wasm SIMD build) and prints one JSON line:
 *   {"2d-train": samples/s, "grid-100": ms, "grid-300": ms, "mnist-train":
 *    samples/s, "mnist-infer": samples/s, "cnn-train": samples/s, "checks": {...}}
 * Arguments are key=value (see usage()); MNIST comes as raw files written by
 * run.mjs: float32 pixels in [0, 1] (n, 784) and int32 labels (n). */
#define _POSIX_C_SOURCE 199309L
#include "nn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PIXELS 784
#define CNN_CHECK_N 500   /* the CNN's loss and accuracy on the first test digits, as cases.mjs */

typedef struct {
    const char *train_x, *train_labels, *test_x, *test_labels;
    double train_ms, eval_ms, cnn_ms;   /* time budget of a training case, a predict case, the CNN */
    int max_batch_2d, max_batch_mnist;
    const char *cases;                  /* comma list of case ids to run; NULL: all */
} options;

/* A unit of work to time: returns how many samples (or calls) it did. */
typedef double (*step_fn)(void *ctx);

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

/* Runs step for a tenth of the budget untimed (caches, page faults), then
 * for the budget; returns work per second. */
static double per_second(double budget_ms, step_fn step, void *ctx)
{
    double t0 = now_ms(), t;
    do
        step(ctx);
    while (now_ms() - t0 < budget_ms / 10);
    double work = 0;
    t0 = now_ms();
    do {
        work += step(ctx);
        t = now_ms();
    } while (t - t0 < budget_ms);
    return work / ((t - t0) / 1e3);
}

static void die(const char *what, int status)
{
    fprintf(stderr, "bench native: %s: %s\n", what, status ? nn_strerror(status) : "failed");
    exit(1);
}

static void check(int status, const char *what)
{
    if (status)
        die(what, status);
}

/* Reads a whole raw file of `size`-byte elements; *n gets their count. */
static void *read_raw(const char *path, size_t size, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench native: cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = malloc(bytes > 0 ? (size_t)bytes : 1);
    if (!p || bytes < 0 || fread(p, 1, (size_t)bytes, f) != (size_t)bytes || bytes % size) {
        fprintf(stderr, "bench native: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    *n = (size_t)bytes / size;
    return p;
}

/* A labelled set with `n` rows of `dx` features, read from two raw files. */
static nn_data read_set(const char *xs, const char *labels, int dx)
{
    size_t nx, nl;
    float *x = read_raw(xs, sizeof(float) * (size_t)dx, &nx);
    int32_t *lab = read_raw(labels, sizeof(int32_t), &nl);
    if (nx != nl) {
        fprintf(stderr, "bench native: %s has %zu rows, %s %zu labels\n", xs, nx, labels, nl);
        exit(1);
    }
    return (nn_data){.x = x, .label = lab, .n = (int32_t)nx, .dx = dx};
}

/* An MLP with `hidden` units per hidden layer, softmax cross-entropy, SGD. */
static nn_net *mlp(int n_in, const int *hidden, int n_hidden, int act, int n_out, float lr, int max_batch)
{
    nn_layer_spec specs[16];
    int k = 0;
    for (int i = 0; i < n_hidden; i++) {
        specs[k++] = nn_dense(hidden[i]);
        specs[k++] = nn_activation(act);
    }
    specs[k++] = nn_dense(n_out);
    nn_config cfg = {.n_in = n_in, .n_layers = k, .layers = specs, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = max_batch, .seed = 1};
    int status;
    nn_net *net = nn_create(&cfg, &status);
    if (!net)
        die("nn_create", status);
    nn_optim opt = nn_optim_default(NN_OPT_SGD);
    opt.lr = lr;
    check(nn_set_optimizer(net, &opt), "nn_set_optimizer");
    return net;
}

/* ---- Cases ----------------------------------------------------------------- */

typedef struct {
    nn_net *net;
    const nn_data *data;
    int batch, steps;       /* training: steps of batch examples per call */
    const float *x;         /* predict: inputs (n, n_in) */
    float *out;             /* predict: outputs (n, n_out) */
    int n;
} job;

static double train_step(void *ctx)
{
    job *j = ctx;
    nn_report rep;
    check(nn_train(j->net, j->data, j->batch, j->steps, &rep), "nn_train");
    return (double)rep.steps * j->batch;
}

static double predict_step(void *ctx)
{
    job *j = ctx;
    check(nn_predict(j->net, j->x, j->n, j->out), "nn_predict");
    return j->n;
}

/* Cell centres of a side x side grid over [-6, 6]^2, as bench/cases.mjs. */
static float *grid(int side)
{
    float *x = malloc(sizeof(float) * 2 * (size_t)side * side);
    if (!x)
        die("grid", NN_ERR_NOMEM);
    for (int i = 0; i < side; i++)
        for (int j = 0; j < side; j++) {
            x[2 * (i * side + j)] = -6.0f + 12.0f * ((float)j + 0.5f) / (float)side;
            x[2 * (i * side + j) + 1] = 6.0f - 12.0f * ((float)i + 0.5f) / (float)side;
        }
    return x;
}

/* ms per grid of side x side predictions. */
static double grid_ms(nn_net *net, int side, double budget_ms)
{
    int n = side * side;
    float *out = malloc(sizeof(float) * 2 * (size_t)n);
    float *x = grid(side);
    if (!out)
        die("grid", NN_ERR_NOMEM);
    job j = {net, NULL, 0, 0, x, out, n};
    double calls = per_second(budget_ms, predict_step, &j) / n;
    free(x);
    free(out);
    return 1e3 / calls;
}

static void case_2d(const options *o, double *train, double *g100, double *g300, float *acc)
{
    static float x[200 * 2];
    static int32_t lab[200];
    check(nn_dataset_generate(NN_DATA_CIRCLE, 200, 2, 0.0f, 1, x, NULL, lab), "nn_dataset_generate");
    nn_data d = {.x = x, .label = lab, .n = 200, .dx = 2};
    nn_net *net = mlp(2, (const int[]){8, 8}, 2, NN_ACT_TANH, 2, 0.03f, o->max_batch_2d);
    job j = {net, &d, 10, 200, NULL, NULL, 0};
    *train = per_second(o->train_ms, train_step, &j);
    *g100 = grid_ms(net, 100, o->eval_ms);
    *g300 = grid_ms(net, 300, o->eval_ms);
    check(nn_evaluate(net, &d, NULL, acc), "nn_evaluate");
    nn_free(net);
}

static void case_mnist(const options *o, const nn_data *tr, const nn_data *te, double *train, double *infer,
                       float *acc)
{
    nn_net *net = mlp(PIXELS, (const int[]){120, 80}, 2, NN_ACT_SIGMOID, 10, 0.1f, o->max_batch_mnist);
    job j = {net, tr, 64, 10, NULL, NULL, 0};
    *train = per_second(o->train_ms, train_step, &j);
    float *out = malloc(sizeof(float) * 10 * (size_t)te->n);
    if (!out)
        die("mnist", NN_ERR_NOMEM);
    job p = {net, NULL, 0, 0, te->x, out, te->n};
    *infer = per_second(o->eval_ms, predict_step, &p);
    check(nn_evaluate(net, te, NULL, acc), "nn_evaluate");
    nn_free(net);
    free(out);
}

/* GFLOP/s of an n x n dense layer (linear output) predicting n rows: one
 * n x n x n GEMM, the input from the same LCG as bench/cases.mjs gemmInput. */
static double case_gemm(const options *o, int n)
{
    const nn_layer_spec specs[] = {nn_dense(n)};
    nn_config cfg = {.n_in = n, .n_layers = 1, .layers = specs, .output = NN_ACT_LINEAR,
                     .loss = NN_LOSS_MSE, .max_batch = n, .seed = 1};
    int status;
    nn_net *net = nn_create(&cfg, &status);
    if (!net)
        die("nn_create (GEMM)", status);
    size_t len = (size_t)n * (size_t)n;
    float *x = malloc(sizeof(float) * len), *out = malloc(sizeof(float) * len);
    if (!x || !out)
        die("gemm", NN_ERR_NOMEM);
    uint32_t s = 12345;
    for (size_t i = 0; i < len; i++) {
        s = s * 1103515245u + 12345u;
        x[i] = (float)((double)s / 2147483648.0 - 1.0);
    }
    job j = {net, NULL, 0, 0, x, out, n};
    double calls = per_second(o->eval_ms, predict_step, &j) / n;
    nn_free(net);
    free(x);
    free(out);
    return 2.0 * n * n * (double)n * calls / 1e9;
}

typedef struct {
    float loss_start, loss, accuracy;   /* on the first CNN_CHECK_N test digits */
    int params[3];                      /* per layer with parameters: conv1, conv2, dense */
} cnn_checks;

/* ConvNetJS's MNIST net (bench/cases.mjs NET_CNN): conv 8@5x5 pad 2, ReLU,
 * max pool 2, conv 16@5x5 pad 2, ReLU, max pool 3, dense 10, softmax; SGD 0.01. */
static nn_net *cnn(void)
{
    const nn_layer_spec specs[] = {
        nn_conv(8, 5, 1, 2), nn_activation(NN_ACT_RELU), nn_maxpool(2, 2),
        nn_conv(16, 5, 1, 2), nn_activation(NN_ACT_RELU), nn_maxpool(3, 3), nn_dense(10),
    };
    nn_config cfg = {.n_in = PIXELS, .n_layers = 7, .layers = specs, .output = NN_ACT_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .max_batch = 20, .seed = 1, .channels = 1, .height = 28,
                     .width = 28};
    int status;
    nn_net *net = nn_create(&cfg, &status);
    if (!net)
        die("nn_create (CNN)", status);
    nn_optim opt = nn_optim_default(NN_OPT_SGD);
    opt.lr = 0.01f;
    check(nn_set_optimizer(net, &opt), "nn_set_optimizer");
    return net;
}

static void case_cnn(const options *o, const nn_data *tr, const nn_data *te, double *train, cnn_checks *c)
{
    nn_net *net = cnn();
    nn_data first = *te;
    first.n = first.n < CNN_CHECK_N ? first.n : CNN_CHECK_N;
    check(nn_evaluate(net, &first, &c->loss_start, NULL), "nn_evaluate");
    job j = {net, tr, 20, 5, NULL, NULL, 0};
    *train = per_second(o->cnn_ms, train_step, &j);
    check(nn_evaluate(net, &first, &c->loss, &c->accuracy), "nn_evaluate");
    for (int k = 0, n = 0; k < nn_layer_count(net) && n < 3; k++) {
        nn_layer_info info;
        check(nn_layer_info_get(net, k, &info), "nn_layer_info_get");
        if (info.w_len + info.b_len > 0)
            c->params[n++] = info.w_len + info.b_len;
    }
    nn_free(net);
}

/* ---- Command line ---------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: native train-x=F train-labels=F test-x=F test-labels=F "
                    "[train-ms=700] [eval-ms=250] [cnn-ms=1500] [max-batch-2d=N] [max-batch-mnist=N] "
                    "[cases=id,id,...]\n");
    exit(2);
}

static options parse(int argc, char **argv)
{
    options o = {NULL, NULL, NULL, NULL, 700, 250, 1500, 1024, 256, NULL};
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq)
            usage();
        *eq = '\0';
        const char *k = argv[i], *v = eq + 1;
        if (!strcmp(k, "train-x")) o.train_x = v;
        else if (!strcmp(k, "train-labels")) o.train_labels = v;
        else if (!strcmp(k, "test-x")) o.test_x = v;
        else if (!strcmp(k, "test-labels")) o.test_labels = v;
        else if (!strcmp(k, "train-ms")) o.train_ms = atof(v);
        else if (!strcmp(k, "eval-ms")) o.eval_ms = atof(v);
        else if (!strcmp(k, "cnn-ms")) o.cnn_ms = atof(v);
        else if (!strcmp(k, "cases")) o.cases = v;
        else if (!strcmp(k, "max-batch-2d")) o.max_batch_2d = atoi(v);
        else if (!strcmp(k, "max-batch-mnist")) o.max_batch_mnist = atoi(v);
        else usage();
    }
    if (!o.train_x || !o.train_labels || !o.test_x || !o.test_labels || o.train_ms <= 0 || o.eval_ms <= 0
        || o.cnn_ms <= 0)
        usage();
    return o;
}

/* Appends to the string buf of capacity cap, holding *n characters; exits
 * rather than truncate. */
static void append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= cap - *n)
        die("JSON line", NN_ERR_SIZE);
    *n += (size_t)k;
}

/* Whether case `id` is in the comma list of o->cases (all when none given). */
static int wants(const options *o, const char *id)
{
    if (!o->cases)
        return 1;
    size_t n = strlen(id);
    for (const char *p = o->cases; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, id, n))
            return 1;
        p += len + (end != NULL);
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o = parse(argc, argv);
    // the JSON line, as the cases finish: values first, then the checks
    char values[512] = "", checks[512] = "";
    size_t nv = 0, nc = 0;
#define ADD(buf, n, ...) append(buf, sizeof buf, &n, __VA_ARGS__)
    if (wants(&o, "2d-train") || wants(&o, "grid-100") || wants(&o, "grid-300")) {
        double train2d, g100, g300;
        float acc2d;
        case_2d(&o, &train2d, &g100, &g300, &acc2d);
        ADD(values, nv, "\"2d-train\": %.6g, \"grid-100\": %.6g, \"grid-300\": %.6g, ", train2d, g100, g300);
        ADD(checks, nc, "\"2d-accuracy\": %.4f, ", acc2d);
    }
    nn_data tr = read_set(o.train_x, o.train_labels, PIXELS);
    nn_data te = read_set(o.test_x, o.test_labels, PIXELS);
    if (wants(&o, "mnist-train") || wants(&o, "mnist-infer")) {
        double train_mnist, infer;
        float acc_mnist;
        case_mnist(&o, &tr, &te, &train_mnist, &infer, &acc_mnist);
        // digits trained: the timed budget at the measured rate plus the untimed tenth
        ADD(values, nv, "\"mnist-train\": %.6g, \"mnist-infer\": %.6g, ", train_mnist, infer);
        ADD(checks, nc, "\"mnist-accuracy\": %.4f, \"mnist-trained\": %.0f, ", acc_mnist,
            train_mnist * o.train_ms * 1.1 / 1e3);
    }
    if (wants(&o, "cnn-train")) {
        double train_cnn;
        cnn_checks c = {0};
        case_cnn(&o, &tr, &te, &train_cnn, &c);
        ADD(values, nv, "\"cnn-train\": %.6g, ", train_cnn);
        ADD(checks, nc, "\"cnn-loss-start\": %.4f, \"cnn-loss\": %.4f, \"cnn-accuracy\": %.4f, "
            "\"cnn-trained\": %.0f, \"cnn-params\": [%d, %d, %d], ", c.loss_start, c.loss, c.accuracy,
            train_cnn * o.cnn_ms * 1.1 / 1e3, c.params[0], c.params[1], c.params[2]);
    }
    if (wants(&o, "gemm-512"))
        ADD(values, nv, "\"gemm-512\": %.6g, ", case_gemm(&o, 512));
    if (wants(&o, "gemm-1024"))
        ADD(values, nv, "\"gemm-1024\": %.6g, ", case_gemm(&o, 1024));
#undef ADD
    if (nc >= 2)
        checks[nc - 2] = '\0';   // drop the last ", "
    printf("{%s\"checks\": {%s}}\n", values, checks);
    free((void *)tr.x);
    free((void *)tr.label);
    free((void *)te.x);
    free((void *)te.label);
    return 0;
}
