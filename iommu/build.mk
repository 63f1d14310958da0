# iommu: portable core (page tables, iommufd-style objects)
HYP_SRCS += iommu/pgtable.c

HOST_TESTS += pgtable
HOST_TEST_pgtable_SRCS = tests/host/test_pgtable.c iommu/pgtable.c $(HOST_ENV_SRCS)
