/* test_course.c: the worked example of COURSE.md section 4, one SGD step of
 * backpropagation on a 2-2-2 sigmoid net with E = 1/2 sum (t - o)^2. Every
 * value the course lists (computed in float64) is checked to 1e-6. The numbers
 * come from course.h, generated from tests/course_fixture.json. */
#include "check.h"
#include "course.h"
#include "nn.h"

#define TOL course.tolerance

// layout of nn_params and nn_grads: W_hid (2,2), b_hid (2), W_out (2,2), b_out (2)
enum { W_HID = 0, B_HID = 4, W_OUT = 6, B_OUT = 10 };

// one part of the parameters (or gradients) against the course's values
static void check_part(const float *got, const double *want, int n, const char *part, const char *what)
{
    char name[64];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s[%d] %s", part, i, what);
        CHECK_NEAR(got[i], want[i], TOL, name);
    }
}

static void check_params(const float *got, const course_params *want, const char *what)
{
    check_part(got + W_HID, want->W_hid, 4, "W_hid", what);
    check_part(got + B_HID, want->b_hid, 2, "b_hid", what);
    check_part(got + W_OUT, want->W_out, 4, "W_out", what);
    check_part(got + B_OUT, want->b_out, 2, "b_out", what);
}

static void put(float *dst, const double *src, int n)
{
    for (int i = 0; i < n; i++)
        dst[i] = (float)src[i];
}

static nn_net *course_net(void)
{
    nn_layer_spec layers[] = {nn_dense(2), nn_activation(NN_ACT_SIGMOID), nn_dense(2)};
    nn_config cfg = {.n_in = 2, .n_layers = 3, .layers = layers, .output = NN_ACT_SIGMOID,
                     .loss = NN_LOSS_SE_HALF, .max_batch = 4, .seed = 1};
    int st;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "create: %s", nn_strerror(st));
    CHECK(nn_param_count(net) == 12, "param count %d", nn_param_count(net));
    float *p = nn_params(net);
    put(p + W_HID, course.start.W_hid, 4);
    put(p + B_HID, course.start.b_hid, 2);
    put(p + W_OUT, course.start.W_out, 4);
    put(p + B_OUT, course.start.b_out, 2);
    nn_optim o = nn_optim_default(NN_OPT_SGD);
    o.lr = (float)course.lr;
    CHECK_OK(nn_set_optimizer(net, &o));
    return net;
}

int main(void)
{
    const float x[2] = {(float)course.x[0], (float)course.x[1]};
    const float t[2] = {(float)course.t[0], (float)course.t[1]};
    nn_data one = {.x = x, .y = t, .n = 1, .dx = 2, .dy = 2};
    nn_net *net = course_net();

    // forward: hidden activations are the output of layer 1 (the sigmoid)
    CHECK(nn_activation_width(net) == 6, "width");
    float act[6];
    CHECK_OK(nn_activations(net, x, 1, act));
    CHECK_NEAR(act[2], course.hidden[0], TOL, "h1");
    CHECK_NEAR(act[3], course.hidden[1], TOL, "h2");
    float o[2];
    CHECK_OK(nn_predict(net, x, 1, o));
    CHECK_NEAR(o[0], course.outputs[0], TOL, "o1");
    CHECK_NEAR(o[1], course.outputs[1], TOL, "o2");

    float E;
    CHECK_OK(nn_loss_grad(net, &one, &E));
    CHECK_NEAR(E, course.E, TOL, "E");
    check_params(nn_grads(net), &course.grad, "gradient");

    // the step, then every parameter and the new error
    float before;
    CHECK_OK(nn_train_batch(net, &one, &before));
    CHECK_NEAR(before, course.E, TOL, "loss reported by the step");
    check_params(nn_params(net), &course.after, "after the step");
    float E2;
    CHECK_OK(nn_loss_only(net, &one, 0, &E2));
    CHECK_NEAR(E2, course.E_after, TOL, "E after the step");
    CHECK(nn_step_count(net) == 1, "step count");
    nn_free(net);

    // biases frozen: apply only the weight part of the same step
    net = course_net();
    CHECK_OK(nn_loss_grad(net, &one, &E));
    float *pp = nn_params(net);
    const float *g = nn_grads(net);
    for (int i = 0; i < 4; i++) {
        pp[W_HID + i] -= (float)course.lr * g[W_HID + i];
        pp[W_OUT + i] -= (float)course.lr * g[W_OUT + i];
    }
    CHECK_OK(nn_loss_only(net, &one, 0, &E2));
    CHECK_NEAR(E2, course.E_after_frozen_biases, TOL, "E after the step, biases frozen");
    nn_free(net);
    CHECK_DONE();
}
