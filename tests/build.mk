# tests: the host test framework and environment shared by all host tests.
# Each folder's build.mk adds its own tests, e.g.
#   HOST_TESTS += pgtable
#   HOST_TEST_pgtable_SRCS := tests/host/test_pgtable.c iommu/pgtable.c $(HOST_ENV_SRCS)
HOST_ENV_SRCS := tests/host/test.c tests/host/hostenv.c vmm/lib/errno.c

HOST_TESTS += hostenv
HOST_TEST_hostenv_SRCS = tests/host/test_hostenv.c $(HOST_ENV_SRCS)

# in-hypervisor self-tests (test image only) and the QEMU tests that run them
HYP_TEST_SRCS += tests/hyp/selftest_runner.c tests/hyp/bringup.c
