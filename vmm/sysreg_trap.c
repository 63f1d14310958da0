/* SPDX-License-Identifier: MIT */
/*
 * A guest's trapped MSR/MRS (ESR_ELx.EC = 0x18; include/aerie/sysreg_trap.h):
 * decode the syndrome and hand the access to the register's emulation.
 *
 * Emulated: writes to the GICv3 SGI generation registers (vmm/vgic_sgi.c)
 * and, while HCR_EL2.TVM traps them, to the EL1 memory-system registers
 * (arch/vcpu.c); reads of the ID registers (HCR_EL2.TID3, arch/cpu_id.c);
 * the registers arch/vcpu_sysreg.c decides about (debug OS lock, ACTLR,
 * RAS error records: emulated; LORegions, IMPLEMENTATION DEFINED
 * registers, the EL1 physical timer: an UNDEFINED exception injected into
 * the guest, which goes on at its EL1 vector). Everything else, including a
 * read of the write-only SGI registers, is not emulated: sysreg_trap()
 * returns false and the vCPU loop ends the guest with the trap in its log
 * line, as before.
 */
#include <aerie/guest.h>
#include <aerie/sysreg_trap.h>
#include <aerie/vgic.h>

void sysreg_decode(u64 esr, struct sysreg_access *a)
{
	a->reg = (u32)(esr & ESR_SYS64_REG);
	a->rt = (unsigned int)FIELD_GET(ESR_SYS64_RT, esr);
	a->read = esr & ESR_SYS64_DIR_READ;
}

/* the write-only registers vmm/ and the TVM path emulate */
static bool sgi_or_vm_write(struct guest_vcpu *gv, u32 reg, u64 val)
{
	switch (reg) {
	case SYS_ICC_SGI1R_EL1:
		vgic_sgi_write(gv, VGIC_SGI1R, val);
		break;
	case SYS_ICC_ASGI1R_EL1:
		vgic_sgi_write(gv, VGIC_ASGI1R, val);
		break;
	case SYS_ICC_SGI0R_EL1:
		vgic_sgi_write(gv, VGIC_SGI0R, val);
		break;
	default:
		return vcpu_vm_reg_write(&gv->arch, reg, val);
	}
	return true;
}

bool sysreg_trap(struct guest_vcpu *gv)
{
	struct vcpu *v = &gv->arch;
	struct sysreg_access a;
	u64 val;

	sysreg_decode(v->esr, &a);
	val = a.read || a.rt == SYS64_RT_XZR ? 0 : v->x[a.rt];
	/* the hot ones first: SGIs (Linux's IPIs) */
	if (!(a.read ? vcpu_id_reg(a.reg, &val) : sgi_or_vm_write(gv, a.reg, val))) {
		switch (vcpu_sysreg_access(v, a.reg, a.read, &val)) {
		case VCPU_SYSREG_DONE:
			break;
		case VCPU_SYSREG_UNDEF:
			vcpu_inject_undef(v);
			return true;
		default:
			return false;
		}
	}
	if (a.read && a.rt != SYS64_RT_XZR)
		v->x[a.rt] = val;
	v->elr += 4;	/* MSR/MRS is always a 32-bit instruction */
	return true;
}
