/* test_course.c: the worked example of COURSE.md section 4, one SGD step of
 * backpropagation on a 2-2-2 sigmoid net with E = 1/2 sum (t - o)^2. Every
 * value the course lists (computed in float64) is checked to 1e-6. */
#include "check.h"
#include "nn.h"

#include <string.h>

#define TOL 1e-6

static nn_net *course_net(void)
{
    nn_layer_spec layers[] = {nn_dense(2), nn_activation(NN_ACT_SIGMOID), nn_dense(2)};
    nn_config cfg = {.n_in = 2, .n_layers = 3, .layers = layers, .output = NN_ACT_SIGMOID,
                     .loss = NN_LOSS_SE_HALF, .max_batch = 4, .seed = 1};
    int st;
    nn_net *net = nn_create(&cfg, &st);
    CHECK(net != NULL, "create: %s", nn_strerror(st));
    // layout: W_hid (2,2), b_hid (2), W_out (2,2), b_out (2)
    const float p[12] = {0.15f, 0.20f, 0.25f, 0.30f, 0.35f, 0.35f,
                         0.40f, 0.45f, 0.50f, 0.55f, 0.60f, 0.60f};
    CHECK(nn_param_count(net) == 12, "param count %d", nn_param_count(net));
    memcpy(nn_params(net), p, sizeof p);
    nn_optim o = nn_optim_default(NN_OPT_SGD);
    o.lr = 0.5f;
    CHECK_OK(nn_set_optimizer(net, &o));
    return net;
}

int main(void)
{
    const float x[2] = {0.05f, 0.10f}, t[2] = {0.01f, 0.99f};
    nn_data one = {.x = x, .y = t, .n = 1, .dx = 2, .dy = 2};
    nn_net *net = course_net();

    // forward: hidden activations are the output of layer 1 (the sigmoid)
    CHECK(nn_activation_width(net) == 6, "width");
    float act[6];
    CHECK_OK(nn_activations(net, x, 1, act));
    CHECK_NEAR(act[2], 0.593269992, TOL, "h1");
    CHECK_NEAR(act[3], 0.596884378, TOL, "h2");
    float o[2];
    CHECK_OK(nn_predict(net, x, 1, o));
    CHECK_NEAR(o[0], 0.751365070, TOL, "o1");
    CHECK_NEAR(o[1], 0.772928465, TOL, "o2");

    float E;
    CHECK_OK(nn_loss_grad(net, &one, &E));
    CHECK_NEAR(E, 0.298371109, TOL, "E");
    const float *g = nn_grads(net);
    const double dWh[4] = {0.000438568, 0.000877135, 0.000497713, 0.000995425};
    const double dbh[2] = {0.008771355, 0.009954255};
    const double dWo[4] = {0.082167041, 0.082667628, -0.022602540, -0.022740242};
    const double dbo[2] = {0.138498562, -0.038098237};
    for (int i = 0; i < 4; i++) {
        CHECK_NEAR(g[i], dWh[i], TOL, "dE/dW_hid");
        CHECK_NEAR(g[6 + i], dWo[i], TOL, "dE/dW_out");
    }
    for (int i = 0; i < 2; i++) {
        CHECK_NEAR(g[4 + i], dbh[i], TOL, "dE/db_hid");
        CHECK_NEAR(g[10 + i], dbo[i], TOL, "dE/db_out");
    }

    // the step, then every parameter and the new error
    float before;
    CHECK_OK(nn_train_batch(net, &one, &before));
    CHECK_NEAR(before, 0.298371109, TOL, "loss reported by the step");
    const float *p = nn_params(net);
    const double Wh[4] = {0.149780716, 0.199561432, 0.249751144, 0.299502287};
    const double bh[2] = {0.345614323, 0.345022873};
    const double Wo[4] = {0.358916480, 0.408666186, 0.511301270, 0.561370121};
    const double bo[2] = {0.530750719, 0.619049118};
    for (int i = 0; i < 4; i++) {
        CHECK_NEAR(p[i], Wh[i], TOL, "W_hid after");
        CHECK_NEAR(p[6 + i], Wo[i], TOL, "W_out after");
    }
    for (int i = 0; i < 2; i++) {
        CHECK_NEAR(p[4 + i], bh[i], TOL, "b_hid after");
        CHECK_NEAR(p[10 + i], bo[i], TOL, "b_out after");
    }
    float E2;
    CHECK_OK(nn_loss_only(net, &one, 0, &E2));
    CHECK_NEAR(E2, 0.280471447, TOL, "E after the step");
    CHECK(nn_step_count(net) == 1, "step count");
    nn_free(net);

    // biases frozen: apply only the weight part of the same step
    net = course_net();
    CHECK_OK(nn_loss_grad(net, &one, &E));
    float *pp = nn_params(net);
    g = nn_grads(net);
    for (int i = 0; i < 4; i++) {
        pp[i] -= 0.5f * g[i];
        pp[6 + i] -= 0.5f * g[6 + i];
    }
    CHECK_OK(nn_loss_only(net, &one, 0, &E2));
    CHECK_NEAR(E2, 0.291027774, TOL, "E after the step, biases frozen");
    nn_free(net);
    CHECK_DONE();
}
