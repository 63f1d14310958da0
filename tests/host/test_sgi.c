/* SPDX-License-Identifier: MIT */
/*
 * Trapped MSR/MRS decoding (vmm/sysreg_trap.c) and the SGIs a guest sends
 * its own vCPUs (vmm/vgic_sgi.c), with vgic_inject() replaced by a recorder:
 * the syndrome QEMU reports for "msr ICC_SGI1R_EL1, x0" decodes to that
 * register; target lists, IRM, Aff1..3 and RS pick exactly the vCPUs they
 * name; XZR is zero; group 0 registers reach nobody; reads and other
 * registers are left to the caller (the guest ends) without touching ELR.
 */
#include <aerie/guest.h>
#include <aerie/sysreg_trap.h>
#include <aerie/vgic.h>
#include "test.h"

/* "msr S3_0_C12_C11_5, x0" at EL1 with HCR_EL2.IMO = 1, as QEMU reported it */
#define ESR_MSR_SGI1R_X0	0x623a3016ULL
#define ESR_RT_SHIFT		5
#define ESR_DIR_READ		1ULL
#define ESR_OP2_SHIFT		17
#define OP2_SGI1R		5
#define OP2_ASGI1R		6
#define OP2_SGI0R		7

/* ICC_SGI1R_EL1 fields */
#define SGIR_LIST(l)		((u64)(l))
#define SGIR_AFF1(a)		((u64)(a) << 16)
#define SGIR_INTID(i)		((u64)(i) << 24)
#define SGIR_AFF2(a)		((u64)(a) << 32)
#define SGIR_IRM		(1ULL << 40)
#define SGIR_RS(rs)		((u64)(rs) << 44)
#define SGIR_AFF3(a)		((u64)(a) << 48)

static struct guest g;
static unsigned int injected[GUEST_MAX_VCPUS][VGIC_NR_PRIV];
static unsigned int ninjected;

int vgic_inject(struct guest_vcpu *gv, u32 intid)
{
	CHECK(gv >= g.vcpus && gv < g.vcpus + g.nvcpus);
	CHECK(intid < 16);
	if (gv >= g.vcpus && gv < g.vcpus + g.nvcpus && intid < 16)
		injected[gv->idx][intid]++;
	ninjected++;
	return 0;
}

/* the EL1 register writes (HCR_EL2.TVM) arch/vcpu.c would do: recorded */
static u32 vm_reg;
static u64 vm_val;
static unsigned int vm_writes;

bool vcpu_vm_reg_write(struct vcpu *v, u32 reg, u64 val)
{
	(void)v;
	if (reg != SYS_SCTLR_EL1 && reg != SYS_TTBR1_EL1)
		return false;
	vm_reg = reg;
	vm_val = val;
	vm_writes++;
	return true;
}

/* arch/cpu_id.c: only ID_AA64PFR0_EL1 (S3_0_C0_C4_0) here */
bool vcpu_id_reg(u32 reg, u64 *val)
{
	if (reg != SYS64_REG(3, 0, 0, 4, 0))
		return false;
	*val = 0x1122334455667788ULL;
	return true;
}

/* arch/vcpu_sysreg.c: none of the registers used here is one of arch/'s */
enum vcpu_sysreg_result vcpu_sysreg_access(struct vcpu *v, u32 reg, bool read, u64 *val)
{
	(void)v, (void)reg, (void)read, (void)val;
	return VCPU_SYSREG_UNKNOWN;
}

void vcpu_inject_undef(struct vcpu *v)
{
	(void)v;
	CHECK(0);
}

#define ESR_EC_SHIFT		26
#define EC_SYS64		0x18ULL
#define ESR_IL			(1ULL << 25)	/* a 32-bit instruction */

/* the syndrome of "msr <reg>, x<rt>" / "mrs x<rt>, <reg>" (reg: SYS64_REG()) */
static u64 sys64_esr(u32 reg, unsigned int rt, bool read)
{
	return (EC_SYS64 << ESR_EC_SHIFT) | ESR_IL | reg | ((u64)rt << ESR_RT_SHIFT) |
	       (read ? ESR_DIR_READ : 0);
}

static void setup(unsigned int nvcpus)
{
	memset(&g, 0, sizeof(g));
	memset(injected, 0, sizeof(injected));
	ninjected = 0;
	vm_writes = 0;
	g.nvcpus = nvcpus;
	for (unsigned int i = 0; i < nvcpus; i++) {
		g.vcpus[i].g = &g;
		g.vcpus[i].idx = i;
	}
}

/* vCPU `from` executes "msr <op2's register>, x<rt>" with x<rt> = val */
static bool msr(unsigned int from, unsigned int op2, unsigned int rt, u64 val)
{
	struct vcpu *v = &g.vcpus[from].arch;
	u64 esr = (ESR_MSR_SGI1R_X0 & ~(7ULL << ESR_OP2_SHIFT)) | ((u64)op2 << ESR_OP2_SHIFT) |
		  ((u64)rt << ESR_RT_SHIFT);
	bool ok;

	v->esr = esr;
	v->elr = 0x40001000;
	if (rt < 31)
		v->x[rt] = val;
	ok = sysreg_trap(&g.vcpus[from]);
	CHECK_EQ(v->elr, ok ? 0x40001004 : 0x40001000);
	return ok;
}

TEST(decode_the_syndrome_qemu_reports)
{
	struct sysreg_access a;

	sysreg_decode(ESR_MSR_SGI1R_X0, &a);
	CHECK_EQ(a.reg, SYS_ICC_SGI1R_EL1);
	CHECK_EQ(a.rt, 0);
	CHECK(!a.read);
	sysreg_decode(ESR_MSR_SGI1R_X0 | (17ULL << ESR_RT_SHIFT) | ESR_DIR_READ, &a);
	CHECK_EQ(a.reg, SYS_ICC_SGI1R_EL1);
	CHECK_EQ(a.rt, 17);
	CHECK(a.read);
	sysreg_decode(ESR_MSR_SGI1R_X0 | (31ULL << ESR_RT_SHIFT), &a);
	CHECK_EQ(a.rt, SYS64_RT_XZR);
	/* the encodings the ISS gives: S3_0_C12_C11_{5,6,7} */
	CHECK_EQ(SYS_ICC_SGI1R_EL1, ESR_MSR_SGI1R_X0 & 0x3ffc1e);
	CHECK_EQ(SYS_ICC_ASGI1R_EL1, SYS_ICC_SGI1R_EL1 + (1U << ESR_OP2_SHIFT));
	CHECK_EQ(SYS_ICC_SGI0R_EL1, SYS_ICC_SGI1R_EL1 + (2U << ESR_OP2_SHIFT));
	/* the test's syndrome builder agrees with what QEMU reported */
	CHECK_EQ(sys64_esr(SYS_ICC_SGI1R_EL1, 0, false), ESR_MSR_SGI1R_X0);
}

TEST(target_list_picks_the_named_vcpus)
{
	setup(4);
	CHECK(msr(0, OP2_SGI1R, 3, SGIR_INTID(9) | SGIR_LIST(0x2)));
	CHECK_EQ(injected[1][9], 1);
	CHECK_EQ(ninjected, 1);
	CHECK(msr(2, OP2_SGI1R, 7, SGIR_INTID(15) | SGIR_LIST(0xf)));	/* itself too */
	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(injected[i][15], 1);
	CHECK_EQ(ninjected, 5);
	CHECK_EQ(vgic_sgi_targets(SGIR_LIST(0x5), 1, 4), 0x5);
	CHECK_EQ(vgic_sgi_targets(SGIR_LIST(0xffff), 0, 2), 0x3);
}

TEST(irm_is_everybody_but_the_sender)
{
	setup(3);
	CHECK(msr(1, OP2_SGI1R, 0, SGIR_INTID(3) | SGIR_IRM | SGIR_LIST(0x2) | SGIR_AFF1(7)));
	CHECK_EQ(injected[0][3], 1);
	CHECK_EQ(injected[1][3], 0);
	CHECK_EQ(injected[2][3], 1);
	CHECK_EQ(ninjected, 2);
	CHECK_EQ(vgic_sgi_targets(SGIR_IRM, 0, 1), 0);
}

TEST(targets_no_vcpu_has_are_ignored)
{
	setup(2);
	CHECK(msr(0, OP2_SGI1R, 1, SGIR_INTID(4) | SGIR_LIST(1U << 5)));		/* Aff0 5 */
	CHECK(msr(0, OP2_SGI1R, 1, SGIR_INTID(4) | SGIR_LIST(0xfffc)));
	CHECK(msr(0, OP2_SGI1R, 1, SGIR_INTID(4) | SGIR_AFF1(1) | SGIR_LIST(0x3)));
	CHECK(msr(0, OP2_SGI1R, 1, SGIR_INTID(4) | SGIR_AFF2(1) | SGIR_LIST(0x3)));
	CHECK(msr(0, OP2_SGI1R, 1, SGIR_INTID(4) | SGIR_AFF3(1) | SGIR_LIST(0x3)));
	CHECK(msr(0, OP2_SGI1R, 1, SGIR_INTID(4) | SGIR_RS(1) | SGIR_LIST(0x3)));	/* Aff0 16, 17 */
	CHECK(msr(0, OP2_SGI1R, 1, SGIR_INTID(4) | SGIR_RS(15) | SGIR_LIST(0xffff)));
	CHECK(msr(0, OP2_SGI1R, 31, 0));						/* XZR */
	CHECK(msr(0, OP2_SGI1R, 1, 0));
	CHECK_EQ(ninjected, 0);
}

TEST(group0_registers_reach_nobody)
{
	setup(2);
	CHECK(msr(0, OP2_SGI0R, 2, SGIR_INTID(1) | SGIR_LIST(0x3)));
	CHECK(msr(0, OP2_ASGI1R, 2, SGIR_INTID(1) | SGIR_LIST(0x3)));
	CHECK(msr(1, OP2_SGI0R, 2, SGIR_INTID(1) | SGIR_IRM));
	CHECK_EQ(ninjected, 0);
}

TEST(reads_and_other_registers_are_not_emulated)
{
	struct vcpu *v;

	setup(2);
	v = &g.vcpus[0].arch;
	/* mrs x5, ICC_SGI1R_EL1: write-only */
	v->esr = ESR_MSR_SGI1R_X0 | (5ULL << ESR_RT_SHIFT) | ESR_DIR_READ;
	v->elr = 0x40002000;
	v->x[5] = 0x1234;
	CHECK(!sysreg_trap(&g.vcpus[0]));
	CHECK_EQ(v->elr, 0x40002000);
	CHECK_EQ(v->x[5], 0x1234);
	/* msr S3_0_C12_C11_4 (op2 4: not an SGI register) */
	CHECK(!msr(0, 4, 1, SGIR_INTID(1) | SGIR_LIST(0x2)));
	/* msr S3_1_C12_C11_5 (op1 1) */
	v->esr = ESR_MSR_SGI1R_X0 | (1ULL << 14);
	v->x[0] = SGIR_INTID(1) | SGIR_LIST(0x2);
	CHECK(!sysreg_trap(&g.vcpus[0]));
	CHECK_EQ(ninjected, 0);
}

TEST(el1_memory_system_register_writes_go_to_the_vcpu)
{
	struct vcpu *v;

	setup(1);
	v = &g.vcpus[0].arch;
	v->esr = sys64_esr(SYS_SCTLR_EL1, 3, false);	/* msr SCTLR_EL1, x3 */
	v->elr = 0x40003000;
	v->x[3] = 0x30d00801;
	CHECK(sysreg_trap(&g.vcpus[0]));
	CHECK_EQ(vm_writes, 1);
	CHECK_EQ(vm_reg, SYS_SCTLR_EL1);
	CHECK_EQ(vm_val, 0x30d00801);
	CHECK_EQ(v->elr, 0x40003004);
	/* one it does not take (TCR_EL1 here): left to the caller, ELR where it was */
	v->esr = sys64_esr(SYS_TCR_EL1, 0, false);
	CHECK(!sysreg_trap(&g.vcpus[0]));
	CHECK_EQ(v->elr, 0x40003004);
	CHECK_EQ(vm_writes, 1);
	CHECK_EQ(ninjected, 0);
}

TEST(id_register_reads_get_the_value_aerie_gives)
{
	struct vcpu *v;

	setup(1);
	v = &g.vcpus[0].arch;
	v->esr = sys64_esr(SYS64_REG(3, 0, 0, 4, 0), 9, true);	/* mrs x9, ID_AA64PFR0_EL1 */
	v->elr = 0x40004000;
	CHECK(sysreg_trap(&g.vcpus[0]));
	CHECK_EQ(v->x[9], 0x1122334455667788ULL);
	CHECK_EQ(v->elr, 0x40004004);
	/* mrs xzr, ...: nothing written, still stepped over */
	v->esr = sys64_esr(SYS64_REG(3, 0, 0, 4, 0), SYS64_RT_XZR, true);
	CHECK(sysreg_trap(&g.vcpus[0]));
	CHECK_EQ(v->elr, 0x40004008);
	/* mrs x9, S3_0_C0_C4_1: not given by this stub, left to the caller */
	v->esr = sys64_esr(SYS64_REG(3, 0, 0, 4, 1), 9, true);
	v->x[9] = 0;
	CHECK(!sysreg_trap(&g.vcpus[0]));
	CHECK_EQ(v->x[9], 0);
	CHECK_EQ(v->elr, 0x40004008);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
