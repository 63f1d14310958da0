/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU core: per-guest contexts, the object table, and the hypercall
 * dispatcher with iommufd's struct rules:
 *   - unknown command number: -ENOTTY; unreadable struct: -EFAULT;
 *   - size < the command's minimum: -EINVAL; size > what Aerie knows: the
 *     extra bytes must be zero, else -E2BIG; a shorter struct is zero-filled;
 *   - output is written back (first min(size, known) bytes) before a new
 *     object is published: a failed write-back leaves no object behind.
 * Ids: 1..IOMMU_MAX_OBJS, lowest free first, one space for every kind; a
 * lookup of the wrong kind is -ENOENT. One hypercall at a time per guest.
 */
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/string.h>
#include "iommu_internal.h"

#define MAX_STRUCT_SIZE 4096	/* bigger sizes: -E2BIG (zero tail not read) */

static struct iommu_ctx *all_ctx;
static spinlock_t all_lock = SPINLOCK_INIT;

/* ---- objects -------------------------------------------------------------------- */

struct obj *obj_lookup(struct iommu_ctx *c, u32 id, enum obj_type type)
{
	struct obj *o;

	if (id == 0 || id > IOMMU_MAX_OBJS)
		return NULL;
	o = c->objs[id - 1];
	if (!o || (type != OBJ_ANY && o->type != type))
		return NULL;
	return o;
}

int obj_free_id(struct iommu_ctx *c)
{
	for (u32 i = 0; i < IOMMU_MAX_OBJS; i++)
		if (!c->objs[i])
			return (int)i + 1;
	return -ENOSPC;
}

struct obj *obj_new(struct iommu_ctx *c, enum obj_type type, size_t size, int *id)
{
	struct obj *o;

	*id = obj_free_id(c);
	if (*id < 0)
		return NULL;
	o = ctx_obj_alloc(c, size);
	if (!o) {
		*id = -ENOMEM;
		return NULL;
	}
	o->type = type;
	return o;
}

void obj_publish(struct iommu_ctx *c, struct obj *o, u32 id)
{
	o->id = id;
	o->users = 1;
	c->objs[id - 1] = o;
	if (id > c->top)
		c->top = id;
}

void obj_unpublish(struct iommu_ctx *c, struct obj *o)
{
	c->objs[o->id - 1] = NULL;
}

/* ---- contexts -------------------------------------------------------------------- */

struct iommu_ctx *iommu_ctx_create(struct smmu *smmu, const struct vm_mem *mem, u32 guest_id)
{
	struct iommu_ctx *c = obj_alloc(sizeof(*c));
	const struct smmu_features *f = smmu_features(smmu);

	if (!c)
		return NULL;
	c->objs = page_alloc(); /* 512 pointers */
	if (!c->objs) {
		obj_free(c, sizeof(*c));
		return NULL;
	}
	c->smmu = smmu;
	c->mem = mem;
	c->guest_id = guest_id;
	c->ias = f->ias > 48 ? 48 : f->ias < 32 ? 32 : f->ias;
	iommu_ctx_set_quota(c, &(struct iommu_quota){ 0 });
	spin_lock(&all_lock);
	c->next = all_ctx;
	all_ctx = c;
	spin_unlock(&all_lock);
	return c;
}

void iommu_ctx_set_notify(struct iommu_ctx *c, iommu_notify_fn *fn, void *arg)
{
	spin_lock(&c->lock);
	c->notify = fn;
	c->notify_arg = arg;
	spin_unlock(&c->lock);
}

int iommu_ctx_add_device(struct iommu_ctx *c, u32 psid, u32 vbdf, u32 vsid)
{
	struct device *d;
	int id;

	spin_lock(&c->lock);
	id = obj_free_id(c);
	d = id > 0 ? obj_alloc(sizeof(*d)) : NULL;
	if (!d) {
		spin_unlock(&c->lock);
		return id > 0 ? -ENOMEM : id;
	}
	d->obj.type = OBJ_DEVICE;
	d->psid = psid;
	d->vbdf = vbdf;
	d->vsid = vsid;
	obj_publish(c, &d->obj, (u32)id);
	d->obj.users++; /* held by the assignment: a guest cannot destroy it */
	spin_unlock(&c->lock);
	return id;
}

/* release one object whose users are down to the table's reference */
static void obj_release(struct iommu_ctx *c, struct obj *o)
{
	obj_unpublish(c, o);
	switch (o->type) {
	case OBJ_IOAS:
		ioas_destroy(c, (struct ioas *)o);
		break;
	case OBJ_HWPT_PAGING:
	case OBJ_HWPT_NESTED:
		hwpt_destroy(c, (struct hwpt *)o);
		break;
	case OBJ_VIOMMU:
		viommu_destroy(c, (struct viommu *)o);
		break;
	case OBJ_VDEVICE:
		vdevice_destroy(c, (struct vdevice *)o);
		break;
	case OBJ_VEVENTQ:
		veventq_destroy(c, (struct veventq *)o);
		break;
	case OBJ_DEVICE:
		obj_free(o, sizeof(struct device));
		break;
	default:
		break;
	}
}

void iommu_ctx_destroy(struct iommu_ctx *c)
{
	struct iommu_ctx **link;
	bool progress = true;

	if (!c)
		return;
	if (c->log.lines >= IOMMU_LOG_LINES)
		pr_warn("iommu: guest %u: %llu SMMU faults in all\n", c->guest_id,
			(unsigned long long)c->log.total);
	spin_lock(&c->lock);
	/* devices first: back to abort, dropping their attachments */
	for (u32 i = 0; i < c->top; i++) {
		struct device *d = (struct device *)c->objs[i];

		if (d && d->obj.type == OBJ_DEVICE) {
			if (d->attached)
				dev_set_ste(c, d, NULL);
			d->obj.users--; /* the assignment's reference */
		}
	}
	/* then leaves first, until nothing is left */
	while (progress) {
		progress = false;
		for (u32 i = 0; i < c->top; i++) {
			struct obj *o = c->objs[i];

			if (o && o->users == 1) {
				obj_release(c, o);
				progress = true;
			}
		}
	}
	spin_unlock(&c->lock);
	spin_lock(&all_lock);
	for (link = &all_ctx; *link && *link != c; link = &(*link)->next)
		;
	if (*link)
		*link = c->next;
	spin_unlock(&all_lock);
	page_free(c->objs);
	obj_free(c, sizeof(*c));
}

/* ---- DESTROY ----------------------------------------------------------------------- */

static int cmd_destroy(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_destroy *cmd = arg;
	struct obj *o = obj_lookup(c, cmd->id, OBJ_ANY);

	(void)io;
	if (!o)
		return -ENOENT;
	if (o->pinned || o->users > 1)
		return -EBUSY; /* pinned: in use by the VMM's attachment, for good */
	obj_release(c, o);
	return 0;
}

/* ---- dispatch ------------------------------------------------------------------------ */

struct cmd_desc {
	u8 nr;
	u16 size, min_size;
	bool kernel;	/* iommu_kcall may use it (its buffers go through cmd_copy_*) */
	int (*fn)(struct iommu_ctx *c, void *cmd, const struct cmd_io *io);
};

#define CMD(n, T, last, k, f) { n, sizeof(T), offsetofend(T, last), k, f }
/* the per-DMA-buffer calls first: the lookup is a linear search */
static const struct cmd_desc cmds[] = {
	CMD(IOMMU_CMD_IOAS_MAP, struct iommu_ioas_map, iova, true, ioas_map),
	CMD(IOMMU_CMD_IOAS_UNMAP, struct iommu_ioas_unmap, length, true, ioas_unmap),
	CMD(IOMMU_CMD_HWPT_INVALIDATE, struct iommu_hwpt_invalidate, __reserved, true,
	    hwpt_invalidate),
	CMD(IOMMU_CMD_DESTROY, struct iommu_destroy, id, true, cmd_destroy),
	CMD(IOMMU_CMD_IOAS_ALLOC, struct iommu_ioas_alloc, out_ioas_id, true, ioas_alloc),
	CMD(IOMMU_CMD_IOAS_ALLOW_IOVAS, struct iommu_ioas_allow_iovas, allowed_iovas, false,
	    ioas_allow_iovas),
	CMD(IOMMU_CMD_IOAS_COPY, struct iommu_ioas_copy, src_iova, false, ioas_copy),
	CMD(IOMMU_CMD_IOAS_IOVA_RANGES, struct iommu_ioas_iova_ranges, out_iova_alignment, false,
	    ioas_iova_ranges),
	CMD(IOMMU_CMD_OPTION, struct iommu_option, val64, false, iommu_option),
	CMD(IOMMU_CMD_HWPT_ALLOC, struct iommu_hwpt_alloc, __reserved, true, hwpt_alloc),
	CMD(IOMMU_CMD_GET_HW_INFO, struct iommu_hw_info, __reserved, true, dev_hw_info),
	CMD(IOMMU_CMD_VIOMMU_ALLOC, struct iommu_viommu_alloc, out_viommu_id, true, viommu_alloc),
	CMD(IOMMU_CMD_VDEVICE_ALLOC, struct iommu_vdevice_alloc, virt_id, true, vdevice_alloc),
	CMD(IOMMU_CMD_VEVENTQ_ALLOC, struct iommu_veventq_alloc, ring_uptr, false, veventq_alloc),
	CMD(AERIE_CMD_LIST_DEVICES, struct aerie_iommu_list_devices, devices_uptr, true, dev_list),
	CMD(AERIE_CMD_DEVICE_ATTACH, struct aerie_iommu_device_attach, pt_id, true, dev_attach),
	CMD(AERIE_CMD_DEVICE_REPLACE, struct aerie_iommu_device_attach, pt_id, true, dev_replace),
	CMD(AERIE_CMD_DEVICE_DETACH, struct aerie_iommu_device_detach, dev_id, true, dev_detach),
};

int cmd_respond(struct iommu_ctx *c, const struct cmd_io *io, const void *cmd)
{
	if (io->kernel)
		return 0; /* the handler wrote into the caller's struct itself */
	/* iommu_hypercall checked that the guest's struct lies in one region */
	memcpy(phys_to_virt(io->pa), cmd, MIN(io->user_size, io->size));
	return 0;
}

int obj_commit(struct iommu_ctx *c, struct obj *o, size_t size, int id, const struct cmd_io *io,
	       const void *cmd)
{
	int err = cmd_respond(c, io, cmd);

	if (err)
		ctx_obj_free(c, o, size);
	else
		obj_publish(c, o, (u32)id);
	return err;
}

int cmd_copy_in(struct iommu_ctx *c, const struct cmd_io *io, void *dst, u64 uptr, u64 len)
{
	if (io->kernel) {
		memcpy(dst, (const void *)(uintptr_t)uptr, len);
		return 0;
	}
	return vm_copy_from_guest(c->mem, dst, uptr, len);
}

int cmd_copy_out(struct iommu_ctx *c, const struct cmd_io *io, u64 uptr, const void *src,
		 u64 len)
{
	if (io->kernel) {
		memcpy((void *)(uintptr_t)uptr, src, len);
		return 0;
	}
	return vm_copy_to_guest(c->mem, uptr, src, len);
}

int cmd_zero_out(struct iommu_ctx *c, const struct cmd_io *io, u64 uptr, u64 len)
{
	if (io->kernel) {
		memset((void *)(uintptr_t)uptr, 0, len);
		return 0;
	}
	return vm_zero_guest(c->mem, uptr, len);
}

int cmd_check_zero(struct iommu_ctx *c, const struct cmd_io *io, u64 uptr, u64 len)
{
	u8 buf[64];

	while (len) {
		u32 n = (u32)MIN(len, sizeof(buf));

		if (cmd_copy_in(c, io, buf, uptr, n))
			return -EFAULT;
		for (u32 i = 0; i < n; i++)
			if (buf[i])
				return -E2BIG;
		uptr += n;
		len -= n;
	}
	return 0;
}

s64 iommu_hypercall(struct iommu_ctx *c, u32 func, u64 gpa)
{
	const struct cmd_desc *d;
	u64 cmd[8]; /* the largest struct is 48 bytes */
	struct cmd_io io;
	unsigned int i;
	u32 nr, size, n;
	paddr_t pa;
	u64 span;
	int err;

	if (func < AERIE_HC_IOMMU_BASE || func > AERIE_HC_IOMMU_LAST)
		return -ENOTTY;
	nr = func - AERIE_HC_IOMMU_BASE;
	for (i = 0; i < ARRAY_SIZE(cmds) && cmds[i].nr != nr; i++)
		;
	if (i == ARRAY_SIZE(cmds))
		return -ENOTTY;
	d = &cmds[i];
	span = (gpa & 7) ? 0 : vm_mem_span(c->mem, gpa, &pa);
	if (span < sizeof(size))
		return -EFAULT;
	size = *(const volatile u32 *)phys_to_virt(pa); /* read once: the guest may race */
	if (size < d->min_size)
		return -EINVAL;
	if (size > MAX_STRUCT_SIZE)
		return -E2BIG;
	n = MIN(size, d->size);
	io = (struct cmd_io){ .gpa = gpa, .pa = pa, .user_size = size, .size = d->size };
	spin_lock(&c->lock);
	err = size > d->size ? cmd_check_zero(c, &io, gpa + d->size, size - d->size) : 0;
	if (!err && span < n)
		err = -EFAULT;
	if (!err) {
		memcpy(cmd, phys_to_virt(pa), n);
		if (n < d->size)
			memset((u8 *)cmd + n, 0, d->size - n);
		err = d->fn(c, cmd, &io);
	}
	spin_unlock(&c->lock);
	return err;
}

int iommu_kcall(struct iommu_ctx *c, u32 nr, void *cmd)
{
	const struct cmd_desc *d = NULL;
	struct cmd_io io;
	int err;

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
		if (cmds[i].nr == nr)
			d = &cmds[i];
	if (!d || !d->kernel)
		return -ENOTTY;
	if (*(const u32 *)cmd != d->size)
		return -EINVAL; /* Aerie's callers pass the struct Aerie knows */
	io = (struct cmd_io){ .user_size = d->size, .size = d->size, .kernel = true };
	spin_lock(&c->lock);
	err = d->fn(c, cmd, &io);
	spin_unlock(&c->lock);
	return err;
}

int iommu_viommu_set_sink(struct iommu_ctx *c, u32 viommu_id, iommu_event_fn *fn, void *arg)
{
	struct viommu *v;

	spin_lock(&c->lock);
	v = (struct viommu *)obj_lookup(c, viommu_id, OBJ_VIOMMU);
	if (v) {
		v->sink = fn;
		v->sink_arg = arg;
	}
	spin_unlock(&c->lock);
	return v ? 0 : -ENOENT;
}

/* ---- events ---------------------------------------------------------------------------- */

/* tests may watch events (the test image's DMA tests do) */
__attribute__((weak)) void iommu_event_observer(const struct smmu_event *evt)
{
	(void)evt;
}

/* a fault of one of c's devices that Aerie, not the guest, sees: counted,
 * and logged on the guest's own exits (iommu_ctx_log_flush) */
static void log_fault(struct iommu_ctx *c, const struct device *d, const struct smmu_event *evt)
{
	struct iommu_fault_log *l = &c->log;

	if (!l->pending) {
		l->type = evt->type;
		l->s2 = evt->s2;
		l->read = evt->read;
		l->addr = evt->addr;
		l->vbdf = d->vbdf;
		l->undelivered = d->attached && d->attached->obj.type == OBJ_HWPT_NESTED && !evt->s2;
	}
	l->total++;
	__atomic_store_n(&l->pending, l->pending + 1, __ATOMIC_RELEASE);
}

bool smmu_event_report(struct smmu *smmu, const struct smmu_event *evt)
{
	bool claimed = false;

	iommu_event_observer(evt);
	/* lock order: all_lock, then a context's lock (a hypercall holds its
	 * context's lock and never takes all_lock) */
	spin_lock(&all_lock);
	for (struct iommu_ctx *c = all_ctx; c; c = c->next) {
		if (c->smmu != smmu)
			continue;
		spin_lock(&c->lock);
		for (u32 i = 0; i < c->top; i++) {
			struct device *d = (struct device *)c->objs[i];

			if (!d || d->obj.type != OBJ_DEVICE || d->psid != evt->sid)
				continue;
			claimed = true;
			struct viommu *v = d->attached ? d->attached->viommu : NULL;

			if (v && d->attached->obj.type == OBJ_HWPT_NESTED && !evt->s2 && d->vdev &&
			    d->vdev->viommu == v && (v->eventq || v->sink)) {
				/* a stage-1 fault of the guest's own translation: its
				 * event, with its vSID, to its ring or its emulated SMMU */
				u64 rec[4];

				memcpy(rec, evt->raw, sizeof(rec));
				rec[0] = (rec[0] & 0xffffffffULL) | (d->vdev->virt_id << 32);
				if (v->sink)
					v->sink(v->sink_arg, rec);
				else
					veventq_push(c, v->eventq, rec);
			} else {
				log_fault(c, d, evt);
			}
		}
		spin_unlock(&c->lock);
	}
	spin_unlock(&all_lock);
	return claimed;
}

void iommu_ctx_log_flush(struct iommu_ctx *c)
{
	struct iommu_fault_log *l = &c->log;
	u32 n;

	if (!__atomic_load_n(&l->pending, __ATOMIC_ACQUIRE))
		return; /* the common case: one load, no lock */
	spin_lock(&c->lock);
	n = l->pending;
	l->pending = 0;
	if (n && l->lines < IOMMU_LOG_LINES) {
		const char *more = n > 1 ? " (and more like it)" : "";

		if (l->undelivered)
			pr_warn("iommu: guest %u: stage-1 fault of its device %02x:%02x.%u at "
				"0x%llx, no event queue to deliver it to; %u fault(s)%s\n",
				c->guest_id, (l->vbdf >> 8) & 0xff, (l->vbdf >> 3) & 0x1f, l->vbdf & 7,
				(unsigned long long)l->addr, n, more);
		else
			pr_warn("iommu: guest %u: its device %02x:%02x.%u was stopped by Aerie's "
				"stage %u: %s, %s at 0x%llx; %u fault(s)%s\n",
				c->guest_id, (l->vbdf >> 8) & 0xff, (l->vbdf >> 3) & 0x1f, l->vbdf & 7,
				l->s2 ? 2 : 1, smmu_event_name(l->type), l->read ? "read" : "write",
				(unsigned long long)l->addr, n, more);
		if (++l->lines == IOMMU_LOG_LINES)
			pr_warn("iommu: guest %u: its further SMMU faults are counted, not logged\n",
				c->guest_id);
	}
	spin_unlock(&c->lock);
}
