# libFuzzer target for the IOMMU core (clang). `make fuzz` runs it for
# FUZZ_SECONDS; `make test` runs a short fixed-seed smoke (tests/fuzz/smoke.sh).
# docs/fuzzing.md: the input format, the invariants, the figures.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
# the code under test: coverage-guided (fuzzer-no-link) and sanitized
FUZZ_TARGET_SRCS = $(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS)
# the harness and the simulated machine: sanitized, but no coverage feedback
# (the model's TLB scans would otherwise dominate the run time and add
# features that say nothing about Aerie)
FUZZ_ENV_SRCS = tests/fuzz/fuzz_iommufd.c tests/fuzz/fuzz_invariants.c \
	$(SMMU_MODEL_SRCS) tests/host/hostenv.c vmm/lib/errno.c
FUZZ_BIN := $(BUILD)/fuzz/fuzz_iommufd
FUZZ_COV ?= -fsanitize=fuzzer-no-link -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -g -O1 -DHOST_TEST -Iinclude -Itests/host -Wall -Werror -Wno-unused-parameter \
	$(FUZZ_DEFS)
# Features merged later turn on here:
#  - the lead's model change smmu_model_fail_cmd(m, nth, err): inputs can then
#    refuse the nth SMMU command of a hypercall (pseudo-command FAIL_CMD);
#  - per-guest accounting: FZ_USAGE_PAGES(ctx) = the pages charged to a
#    context, FZ_QUOTA_SET(ctx, pages) = give it a limit (fuzz_iommufd.c,
#    fuzz_invariants.c say where they are used), for example
#    -D'FZ_USAGE_PAGES(c)=iommu_ctx_usage(c).pages'
FUZZ_DEFS =
# Turn this on once smmu_model_fail_cmd exists. Until issue 13's findings 1
# and 2 are fixed the smoke then fails: seeds fail-attach and stuck-cmdq
# reproduce them (docs/fuzzing.md).
FUZZ_DEFS += -DSMMU_MODEL_HAS_FAIL_CMD
FUZZ_TARGET_OBJS := $(patsubst %.c,$(BUILD)/fuzz/t/%.o,$(FUZZ_TARGET_SRCS))
FUZZ_ENV_OBJS := $(patsubst %.c,$(BUILD)/fuzz/e/%.o,$(FUZZ_ENV_SRCS))
FUZZ_HDRS := $(wildcard include/aerie/*.h include/uapi/aerie/*.h iommu/*.h drivers/*.h \
	tests/host/*.h tests/fuzz/*.h) tests/fuzz/build.mk \
	tests/fuzz/coverage-ignore.txt

$(BUILD)/fuzz/t/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) $(FUZZ_SAN) -c -o $@ $<

$(BUILD)/fuzz/e/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iiommu $(FUZZ_SAN) -c -o $@ $<

$(FUZZ_BIN): $(FUZZ_TARGET_OBJS) $(FUZZ_ENV_OBJS)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^

# -timeout: a wait that does not end (a stuck command queue) is a finding too
.PHONY: fuzz
fuzz: deps $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=512 -timeout=30 -rss_limit_mb=4096 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus tests/fuzz/seeds

TEST_EXTRA_DEPS += $(FUZZ_BIN)
SCRIPT_TESTS += tests/fuzz/smoke.sh
