/* SPDX-License-Identifier: MIT */
/*
 * Attach / replace with pt_id = an IOAS: iommufd's automatic domain. The
 * device goes onto a paging HWPT Aerie made for that IOAS: an existing one
 * (every auto-domain of an IOAS suits every device of the guest: they sit
 * behind one SMMU) or a new one, charged to the guest like any HWPT
 * (object, VMID, table pages). Its id is written back in pt_id. It is an
 * ordinary paging HWPT (never a nest parent) that the attachments pin
 * (DESTROY: -EBUSY) and that is destroyed when its last device leaves.
 */
#include <aerie/errno.h>
#include "iommu_internal.h"

static struct hwpt *find_auto(struct iommu_ctx *c, struct ioas *ioas)
{
	struct hwpt *h;
	u32 cur = 0;

	while ((h = ioas_next_paging(c, ioas, &cur)))
		if (h->auto_domain)
			return h;
	return NULL;
}

void hwpt_auto_put(struct iommu_ctx *c, struct hwpt *h)
{
	if (h->auto_domain && h->obj.users == 1) {
		obj_unpublish(c, &h->obj);
		hwpt_destroy(c, h);
	}
}

int dev_attach_ioas(struct iommu_ctx *c, struct aerie_iommu_device_attach *cmd,
		    const struct cmd_io *io, bool replace)
{
	struct ioas *ioas = (struct ioas *)obj_lookup(c, cmd->pt_id, OBJ_IOAS);
	struct device *d = (struct device *)obj_lookup(c, cmd->dev_id, OBJ_DEVICE);
	struct hwpt *h, *made = NULL;
	int id = 0, err;

	if (!d)
		return -ENOENT;
	h = find_auto(c, ioas);
	if (h && d->attached == h) {
		cmd->pt_id = h->obj.id;
		return cmd_respond(c, io, cmd);
	}
	if (replace != (d->attached != NULL))
		return -EINVAL;
	err = dev_resv_check(d, ioas);
	if (err)
		return err;
	if (!h) {
		id = obj_free_id(c);
		if (id < 0)
			return id;
		err = hwpt_paging_new(c, ioas, &made);
		if (err)
			return err;
		h = made;
	}
	cmd->pt_id = made ? (u32)id : h->obj.id;
	err = cmd_respond(c, io, cmd);
	if (err) {
		if (made)
			hwpt_destroy(c, made); /* never published: no reference to drop */
		return err;
	}
	if (made) {
		made->auto_domain = true;
		ioas->obj.users++;
		obj_publish(c, &made->obj, (u32)id);
	}
	err = dev_set_ste(c, d, h);
	if (err && made)
		hwpt_auto_put(c, made);
	return err;
}
