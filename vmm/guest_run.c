/* SPDX-License-Identifier: MIT */
/*
 * Running a guest: each vCPU's exit loop on its physical CPU (hypercalls,
 * PSCI, trapped WFE, emulated MMIO, faults, physical interrupts forwarded
 * to the guest through the vGIC), PSCI CPU_ON/CPU_OFF for the
 * guest's own CPUs, and stopping every vCPU of a guest when one of them ends
 * it (SYSTEM_OFF/RESET or a fault): the others are kicked out of the guest
 * with an SGI and see the guest's state on their next exit.
 */
#include <aerie/arch.h>
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/gicv3.h>
#include <aerie/guest.h>
#include <aerie/hyp_irq.h>
#include <aerie/log.h>
#include <aerie/percpu.h>
#include <aerie/psci.h>
#include <aerie/smmu.h>
#include <aerie/string.h>
#include <aerie/sysreg.h>
#include <aerie/sysreg_trap.h>
#include <aerie/vgic.h>
#include <aerie/vmmio.h>
#include <uapi/aerie/iommu.h>

#define SMCCC_NOT_SUPPORTED	(-1)
#define PSCI_RET_INVALID_ADDRESS (-9)
#define PSCI_AFFINITY_ON	0
#define PSCI_AFFINITY_OFF	1
#define PSCI_AFFINITY_ON_PENDING 2
#define MPIDR_AFF_NONZERO	GENMASK(39, 8)	/* Aff1..Aff3: every vCPU has 0 */
#define HCR_RW_ONLY		BIT(31)

static void kick_all(struct guest *g, const struct guest_vcpu *self)
{
	for (unsigned int i = 0; i < g->nvcpus; i++) {
		const struct guest_vcpu *o = &g->vcpus[i];

		if (o != self && o->pcpu != this_cpu()->cpu_id &&
		    __atomic_load_n(&o->power, __ATOMIC_ACQUIRE) != VCPU_OFF)
			gicv3_send_sgi(percpu[o->pcpu].mpidr, GIC_SGI_KICK);
	}
	sev();
}

void guest_stop(struct guest *g, const struct guest_vcpu *self, int st,
		const char *why)
{
	bool first;

	spin_lock(&g->lock);
	first = g->state == GUEST_RUNNING;
	if (first)
		g->state = st;
	spin_unlock(&g->lock);
	if (!first)
		return;
	pr_info("[%s] stopped: %s\n", g->name, why);
	kick_all(g, self);
}

static bool running(const struct guest *g)
{
	return __atomic_load_n(&g->state, __ATOMIC_ACQUIRE) == GUEST_RUNNING;
}

/* ---- PSCI for the guest's CPUs ---------------------------------------------------------- */

static void vcpu_thread(void *arg);

static s64 vpsci_cpu_on(struct guest_vcpu *self, u64 target, u64 entry, u64 ctx)
{
	struct guest *g = self->g;
	struct guest_vcpu *t;
	s64 ret = PSCI_RET_SUCCESS;

	if ((target & MPIDR_AFF_NONZERO) || (target & 0xff) >= g->nvcpus)
		return PSCI_RET_INVALID_PARAMS;
	if (!vm_mem_entry_valid(&g->mem, entry))
		return PSCI_RET_INVALID_ADDRESS;
	t = &g->vcpus[target & 0xff];
	spin_lock(&g->lock);
	if (t->power == VCPU_ON)
		ret = PSCI_RET_ALREADY_ON;
	else if (t->power == VCPU_ON_PENDING)
		ret = PSCI_RET_ON_PENDING;
	if (ret == PSCI_RET_SUCCESS) {
		t->entry = entry;
		t->ctx = ctx;
		__atomic_store_n(&t->power, VCPU_ON_PENDING, __ATOMIC_RELEASE);
		__atomic_add_fetch(&g->active, 1, __ATOMIC_ACQ_REL);
	}
	spin_unlock(&g->lock);
	if (ret != PSCI_RET_SUCCESS)
		return ret;
	/* vCPU 0's CPU waits in guest_run and picks it up itself */
	if (t->idx != 0 && cpu_run_on(t->pcpu, vcpu_thread, t)) {
		__atomic_store_n(&t->power, VCPU_OFF, __ATOMIC_RELEASE);
		__atomic_sub_fetch(&g->active, 1, __ATOMIC_ACQ_REL);
		return PSCI_RET_INTERNAL_FAILURE;
	}
	sev();
	return PSCI_RET_SUCCESS;
}

static s64 vpsci_affinity_info(struct guest *g, u64 target, u64 level)
{
	if (level != 0 || (target & MPIDR_AFF_NONZERO) || (target & 0xff) >= g->nvcpus)
		return PSCI_RET_INVALID_PARAMS;
	switch (__atomic_load_n(&g->vcpus[target & 0xff].power, __ATOMIC_ACQUIRE)) {
	case VCPU_ON:
		return PSCI_AFFINITY_ON;
	case VCPU_ON_PENDING:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_OFF;
	}
}

static bool psci_known(u32 fn)
{
	switch (fn) {
	case PSCI_FN_VERSION:
	case PSCI_FN_FEATURES:
	case PSCI_FN_CPU_ON:
	case PSCI_FN64_CPU_ON:
	case PSCI_FN_CPU_OFF:
	case PSCI_FN_AFFINITY_INFO:
	case PSCI_FN64_AFFINITY_INFO:
	case PSCI_FN_SYSTEM_OFF:
	case PSCI_FN_SYSTEM_RESET:
		return true;
	default:
		return false;
	}
}

/* ---- hypercalls ------------------------------------------------------------------------ */

static bool is_iommu_call(u64 x0)
{
	return (u32)x0 >= AERIE_HC_IOMMU_BASE && (u32)x0 <= AERIE_HC_IOMMU_LAST;
}

/* an IOMMU hypercall: the guest's core, or -EPERM with a vSMMU (its
 * registers are then the guest's only way in). Without the event queue's
 * interrupt the SMMU is polled after it, as after every slow-path exit */
static __attribute__((noinline)) s64 iommu_call(struct guest *g, u64 x0, u64 x1)
{
	s64 ret = g->vsmmu ? -EPERM : iommu_hypercall(g->iommu, (u32)x0, x1);

	if (!hyp_irq_smmu_events())
		smmu_poll(hyp_smmu());
	return ret;
}

/*
 * The calls answered from x0..x3 alone, with no exit: the version and
 * feature queries, AFFINITY_INFO and the IOMMU hypercalls (they touch only
 * the guest's core, under its lock, and the SMMU's bounded waits; the exit
 * loop's other work (the fault log, the guest's state) waits for the next
 * slow-path exit). The vector's fast path for HVC64 (arch/guest_entry.S),
 * and handle_hvc for SMC64 and the rest.
 */
static struct vcpu_hvc_ret hvc_fast(u64 x0, u64 x1, u64 x2, u64 x3, struct vcpu *v)
{
	struct guest_vcpu *gv = container_of(v, struct guest_vcpu, arch);
	struct vcpu_hvc_ret r = { .done = 1 };

	/* the version queries first: three instructions each to decide */
	if ((u32)x0 == AERIE_HC_VERSION)
		return (struct vcpu_hvc_ret){ .x0 = AERIE_ABI_VERSION, .done = 1 };
	if ((u32)x0 == PSCI_FN_VERSION)
		return (struct vcpu_hvc_ret){ .x0 = PSCI_VERSION_1_1, .done = 1 };
	if (is_iommu_call(x0)) {
		r.x0 = (u64)iommu_call(gv->g, x0, x1);
		return r;
	}
	switch ((u32)x0) {
	case AERIE_HC_NOP:
		r.x0 = 0;
		break;
	case AERIE_HC_FEATURES:
		r.x0 = AERIE_FEAT_IOMMU | AERIE_FEAT_EVENT_IRQ |
		       (smmu_features(hyp_smmu())->nesting ? AERIE_FEAT_NESTING : 0);
		break;
	case PSCI_FN_FEATURES:
		r.x0 = psci_known((u32)x1) ? 0 : (u64)(s64)PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_FN_AFFINITY_INFO:
	case PSCI_FN64_AFFINITY_INFO:
		r.x0 = (u64)vpsci_affinity_info(gv->g, x1, x2);
		break;
	default:
		r.done = 0;
		break;
	}
	return r;
}

/* returns false when this vCPU's loop must end (CPU_OFF) */
static bool handle_hvc(struct guest_vcpu *gv)
{
	struct guest *g = gv->g;
	struct vcpu *v = &gv->arch;
	u32 fn = (u32)v->x[0];
	s64 ret = SMCCC_NOT_SUPPORTED;
	struct vcpu_hvc_ret fast = hvc_fast(v->x[0], v->x[1], v->x[2], v->x[3], v);

	if (fast.done) {
		v->x[0] = fast.x0;
		return true;
	}
	switch (fn) {
	case PSCI_FN_CPU_ON:
	case PSCI_FN64_CPU_ON:
		ret = vpsci_cpu_on(gv, v->x[1], v->x[2], v->x[3]);
		break;
	case PSCI_FN_CPU_OFF:
		return false;
	case PSCI_FN_SYSTEM_OFF:
		guest_stop(g, gv, GUEST_OFF, "PSCI SYSTEM_OFF");
		return true;
	case PSCI_FN_SYSTEM_RESET:
		guest_stop(g, gv, GUEST_RESET, "PSCI SYSTEM_RESET");
		return true;
	default:
		break;
	}
	v->x[0] = (u64)ret;
	return true;
}

/* ---- data aborts: emulated MMIO or the end of the guest ------------------------------- */

static void handle_dabt(struct guest_vcpu *gv)
{
	struct guest *g = gv->g;
	struct vcpu *v = &gv->arch;
	u64 iss = FIELD_GET(ESR_ISS, v->esr);
	u64 ipa = ((v->hpfar & GENMASK(43, 4)) << 8) | (v->far & 0xfff);
	unsigned int rt = (unsigned int)FIELD_GET(ESR_ISS_SRT, v->esr);
	bool write = v->esr & ESR_ISS_WNR;
	char why[112];

	if (v->esr & ESR_ISS_ISV) {
		struct vmmio_access a = {
			.ipa = ipa,
			.size = 1U << FIELD_GET(ESR_ISS_SAS, v->esr),
			.write = write,
			.val = write && rt != 31 ? v->x[rt] : 0,
		};

		if (vmmio_dispatch(g, gv->idx, &a)) {
			if (!write && rt != 31)
				v->x[rt] = a.val;
			v->elr += 4;
			return;
		}
	}
	snprintf(why, sizeof(why), "vCPU %u: data abort on 0x%llx it does not own (%s, ISS 0x%llx)",
		 gv->idx, (unsigned long long)ipa, write ? "write" : "read",
		 (unsigned long long)iss);
	guest_stop(g, gv, GUEST_CRASHED, why);
}

/* ---- the loop -------------------------------------------------------------------------- */

__attribute__((cold)) static void vcpu_serror(struct guest_vcpu *gv)
{
	char why[112];

	snprintf(why, sizeof(why), "vCPU %u: SError (ESR 0x%llx) near 0x%llx", gv->idx,
		 (unsigned long long)gv->arch.esr, (unsigned long long)gv->arch.elr);
	guest_stop(gv->g, gv, GUEST_CRASHED, why);
}

static void vcpu_loop(struct guest_vcpu *gv)
{
	struct guest *g = gv->g;
	struct vcpu *v = &gv->arch;
	char why[112];

	vcpu_init(v, &g->s2, g->vmid, gv->entry, gv->idx);
	v->hvc_fast = hvc_fast;
	v->x[0] = gv->ctx;
	if (gv->idx == 0)
		v->x[1] = g->boot_x1;
	this_cpu()->vcpu = v;
	/* load: its EL1 registers, virtual CPU interface and timer (put below) */
	vgic_cpu_reset(gv);
	vcpu_el1_restore(v);
	vgic_load(gv);
	vtimer_load(v);
	__atomic_store_n(&gv->power, VCPU_ON, __ATOMIC_RELEASE);
	while (running(g)) {
		u64 reason;
		unsigned int ec;
		bool on = true, poll = !hyp_irq_smmu_events();

		vgic_flush(gv);	/* queued virtual interrupts into list registers */
		reason = vcpu_run(v);
		ec = (unsigned int)FIELD_GET(ESR_EC, v->esr);
		if (reason == VCPU_EXIT_IRQ) {
			/* a kick (the state is looked at here), or an interrupt
			 * forwarded to the guest */
			vgic_handle_irq(gv);
			continue;
		}
		if (__builtin_expect(reason != VCPU_EXIT_SYNC, 0)) {
			/* FIQ: nothing is group 0. SError: an asynchronous external
			 * abort while the guest ran, its doing as far as Aerie can
			 * tell, and it cannot be resumed safely (HCR_EL2.AMO) */
			if (reason == VCPU_EXIT_SERROR)
				vcpu_serror(gv);
			continue;
		}
		switch (ec) {
		case ESR_EC_HVC64:
		case ESR_EC_SMC64:
			on = handle_hvc(gv);
			if (ec == ESR_EC_SMC64)
				v->elr += 4;
			break;
		case ESR_EC_WFX:
			v->elr += 4;
			break;
		case ESR_EC_DABT_LOW:
			handle_dabt(gv);
			break;
		case ESR_EC_SYS64:	/* MSR/MRS: ICC_SGI1R_EL1 & co. */
			if (sysreg_trap(gv))
				break;
			__attribute__((fallthrough));	/* not emulated: unexpected */
		default:
			snprintf(why, sizeof(why), "vCPU %u: unexpected trap: %s (ESR 0x%llx) at 0x%llx",
				 gv->idx, esr_class_name(ec), (unsigned long long)v->esr,
				 (unsigned long long)v->elr);
			/* often the guest's own exception with no vectors yet:
			 * what it was (its EL1 registers are still loaded) */
			pr_info("[%s] vCPU %u EL1: ESR_EL1 0x%llx ELR_EL1 0x%llx FAR_EL1 0x%llx "
				"VBAR_EL1 0x%llx\n", g->name, gv->idx,
				(unsigned long long)read_sysreg(esr_el1),
				(unsigned long long)read_sysreg(elr_el1),
				(unsigned long long)read_sysreg(far_el1),
				(unsigned long long)read_sysreg(vbar_el1));
			guest_stop(g, gv, GUEST_CRASHED, why);
			break;
		}
		/* the SMMU's events (and guests' stage-1 faults for their event
		 * rings) are collected here after every slow-path exit when the
		 * event queue has no interrupt (and after each IOMMU hypercall
		 * then: iommu_call); otherwise the interrupt (on the boot CPU's
		 * guest exits) and the boot CPU's millisecond poll collect them.
		 * This guest's own faults are logged here, on its CPU, on every
		 * slow-path exit */
		if (poll)
			smmu_poll(hyp_smmu());
		iommu_ctx_log_flush(g->iommu);
		if (!on)
			break;
	}
	vtimer_put(v);
	vgic_put(gv);
	vcpu_el1_save(v);
	this_cpu()->vcpu = NULL;
	write_sysreg(hcr_el2, HCR_RW_ONLY); /* stage 2 off */
	isb();
	__atomic_store_n(&gv->power, VCPU_OFF, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&g->active, 1, __ATOMIC_ACQ_REL);
	sev();
}

static void vcpu_thread(void *arg)
{
	vcpu_loop(arg);
}

enum guest_state guest_run(struct guest *g, u64 x1)
{
	struct guest_vcpu *boot = &g->vcpus[0];

	boot->pcpu = this_cpu()->cpu_id;
	boot->entry = GUEST_RAM_IPA;
	boot->ctx = g->boot_x0;
	g->boot_x1 = x1;
	boot->power = VCPU_ON_PENDING;
	__atomic_store_n(&g->active, 1, __ATOMIC_RELEASE);
	/* vCPU 0 runs here; when it is off, this CPU waits for the others (and
	 * runs vCPU 0 again if one of them turns it back on) */
	for (;;) {
		if (__atomic_load_n(&boot->power, __ATOMIC_ACQUIRE) == VCPU_ON_PENDING && running(g))
			vcpu_loop(boot);
		if (!__atomic_load_n(&g->active, __ATOMIC_ACQUIRE))
			break;
		if (!running(g))
			kick_all(g, NULL);
		smmu_poll(hyp_smmu());
		iommu_ctx_log_flush(g->iommu);
		udelay(1000);
	}
	if (running(g))
		guest_stop(g, NULL, GUEST_OFF, "every vCPU is off");
	return (enum guest_state)g->state;
}
