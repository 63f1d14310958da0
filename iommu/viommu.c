/* SPDX-License-Identifier: MIT */
/*
 * vIOMMU (on a NEST_PARENT HWPT, sharing its VMID) and vDEVICE (a guest's
 * virtual StreamID for one of its devices), iommufd's rules.
 */
#include <aerie/errno.h>
#include <aerie/page_alloc.h>
#include <aerie/string.h>
#include "iommu_internal.h"

int viommu_alloc(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_viommu_alloc *cmd = arg;
	struct hwpt *h;
	struct viommu *v;
	int id, err;

	if (cmd->flags || cmd->type == IOMMU_VIOMMU_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	if (!obj_lookup(c, cmd->dev_id, OBJ_DEVICE))
		return -ENOENT;
	if (cmd->type != IOMMU_VIOMMU_TYPE_ARM_SMMUV3 || !smmu_features(c->smmu)->nesting ||
	    cmd->data_len)
		return -EOPNOTSUPP;
	h = (struct hwpt *)obj_lookup(c, cmd->hwpt_id, OBJ_HWPT_PAGING);
	if (!h)
		return -ENOENT;
	if (!h->nest_parent)
		return -EINVAL;
	v = (struct viommu *)obj_new(c, OBJ_VIOMMU, sizeof(*v), &id);
	if (!v)
		return id;
	v->parent = h;
	cmd->out_viommu_id = (u32)id;
	err = obj_commit(c, &v->obj, sizeof(*v), id, io, cmd);
	if (!err)
		h->obj.users++;
	return err;
}

void viommu_destroy(struct iommu_ctx *c, struct viommu *v)
{
	v->parent->obj.users--;
	ctx_obj_free(c, v, sizeof(*v));
}

int vdevice_alloc(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_vdevice_alloc *cmd = arg;
	struct viommu *v = (struct viommu *)obj_lookup(c, cmd->viommu_id, OBJ_VIOMMU);
	struct device *d;
	struct vdevice *vd;
	int id, err;

	if (cmd->virt_id > 0xffffffffULL)
		return -EINVAL; /* a vSID is 32 bits */
	if (!v)
		return -ENOENT;
	d = (struct device *)obj_lookup(c, cmd->dev_id, OBJ_DEVICE);
	if (!d)
		return -ENOENT;
	if (d->vdev)
		return -EEXIST;
	for (u32 i = 0; i < c->top; i++) {
		struct vdevice *o = (struct vdevice *)c->objs[i];
		if (o && o->obj.type == OBJ_VDEVICE && o->viommu == v &&
		    o->virt_id == cmd->virt_id)
			return -EEXIST;
	}
	vd = (struct vdevice *)obj_new(c, OBJ_VDEVICE, sizeof(*vd), &id);
	if (!vd)
		return id;
	vd->viommu = v;
	vd->dev = d;
	vd->virt_id = cmd->virt_id;
	cmd->out_vdevice_id = (u32)id;
	err = obj_commit(c, &vd->obj, sizeof(*vd), id, io, cmd);
	if (!err) {
		v->obj.users++;
		d->obj.users++; /* the vDEVICE names the device: it must outlive it */
		d->vdev = vd;
	}
	return err;
}

void vdevice_destroy(struct iommu_ctx *c, struct vdevice *vd)
{
	vd->viommu->obj.users--;
	vd->dev->obj.users--;
	vd->dev->vdev = NULL;
	ctx_obj_free(c, vd, sizeof(*vd));
}

/* ---- vEVENTQ ------------------------------------------------------------------------------ */

#define VEVENTQ_MAX_DEPTH 4096
#define SEQ_MASK 0x7fffffffU

int veventq_alloc(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_veventq_alloc *cmd = arg;
	struct viommu *v;
	struct veventq *q;
	struct aerie_veventq_ring hdr;
	paddr_t pa;
	int id, err;

	if (cmd->flags || cmd->__reserved || cmd->type == IOMMU_VEVENTQ_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	v = (struct viommu *)obj_lookup(c, cmd->viommu_id, OBJ_VIOMMU);
	if (!v)
		return -ENOENT;
	if (cmd->type != IOMMU_VEVENTQ_TYPE_ARM_SMMUV3)
		return -EOPNOTSUPP;
	if (!cmd->veventq_depth || cmd->veventq_depth > VEVENTQ_MAX_DEPTH)
		return -EINVAL;
	if (v->eventq)
		return -EEXIST;
	if ((cmd->ring_uptr & 7) ||
	    vm_mem_translate(c->mem, cmd->ring_uptr,
			     sizeof(hdr) + (u64)cmd->veventq_depth * sizeof(struct aerie_vevent_record),
			     &pa))
		return -EFAULT;
	q = (struct veventq *)obj_new(c, OBJ_VEVENTQ, sizeof(*q), &id);
	if (!q)
		return id;
	q->viommu = v;
	q->ring = cmd->ring_uptr;
	q->depth = cmd->veventq_depth;
	hdr = (struct aerie_veventq_ring){ 0, 0, q->depth, 0 };
	cmd->out_veventq_id = (u32)id;
	cmd->out_veventq_fd = 0;
	if (vm_copy_to_guest(c->mem, q->ring, &hdr, sizeof(hdr))) {
		ctx_obj_free(c, q, sizeof(*q));
		return -EFAULT;
	}
	err = obj_commit(c, &q->obj, sizeof(*q), id, io, cmd);
	if (!err) {
		v->obj.users++;
		v->eventq = q;
	}
	return err;
}

void veventq_destroy(struct iommu_ctx *c, struct veventq *q)
{
	q->viommu->eventq = NULL;
	q->viommu->obj.users--;
	ctx_obj_free(c, q, sizeof(*q));
}

static bool ring_put(struct iommu_ctx *c, struct veventq *q, u32 flags, const u64 *evt)
{
	struct aerie_vevent_record rec = { { flags, q->sequence }, { { 0, 0, 0, 0 } } };
	u32 cons;
	ipa_t slot;

	/* the guest owns cons and may corrupt it: a value that does not fit
	 * counts as a full ring, and the slot comes from Aerie's own prod */
	if (vm_copy_from_guest(c->mem, &cons, q->ring + offsetof(struct aerie_veventq_ring, cons),
			       sizeof(cons)) ||
	    q->prod - cons >= q->depth)
		return false;
	if (evt)
		memcpy(rec.data.evt, evt, sizeof(rec.data.evt));
	slot = q->ring + sizeof(struct aerie_veventq_ring) +
	       (u64)(q->prod % q->depth) * sizeof(rec);
	if (vm_copy_to_guest(c->mem, slot, &rec, sizeof(rec)))
		return false;
	q->prod++;
	q->sequence = (q->sequence + 1) & SEQ_MASK;
	return vm_copy_to_guest(c->mem, q->ring, &q->prod, sizeof(q->prod)) == 0;
}

void veventq_push(struct iommu_ctx *c, struct veventq *q, const u64 evt[4])
{
	bool written = false;

	if (q->lost) {
		if (!ring_put(c, q, IOMMU_VEVENTQ_FLAG_LOST_EVENTS, NULL)) {
			q->sequence = (q->sequence + 1) & SEQ_MASK; /* this one is lost too */
			return;
		}
		q->lost = false;
		written = true;
	}
	if (ring_put(c, q, 0, evt)) {
		written = true;
	} else {
		q->lost = true;
		q->sequence = (q->sequence + 1) & SEQ_MASK;
	}
	/* something new to read: tell the guest (a dropped event adds nothing
	 * it could read now; its LOST record will come with the next one) */
	if (written && c->notify)
		c->notify(c->notify_arg);
}
