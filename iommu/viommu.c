/* SPDX-License-Identifier: MIT */
/*
 * vIOMMU (on a NEST_PARENT HWPT, sharing its VMID) and vDEVICE (a guest's
 * virtual StreamID for one of its devices), iommufd's rules.
 */
#include <aerie/errno.h>
#include <aerie/page_alloc.h>
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
	id = obj_free_id(c);
	if (id < 0)
		return id;
	v = obj_alloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->obj.type = OBJ_VIOMMU;
	v->parent = h;
	cmd->out_viommu_id = (u32)id;
	err = cmd_respond(c, io, cmd);
	if (err) {
		obj_free(v, sizeof(*v));
		return err;
	}
	h->obj.users++;
	obj_publish(c, &v->obj, (u32)id);
	return 0;
}

void viommu_destroy(struct iommu_ctx *c, struct viommu *v)
{
	(void)c;
	v->parent->obj.users--;
	obj_free(v, sizeof(*v));
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
	for (u32 i = 0; i < IOMMU_MAX_OBJS; i++) {
		struct vdevice *o = (struct vdevice *)c->objs[i];
		if (o && o->obj.type == OBJ_VDEVICE && o->viommu == v &&
		    o->virt_id == cmd->virt_id)
			return -EEXIST;
	}
	id = obj_free_id(c);
	if (id < 0)
		return id;
	vd = obj_alloc(sizeof(*vd));
	if (!vd)
		return -ENOMEM;
	vd->obj.type = OBJ_VDEVICE;
	vd->viommu = v;
	vd->dev = d;
	vd->virt_id = cmd->virt_id;
	cmd->out_vdevice_id = (u32)id;
	err = cmd_respond(c, io, cmd);
	if (err) {
		obj_free(vd, sizeof(*vd));
		return err;
	}
	v->obj.users++;
	d->obj.users++; /* the vDEVICE names the device: it must outlive it */
	d->vdev = vd;
	obj_publish(c, &vd->obj, (u32)id);
	return 0;
}

void vdevice_destroy(struct iommu_ctx *c, struct vdevice *vd)
{
	(void)c;
	vd->viommu->obj.users--;
	vd->dev->obj.users--;
	vd->dev->vdev = NULL;
	obj_free(vd, sizeof(*vd));
}
