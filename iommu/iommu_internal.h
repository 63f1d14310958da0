/* SPDX-License-Identifier: MIT */
/* The IOMMU core's objects, shared by its files. */
#ifndef AERIE_IOMMU_INTERNAL_H
#define AERIE_IOMMU_INTERNAL_H

#include <aerie/iommu_core.h>
#include <aerie/pgtable.h>
#include <aerie/spinlock.h>
#include <uapi/aerie/iommu.h>

#define IOMMU_MAX_OBJS 512	/* per guest: ids 1..512 */
#define ULONG_MAX_ ((u64)~0ULL)

enum obj_type {
	OBJ_NONE = 0,
	OBJ_IOAS,
	OBJ_HWPT_PAGING,
	OBJ_HWPT_NESTED,
	OBJ_DEVICE,
	OBJ_VIOMMU,
	OBJ_VDEVICE,
	OBJ_VEVENTQ,
	OBJ_ANY,		/* for lookups */
};

struct obj {
	enum obj_type type;
	u32 id;
	u32 users;		/* 1 for the table, +1 per dependent or attachment */
	bool pinned;		/* made or attached by the VMM (iommu_ctx_attach_stage2):
				 * the guest may look at it, not change it */
};

struct area {
	struct area *next;	/* sorted by iova */
	u64 iova, length;
	paddr_t pa;
	u64 gpa;		/* the guest-physical address pa stands for */
	u32 prot;		/* PT_R | PT_W */
};

struct ioas {
	struct obj obj;
	struct area *areas;
	bool no_huge;		/* IOMMU_OPTION_HUGE_PAGES = 0: 4K leaves only */
	u32 nallowed;		/* ALLOW_IOVAS: sorted, disjoint; 0 = no list */
	struct iommu_iova_range allowed[AERIE_IOAS_ALLOWED_MAX];
};

struct viommu;

struct hwpt {
	struct obj obj;
	/* paging (stage 2) */
	struct ioas *ioas;
	struct pgtable pt;
	u16 vmid;
	bool nest_parent;
	bool auto_domain;	/* made by an attach to the IOAS; dies with its last device */
	/* nested: the guest's stage 1 over a parent's stage 2 */
	struct hwpt *parent;
	struct viommu *viommu;	/* when allocated on a vIOMMU */
	struct smmu_ste_cfg s1;	/* validated vSTE (kind ABORT, S2 = bypass, NESTED) */
};

struct vdevice;

struct device {
	struct obj obj;
	u32 psid, vbdf, vsid;
	struct hwpt *attached;
	struct vdevice *vdev;
};

struct veventq;

struct viommu {
	struct obj obj;
	struct hwpt *parent;	/* the NEST_PARENT HWPT: its stage 2 and VMID */
	struct veventq *eventq;	/* where its devices' stage-1 faults go */
	iommu_event_fn *sink;	/* or here (an emulated SMMU's event queue) */
	void *sink_arg;
};

struct veventq {
	struct obj obj;
	struct viommu *viommu;
	ipa_t ring;		/* guest-physical address of the ring header */
	u32 depth;
	u32 prod;		/* Aerie's own copy: never re-read from the guest */
	u32 sequence;
	bool lost;		/* events dropped since the last record */
};

struct vdevice {
	struct obj obj;
	struct viommu *viommu;
	struct device *dev;
	u64 virt_id;
};

/* faults of a guest's devices that Aerie sees (not the guest's own stage-1
 * faults, which reach its vEVENTQ): counted where the SMMU is drained, one
 * line per report on the guest's exits, at most IOMMU_LOG_LINES per guest */
#define IOMMU_LOG_LINES 16
struct iommu_fault_log {
	u32 pending;		/* faults since the last report */
	u32 lines;		/* lines logged for this guest */
	u64 total;
	/* the first fault since the last report */
	u64 addr;
	u32 vbdf;
	u8 type;
	bool s2, read, undelivered;
};

struct iommu_ctx {
	struct smmu *smmu;
	const struct vm_mem *mem;
	u32 guest_id;
	unsigned int ias;	/* input bits of every stage-2 table */
	spinlock_t lock;	/* one hypercall at a time per guest */
	struct obj **objs;	/* IOMMU_MAX_OBJS slots, id = index + 1 */
	u32 top;		/* highest id ever published: scans stop there */
	struct iommu_ctx *next;	/* all contexts, for event routing */
	iommu_notify_fn *notify;	/* records landed in a vEVENTQ ring */
	void *notify_arg;
	struct iommu_fault_log log;
	/* the guest's quota (iommu/quota.c) and what is charged against it */
	struct iommu_quota quota;
	struct pgtable_budget pages;	/* every paging HWPT's tables; limit = quota.pages */
	u32 objects, areas, vmids;
	struct hwpt *stage2;	/* the pinned HWPT over all its RAM, if any */
};

/* objects (core.c) */
struct obj *obj_lookup(struct iommu_ctx *c, u32 id, enum obj_type type);
int obj_free_id(struct iommu_ctx *c);	/* a free id, or -ENOSPC; not reserved */
/* a zeroed object of `type` charged to the guest, and in *id the lowest free
 * id (not reserved; publish it once the output is written back); NULL with
 * *id = -ENOSPC or -ENOMEM */
struct obj *obj_new(struct iommu_ctx *c, enum obj_type type, size_t size, int *id);
void obj_publish(struct iommu_ctx *c, struct obj *o, u32 id);
void obj_unpublish(struct iommu_ctx *c, struct obj *o);

/* allocations charged to the guest (quota.c): NULL over its quota; the
 * VMIDs of its paging HWPTs are counted in hwpt.c */
void *quota_alloc(u32 *used, u32 limit, size_t size);
void quota_free(u32 *used, void *p, size_t size);
static inline void *ctx_obj_alloc(struct iommu_ctx *c, size_t size)
{
	return quota_alloc(&c->objects, c->quota.objects, size);
}
static inline void ctx_obj_free(struct iommu_ctx *c, void *p, size_t size)
{
	quota_free(&c->objects, p, size);
}

/* command handlers: `cmd` is Aerie's copy; respond() writes it back */
struct cmd_io {
	u64 gpa;
	paddr_t pa;		/* the guest's struct, its first user_size bytes in one region */
	u32 user_size;
	u32 size;
	bool kernel;		/* iommu_kcall: the struct and its data are Aerie's */
};
int cmd_respond(struct iommu_ctx *c, const struct cmd_io *io, const void *cmd);
/* write the output back, then publish an obj_new() object under its id; if
 * the write-back fails the object is freed: 0 or -EFAULT */
int obj_commit(struct iommu_ctx *c, struct obj *o, size_t size, int id, const struct cmd_io *io,
	       const void *cmd);
/* a command's data buffers: guest memory, or Aerie's under iommu_kcall */
int cmd_copy_in(struct iommu_ctx *c, const struct cmd_io *io, void *dst, u64 uptr, u64 len);
int cmd_copy_out(struct iommu_ctx *c, const struct cmd_io *io, u64 uptr, const void *src,
		 u64 len);
int cmd_zero_out(struct iommu_ctx *c, const struct cmd_io *io, u64 uptr, u64 len);
/* len bytes at uptr that must all be zero (a struct's or an entry's tail
 * past what Aerie knows): 0, -E2BIG at a non-zero byte, -EFAULT */
int cmd_check_zero(struct iommu_ctx *c, const struct cmd_io *io, u64 uptr, u64 len);

int ioas_alloc(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int ioas_map(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int ioas_unmap(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int ioas_iova_ranges(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int ioas_allow_iovas(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int ioas_copy(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int iommu_option(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
void ioas_destroy(struct iommu_ctx *c, struct ioas *ioas);
int ioas_fill_hwpt(struct iommu_ctx *c, struct ioas *ioas, struct hwpt *h);
void ioas_insert_area(struct ioas *ioas, struct area *a);
u64 ioas_aperture_last(const struct iommu_ctx *c);
/* the next paging HWPT of ioas from *cursor (start at 0), or NULL */
struct hwpt *ioas_next_paging(struct iommu_ctx *c, struct ioas *ioas, u32 *cursor);
/* map the new areas (linked by next) into every paging HWPT of ioas, write
 * the command back, then add them to it; on any error nothing changed and
 * the areas are freed */
int ioas_install(struct iommu_ctx *c, struct ioas *ioas, struct area *list,
		 const struct cmd_io *io, const void *cmd);
void ioas_areas_free(struct iommu_ctx *c, struct area *list);

/* IOVA space (iova.c): reserved ranges, the allowed list, IOVA choice */
/* the IOAS a device's attachment reserves its ranges in, or NULL */
struct ioas *dev_ioas(const struct device *d);
bool area_hits(const struct ioas *ioas, u64 start, u64 last);
/* FIXED_IOVA: -EINVAL (alignment, reserved), -EOVERFLOW, -EEXIST */
int iova_check_fixed(struct iommu_ctx *c, const struct ioas *ioas, u64 iova, u64 len);
/* automatic: aligned as iommufd does for `hint` (the guest-physical
 * address); -EOVERFLOW, -ENOSPC */
int iova_alloc(struct iommu_ctx *c, const struct ioas *ioas, u64 len, u64 hint, u64 *iova);
/* d's reserved ranges against ioas's areas and allowed list: -EADDRINUSE */
int dev_resv_check(const struct device *d, const struct ioas *ioas);

int hwpt_alloc(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
/* a paging HWPT over ioas (cmd: its flags), filled, not yet published */
int hwpt_paging_alloc(struct iommu_ctx *c, struct iommu_hwpt_alloc *cmd, struct ioas *ioas,
		      struct hwpt **out);
/* a paging HWPT of ioas filled with its areas, not published (auto-domain) */
int hwpt_paging_new(struct iommu_ctx *c, struct ioas *ioas, struct hwpt **out);
int hwpt_invalidate(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
void hwpt_destroy(struct iommu_ctx *c, struct hwpt *h);
/* invalidate what an unmap of a paging HWPT reported */
int hwpt_flush(struct iommu_ctx *c, struct hwpt *h, struct pgtable_inval *inv);

int dev_list(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int dev_attach(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int dev_replace(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int dev_detach(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int dev_hw_info(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int dev_set_ste(struct iommu_ctx *c, struct device *d, struct hwpt *h);
/* ATTACH (replace false) / REPLACE with pt_id = an IOAS (auto_domain.c) */
int dev_attach_ioas(struct iommu_ctx *c, struct aerie_iommu_device_attach *cmd,
		    const struct cmd_io *io, bool replace);
/* an auto-domain whose last device left is destroyed */
void hwpt_auto_put(struct iommu_ctx *c, struct hwpt *h);

int viommu_alloc(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
int vdevice_alloc(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
void viommu_destroy(struct iommu_ctx *c, struct viommu *v);
void vdevice_destroy(struct iommu_ctx *c, struct vdevice *vd);
int veventq_alloc(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
void veventq_destroy(struct iommu_ctx *c, struct veventq *q);
void veventq_push(struct iommu_ctx *c, struct veventq *q, const u64 evt[4]);

/* the guest's vSTE (iommu/vste.c) and commands (iommu/inval.c) */
int vste_validate(const u64 vste[2], struct smmu_ste_cfg *cfg);
/* guest commands in[] checked and rebuilt into out[] for the SMMU (each
 * word of in read once: it may be the guest's memory), up to the first
 * refused one (*err = -EIO): the count before it; vSIDs resolve through v's
 * vDEVICEs, or (v == NULL) the guest's device list */
u32 inval_translate(struct iommu_ctx *c, u16 vmid, struct viommu *v, const u64 (*in)[2],
		    u64 (*out)[2], u32 n, int *err);

#endif
