/* SPDX-License-Identifier: MIT */
/* Unexpected EL2 exceptions: a decoded dump, then stop with a non-zero status. */
#include <stdarg.h>
#include <aerie/arch.h>
#include <aerie/bits.h>
#include <aerie/log.h>
#include <aerie/percpu.h>
#include <aerie/sysreg.h>

const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN: return "Unknown reason";
	case ESR_EC_WFX: return "WFI/WFE";
	case ESR_EC_FP: return "FP/SIMD access";
	case ESR_EC_ILL: return "Illegal execution state";
	case ESR_EC_SVC64: return "SVC (AArch64)";
	case ESR_EC_HVC64: return "HVC (AArch64)";
	case ESR_EC_SMC64: return "SMC (AArch64)";
	case ESR_EC_SYS64: return "MSR/MRS/system instruction";
	case ESR_EC_SVE: return "SVE access";
	case ESR_EC_IABT_LOW: return "Instruction abort from a lower EL";
	case ESR_EC_IABT_CUR: return "Instruction abort at EL2";
	case ESR_EC_PC_ALIGN: return "PC alignment fault";
	case ESR_EC_DABT_LOW: return "Data abort from a lower EL";
	case ESR_EC_DABT_CUR: return "Data abort at EL2";
	case ESR_EC_SP_ALIGN: return "SP alignment fault";
	case ESR_EC_SERROR: return "SError";
	case ESR_EC_BRK64: return "BRK (AArch64)";
	default: return "Other";
	}
}

static const char kind_name[][21] = {	/* in place: no pointers to relocate */
	"synchronous", "IRQ", "FIQ", "SError",
	"lower-EL synchronous", "lower-EL IRQ", "lower-EL FIQ", "lower-EL SError",
};

static const char *dfsc_name(unsigned int dfsc)
{
	switch (dfsc & 0x3c) {
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	case 0x00: return "address size fault";
	case 0x10: return "external abort";
	case 0x20: return "alignment fault";
	default: return "other fault";
	}
}

void hyp_exception(struct hyp_frame *f, u64 kind)
{
	unsigned int ec = FIELD_GET(ESR_EC, f->esr);

	pr_err("\n*** Aerie: unexpected %s exception at EL2 on CPU %u ***\n",
	       kind < ARRAY_SIZE(kind_name) ? kind_name[kind] : "?",
	       this_cpu()->cpu_id);
	pr_err("ESR 0x%08llx: class 0x%02x = %s\n", (unsigned long long)f->esr, ec,
	       esr_class_name(ec));
	if (ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR ||
	    ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW)
		pr_err("  %s (DFSC 0x%02llx, level %llu)%s\n",
		       dfsc_name(FIELD_GET(ESR_ISS_DFSC, f->esr)),
		       (unsigned long long)FIELD_GET(ESR_ISS_DFSC, f->esr),
		       (unsigned long long)(f->esr & 3),
		       (ec == ESR_EC_DABT_CUR || ec == ESR_EC_DABT_LOW) ?
			       ((f->esr & ESR_ISS_WNR) ? ", on a write" : ", on a read") : "");
	pr_err("FAR  0x%016llx  ELR 0x%016llx (image offset 0x%llx)\n",
	       (unsigned long long)f->far, (unsigned long long)f->elr,
	       (unsigned long long)(f->elr - (u64)(uintptr_t)_head));
	pr_err("SPSR 0x%016llx  SP  0x%016llx\n", (unsigned long long)f->spsr,
	       (unsigned long long)f->sp);
	for (int i = 0; i < 31; i += 2) {
		if (i == 30)
			pr_err("x30  0x%016llx\n", (unsigned long long)f->x[30]);
		else
			pr_err("x%-2d  0x%016llx  x%-2d  0x%016llx\n", i,
			       (unsigned long long)f->x[i], i + 1,
			       (unsigned long long)f->x[i + 1]);
	}
	hyp_exit(2);
}

void hyp_panic(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_err("\n*** Aerie panic on CPU %u: %s ***\n", this_cpu()->cpu_id, buf);
	hyp_exit(2);
}
