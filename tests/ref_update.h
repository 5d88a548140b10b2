/* ref_update.h: the optimisers' update of one parameter in float64, written
 * from COURSE.md 1.8, shared by the tests that check the engine's float32
 * update against it (test_optim.c on nets, test_stepper.c on surfaces).
 * p is the parameter, s the first moment or velocity, r the accumulated or
 * averaged squared gradient, g the gradient, eps the step size of this step,
 * t the step number from 1 (Adam's bias correction; t = 0 turns it off). */
#ifndef NNPLAY_TESTS_REF_UPDATE_H
#define NNPLAY_TESTS_REF_UPDATE_H

#include <math.h>

#include "nn.h"

static inline void ref_update(int kind, double eps, double b1, double b2, double delta, int t, double g,
                              double *p, double *s, double *r)
{
    switch (kind) {
    case NN_OPT_MOMENTUM:
    case NN_OPT_NESTEROV:
        *s = b1 * *s - eps * g;
        *p += *s;
        break;
    case NN_OPT_ADAGRAD:
        *r += g * g;
        *p -= eps / (delta + sqrt(*r)) * g;
        break;
    case NN_OPT_RMSPROP:
        *r = b1 * *r + (1.0 - b1) * g * g;
        *p -= eps / sqrt(delta + *r) * g;
        break;
    case NN_OPT_ADAM: {
        *s = b1 * *s + (1.0 - b1) * g;
        *r = b2 * *r + (1.0 - b2) * g * g;
        double c1 = t ? 1.0 - pow(b1, t) : 1.0, c2 = t ? 1.0 - pow(b2, t) : 1.0;
        *p -= eps * (*s / c1) / (sqrt(*r / c2) + delta);
        break;
    }
    default:
        *p -= eps * g;
    }
}

#endif
