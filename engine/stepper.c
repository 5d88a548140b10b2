/* stepper.c: an optimiser on a plain parameter vector (engine/nn.h,
 * nn_stepper): its settings, its state and step counts, updated through the
 * nets' own code (nn_opt_update, nn_opt_lookahead in engine/optim.c); and
 * descent on a loss surface (engine/surface.c) a slice of updates per call.
 * Everything is allocated at creation: an update that diverges is undone
 * from a copy taken before it. */
#include "net.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct nn_stepper {
    nn_optim opt;
    int n;
    int bias_correction;
    int64_t t;           /* updates since creation or reset */
    int64_t opt_t;       /* since the state was cleared: Adam's t */
    float *s, *r;        /* (n) each: velocity or first moment, squared-gradient average */
    float *saved;        /* (3n): x, s and r before the last update */
    int64_t saved_t, saved_opt_t;
};

nn_stepper *nn_stepper_create(int n, const nn_optim *opt, int *status)
{
    int st = nn_opt_validate(opt);
    if (!st && (n < 1 || n > NN_MAX_PARAMS))
        st = NN_ERR_SIZE;
    nn_stepper *s = NULL;
    if (!st) {
        // the struct, then s, r and the saved copy: 5n floats
        uint64_t bytes = sizeof *s + 5 * (uint64_t)n * sizeof(float);
        s = bytes <= SIZE_MAX ? calloc(1, (size_t)bytes) : NULL;
        if (!s)
            st = NN_ERR_NOMEM;
    }
    if (status)
        *status = st;
    if (st)
        return NULL;
    s->opt = *opt;
    s->n = n;
    s->bias_correction = 1;
    s->s = (float *)(s + 1);
    s->r = s->s + n;
    s->saved = s->r + n;
    return s;
}

void nn_stepper_free(nn_stepper *s)
{
    free(s);
}

static void clear_state(nn_stepper *s)
{
    memset(s->s, 0, (size_t)s->n * sizeof *s->s);
    memset(s->r, 0, (size_t)s->n * sizeof *s->r);
    s->opt_t = 0;
}

int nn_stepper_set_optimizer(nn_stepper *s, const nn_optim *opt)
{
    if (!s)
        return NN_ERR_NULL;
    int rc = nn_opt_validate(opt);
    if (rc)
        return rc;
    if (opt->kind != s->opt.kind)
        clear_state(s);
    s->opt = *opt;
    return NN_OK;
}

int nn_stepper_get_optimizer(const nn_stepper *s, nn_optim *out)
{
    if (!s || !out)
        return NN_ERR_NULL;
    *out = s->opt;
    return NN_OK;
}

int nn_stepper_set_bias_correction(nn_stepper *s, int on)
{
    if (!s)
        return NN_ERR_NULL;
    if (on != 0 && on != 1)
        return NN_ERR_VALUE;
    s->bias_correction = on;
    return NN_OK;
}

int nn_stepper_reset(nn_stepper *s)
{
    if (!s)
        return NN_ERR_NULL;
    clear_state(s);
    s->t = 0;
    return NN_OK;
}

int64_t nn_stepper_steps(const nn_stepper *s)
{
    return s ? s->t : 0;
}

int nn_stepper_lookahead(const nn_stepper *s, const float *x, float *point)
{
    if (!s || !x || !point)
        return NN_ERR_NULL;
    if (point != x)
        memmove(point, x, (size_t)s->n * sizeof *point);
    nn_opt_lookahead(&s->opt, s->n, point, s->s);
    return NN_OK;
}

static int all_finite(const float *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

// x, the state and the counts as they were before the last update
static void undo(nn_stepper *s, float *x)
{
    size_t bytes = (size_t)s->n * sizeof(float);
    memcpy(x, s->saved, bytes);
    memcpy(s->s, s->saved + s->n, bytes);
    memcpy(s->r, s->saved + 2 * (size_t)s->n, bytes);
    s->t = s->saved_t;
    s->opt_t = s->saved_opt_t;
}

int nn_stepper_step(nn_stepper *s, float *x, const float *g)
{
    if (!s || !x || !g)
        return NN_ERR_NULL;
    if (s->t >= NN_MAX_STEPS)
        return NN_ERR_SIZE;
    if (!all_finite(g, s->n))
        return NN_ERR_DIVERGED;
    size_t bytes = (size_t)s->n * sizeof(float);
    memcpy(s->saved, x, bytes);
    memcpy(s->saved + s->n, s->s, bytes);
    memcpy(s->saved + 2 * (size_t)s->n, s->r, bytes);
    s->saved_t = s->t;
    s->saved_opt_t = s->opt_t;
    nn_opt_update(&s->opt, s->bias_correction, s->n, x, g, s->s, s->r, &s->t, &s->opt_t);
    if (!all_finite(x, s->n)) {
        undo(s, x);
        return NN_ERR_DIVERGED;
    }
    return NN_OK;
}

int nn_surface_descend(nn_stepper *s, int kind, float *xy, int steps, uint32_t seed, float *trace,
                       int *done)
{
    if (done)
        *done = 0;
    if (!s || !xy)
        return NN_ERR_NULL;
    if (kind < 0 || kind >= NN_SURF_COUNT)
        return NN_ERR_ENUM;
    if (s->n != 2 || steps < 0)
        return NN_ERR_SIZE;
    for (int k = 0; k < steps; k++) {
        float point[2], g[2], f;
        nn_stepper_lookahead(s, xy, point);
        nn_surface_eval(kind, point, 1, seed, (uint32_t)s->t, NULL, g);
        int rc = nn_stepper_step(s, xy, g);
        if (rc)
            return rc;
        nn_surface_eval(kind, xy, 1, seed, 0, &f, NULL);
        if (!isfinite(f)) {
            undo(s, xy);
            return NN_ERR_DIVERGED;
        }
        if (trace) {
            float *row = trace + (size_t)k * NN_TRACE_WIDTH;
            row[0] = xy[0], row[1] = xy[1], row[2] = f, row[3] = g[0], row[4] = g[1];
        }
        if (done)
            *done = k + 1;
    }
    return NN_OK;
}
