/* SPDX-License-Identifier: MIT */
/*
 * The iommufd-style IOMMU core (iommu/), as the VMM uses it: one context
 * per guest, with its own object table; ids are never shared across guests.
 */
#ifndef AERIE_IOMMU_CORE_H
#define AERIE_IOMMU_CORE_H

#include <aerie/smmu.h>
#include <aerie/vm_mem.h>

struct iommu_ctx;

/* NULL on allocation failure. `mem` must outlive the context. */
struct iommu_ctx *iommu_ctx_create(struct smmu *smmu, const struct vm_mem *mem, u32 guest_id);
/* Register a device assigned to this guest: its physical StreamID, the
 * virtual BDF and StreamID the guest knows. Its stream stays abort until the
 * guest attaches it. Returns the dev_id (> 0) or -errno. */
int iommu_ctx_add_device(struct iommu_ctx *c, u32 psid, u32 vbdf, u32 vsid);
/* iommu = "stage2" (docs/guests.md): attach device dev_id, before the guest
 * runs, to a stage-2 HWPT that maps exactly the guest's RAM (every region
 * of the context's vm_mem at IOVA = IPA, read/write: the translation of its
 * CPU stage 2). That HWPT and its IOAS are the core's own objects, made on
 * the first call and shared by the guest's devices, and not the guest's to
 * change: they and the device are pinned (docs/hypercall-abi.md, "Pinned
 * devices"). 0, -ENOENT (no such device), -EBUSY (already attached),
 * -EINVAL (RAM the SMMU's tables cannot map), -ENOSPC (no id) or -ENOMEM. */
int iommu_ctx_attach_stage2(struct iommu_ctx *c, u32 dev_id);
/* Called (with the context's lock held, from whichever CPU drains the
 * SMMU's event queue) after records were written to one of the guest's
 * vEVENTQ rings: the VMM raises the guest's notification interrupt. Must
 * not call back into the IOMMU core. Set before the guest runs. */
typedef void iommu_notify_fn(void *arg);
void iommu_ctx_set_notify(struct iommu_ctx *c, iommu_notify_fn *fn, void *arg);
/*
 * Per-guest quotas (docs/hypercall-abi.md, "Quotas"): what one guest's
 * commands may make Aerie hold for it. Over a limit the command fails with
 * -ENOMEM (pages, objects, areas) or -ENOSPC (VMIDs) and changes nothing.
 * Aerie's own allocations (the context, its devices) are never charged.
 */
struct iommu_quota {
	u32 pages;	/* stage-2 table pages, over all its paging HWPTs */
	u32 objects;	/* IOAS, HWPT, vIOMMU, vDEVICE and vEVENTQ structs */
	u32 areas;	/* IOAS mappings (struct area) */
	u32 vmids;	/* paging HWPTs, each of which holds an SMMU VMID */
};
/* the limits a context starts with, kept where its guest package sets none
 * (the VMIDs of 4 guests at the default fit an 8-bit VMID space) */
#define IOMMU_QUOTA_PAGES	4096	/* 16 MiB of tables */
#define IOMMU_QUOTA_OBJECTS	512	/* every id */
#define IOMMU_QUOTA_AREAS	4096
#define IOMMU_QUOTA_VMIDS	32
/* Set the limits; a field of 0 keeps the default. Before the guest runs. */
void iommu_ctx_set_quota(struct iommu_ctx *c, const struct iommu_quota *q);
/* The limits, what is charged, and what the context holds counted afresh
 * from its objects (tables' pages, objects, areas, paging HWPTs): between
 * hypercalls `charged` equals `held`, field by field. */
struct iommu_usage {
	struct iommu_quota limit, charged, held;
};
void iommu_ctx_usage(struct iommu_ctx *c, struct iommu_usage *out);
/* One IOMMU hypercall: func in AERIE_HC_IOMMU(0..0xff), arg = guest-physical
 * address of the command struct. 0 or -errno. */
s64 iommu_hypercall(struct iommu_ctx *c, u32 func, u64 arg_gpa);
/*
 * The in-hypervisor entry, for VMM code that drives the core on a guest's
 * behalf (the virtual SMMUv3, vmm/vsmmu*.c): the same command, the same
 * handler and the same rules as iommu_hypercall(), with `cmd` in Aerie's
 * memory (its size field = sizeof its struct) and the struct's data
 * pointers (HWPT_ALLOC's data_uptr, HWPT_INVALIDATE's array, GET_HW_INFO's
 * data, LIST_DEVICES' array) naming Aerie memory too; IOAS_MAP's user_va
 * still names guest memory (the guest-physical range it maps). Outputs are
 * written into `cmd`. Objects it creates live in the guest's own table and
 * count against the guest like those its hypercalls create. 0 or -errno.
 */
int iommu_kcall(struct iommu_ctx *c, u32 nr, void *cmd);
/* Deliver the stage-1 faults of the devices attached through vIOMMU
 * `viommu_id` to fn (with the vSID in the record's StreamID field) instead
 * of a vEVENTQ ring. Called like iommu_notify_fn: with the context's lock
 * held, from whichever CPU drains the SMMU; it must not call the core.
 * fn = NULL stops delivery. 0 or -ENOENT. */
typedef void iommu_event_fn(void *arg, const u64 evt[4]);
int iommu_viommu_set_sink(struct iommu_ctx *c, u32 viommu_id, iommu_event_fn *fn, void *arg);
/* Clear every bit of a guest's 2-word STE that a nested HWPT's vSTE may not
 * carry (iommu/vste.c's masks: the one copy of them), as a VMM emulating an
 * SMMU must before HWPT_ALLOC: real drivers set bits such as SHCFG there. */
void iommu_vste_mask(u64 ste[2]);
/* Log, on the guest's own CPU, the faults of its devices that Aerie saw
 * since the last call (one line; at most 16 lines per guest in all, then
 * only counted). Cheap when there is nothing: one load. */
void iommu_ctx_log_flush(struct iommu_ctx *c);
/* Tear everything down: every stream back to abort, every page returned. */
void iommu_ctx_destroy(struct iommu_ctx *c);

#endif
