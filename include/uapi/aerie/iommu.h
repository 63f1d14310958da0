/* SPDX-License-Identifier: MIT */
/*
 * Aerie hypercall ABI, version 1: the iommufd-style IOMMU interface.
 *
 * Freestanding C99 for any guest: fixed-width types only, no Aerie
 * internals, every layout pinned by static assertions. Little-endian.
 *
 * Calling convention (SMCCC, fast call, SMC64, vendor-specific hypervisor
 * service, issued with HVC #0):
 *   x0 = function ID, x1 = guest-physical address of the command struct
 *   (8-byte aligned, inside the guest's RAM); on return x0 = 0 or a
 *   negative Linux errno (-EINVAL = -22 ...). Unknown function IDs outside
 *   the IOMMU range return SMCCC NOT_SUPPORTED (-1); an unknown IOMMU
 *   command number returns -ENOTTY, as iommufd does.
 *
 * Every command struct starts with `__u32 size` = sizeof the struct the
 * caller knows. A smaller size than the command's minimum is -EINVAL; a
 * larger one is accepted only if every byte beyond what Aerie knows is zero
 * (else -E2BIG). Unknown flags and non-zero reserved fields are -EOPNOTSUPP.
 * Object IDs are per guest, 1..2^31-1; 0 is never valid. Layouts and names
 * follow Linux's include/uapi/linux/iommufd.h; `*_uptr` fields hold
 * guest-physical addresses. docs/hypercall-abi.md documents every call.
 */
#ifndef AERIE_UAPI_IOMMU_H
#define AERIE_UAPI_IOMMU_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t __aerie_u8;
typedef uint16_t __aerie_u16;
typedef uint32_t __aerie_u32;
typedef uint64_t __aerie_u64;

#define AERIE_ABI_VERSION 1

/* ---- function IDs ----------------------------------------------------------- */
#define AERIE_HC_VERSION	0xC6000000u	/* x0 = AERIE_ABI_VERSION */
#define AERIE_HC_NOP		0xC6000001u	/* null hypercall: x0 = 0 */
#define AERIE_HC_FEATURES	0xC6000002u	/* x0 = AERIE_FEAT_* bits */
#define AERIE_HC_IOMMU_BASE	0xC6000100u
#define AERIE_HC_IOMMU(nr)	(AERIE_HC_IOMMU_BASE + (nr))
#define AERIE_HC_IOMMU_LAST	AERIE_HC_IOMMU(0xff)

#define AERIE_FEAT_IOMMU	(1u << 0)	/* the IOMMU commands below */
#define AERIE_FEAT_NESTING	(1u << 1)	/* nested (S1 + S2) HWPTs */
#define AERIE_FEAT_EVENT_IRQ	(1u << 2)	/* vEVENTQ records raise AERIE_VEVENTQ_INTID */

/* IOMMU command numbers: iommufd's ioctl numbers, plus Aerie's own */
#define IOMMU_CMD_DESTROY		0x80
#define IOMMU_CMD_IOAS_ALLOC		0x81
#define IOMMU_CMD_IOAS_ALLOW_IOVAS	0x82
#define IOMMU_CMD_IOAS_COPY		0x83
#define IOMMU_CMD_IOAS_IOVA_RANGES	0x84
#define IOMMU_CMD_IOAS_MAP		0x85
#define IOMMU_CMD_IOAS_UNMAP		0x86
#define IOMMU_CMD_OPTION		0x87
#define IOMMU_CMD_HWPT_ALLOC		0x89
#define IOMMU_CMD_GET_HW_INFO		0x8a
#define IOMMU_CMD_HWPT_INVALIDATE	0x8d
#define IOMMU_CMD_VIOMMU_ALLOC		0x90
#define IOMMU_CMD_VDEVICE_ALLOC		0x91
#define IOMMU_CMD_VEVENTQ_ALLOC		0x93
/* Aerie-only (what VFIO's cdev ioctls do in Linux) */
#define AERIE_CMD_LIST_DEVICES		0xc0
#define AERIE_CMD_DEVICE_ATTACH		0xc1
#define AERIE_CMD_DEVICE_REPLACE	0xc2
#define AERIE_CMD_DEVICE_DETACH		0xc3

/* ---- DESTROY ------------------------------------------------------------------ */
struct iommu_destroy {
	__aerie_u32 size;
	__aerie_u32 id;
};

/* ---- IOAS ----------------------------------------------------------------------- */
struct iommu_ioas_alloc {
	__aerie_u32 size;
	__aerie_u32 flags;		/* must be 0 */
	__aerie_u32 out_ioas_id;
};

#define IOMMU_IOAS_MAP_FIXED_IOVA	(1u << 0)
#define IOMMU_IOAS_MAP_WRITEABLE	(1u << 1)
#define IOMMU_IOAS_MAP_READABLE		(1u << 2)
struct iommu_ioas_map {
	__aerie_u32 size;
	__aerie_u32 flags;
	__aerie_u32 ioas_id;
	__aerie_u32 __reserved;
	__aerie_u64 user_va;		/* guest-physical address of the memory */
	__aerie_u64 length;
	__aerie_u64 iova;		/* in with FIXED_IOVA, out otherwise */
};

struct iommu_ioas_unmap {
	__aerie_u32 size;
	__aerie_u32 ioas_id;
	__aerie_u64 iova;
	__aerie_u64 length;		/* in; out: bytes unmapped */
};

struct iommu_iova_range {
	__aerie_u64 start;
	__aerie_u64 last;
};
struct iommu_ioas_iova_ranges {
	__aerie_u32 size;
	__aerie_u32 ioas_id;
	__aerie_u32 num_iovas;		/* in: capacity; out: total */
	__aerie_u32 __reserved;
	__aerie_u64 allowed_iovas;	/* guest-physical address of the array */
	__aerie_u64 out_iova_alignment;
};

/* replaces the IOAS's allowed list: auto-allocated IOVAs come from it */
struct iommu_ioas_allow_iovas {
	__aerie_u32 size;
	__aerie_u32 ioas_id;
	__aerie_u32 num_iovas;		/* 0 clears the list; at most AERIE_IOAS_ALLOWED_MAX */
	__aerie_u32 __reserved;
	__aerie_u64 allowed_iovas;	/* guest-physical address of struct iommu_iova_range[] */
};
#define AERIE_IOAS_ALLOWED_MAX		8

/* maps [src_iova, src_iova + length) of one IOAS, again, into another (or the same) */
struct iommu_ioas_copy {
	__aerie_u32 size;
	__aerie_u32 flags;		/* IOMMU_IOAS_MAP_* */
	__aerie_u32 dst_ioas_id;
	__aerie_u32 src_ioas_id;
	__aerie_u64 length;
	__aerie_u64 dst_iova;		/* in with FIXED_IOVA, out otherwise */
	__aerie_u64 src_iova;
};

/*
 * IOVAs reserved in every IOAS while a device is attached to it (directly,
 * or through a nested HWPT on one of its HWPTs): the software MSI window,
 * where an ITS doorbell will be mapped (the window Linux's SMMUv3 driver
 * reserves), and the regions the platform's device tree reserves for it.
 */
#define AERIE_IOMMU_SW_MSI_BASE		0x08000000ull
#define AERIE_IOMMU_SW_MSI_SIZE		0x00100000ull

#define IOMMU_OPTION_RLIMIT_MODE	0
#define IOMMU_OPTION_HUGE_PAGES		1
#define IOMMU_OPTION_OP_SET		0
#define IOMMU_OPTION_OP_GET		1
struct iommu_option {
	__aerie_u32 size;
	__aerie_u32 option_id;
	__aerie_u16 op;
	__aerie_u16 __reserved;
	__aerie_u32 object_id;		/* the IOAS for HUGE_PAGES, 0 for RLIMIT_MODE */
	__aerie_u64 val64;		/* in for SET, out for GET */
};

/* ---- HWPT ------------------------------------------------------------------------ */
#define IOMMU_HWPT_ALLOC_NEST_PARENT	(1u << 0)
#define IOMMU_HWPT_ALLOC_DIRTY_TRACKING	(1u << 1)
#define IOMMU_HWPT_FAULT_ID_VALID	(1u << 2)
#define IOMMU_HWPT_ALLOC_PASID		(1u << 3)

#define IOMMU_HWPT_DATA_NONE		0
#define IOMMU_HWPT_DATA_VTD_S1		1
#define IOMMU_HWPT_DATA_ARM_SMMUV3	2

struct iommu_hwpt_alloc {
	__aerie_u32 size;
	__aerie_u32 flags;
	__aerie_u32 dev_id;
	__aerie_u32 pt_id;		/* IOAS, NEST_PARENT HWPT, or vIOMMU */
	__aerie_u32 out_hwpt_id;
	__aerie_u32 __reserved;
	__aerie_u32 data_type;
	__aerie_u32 data_len;
	__aerie_u64 data_uptr;
	__aerie_u32 fault_id;
	__aerie_u32 __reserved2;
};

/* the guest's stage-1 STE (vSTE) for a nested HWPT */
struct iommu_hwpt_arm_smmuv3 {
	__aerie_u64 ste[2];
};

/* ---- invalidation ------------------------------------------------------------------ */
#define IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3	1
struct iommu_hwpt_invalidate {
	__aerie_u32 size;
	__aerie_u32 hwpt_id;		/* a nested HWPT or a vIOMMU */
	__aerie_u64 data_uptr;
	__aerie_u32 data_type;
	__aerie_u32 entry_len;
	__aerie_u32 entry_num;		/* in: entries; out: commands issued */
	__aerie_u32 __reserved;
};
/* At most this many entries are handled per call: with more, the first
 * AERIE_INVALIDATE_BUDGET are, entry_num says so and the call returns
 * -EAGAIN; the guest calls again with the rest. */
#define AERIE_INVALIDATE_BUDGET		128
/* one SMMUv3 command, as the guest would write it to a command queue */
struct iommu_viommu_arm_smmuv3_invalidate {
	__aerie_u64 cmd[2];
};

/* ---- hw info ------------------------------------------------------------------------ */
#define IOMMU_HW_INFO_FLAG_INPUT_TYPE	(1u << 0)
#define IOMMU_HW_INFO_TYPE_DEFAULT	0
#define IOMMU_HW_INFO_TYPE_ARM_SMMUV3	2
struct iommu_hw_info {
	__aerie_u32 size;
	__aerie_u32 flags;
	__aerie_u32 dev_id;
	__aerie_u32 data_len;		/* in: buffer size; out: Aerie's size */
	__aerie_u64 data_uptr;
	__aerie_u32 out_data_type;	/* in: the type wanted (with INPUT_TYPE);
					 * out: the type returned */
	__aerie_u8 out_max_pasid_log2;
	__aerie_u8 __reserved[3];
	__aerie_u64 out_capabilities;
};
struct iommu_hw_info_arm_smmuv3 {
	__aerie_u32 flags;
	__aerie_u32 __reserved;
	__aerie_u32 idr[6];
	__aerie_u32 iidr;
	__aerie_u32 aidr;
};

/* ---- vIOMMU, vDEVICE ------------------------------------------------------------------ */
#define IOMMU_VIOMMU_TYPE_DEFAULT	0
#define IOMMU_VIOMMU_TYPE_ARM_SMMUV3	1
struct iommu_viommu_alloc {
	__aerie_u32 size;
	__aerie_u32 flags;
	__aerie_u32 type;
	__aerie_u32 dev_id;
	__aerie_u32 hwpt_id;		/* a NEST_PARENT HWPT */
	__aerie_u32 out_viommu_id;
	__aerie_u32 data_len;
	__aerie_u32 __reserved;
	__aerie_u64 data_uptr;
};

struct iommu_vdevice_alloc {
	__aerie_u32 size;
	__aerie_u32 viommu_id;
	__aerie_u32 dev_id;
	__aerie_u32 out_vdevice_id;
	__aerie_u64 virt_id;		/* the guest's StreamID for the device */
};

/* ---- vEVENTQ: stage-1 faults, delivered into a ring in guest memory --------------------------- */
#define IOMMU_VEVENTQ_TYPE_DEFAULT	0
#define IOMMU_VEVENTQ_TYPE_ARM_SMMUV3	1
struct iommu_veventq_alloc {
	__aerie_u32 size;
	__aerie_u32 flags;		/* must be 0 */
	__aerie_u32 viommu_id;
	__aerie_u32 type;		/* IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 */
	__aerie_u32 veventq_depth;	/* records in the ring, 1..4096 */
	__aerie_u32 out_veventq_id;
	__aerie_u32 out_veventq_fd;	/* iommufd's fd: always 0 here */
	__aerie_u32 __reserved;
	__aerie_u64 ring_uptr;		/* Aerie: guest-physical address of the ring */
};
/*
 * The ring: a header, then veventq_depth records. Aerie writes the record at
 * prod % depth and then advances prod; the guest reads records up to prod
 * and advances cons. When the ring is full events are dropped, and the next
 * record Aerie can write has IOMMU_VEVENTQ_FLAG_LOST_EVENTS (and no data);
 * sequence numbers (0..2^31-1, wrapping to 0) show the gap.
 *
 * Notification (AERIE_FEAT_EVENT_IRQ): after writing records to any of the
 * guest's rings Aerie makes virtual SPI AERIE_VEVENTQ_SPI (INTID
 * AERIE_VEVENTQ_INTID), edge-triggered, pending on vCPU 0; the guest's
 * device tree names it in the node compatible with "aerie,hypervisor"
 * (interrupts = <0 AERIE_VEVENTQ_SPI 1>, interrupt-names = "veventq").
 * Several records may share one interrupt: the handler reads every ring up
 * to prod. Where the fault is reported to Aerie by polling, the interrupt
 * follows within about a millisecond (docs/hypercall-abi.md).
 */
#define AERIE_VEVENTQ_SPI	208
#define AERIE_VEVENTQ_INTID	(32 + AERIE_VEVENTQ_SPI)
struct aerie_veventq_ring {
	__aerie_u32 prod;		/* written by Aerie */
	__aerie_u32 cons;		/* written by the guest */
	__aerie_u32 depth;		/* written by Aerie at allocation */
	__aerie_u32 __reserved;
};
#define IOMMU_VEVENTQ_FLAG_LOST_EVENTS	(1u << 0)
struct iommu_vevent_header {
	__aerie_u32 flags;
	__aerie_u32 sequence;
};
/* an SMMUv3 event record, StreamID replaced by the guest's vSID */
struct iommu_vevent_arm_smmuv3 {
	__aerie_u64 evt[4];
};
struct aerie_vevent_record {
	struct iommu_vevent_header hdr;
	struct iommu_vevent_arm_smmuv3 data;
};

/* ---- Aerie: devices and attachment ------------------------------------------------------- */
struct aerie_iommu_device_info {
	__aerie_u32 dev_id;
	__aerie_u32 vbdf;		/* bus << 8 | device << 3 | function, as the guest sees it */
	__aerie_u32 vsid;		/* the StreamID the guest uses in commands */
	__aerie_u32 __reserved;
};
struct aerie_iommu_list_devices {
	__aerie_u32 size;
	__aerie_u32 num_devices;	/* in: capacity; out: total (-EMSGSIZE if short) */
	__aerie_u64 devices_uptr;	/* array of struct aerie_iommu_device_info */
};

struct aerie_iommu_device_attach {
	__aerie_u32 size;
	__aerie_u32 flags;		/* must be 0 */
	__aerie_u32 dev_id;
	__aerie_u32 pt_id;		/* a HWPT (paging or nested), or an IOAS: then
					 * out: the automatic HWPT attached */
};

struct aerie_iommu_device_detach {
	__aerie_u32 size;
	__aerie_u32 dev_id;
};

/* ---- layout checks ---------------------------------------------------------------------------- */
#define AERIE_ABI_CHECK(c, m) typedef char aerie_abi_check_##m[(c) ? 1 : -1]
#define AERIE_OFF(T, f) offsetof(T, f)
AERIE_ABI_CHECK(sizeof(struct iommu_destroy) == 8, destroy);
AERIE_ABI_CHECK(sizeof(struct iommu_ioas_alloc) == 12, ioas_alloc);
AERIE_ABI_CHECK(sizeof(struct iommu_ioas_map) == 40, ioas_map);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_map, user_va) == 16, ioas_map_va);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_map, iova) == 32, ioas_map_iova);
AERIE_ABI_CHECK(sizeof(struct iommu_ioas_unmap) == 24, ioas_unmap);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_unmap, length) == 16, ioas_unmap_len);
AERIE_ABI_CHECK(sizeof(struct iommu_iova_range) == 16, iova_range);
AERIE_ABI_CHECK(sizeof(struct iommu_ioas_iova_ranges) == 32, iova_ranges);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_iova_ranges, out_iova_alignment) == 24, iova_align);
AERIE_ABI_CHECK(sizeof(struct iommu_ioas_allow_iovas) == 24, allow_iovas);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_allow_iovas, allowed_iovas) == 16, allow_uptr);
AERIE_ABI_CHECK(sizeof(struct iommu_ioas_copy) == 40, ioas_copy);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_copy, length) == 16, copy_len);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_copy, dst_iova) == 24, copy_dst);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_ioas_copy, src_iova) == 32, copy_src);
AERIE_ABI_CHECK(sizeof(struct iommu_option) == 24, option);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_option, op) == 8, option_op);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_option, object_id) == 12, option_obj);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_option, val64) == 16, option_val);
AERIE_ABI_CHECK(sizeof(struct iommu_hwpt_alloc) == 48, hwpt_alloc);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_hwpt_alloc, data_type) == 24, hwpt_alloc_type);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_hwpt_alloc, data_uptr) == 32, hwpt_alloc_uptr);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_hwpt_alloc, fault_id) == 40, hwpt_alloc_fault);
AERIE_ABI_CHECK(sizeof(struct iommu_hwpt_arm_smmuv3) == 16, vste);
AERIE_ABI_CHECK(sizeof(struct iommu_hwpt_invalidate) == 32, hwpt_invalidate);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_hwpt_invalidate, entry_num) == 24, inv_num);
AERIE_ABI_CHECK(sizeof(struct iommu_viommu_arm_smmuv3_invalidate) == 16, inv_entry);
AERIE_ABI_CHECK(sizeof(struct iommu_hw_info) == 40, hw_info);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_hw_info, out_max_pasid_log2) == 28, hw_info_pasid);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_hw_info, out_capabilities) == 32, hw_info_caps);
AERIE_ABI_CHECK(sizeof(struct iommu_hw_info_arm_smmuv3) == 40, hw_info_smmu);
AERIE_ABI_CHECK(sizeof(struct iommu_viommu_alloc) == 40, viommu_alloc);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_viommu_alloc, out_viommu_id) == 20, viommu_out);
AERIE_ABI_CHECK(sizeof(struct iommu_vdevice_alloc) == 24, vdevice_alloc);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_vdevice_alloc, virt_id) == 16, vdevice_virt);
AERIE_ABI_CHECK(sizeof(struct iommu_veventq_alloc) == 40, veventq_alloc);
AERIE_ABI_CHECK(AERIE_OFF(struct iommu_veventq_alloc, ring_uptr) == 32, veventq_ring);
AERIE_ABI_CHECK(sizeof(struct aerie_veventq_ring) == 16, veventq_ring_hdr);
AERIE_ABI_CHECK(sizeof(struct aerie_vevent_record) == 40, vevent_record);
AERIE_ABI_CHECK(sizeof(struct aerie_iommu_device_info) == 16, dev_info);
AERIE_ABI_CHECK(sizeof(struct aerie_iommu_list_devices) == 16, list_devices);
AERIE_ABI_CHECK(sizeof(struct aerie_iommu_device_attach) == 16, attach);
AERIE_ABI_CHECK(sizeof(struct aerie_iommu_device_detach) == 8, detach);

#endif
