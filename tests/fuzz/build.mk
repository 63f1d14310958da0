# libFuzzer target for the IOMMU core (clang). `make fuzz` runs it for
# FUZZ_SECONDS; `make test` runs a short fixed-seed smoke (tests/fuzz/smoke.sh).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SRCS = tests/fuzz/fuzz_iommufd.c $(SMMU_MODEL_SRCS) tests/host/hostenv.c \
	vmm/lib/errno.c $(SMMUV3_SRCS) iommu/pgtable.c $(IOMMU_CORE_SRCS)
FUZZ_BIN := $(BUILD)/fuzz/fuzz_iommufd

$(FUZZ_BIN): $(FUZZ_SRCS) $(wildcard include/aerie/*.h include/uapi/aerie/*.h iommu/*.h drivers/*.h tests/host/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -g -O1 -DHOST_TEST -Iinclude -Itests/host -Wall -Werror -Wno-unused-parameter \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(FUZZ_SRCS)

.PHONY: fuzz
fuzz: deps $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=512 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus tests/fuzz/seeds

TEST_EXTRA_DEPS += $(FUZZ_BIN)
SCRIPT_TESTS += tests/fuzz/smoke.sh
