/* SPDX-License-Identifier: MIT */
/*
 * The demo guest: it sets up DMA isolation for its own edu device through
 * Aerie's hypercalls and proves every step with real DMA.
 *  Part 1, stage 2: an IOAS with two buffers, a stage-2 HWPT, DMA through
 *  the IOVAs, and no DMA after IOAS_UNMAP.
 *  Part 2, nested: the guest's RAM in an IOAS under a NEST_PARENT HWPT, a
 *  vIOMMU, its device as a vDEVICE, an event ring; its own stage-1 tables
 *  and context descriptor; a nested HWPT from its vSTE; DMA through its
 *  stage-1 addresses; a changed stage 1 taking effect after HWPT_INVALIDATE;
 *  a stage-1 fault arriving in its event ring, announced by Aerie's event
 *  interrupt while the guest sleeps in WFI.
 * Returns 0 (then start.S powers off) only if every step behaved.
 */
#include <aerie/edu.h>
#include "../lib/aerie_guest.h"
#include "../lib/gic.h"
#include "../lib/guest_dma.h"
#include "../lib/smmu_s1.h"

#define IOVA_SRC 0x100000ULL
#define IOVA_DST 0x200000ULL
/* part 2: the guest's own stage-1 addresses */
#define S1_SRC 0x08000000ULL	/* edu masks its DMA addresses to 28 bits */
#define S1_DST 0x08001000ULL
#define S1_HOLE 0x08002000ULL
#define S1_ASID 7
#define RAM_IPA 0x40000000ULL
#define RAM_SIZE 0x1000000ULL
#define RING_DEPTH 8
#define EVENT_WAIT_MS 2000

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));
static uint8_t dst2[4096] __attribute__((aligned(4096)));
static struct aerie_iommu_device_info devs[4];
static struct s1_ctx s1;
static struct {
	struct aerie_veventq_ring hdr;
	struct aerie_vevent_record rec[RING_DEPTH];
} ring __attribute__((aligned(64)));
static struct iommu_hwpt_arm_smmuv3 vste;
static struct iommu_viommu_arm_smmuv3_invalidate inv_cmds[1];
static struct iommu_hw_info_arm_smmuv3 hwinfo;

static int invalidate(uint32_t viommu, uint64_t va, uint32_t *issued)
{
	struct iommu_hwpt_invalidate inv = {
		.size = sizeof(inv), .hwpt_id = viommu,
		.data_uptr = (uint64_t)(uintptr_t)inv_cmds,
		.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
		.entry_len = sizeof(inv_cmds[0]), .entry_num = 1,
	};
	int r;

	s1_tlbi_va(&s1, va, inv_cmds[0].cmd);
	r = aerie_iommu(IOMMU_CMD_HWPT_INVALIDATE, &inv);
	*issued = inv.entry_num;
	return r;
}

static volatile uint32_t event_irqs;

/* Aerie's event interrupt: records are waiting in my ring */
void g_irq(uint32_t intid)
{
	if (intid == AERIE_VEVENTQ_INTID)
		event_irqs++;
	else
		g_irq_unexpected++;
}

/* interrupts on, only the event interrupt enabled */
static int events_by_interrupt(void)
{
	g_vectors_install();
	if (g_gic_init() || g_gic_cpu_init(0))
		return -1;
	g_gic_enable(AERIE_VEVENTQ_INTID, 0);
	g_irq_on();
	return 0;
}

static int nested(uint64_t bar, uint32_t dev_id, uint32_t vsid, uint32_t s2_hwpt)
{
	struct iommu_hw_info hi = { .size = sizeof(hi), .dev_id = dev_id,
				    .data_len = sizeof(hwinfo),
				    .data_uptr = (uint64_t)(uintptr_t)&hwinfo };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_hwpt_alloc parent = { .size = sizeof(parent) }, nest = { .size = sizeof(nest) };
	struct iommu_viommu_alloc vi = { .size = sizeof(vi) };
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd) };
	struct iommu_veventq_alloc vq = { .size = sizeof(vq) };
	struct aerie_iommu_device_attach rep = { .size = sizeof(rep) };
	struct iommu_destroy des = { .size = sizeof(des) };
	struct aerie_vevent_record *ev;
	uint32_t issued;

	g_puts("-- part 2: nested translation, my stage 1 on top of Aerie's stage 2 --\n");
	EXPECT(aerie_hvc(AERIE_HC_FEATURES, 0) & AERIE_FEAT_NESTING, "Aerie offers nesting");
	EXPECT(aerie_hvc(AERIE_HC_FEATURES, 0) & AERIE_FEAT_EVENT_IRQ, "Aerie raises event interrupts");
	EXPECT(events_by_interrupt() == 0, "my GIC, with the event interrupt enabled");
	EXPECT(aerie_iommu(IOMMU_CMD_GET_HW_INFO, &hi) == 0 &&
	       hi.out_data_type == IOMMU_HW_INFO_TYPE_ARM_SMMUV3, "GET_HW_INFO");
	g_puts("hw-info: SMMUv3, IDR0 ");
	g_putx(hwinfo.idr[0]);
	g_puts(", IIDR ");
	g_putx(hwinfo.iidr);
	g_puts("\n");
	/* the parent: my whole RAM at IOVA = IPA, so that my stage-1 tables,
	 * context descriptor and buffers are all reachable through it */
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas) == 0, "IOAS_ALLOC (parent)");
	map.ioas_id = ioas.out_ioas_id;
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	map.user_va = RAM_IPA;
	map.iova = RAM_IPA;
	map.length = RAM_SIZE;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == 0, "map my RAM at IOVA = IPA");
	parent.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
	parent.dev_id = dev_id;
	parent.pt_id = ioas.out_ioas_id;
	EXPECT(aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &parent) == 0, "HWPT_ALLOC NEST_PARENT");
	vi.type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3;
	vi.dev_id = dev_id;
	vi.hwpt_id = parent.out_hwpt_id;
	EXPECT(aerie_iommu(IOMMU_CMD_VIOMMU_ALLOC, &vi) == 0, "VIOMMU_ALLOC");
	vd.viommu_id = vi.out_viommu_id;
	vd.dev_id = dev_id;
	vd.virt_id = vsid;
	EXPECT(aerie_iommu(IOMMU_CMD_VDEVICE_ALLOC, &vd) == 0, "VDEVICE_ALLOC");
	vq.viommu_id = vi.out_viommu_id;
	vq.type = IOMMU_VEVENTQ_TYPE_ARM_SMMUV3;
	vq.veventq_depth = RING_DEPTH;
	vq.ring_uptr = (uint64_t)(uintptr_t)&ring;
	EXPECT(aerie_iommu(IOMMU_CMD_VEVENTQ_ALLOC, &vq) == 0 && ring.hdr.depth == RING_DEPTH,
	       "VEVENTQ_ALLOC");
	g_puts("parent HWPT ");
	g_putd(parent.out_hwpt_id);
	g_puts(", vIOMMU ");
	g_putd(vi.out_viommu_id);
	g_puts(", vDEVICE ");
	g_putd(vd.out_vdevice_id);
	g_puts(" (vSID ");
	g_putx(vsid);
	g_puts("), event ring of ");
	g_putd(RING_DEPTH);
	g_puts("\n");

	/* my stage 1: S1_SRC -> src (read-only), S1_DST -> dst */
	s1_init(&s1, S1_ASID);
	EXPECT(s1_map(&s1, S1_SRC, (uint64_t)(uintptr_t)src, 0) == 0 &&
	       s1_map(&s1, S1_DST, (uint64_t)(uintptr_t)dst, 1) == 0, "build my stage 1");
	s1_vste(&s1, vste.ste);
	nest.dev_id = dev_id;
	nest.pt_id = vi.out_viommu_id;
	nest.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3;
	nest.data_len = sizeof(vste);
	nest.data_uptr = (uint64_t)(uintptr_t)&vste;
	EXPECT(aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &nest) == 0, "HWPT_ALLOC nested from my vSTE");
	rep.dev_id = dev_id;
	rep.pt_id = nest.out_hwpt_id;
	EXPECT(aerie_iommu(AERIE_CMD_DEVICE_REPLACE, &rep) == 0, "replace stage 2 by nested");
	g_puts("my stage 1 (CD at ");
	g_putx((uint64_t)(uintptr_t)s1.cd);
	g_puts(", ASID ");
	g_putd(S1_ASID);
	g_puts(") is live: nested HWPT ");
	g_putd(nest.out_hwpt_id);
	g_puts(" replaced the stage-2 one\n");
	des.id = s2_hwpt;
	EXPECT(aerie_iommu(IOMMU_CMD_DESTROY, &des) == 0, "destroy the unused stage-2 HWPT");

	for (int i = 0; i < 256; i++)
		src[i] = (uint8_t)(0xa0 ^ i);
	memset(dst, 0, sizeof(dst));
	g_edu_dma(bar, S1_SRC, EDU_BUF_OFFSET, 256, 0);
	g_edu_dma(bar, EDU_BUF_OFFSET, S1_DST + 128, 256, 1);
	EXPECT(memcmp(dst + 128, src, 256) == 0 && dst[127] == 0, "DMA through stage 1");
	g_puts("DMA through my stage-1 addresses: 256 bytes arrived\n");

	/* point S1_DST at another page, then invalidate */
	s1_map(&s1, S1_DST, (uint64_t)(uintptr_t)dst2, 1);
	memset(dst, 0, sizeof(dst));
	g_edu_dma(bar, EDU_BUF_OFFSET, S1_DST, 64, 1);
	g_puts(dst[0] ? "changed S1_DST without invalidating: the device still wrote the old page\n"
		      : "changed S1_DST without invalidating: (the SMMU had not cached it)\n");
	EXPECT(invalidate(vi.out_viommu_id, S1_DST, &issued) == 0 && issued == 1,
	       "HWPT_INVALIDATE (TLBI_NH_VA)");
	memset(dst, 0, sizeof(dst));
	memset(dst2, 0, sizeof(dst2));
	g_edu_dma(bar, EDU_BUF_OFFSET, S1_DST, 256, 1);
	EXPECT(memcmp(dst2, src, 256) == 0 && dst[0] == 0, "the new mapping after invalidation");
	g_puts("after HWPT_INVALIDATE the new page gets the bytes, the old one none\n");

	/* a hole in my stage 1: the fault comes back to me */
	EXPECT(ring.hdr.prod == ring.hdr.cons && event_irqs == 0, "no event before the fault");
	g_edu_dma(bar, EDU_BUF_OFFSET, S1_HOLE + 0x40, 16, 1);
	/* sleep until Aerie says there is something to read */
	EXPECT(g_wait_irq(&event_irqs, 1, EVENT_WAIT_MS) == 0, "Aerie's event interrupt");
	EXPECT(ring.hdr.prod != ring.hdr.cons, "a stage-1 fault record in my event ring");
	ev = &ring.rec[ring.hdr.cons % RING_DEPTH];
	g_puts("woken by event interrupt ");
	g_putd(AERIE_VEVENTQ_INTID);
	g_puts(": ring record ");
	g_putd(ev->hdr.sequence);
	g_puts(", event ");
	g_putx(SMMU_EVT_ID(ev->data.evt[0]));
	g_puts(" for vSID ");
	g_putx(SMMU_EVT_SID(ev->data.evt[0]));
	g_puts(" at ");
	g_putx(ev->data.evt[2]);
	g_puts("\n");
	EXPECT(SMMU_EVT_ID(ev->data.evt[0]) == SMMU_EVT_F_TRANSLATION &&
	       SMMU_EVT_SID(ev->data.evt[0]) == vsid &&
	       (ev->data.evt[2] & ~0xfffULL) == S1_HOLE, "the record names my fault");
	ring.hdr.cons = ring.hdr.prod;
	g_irq_off();
	EXPECT(event_irqs == 1 && g_irq_unexpected == 0 && g_irq_spurious == 0,
	       "one event interrupt, nothing else");
	g_puts("a DMA into a hole of my stage 1 came back to me as F_TRANSLATION\n");
	return 0;
}

int guest_main(uint64_t bar)
{
	struct aerie_iommu_list_devices list = { sizeof(list), 4, (uint64_t)(uintptr_t)devs };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	struct iommu_hwpt_alloc hwpt = { .size = sizeof(hwpt) };
	struct aerie_iommu_device_attach at = { .size = sizeof(at) };
	int64_t r;

	g_puts("hello from the guest at EL1\n");
	r = aerie_hvc(AERIE_HC_NOP, 0);
	EXPECT(r == 0, "the null hypercall");
	EXPECT(aerie_hvc(AERIE_HC_VERSION, 0) == AERIE_ABI_VERSION, "ABI version");
	EXPECT(aerie_iommu(AERIE_CMD_LIST_DEVICES, &list) == 0 && list.num_devices == 1,
	       "one assigned device");
	g_puts("my device: ");
	g_putx(devs[0].vbdf);
	g_puts(", dev_id ");
	g_putd(devs[0].dev_id);
	g_puts("\n");
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_ALLOC, &ioas) == 0, "IOAS_ALLOC");
	map.ioas_id = ioas.out_ioas_id;
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE;
	map.user_va = (uint64_t)(uintptr_t)src;
	map.length = 4096;
	map.iova = IOVA_SRC;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == 0, "map the source buffer");
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	map.user_va = (uint64_t)(uintptr_t)dst;
	map.iova = IOVA_DST;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == 0, "map the destination buffer");
	/* a hostile attempt on the way: Aerie's own memory is not mine */
	map.user_va = 0x40000000ULL - 0x1000000ULL;
	map.iova = 0x300000;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_MAP, &map) == -14, "mapping memory that is not mine");
	hwpt.dev_id = devs[0].dev_id;
	hwpt.pt_id = ioas.out_ioas_id;
	EXPECT(aerie_iommu(IOMMU_CMD_HWPT_ALLOC, &hwpt) == 0, "HWPT_ALLOC");
	at.dev_id = devs[0].dev_id;
	at.pt_id = hwpt.out_hwpt_id;
	EXPECT(aerie_iommu(AERIE_CMD_DEVICE_ATTACH, &at) == 0, "attach");
	for (int i = 0; i < 256; i++)
		src[i] = (uint8_t)(i * 3 + 1);
	g_edu_dma(bar, IOVA_SRC, EDU_BUF_OFFSET, 256, 0);
	g_edu_dma(bar, EDU_BUF_OFFSET, IOVA_DST + 64, 256, 1);
	EXPECT(memcmp(dst + 64, src, 256) == 0, "DMA through my IOVAs");
	EXPECT(dst[0] == 0 && dst[63] == 0 && dst[64 + 256] == 0, "nothing else written");
	g_puts("DMA through my IOVAs: 256 bytes arrived exactly where I mapped them\n");
	unmap.ioas_id = ioas.out_ioas_id;
	unmap.iova = IOVA_DST;
	unmap.length = 4096;
	EXPECT(aerie_iommu(IOMMU_CMD_IOAS_UNMAP, &unmap) == 0 && unmap.length == 4096, "unmap");
	memset(dst, 0, sizeof(dst));
	g_edu_dma(bar, EDU_BUF_OFFSET, IOVA_DST + 64, 256, 1);
	EXPECT(dst[64] == 0 && dst[65] == 0, "no DMA after unmap");
	g_puts("after IOAS_UNMAP the device cannot reach the buffer any more\n");
	return nested(bar, devs[0].dev_id, devs[0].vsid, hwpt.out_hwpt_id);
}
