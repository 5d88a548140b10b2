# bench/bench.mk: `make bench`, the benchmark suite (not part of `make test`).
# Included by the root Makefile, whose variables it uses. Builds the native
# benchmark program (engine with SIMD kernels, -O3) next to the wasm builds,
# then bench/run.mjs runs every engine in interleaved rounds and writes
# bench/results.json and BENCHMARKS.md. BENCH_CASES=cnn-train (a comma list
# of case ids) runs only those cases and prints their tables instead.
# Before them (not with BENCH_CASES), bench-page measures the 2-D view
# drawing while it trains in headless Chromium (tests/browser_speed.test.mjs)
# into bench/page.json, which BENCHMARKS.md shows; `make bench-page` alone
# rewrites only that section. BENCH_CASES=sweep: runs of a sweep on worker
# threads against one run alone (bench/sweep.mjs, its own BENCHMARKS.md section).

BENCH_NATIVE := $(BUILD)/bench/native
BENCH_OPT    := -O3 -Wall -Wextra -Wpedantic

.PHONY: bench bench-page bench-page-json

$(BENCH_NATIVE): bench/native.c $(ENGINE_SRC) $(wildcard engine/*.h) | $(SIMDE)/simde
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(FP) $(BENCH_OPT) $(ARCH) -DNN_SIMD=1 -Iengine -I$(SIMDE) \
	  $(ENGINE_SRC) bench/native.c -lm -o $@

bench-page-json: page
	PAGE_SPEED_OUT=bench/page.json node --test tests/browser_speed.test.mjs

bench-page: bench-page-json
	node bench/page.mjs

# the sweep case (bench/sweep.mjs, worker threads) runs on its own: with
# BENCH_CASES=sweep only it, with no BENCH_CASES after the engines' cases
comma := ,
BENCH_LIST   := $(subst $(comma), ,$(BENCH_CASES))
ENGINE_CASES := $(subst $(eval) ,$(comma),$(strip $(filter-out sweep,$(BENCH_LIST))))
BENCH_SWEEP  := $(if $(BENCH_CASES),$(filter sweep,$(BENCH_LIST)),sweep)

bench: wasm page $(if $(ENGINE_CASES)$(if $(BENCH_CASES),,all),$(BENCH_NATIVE)) $(if $(BENCH_CASES),,bench-page-json)
	$(if $(BENCH_CASES),$(if $(ENGINE_CASES),node bench/run.mjs --native $(BENCH_NATIVE) --cases $(ENGINE_CASES)),node bench/run.mjs --native $(BENCH_NATIVE))
	$(if $(BENCH_SWEEP),node bench/sweep.mjs)
