# arch: arm64 EL2 entry pieces, vectors, MMU, PSCI, SMP, semihosting
HYP_SRCS += arch/vectors.S arch/percpu.c arch/exception.c arch/semihost.c arch/guest_entry.S arch/vcpu.c \
	arch/mmu.c arch/psci.c arch/smp.c
# the guest's virtual CPU interface (list registers) and virtual timer
HYP_SRCS += arch/vgic.c arch/vtimer.c
# the ID registers a guest reads (trapped: SVE/SME hidden); boot-time only
HYP_SRCS += arch/cpu_id.c arch/id_regs.S
# the previous guest's FP/SIMD values, zeroed when a vCPU is loaded
HYP_SRCS += arch/fpsimd_scrub.S
# the registers a guest reaches only through a trap (UNDEF injection), and
# its debug state (reset at vCPU load); both off the hot path
HYP_SRCS += arch/vcpu_sysreg.c arch/vcpu_debug.c
HYP_COLD += arch/vcpu_sysreg.c arch/vcpu_debug.c
HYP_COLD += arch/cpu_id.c
