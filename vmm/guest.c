/* SPDX-License-Identifier: MIT */
/*
 * Guests: creation, the exit loop (hypercalls, PSCI, the emulated console,
 * faults), device assignment and teardown.
 */
#include <aerie/arch.h>
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/log.h>
#include <aerie/mem.h>
#include <aerie/pa.h>
#include <aerie/percpu.h>
#include <aerie/psci.h>
#include <aerie/smmu.h>
#include <aerie/string.h>
#include <aerie/sysreg.h>
#include <uapi/aerie/iommu.h>

#define PL011_DR 0x00
#define PL011_FR 0x18
#define SMCCC_NOT_SUPPORTED (-1)

static u16 next_vmid = 1;

int guest_create(struct guest *g, const char *name, const void *image, u64 image_size,
		 u64 ram_size)
{
	int err;

	memset(g, 0, sizeof(*g));
	for (unsigned int i = 0; i < sizeof(g->name) - 1 && name[i]; i++)
		g->name[i] = name[i];
	if (image_size > ram_size)
		return -EINVAL;
	g->ram_size = ram_size;
	g->ram_pa = mem_carve(ram_size, 2ULL << 20);
	if (!g->ram_pa)
		return -ENOMEM;
	memcpy(phys_to_virt(g->ram_pa), image, image_size);
	g->mem.region[0].ipa = GUEST_RAM_IPA;
	g->mem.region[0].pa = g->ram_pa;
	g->mem.region[0].size = ram_size;
	g->mem.count = 1;
	err = pgtable_init(&g->s2, 40, 40);
	if (!err)
		err = pgtable_map(&g->s2, GUEST_RAM_IPA, ram_size, g->ram_pa, PT_R | PT_W | PT_X,
				  PT_ATTR_NORMAL, NULL);
	if (!err) {
		g->iommu = iommu_ctx_create(hyp_smmu(), &g->mem, next_vmid);
		if (!g->iommu)
			err = -ENOMEM;
	}
	if (err) {
		guest_destroy(g);
		return err;
	}
	g->vmid = next_vmid++;
	g->state = GUEST_RUNNING;
	/* make the image visible to a guest that starts with caches off */
	for (u64 a = g->ram_pa; a < g->ram_pa + ALIGN_UP(image_size, 64); a += 64)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
	return 0;
}

int guest_assign_pci(struct guest *g, struct pci_dev *d, u32 vsid)
{
	int err;

	if (g->ndevs == ARRAY_SIZE(g->devs))
		return -ENOSPC;
	for (int i = 0; i < 6; i++) {
		if (!d->bar[i].pa || !d->bar[i].size)
			continue;
		err = pgtable_map(&g->s2, d->bar[i].pa, ALIGN_UP(d->bar[i].size, PAGE_SIZE),
				  d->bar[i].pa, PT_R | PT_W, PT_ATTR_DEVICE, NULL);
		if (err)
			return err;
	}
	err = iommu_ctx_add_device(g->iommu, d->sid, d->bdf, vsid);
	if (err < 0)
		return err;
	g->devs[g->ndevs++] = d;
	pci_enable(d, true);
	return 0;
}

void guest_destroy(struct guest *g)
{
	/* devices stop mastering; their streams go back to abort below */
	for (unsigned int i = 0; i < g->ndevs; i++)
		pci_enable(g->devs[i], false);
	g->ndevs = 0;
	if (g->iommu)
		iommu_ctx_destroy(g->iommu);
	g->iommu = NULL;
	if (g->s2.root)
		pgtable_destroy(&g->s2);
	if (g->ram_pa)
		mem_uncarve(g->ram_pa, g->ram_size);
	g->ram_pa = 0;
}

static void stop(struct guest *g, enum guest_state st, const char *why)
{
	g->state = st;
	pr_info("[%s] stopped: %s\n", g->name, why);
}

static void console_put(struct guest *g, char c)
{
	if (c == '\n' || g->line_len == sizeof(g->line) - 1) {
		g->line[g->line_len] = 0;
		pr_info("[%s] %s\n", g->name, g->line);
		g->line_len = 0;
		if (c == '\n')
			return;
	}
	if (c != '\r')
		g->line[g->line_len++] = c;
}

static void handle_hvc(struct guest *g)
{
	struct vcpu *v = &g->vcpu;
	u32 fn = (u32)v->x[0];
	s64 ret = SMCCC_NOT_SUPPORTED;

	switch (fn) {
	case PSCI_FN_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_FN_FEATURES: {
		u32 q = (u32)v->x[1];
		ret = (q == PSCI_FN_VERSION || q == PSCI_FN_SYSTEM_OFF ||
		       q == PSCI_FN_SYSTEM_RESET || q == PSCI_FN_FEATURES) ? 0 :
		      PSCI_RET_NOT_SUPPORTED;
		break;
	}
	case PSCI_FN_SYSTEM_OFF:
		stop(g, GUEST_OFF, "PSCI SYSTEM_OFF");
		return;
	case PSCI_FN_SYSTEM_RESET:
		stop(g, GUEST_RESET, "PSCI SYSTEM_RESET");
		return;
	case AERIE_HC_VERSION:
		ret = AERIE_ABI_VERSION;
		break;
	case AERIE_HC_NOP:
		ret = 0;
		break;
	case AERIE_HC_FEATURES:
		ret = AERIE_FEAT_IOMMU |
		      (smmu_features(hyp_smmu())->nesting ? AERIE_FEAT_NESTING : 0);
		break;
	default:
		if (fn >= AERIE_HC_IOMMU_BASE && fn <= AERIE_HC_IOMMU_LAST)
			ret = iommu_hypercall(g->iommu, fn, v->x[1]);
		break;
	}
	v->x[0] = (u64)ret;
}

static void handle_dabt(struct guest *g)
{
	struct vcpu *v = &g->vcpu;
	u64 iss = FIELD_GET(ESR_ISS, v->esr);
	u64 ipa = ((v->hpfar & GENMASK(43, 4)) << 8) | (v->far & 0xfff);
	unsigned int rt = (unsigned int)FIELD_GET(ESR_ISS_SRT, v->esr);
	bool write = v->esr & ESR_ISS_WNR;
	char why[96];

	if ((v->esr & ESR_ISS_ISV) && ipa >= GUEST_UART_IPA && ipa < GUEST_UART_IPA + 0x1000) {
		if (write && ipa - GUEST_UART_IPA == PL011_DR)
			console_put(g, (char)(rt == 31 ? 0 : v->x[rt]));
		else if (!write && rt != 31)
			v->x[rt] = 0; /* FR: never busy; other registers read 0 */
		v->elr += 4;
		return;
	}
	snprintf(why, sizeof(why), "data abort on 0x%llx it does not own (%s, ISS 0x%llx)",
		 (unsigned long long)ipa, write ? "write" : "read", (unsigned long long)iss);
	stop(g, GUEST_CRASHED, why);
}

enum guest_state guest_run(struct guest *g, u64 x1)
{
	struct vcpu *v = &g->vcpu;
	char why[96];

	vcpu_init(v, &g->s2, g->vmid, GUEST_RAM_IPA);
	v->x[1] = x1;
	this_cpu()->vcpu = v;
	while (g->state == GUEST_RUNNING) {
		u64 reason = vcpu_run(v);
		unsigned int ec = (unsigned int)FIELD_GET(ESR_EC, v->esr);

		if (reason != VCPU_EXIT_SYNC)
			continue; /* nothing routes interrupts to guests yet */
		switch (ec) {
		case ESR_EC_HVC64:
			handle_hvc(g);
			break;
		case ESR_EC_SMC64:
			handle_hvc(g);
			v->elr += 4;
			break;
		case ESR_EC_WFX:
			v->elr += 4;
			break;
		case ESR_EC_DABT_LOW:
			handle_dabt(g);
			break;
		default:
			snprintf(why, sizeof(why), "unexpected trap: %s (ESR 0x%llx) at 0x%llx",
				 esr_class_name(ec), (unsigned long long)v->esr,
				 (unsigned long long)v->elr);
			stop(g, GUEST_CRASHED, why);
			break;
		}
		/* the SMMU is polled: its events (and guests' stage-1 faults for
		 * their event rings) are collected on every slow-path exit */
		smmu_poll(hyp_smmu());
	}
	this_cpu()->vcpu = NULL;
	write_sysreg(hcr_el2, 0x80000000ULL); /* RW only: stage 2 off */
	isb();
	return g->state;
}
