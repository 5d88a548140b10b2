/* fuzz_train.c: a net built from fuzzed specs and settings, trained on
 * fuzzed data. Every call must either succeed or return the status its
 * documentation gives for what was wrong; a failed setter changes nothing;
 * whatever trains saves and loads back to the same bytes. Sizes are kept
 * small (8 inputs or a 3 x 8 x 8 image, 6 layers of at most 17 units,
 * batches of 16; upsampling by at most 3) so that
 * each run is fast and the fuzzer explores settings, not size. The
 * gradient-flow calls (engine/flow.c) run on the trained net: see flow();
 * the autoencoder calls (engine/codes.c) after them: see codes(). */
#include "nn.h"

#include "fuzz.h"

static int one_of(int rc, int a, int b, int c, int d)
{
    return rc == a || rc == b || rc == c || rc == d;
}

/* The engine's float of a norm computed in double as here: the same bits
 * (a denormal float has too few of them for a relative tolerance). */
static int same_or_nan(float a, double b)
{
    return (isnan(a) && isnan(b)) || a == (float)b;
}

/* Gradient flow: tracking (on by default, so every seed tracks) only
 * observes: the net and a loaded twin take the same step to the same bits;
 * the update norms are those of the change; unit statistics are shares, or
 * NaN for the layers they do not apply to. */
static void flow(nn_net *net, fz_reader *r, const nn_data *one, const nn_data *d)
{
    int on = (fz_u8(r) + 1) % 3, rc = nn_set_track_updates(net, on);
    FZ_CHECK(on < 2 ? rc == NN_OK && nn_get_track_updates(net) == on : rc == NN_ERR_VALUE, "track %d: %d", on, rc);
    int layers = nn_layer_count(net), np = nn_param_count(net), st = 0;
    size_t len = nn_save_size(net);
    uint8_t *buf = malloc(len);
    FZ_CHECK(nn_save(net, buf, len, NULL) == NN_OK, "save for the twin");
    nn_net *twin = nn_load(buf, len, &st);
    free(buf);
    float *before = malloc(sizeof(float) * (size_t)(np + 1));
    memcpy(before, nn_params(net), sizeof(float) * (size_t)np);
    int r1 = nn_train_batch(net, one, NULL);
    if (twin) {
        int r2 = nn_train_batch(twin, one, NULL);
        FZ_CHECK(r1 == r2 && memcmp(nn_params(net), nn_params(twin), sizeof(float) * (size_t)np) == 0,
                 "tracking changed the step (%d, %d)", r1, r2);
    }
    nn_free(twin);
    float pn[6], un[6], ratio[6];
    rc = nn_update_norms(net, pn, un, ratio);
    FZ_CHECK(nn_get_track_updates(net) ? rc == NN_OK : rc == NN_ERR_CONFIG, "update norms %d", rc);
    for (int k = 0; rc == NN_OK && k < layers; k++) {
        nn_layer_info li;
        FZ_CHECK(nn_layer_info_get(net, k, &li) == NN_OK, "layer info");
        double w2 = 0.0, d2 = 0.0;
        for (int i = li.w_off; r1 == NN_OK && i < li.w_off + li.w_len + li.b_len; i++) {
            double a = before[i], b = (double)nn_params(net)[i] - a;
            w2 += a * a;
            d2 += b * b;
        }
        double want = d2 == 0.0 ? 0.0 : w2 == 0.0 ? INFINITY : sqrt(d2) / sqrt(w2);
        // a refused or diverged step records nothing: the norms are of an earlier step or 0
        if (r1 == NN_OK)
            FZ_CHECK(same_or_nan(pn[k], sqrt(w2)) && same_or_nan(un[k], sqrt(d2)) && same_or_nan(ratio[k], want),
                     "layer %d: norms %g %g %g, want %g %g %g", k, pn[k], un[k], ratio[k], sqrt(w2), sqrt(d2), want);
    }
    free(before);
    uint8_t sm = fz_u8(r);
    float slope = sm < 200 ? (float)(sm + 1) / 202.0f : fz_raw_f32(r);
    float sat[6], dead[6];
    rc = nn_unit_stats(net, d, slope, sat, dead);
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_VALUE || rc == NN_ERR_SIZE || rc == NN_ERR_NULL, "unit stats %d", rc);
    FZ_CHECK(rc != NN_ERR_VALUE || !(slope > 0.0f && slope < 1.0f) || (!d->x && d->x8 && !isfinite(d->x8_scale)),
             "slope %g refused", slope);
    for (int k = 0; rc == NN_OK && k < layers; k++) {
        nn_layer_info li;
        FZ_CHECK(nn_layer_info_get(net, k, &li) == NN_OK, "layer info");
        int saturates = li.act == NN_ACT_SIGMOID || li.act == NN_ACT_TANH, dies = li.act == NN_ACT_RELU;
        FZ_CHECK(saturates ? sat[k] >= 0.0f && sat[k] <= 1.0f : isnan(sat[k]), "layer %d saturated %g", k, sat[k]);
        FZ_CHECK(dies ? dead[k] >= 0.0f && dead[k] <= 1.0f : isnan(dead[k]), "layer %d dead %g", k, dead[k]);
    }
}

/* The autoencoder calls: input noise (a refused setting changes nothing),
 * training on the set with targets = inputs (refused unless outputs =
 * inputs and the loss takes targets), encode then decode at a fuzzed layer
 * equal to predict bit for bit, nn_corrupt of the inputs. Reads only after
 * everything else, so the older seeds keep their meaning. */
static void codes(nn_net *net, fz_reader *r, const nn_data *d, const float *x)
{
    int kind = (int)(fz_u8(r) % (NN_NOISE_COUNT + 2)) - 1, k0;
    float amount = fz_f32(r, -0.5f, 1.5f), a0;
    FZ_CHECK(nn_get_input_noise(net, &k0, &a0) == NN_OK, "get noise");
    int rc = nn_set_input_noise(net, kind, amount), k1;
    float a1;
    FZ_CHECK(nn_get_input_noise(net, &k1, &a1) == NN_OK, "get noise");
    int valid = kind >= 0 && kind < NN_NOISE_COUNT && amount >= 0.0f && isfinite(amount) &&
                (kind != NN_NOISE_MASK || amount <= 1.0f);
    FZ_CHECK(valid ? rc == NN_OK && k1 == kind && a1 == amount
                   : (rc == NN_ERR_ENUM || rc == NN_ERR_VALUE) && k1 == k0 && a1 == a0,
             "noise %d %g: %d", kind, amount, rc);
    int n = d->n, nin = nn_inputs(net), nout = nn_outputs(net);
    nn_data ae = *d;
    ae.y = NULL;
    ae.label = NULL;
    ae.dy = nin;
    ae.y_is_x = 1;
    nn_report rep;
    rc = nn_train(net, &ae, 1 + fz_u8(r) % 17, fz_u8(r) % 6, &rep);
    // bytes read with a scale that is not finite are refused first
    if (!ae.x && !isfinite(ae.x8_scale))
        FZ_CHECK(rc == NN_ERR_VALUE, "targets = inputs with byte scale %g: %d", ae.x8_scale, rc);
    else if (nn_loss_kind(net) == NN_LOSS_SOFTMAX_CE && nin == nout)
        FZ_CHECK(rc == NN_ERR_CONFIG, "targets = inputs with softmax CE: %d", rc);
    else if (nin != nout)
        FZ_CHECK(rc == NN_ERR_SIZE, "targets = inputs with %d inputs, %d outputs: %d", nin, nout, rc);
    else
        FZ_CHECK(rc == NN_OK || rc == NN_ERR_DIVERGED || rc == NN_ERR_BATCH || rc == NN_ERR_VALUE,
                 "train on targets = inputs: %d", rc);
    float loss, acc = 0.0f;
    if (nn_evaluate(net, &ae, &loss, &acc) == NN_OK)
        FZ_CHECK(isnan(acc), "a reconstruction has no accuracy: %g", acc);
    int layers = nn_layer_count(net), k = (int)(fz_u8(r) % (layers + 2)) - 1;
    // room for any layer's codes (all layers together) and for the inputs
    size_t width = (size_t)nn_activation_width(net) + (size_t)nin;
    float *code = calloc((size_t)n * width + 1, sizeof(float));
    float *back = calloc((size_t)n * (size_t)nout + 1, sizeof(float)), *want = calloc((size_t)n * (size_t)nout + 1, sizeof(float));
    nn_data in = {.x = x, .n = n, .dx = nin};
    rc = nn_encode(net, k, &in, code);
    FZ_CHECK(k >= 0 && k < layers ? rc == NN_OK : rc == NN_ERR_SIZE, "encode at %d of %d: %d", k, layers, rc);
    if (rc == NN_OK) {
        FZ_CHECK(nn_decode(net, k, code, n, back) == NN_OK, "decode at %d", k);
        FZ_CHECK(nn_predict(net, x, n, want) == NN_OK, "predict");
        FZ_CHECK(fz_same(back, want, (size_t)n * (size_t)nout), "decode(encode(x, %d)) != predict(x)", k);
    }
    FZ_CHECK(nn_decode(net, k, code, n, back) == (k >= 0 && k < layers ? NN_OK : NN_ERR_SIZE), "decode at %d", k);
    // the noise of a shown input: kept or zeroed (mask), moved (gaussian), kept (none)
    memcpy(code, x, (size_t)n * (size_t)nin * sizeof(float));
    kind = (int)(fz_u8(r) % (NN_NOISE_COUNT + 2)) - 1;
    amount = fz_f32(r, 0.0f, 1.0f);
    rc = nn_corrupt(code, n, nin, kind, amount, fz_u32(r));
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_ENUM || rc == NN_ERR_VALUE, "corrupt %d", rc);
    for (int i = 0; rc == NN_OK && kind != NN_NOISE_GAUSSIAN && i < n * nin; i++)
        FZ_CHECK(fz_same(&code[i], &x[i], 1) || (kind == NN_NOISE_MASK && code[i] == 0.0f), "corrupt %d: %g -> %g",
                 kind, x[i], code[i]);
    free(code);
    free(back);
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    fz_reader r = {bytes, size, 0};
    nn_layer_spec specs[6] = {{0}};
    nn_config cfg = {0};
    cfg.n_in = 1 + fz_u8(&r) % 8;
    // half the nets take an image (up to 3 x 8 x 8), now and then of the wrong size
    uint8_t image = fz_u8(&r);
    if (image & 1) {
        cfg.channels = 1 + (image >> 1) % 3;
        cfg.height = 1 + fz_u8(&r) % 8;
        cfg.width = 1 + fz_u8(&r) % 8;
        cfg.n_in = cfg.channels * cfg.height * cfg.width + (image >= 240);
    }
    cfg.n_layers = 1 + fz_u8(&r) % 6;
    for (int k = 0; k < cfg.n_layers; k++) {
        uint8_t kind = fz_u8(&r);
        specs[k].kind = kind < 200 ? kind % NN_LAYER_KIND_COUNT : (int32_t)fz_u32(&r);
        specs[k].units = (int32_t)(fz_u8(&r) % 18);
        specs[k].act = fz_u8(&r) % (NN_ACT_COUNT + 1);
        specs[k].per_neuron = fz_u8(&r) & 1;
        specs[k].a = fz_f32(&r, -1.0f, 1.0f);
        specs[k].eps = fz_f32(&r, 0.0f, 0.01f);
        specs[k].kernel = fz_u8(&r) % 6;
        specs[k].stride = fz_u8(&r) % 4;
        specs[k].pad = fz_u8(&r) % 3;
    }
    // most nets end dense; a conv may end one too (an autoencoder's decoder),
    // upsample and reshape (new kinds) come up among the fuzzed ones
    if (fz_u8(&r) < 200)
        specs[cfg.n_layers - 1] = nn_dense(1 + fz_u8(&r) % 5);
    cfg.layers = specs;
    cfg.output = fz_u8(&r) % (NN_ACT_COUNT + 1);
    cfg.loss = fz_u8(&r) % (NN_LOSS_COUNT + 1);
    cfg.max_batch = (int32_t)(fz_u8(&r) % 17);
    cfg.seed = fz_u32(&r);
    // upsampling is the one kind that grows maps (3^5 per side over six
    // layers): a net past 256 MB is only planned, never built, so that the
    // harness stays under its memory limit; the plan's status is create's
    int64_t plan = 0;
    int planned = nn_plan_bytes(&cfg, &plan);
    if (planned == NN_OK && plan > ((int64_t)256 << 20))
        return 0;
    int st = 0;
    nn_net *net = nn_create(&cfg, &st);
    // the plan answers as the build does, without allocating
    FZ_CHECK(net ? planned == NN_OK && plan > 0 : st == planned || st == NN_ERR_NOMEM, "create %d, plan %d", st, planned);
    if (!net) {
        FZ_CHECK(one_of(st, NN_ERR_SIZE, NN_ERR_ENUM, NN_ERR_VALUE, NN_ERR_CONFIG), "create: status %d", st);
        const char *detail = nn_error_detail();
        FZ_CHECK(strlen(detail) < 96 && (detail[0] == '\0' || strncmp(detail, "layer ", 6) == 0), "detail '%s'", detail);
        return 0;
    }
    int nin = nn_inputs(net), nout = nn_outputs(net), np = nn_param_count(net);

    // settings: a failed setter leaves the optimiser as it was
    // one read after another: the order of the evaluations in an initializer is unspecified
    nn_optim o = {0};
    o.kind = fz_u8(&r) % (NN_OPT_COUNT + 1);
    o.lr = fz_f32(&r, 0.0f, 2.0f);
    o.beta1 = fz_f32(&r, 0.0f, 1.0f);
    o.beta2 = fz_f32(&r, 0.0f, 1.0f);
    o.delta = fz_f32(&r, 0.0f, 1e-3f);
    o.decay = fz_f32(&r, 0.0f, 0.1f);
    nn_optim before = nn_get_optimizer(net);
    int rc = nn_set_optimizer(net, &o);
    nn_optim after = nn_get_optimizer(net);
    FZ_CHECK(rc == NN_OK ? memcmp(&after, &o, sizeof o) == 0 : memcmp(&after, &before, sizeof o) == 0,
             "set_optimizer %d", rc);
    rc = nn_set_regularization(net, fz_f32(&r, 0.0f, 0.01f), fz_f32(&r, 0.0f, 0.01f));
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_VALUE, "regularization %d", rc);
    nn_init init = {0};
    init.scheme = fz_u8(&r) % (NN_INIT_COUNT + 1);
    init.w_const = fz_f32(&r, -1.0f, 1.0f);
    init.b_const = fz_f32(&r, -1.0f, 1.0f);
    rc = nn_set_init(net, &init);
    FZ_CHECK(one_of(rc, NN_OK, NN_ERR_ENUM, NN_ERR_VALUE, NN_OK), "init %d", rc);
    rc = nn_set_threshold(net, fz_f32(&r, -1.0f, 1.0f));
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_VALUE, "threshold %d", rc);
    rc = nn_set_shuffle(net, fz_u8(&r) % 3);
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_VALUE, "shuffle %d", rc);

    // data: floats or bytes, targets of the right width or not, labels in range or not
    int n = 1 + fz_u8(&r) % 20;
    float *x = calloc((size_t)n * (size_t)nin, sizeof(float));
    uint8_t *x8 = calloc((size_t)n * (size_t)nin, 1);
    // targets: 8 a row, or one per output when a conv ends the net (an autoencoder's)
    int ycols = nout > 8 ? nout : 8;
    float *y = calloc((size_t)n * (size_t)ycols, sizeof(float));
    int32_t *lab = calloc((size_t)n, sizeof(int32_t));
    for (int i = 0; i < n * nin; i++) {
        x8[i] = fz_u8(&r);
        x[i] = fz_f32(&r, -3.0f, 3.0f);
    }
    for (int i = 0; i < n; i++) {
        uint8_t l = fz_u8(&r);
        lab[i] = l < 250 ? l % nout : (int32_t)fz_u32(&r);
        for (int j = 0; j < nout; j++)
            y[i * ycols + j] = fz_f32(&r, -1.0f, 1.0f);
    }
    uint8_t shape = fz_u8(&r);
    int dy = shape & 1 ? nout : (int)(shape >> 1) % 9;
    nn_data d = {.x = shape & 0x80 ? NULL : x, .x8 = x8, .x8_scale = fz_f32(&r, 0.0f, 0.01f),
                 .y = (shape & 6) == 6 ? NULL : y, .label = shape & 8 ? lab : NULL, .n = n, .dx = nin, .dy = dy};
    if (!d.y)
        d.dy = 0;
    if (dy > ycols && d.y)
        d.dy = ycols; // the buffer holds ycols per row
    int batch = 1 + fz_u8(&r) % 17, steps = fz_u8(&r) % 8;
    nn_report rep;
    rc = nn_train(net, &d, batch, steps, &rep);
    FZ_CHECK(rc == NN_OK || rc == NN_ERR_DIVERGED || rc == NN_ERR_LABEL || rc == NN_ERR_SIZE || rc == NN_ERR_BATCH ||
                 rc == NN_ERR_VALUE,
             "train %d", rc);
    if (rc == NN_OK)
        FZ_CHECK(steps == 0 || rep.steps == steps, "steps %d of %d", rep.steps, steps);
    float loss, acc;
    rc = nn_evaluate(net, &d, &loss, &acc);
    FZ_CHECK(rc != NN_OK || (isfinite(loss) && acc >= 0.0f && acc <= 1.0f), "evaluate %g %g", loss, acc);
    nn_data one = d;
    one.n = n < nn_max_batch(net) ? n : nn_max_batch(net);
    rc = nn_train_batch(net, &one, &loss);
    FZ_CHECK(rc != NN_OK || isfinite(loss), "train_batch loss %g", loss);
    rc = nn_loss_only(net, &one, fz_u8(&r) & 1, &loss);
    float *out = calloc((size_t)n * (size_t)nn_activation_width(net) + (size_t)n * (size_t)nout, sizeof(float));
    FZ_CHECK(nn_predict(net, x, n, out) == NN_OK, "predict");
    FZ_CHECK(nn_activations(net, x, n, out) == NN_OK, "activations");
    // the maps of every layer in fuzzed colour modes (-1: not drawn), through a fuzzed palette
    {
        int layers = nn_layer_count(net);
        int32_t *modes = malloc(sizeof(int32_t) * (size_t)(layers > 0 ? layers : 1));
        for (int k = 0; k < layers; k++)
            modes[k] = (int32_t)(fz_u8(&r) % (NN_COLOR_COUNT + 1)) - 1;
        int entries = 1 + fz_u8(&r) % 16;
        uint8_t palette[64];
        for (int i = 0; i < 64; i++)
            palette[i] = fz_u8(&r);
        int count = nn_pixel_count(net, n, modes);
        FZ_CHECK(count >= 0, "pixel count %d", count);
        uint8_t *rgba = malloc(4 * (size_t)(count > 0 ? count : 1));
        rc = nn_activation_pixels(net, x, n, out, modes, fz_u8(&r) & 1, palette, entries, rgba);
        // a CLASS layer whose width does not divide the palette is refused; nothing else fails
        FZ_CHECK(rc == NN_OK || rc == NN_ERR_SIZE, "activation pixels %d", rc);
        for (int i = 0; rc == NN_OK && i < count; i++) {
            int found = 0;   // every pixel is a palette entry
            for (int e = 0; e < entries && !found; e++)
                found = memcmp(rgba + 4 * (size_t)i, palette + 4 * e, 4) == 0;
            FZ_CHECK(found, "pixel %d is not in the palette", i);
        }
        free(rgba);
        free(modes);
    }
    float norms[6];
    FZ_CHECK(nn_grad_norms(net, norms) == NN_OK, "grad norms");
    (void)nn_penalty(net);
    flow(net, &r, &one, &d);
    codes(net, &r, &d, x);

    // save -> load -> save gives the same bytes (when every parameter is finite)
    int finite = 1;
    for (int i = 0; i < np; i++)
        finite &= isfinite(nn_params(net)[i]) != 0;
    size_t len = nn_save_size(net);
    uint8_t *a = malloc(len), *b = malloc(len);
    FZ_CHECK(nn_save(net, a, len, NULL) == NN_OK, "save");
    nn_net *again = nn_load(a, len, &st);
    FZ_CHECK(again || !finite, "load of a saved net: %s", nn_strerror(st));
    if (again) {
        FZ_CHECK(nn_save_size(again) == len && nn_save(again, b, len, NULL) == NN_OK, "save again");
        FZ_CHECK(memcmp(a, b, len) == 0, "save -> load -> save changed the bytes");
    }
    nn_free(again);
    free(a);
    free(b);
    free(out);
    free(x);
    free(x8);
    free(y);
    free(lab);
    nn_free(net);
    return 0;
}
