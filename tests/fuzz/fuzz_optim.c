/* fuzz_optim.c: steppers (nn_stepper) and loss surfaces with fuzzed
 * optimiser settings, sizes, parameters, gradients (raw float bits
 * included), surfaces, step counts and seeds, driven by a fuzzed sequence
 * of calls. Every status is one the manual gives; a refused setter or a
 * diverged update changes nothing; what succeeds is finite; descent stops at
 * its last finite point and replays bit for bit from the same start. */
#include "nn.h"

#include "fuzz.h"

#define MAX_N 8
#define MAX_STEPS 64

static nn_optim fuzz_optim(fz_reader *r)
{
    nn_optim o;
    o.kind = (int32_t)(fz_u8(r) % (NN_OPT_COUNT + 2)) - 1;
    o.lr = fz_f32(r, 0.0f, 2.0f);
    o.beta1 = fz_f32(r, 0.0f, 1.0f);
    o.beta2 = fz_f32(r, 0.9f, 1.0f);
    o.delta = fz_f32(r, 0.0f, 0.01f);
    o.decay = fz_f32(r, 0.0f, 1.0f);
    return o;
}

static int valid_status(int rc)
{
    return rc == NN_OK || rc == NN_ERR_NULL || rc == NN_ERR_SIZE || rc == NN_ERR_ENUM || rc == NN_ERR_VALUE ||
           rc == NN_ERR_DIVERGED;
}

static int all_finite(const float *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

// descent from xy after a reset, then again from the same start: same bits
static void descend(fz_reader *r, nn_stepper *s, float *xy)
{
    int kind = (int)(fz_u8(r) % (NN_SURF_COUNT + 1));
    int steps = (int)(fz_u8(r) % (MAX_STEPS + 1));
    uint32_t seed = fz_u32(r);
    float start[2] = {xy[0], xy[1]}, trace[MAX_STEPS * NN_TRACE_WIDTH], again[MAX_STEPS * NN_TRACE_WIDTH];
    nn_stepper_reset(s);
    int done = -1, rc = nn_surface_descend(s, kind, xy, steps, seed, trace, &done);
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_DIVERGED || rc == NN_ERR_ENUM, "descend %d", rc);
    FZ_CHECK(done >= 0 && done <= steps && (rc != NN_OK || done == steps), "done %d of %d (%d)", done, steps, rc);
    FZ_CHECK(nn_stepper_steps(s) == done, "count %d after %d updates", (int)nn_stepper_steps(s), done);
    for (int k = 0; k < done; k++)
        FZ_CHECK(all_finite(trace + k * NN_TRACE_WIDTH, NN_TRACE_WIDTH), "row %d not finite", k);
    if (done)
        FZ_CHECK(memcmp(xy, trace + (done - 1) * NN_TRACE_WIDTH, sizeof start) == 0, "xy is the last row");
    else
        FZ_CHECK(fz_same(xy, start, 2), "no update, no move");
    nn_stepper_reset(s);
    float b[2] = {start[0], start[1]};
    int done2 = -1, rc2 = nn_surface_descend(s, kind, b, steps, seed, again, &done2);
    FZ_CHECK(rc2 == rc && done2 == done, "replay: %d, %d updates; first %d, %d", rc2, done2, rc, done);
    FZ_CHECK(fz_same(trace, again, (size_t)done * NN_TRACE_WIDTH) && fz_same(xy, b, 2), "replay: other bits");
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    fz_reader r = {bytes, size, 0};
    nn_optim o = fuzz_optim(&r);
    uint8_t nb = fz_u8(&r);
    int n = nb < 250 ? 1 + nb % MAX_N : (nb == 250 ? 0 : nb == 251 ? -1 : NN_MAX_PARAMS + 1);
    int st = 1, probe_st = 1;
    nn_stepper *s = nn_stepper_create(n, &o, &st);
    // the settings alone, with a size every build accepts
    nn_stepper *probe = nn_stepper_create(1, &o, &probe_st);
    int valid = probe != NULL;
    nn_stepper_free(probe);
    FZ_CHECK(valid || probe_st == NN_ERR_NULL || probe_st == NN_ERR_ENUM || probe_st == NN_ERR_VALUE, "probe %d", probe_st);
    if (!s) {
        FZ_CHECK(st == NN_ERR_SIZE || st == NN_ERR_ENUM || st == NN_ERR_VALUE, "create %d", st);
        FZ_CHECK(!valid || n < 1 || n > MAX_N, "refused a valid stepper (n %d)", n);
        return 0;
    }
    FZ_CHECK(st == NN_OK && n >= 1 && n <= MAX_N && valid, "accepted n %d", n);
    float x[MAX_N], g[MAX_N], point[MAX_N];
    for (int i = 0; i < n; i++)
        x[i] = fz_f32(&r, -3.0f, 3.0f);
    for (int op = 0; op < 64 && r.at < r.n; op++) {
        nn_optim before, after;
        nn_stepper_get_optimizer(s, &before);
        int rc;
        switch (fz_u8(&r) % 6) {
        case 0: {
            nn_optim next = fuzz_optim(&r);
            rc = nn_stepper_set_optimizer(s, &next);
            nn_stepper_get_optimizer(s, &after);
            FZ_CHECK(valid_status(rc) && rc != NN_ERR_DIVERGED, "set %d", rc);
            FZ_CHECK(rc == NN_OK ? memcmp(&after, &next, sizeof next) == 0 : memcmp(&after, &before, sizeof before) == 0,
                     "set (%d) kept or changed the wrong settings", rc);
            break;
        }
        case 1: {
            int on = (int)(fz_u8(&r) % 3);
            rc = nn_stepper_set_bias_correction(s, on);
            FZ_CHECK(rc == (on <= 1 ? NN_OK : NN_ERR_VALUE), "bias correction %d: %d", on, rc);
            break;
        }
        case 2: {
            for (int i = 0; i < n; i++)
                g[i] = fz_u8(&r) < 32 ? fz_raw_f32(&r) : fz_f32(&r, -100.0f, 100.0f);
            float keep[MAX_N];
            memcpy(keep, x, sizeof keep);
            int64_t t = nn_stepper_steps(s);
            rc = nn_stepper_step(s, x, g);
            FZ_CHECK(rc == NN_OK || rc == NN_ERR_DIVERGED, "step %d", rc);
            if (rc == NN_OK)
                FZ_CHECK(all_finite(x, n) && nn_stepper_steps(s) == t + 1, "a step left x not finite");
            else
                FZ_CHECK(fz_same(x, keep, (size_t)n) && nn_stepper_steps(s) == t, "a diverged step changed x");
            FZ_CHECK(all_finite(g, n) || rc == NN_ERR_DIVERGED, "took a gradient that is not finite");
            break;
        }
        case 3:
            FZ_CHECK(nn_stepper_lookahead(s, x, point) == NN_OK, "lookahead");
            FZ_CHECK(before.kind == NN_OPT_NESTEROV || fz_same(point, x, (size_t)n), "only Nesterov looks ahead");
            break;
        case 4:
            if (n != 2) {
                FZ_CHECK(nn_surface_descend(s, 0, x, 1, 0, NULL, NULL) == NN_ERR_SIZE, "descend with %d parameters", n);
            } else if (all_finite(x, 2)) {
                descend(&r, s, x);
            } else {
                float keep[2] = {x[0], x[1]};
                int done = -1;
                FZ_CHECK(nn_surface_descend(s, 0, x, 3, 0, NULL, &done) == NN_ERR_DIVERGED && done == 0 &&
                         fz_same(x, keep, 2), "descent from a point that is not finite");
            }
            break;
        default: {
            int kind = (int)(fz_u8(&r) % (NN_SURF_COUNT + 2)) - 1, m = (int)(fz_u8(&r) % 4);
            float pts[8], v[4], gr[8];
            for (int i = 0; i < 8; i++)
                pts[i] = fz_u8(&r) < 32 ? fz_raw_f32(&r) : fz_f32(&r, -5.0f, 5.0f);
            rc = nn_surface_eval(kind, pts, m, fz_u32(&r), fz_u32(&r), v, gr);
            FZ_CHECK(rc == (kind >= 0 && kind < NN_SURF_COUNT ? NN_OK : NN_ERR_ENUM), "eval %d", rc);
            for (int i = 0; i < m && rc == NN_OK; i++)
                FZ_CHECK(!all_finite(pts + 2 * i, 2) || !(v[i] < -1e-5f), "surface %d value %g < 0", kind, v[i]);
        }
        }
    }
    nn_stepper_free(s);
    return 0;
}
