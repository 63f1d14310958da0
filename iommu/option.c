/* SPDX-License-Identifier: MIT */
/*
 * IOMMU_OPTION, iommufd's answers:
 *  - HUGE_PAGES (per IOAS): 1 (default) lets a mapping use 2M/1G blocks
 *    where it can, 0 maps everything with 4K pages. Turning it off is
 *    refused (-EINVAL) while the IOAS's tables hold mappings (they would
 *    keep their blocks); turning it on is always allowed.
 *  - RLIMIT_MODE (global): reads 0 (per-user accounting, iommufd's
 *    default); setting it needs privileges no guest has (-EPERM): Aerie's
 *    accounting is the guest's quota, set by its package.
 */
#include <aerie/errno.h>
#include "iommu_internal.h"

int iommu_option(struct iommu_ctx *c, void *arg, const struct cmd_io *io)
{
	struct iommu_option *cmd = arg;
	struct ioas *ioas;
	struct hwpt *h;
	u32 cur = 0;

	if (cmd->__reserved || cmd->option_id > IOMMU_OPTION_HUGE_PAGES)
		return -EOPNOTSUPP;
	if (cmd->option_id == IOMMU_OPTION_RLIMIT_MODE) {
		if (cmd->object_id || cmd->op > IOMMU_OPTION_OP_GET)
			return -EOPNOTSUPP;
		if (cmd->op == IOMMU_OPTION_OP_SET)
			return -EPERM;
		cmd->val64 = 0;
		return cmd_respond(c, io, cmd);
	}
	ioas = (struct ioas *)obj_lookup(c, cmd->object_id, OBJ_IOAS);
	if (!ioas)
		return -ENOENT;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = !ioas->no_huge;
		return cmd_respond(c, io, cmd);
	}
	if (cmd->op != IOMMU_OPTION_OP_SET)
		return -EOPNOTSUPP;
	if (cmd->val64 > 1)
		return -EINVAL;
	if (!cmd->val64 && !ioas->no_huge && ioas->areas && ioas_next_paging(c, ioas, &cur))
		return -EINVAL;
	ioas->no_huge = !cmd->val64;
	for (cur = 0; (h = ioas_next_paging(c, ioas, &cur));)
		h->pt.pages_only = ioas->no_huge;
	return 0;
}
