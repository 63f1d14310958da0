/* SPDX-License-Identifier: MIT */
/* The guest fixture of the iommufd host tests (iommufd_env.h). */
#include "iommufd_env.h"

static void count_notify(void *arg)
{
	((struct guest *)arg)->notified++;
}

struct smmu_model *model;
struct smmu *smmu;
struct page_stats ps0;
u64 objs0;

void *gva(struct guest *g, u64 gpa)
{
	return (u8 *)phys_to_virt(g->ram) + (gpa - GUEST_IPA);
}

bool guest_init(struct guest *g, u32 id, u32 psid)
{
	memset(g, 0, sizeof(*g));
	g->ram = hostenv_ram_alloc(GUEST_SIZE, 2 << 20);
	g->mem.region[0].ipa = GUEST_IPA;
	g->mem.region[0].pa = g->ram;
	g->mem.region[0].size = GUEST_SIZE;
	g->mem.count = 1;
	g->ctx = iommu_ctx_create(smmu, &g->mem, id);
	if (!g->ctx)
		return false;
	iommu_ctx_set_notify(g->ctx, count_notify, g);
	g->dev_id = iommu_ctx_add_device(g->ctx, psid, VBDF, VSID);
	return g->dev_id > 0;
}

bool setup_smmu(const struct smmu_model_cfg *cfg)
{
	struct smmu_model_cfg def = smmu_model_default_cfg();
	struct smmu_ste_cfg abort_cfg = { .kind = SMMU_STE_ABORT };

	model = smmu_model_create(SMMU_BASE, cfg ? cfg : &def);
	if (smmu_probe(&smmu, SMMU_BASE, SMMU_MODEL_MMIO_SIZE))
		return false;
	/* the level-2 stream-table span PSID is in (256 SIDs, PSID + 8 among
	 * them) is the driver's, kept until smmu_remove: create it before
	 * taking the baseline */
	if (smmu_ste_install(smmu, PSID, &abort_cfg))
		return false;
	page_stats(&ps0);
	objs0 = hostenv_objs_in_use();
	return true;
}

bool setup_cfg(struct guest *g, const struct smmu_model_cfg *cfg)
{
	return setup_smmu(cfg) && guest_init(g, 1, PSID);
}

bool setup(struct guest *g)
{
	return setup_cfg(g, NULL);
}

void teardown(struct guest *g, struct guest *g2)
{
	struct page_stats ps;

	if (g2)
		iommu_ctx_destroy(g2->ctx);
	iommu_ctx_destroy(g->ctx);
	page_stats(&ps);
	CHECK_EQ(ps.in_use, ps0.in_use); /* every page back */
	CHECK_EQ(hostenv_objs_in_use(), objs0);
	smmu_remove(smmu);
	smmu_model_destroy(model);
}

int hc_at(struct guest *g, u32 nr, u64 gpa, void *s, u32 n, u32 size)
{
	int ret;

	memcpy(gva(g, gpa), s, n);
	memcpy(gva(g, gpa), &size, sizeof(size));
	ret = (int)iommu_hypercall(g->ctx, AERIE_HC_IOMMU(nr), gpa);
	memcpy(s, gva(g, gpa), n);
	return ret;
}

int hc_sized(struct guest *g, u32 nr, void *s, u32 size, u32 struct_size)
{
	return hc_at(g, nr, CMD_GPA, s, struct_size, size);
}

int hc_ioas_alloc(struct guest *g, u32 *id)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };
	int err = HC(g, IOMMU_CMD_IOAS_ALLOC, a);

	*id = a.out_ioas_id;
	return err;
}

u32 ioas_new(struct guest *g)
{
	u32 id;

	return hc_ioas_alloc(g, &id) ? 0 : id;
}

int map_fixed(struct guest *g, u32 ioas, u64 iova, u64 gpa, u64 len, u32 rw)
{
	struct iommu_ioas_map m = { .size = sizeof(m), .ioas_id = ioas, .user_va = gpa,
				    .length = len, .iova = iova,
				    .flags = IOMMU_IOAS_MAP_FIXED_IOVA | rw };
	return HC(g, IOMMU_CMD_IOAS_MAP, m);
}

int unmap(struct guest *g, u32 ioas, u64 iova, u64 len, u64 *out)
{
	struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas, .iova = iova,
				      .length = len };
	int err = HC(g, IOMMU_CMD_IOAS_UNMAP, u);

	if (out)
		*out = u.length;
	return err;
}

int hwpt_new(struct guest *g, u32 pt, u32 flags, u32 *out)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = (u32)g->dev_id, .pt_id = pt,
				      .flags = flags };
	int err = HC(g, IOMMU_CMD_HWPT_ALLOC, h);

	*out = h.out_hwpt_id;
	return err;
}

int attach(struct guest *g, u32 pt)
{
	struct aerie_iommu_device_attach a = { .size = sizeof(a), .dev_id = (u32)g->dev_id,
					       .pt_id = pt };
	return HC(g, AERIE_CMD_DEVICE_ATTACH, a);
}

int detach(struct guest *g)
{
	struct aerie_iommu_device_detach d = { .size = sizeof(d), .dev_id = (u32)g->dev_id };

	return HC(g, AERIE_CMD_DEVICE_DETACH, d);
}

int destroy(struct guest *g, u32 id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return HC(g, IOMMU_CMD_DESTROY, d);
}

/* the guest's stage 1: VA S1_VA -> IPA `target` (4K page) */
void build_stage1(struct guest *g, u64 target)
{
	u64 *cd = gva(g, S1_CD_GPA), *l1 = gva(g, S1_L1_GPA), *l2 = gva(g, S1_L2_GPA),
	    *l3 = gva(g, S1_L3_GPA);

	memset(cd, 0, 64);
	cd[0] = 25 | (1ULL << 31) | (1ULL << 41) | (2ULL << 32) | ((u64)ASID << 48);
	cd[1] = S1_L1_GPA;
	l1[(S1_VA >> 30) & 511] = S1_L2_GPA | 3;
	l2[(S1_VA >> 21) & 511] = S1_L3_GPA | 3;
	l3[(S1_VA >> 12) & 511] = target | 3 | (1ULL << 10);
}

bool nested_setup(struct guest *g, struct nested_env *n)
{
	struct iommu_viommu_alloc v = { .size = sizeof(v), .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
					.dev_id = (u32)g->dev_id };
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd), .dev_id = (u32)g->dev_id,
					  .virt_id = VSID };
	struct iommu_hwpt_alloc h;
	struct iommu_hwpt_arm_smmuv3 *vste = gva(g, DATA_GPA);

	n->ioas = ioas_new(g);
	/* the guest maps its whole RAM at IOVA = IPA, as VMMs do for nesting */
	if (map_fixed(g, n->ioas, GUEST_IPA, GUEST_IPA, GUEST_SIZE, RW))
		return false;
	if (hwpt_new(g, n->ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &n->parent))
		return false;
	v.hwpt_id = n->parent;
	if (HC(g, IOMMU_CMD_VIOMMU_ALLOC, v))
		return false;
	n->viommu = v.out_viommu_id;
	build_stage1(g, BUF_GPA);
	vste->ste[0] = 1 | (5 << 1) | S1_CD_GPA;
	vste->ste[1] = 0;
	h = (struct iommu_hwpt_alloc){ .size = sizeof(h), .dev_id = (u32)g->dev_id,
				       .pt_id = n->viommu, .data_type = IOMMU_HWPT_DATA_ARM_SMMUV3,
				       .data_len = 16, .data_uptr = DATA_GPA };
	if (HC(g, IOMMU_CMD_HWPT_ALLOC, h))
		return false;
	n->nested = h.out_hwpt_id;
	/* a stage-1 vSTE on a vIOMMU needs the vDEVICE first */
	if (attach(g, n->nested) != -ENOENT)
		return false;
	vd.viommu_id = n->viommu;
	if (HC(g, IOMMU_CMD_VDEVICE_ALLOC, vd))
		return false;
	n->vdev = vd.out_vdevice_id;
	return attach(g, n->nested) == 0;
}

int invalidate(struct guest *g, u32 id, const u64 (*cmds)[2], u32 n, u32 *issued)
{
	struct iommu_hwpt_invalidate inv = { .size = sizeof(inv), .hwpt_id = id,
					     .data_uptr = DATA_GPA + 0x800,
					     .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
					     .entry_len = 16, .entry_num = n };
	int err;

	memcpy(gva(g, DATA_GPA + 0x800), cmds, n * 16);
	err = HC(g, IOMMU_CMD_HWPT_INVALIDATE, inv);
	*issued = inv.entry_num;
	return err;
}