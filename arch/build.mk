# arch: arm64 EL2 entry pieces, vectors, MMU, PSCI, SMP, semihosting
HYP_SRCS += arch/vectors.S arch/percpu.c arch/exception.c arch/semihost.c arch/guest_entry.S arch/vcpu.c \
	arch/mmu.c arch/psci.c arch/smp.c
# the guest's virtual CPU interface (list registers) and virtual timer
HYP_SRCS += arch/vgic.c arch/vtimer.c
