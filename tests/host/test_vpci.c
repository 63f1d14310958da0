/* SPDX-License-Identifier: MIT */
/*
 * The guest's emulated ECAM (vmm/vpci.c) against a software config space:
 * only assigned functions are visible, at their virtual BDFs; reads come
 * from the device; Command writes are filtered; BAR sizing is emulated and
 * nothing the guest writes ever reaches a BAR; odd sizes and alignments are
 * harmless; virtual BDFs never collide.
 */
#include <aerie/errno.h>
#include <aerie/guest.h>
#include <aerie/vmmio.h>
#include <aerie/vpci.h>
#include "pci_cfg_model.h"
#include "test.h"
#include "../../drivers/pci_regs.h"

#define EDU_ID		0x11e81234U
#define BAR_PA		0x10000000ULL
#define BAR64_PA	0x8000000000ULL
#define MIB		(1ULL << 20)

static struct guest g;

static u64 ecam(u32 vbdf, u32 reg)
{
	return GUEST_ECAM_IPA + PCI_ECAM_OFFSET(PCI_BUS(vbdf), PCI_DEV(vbdf), PCI_FN(vbdf), reg);
}

static u64 rd(u64 ipa, unsigned int size)
{
	struct vmmio_access a = { .ipa = ipa, .size = size, .val = 0x5555 };

	CHECK(vpci_access(&g, &a));
	return a.val;
}

static void wr(u64 ipa, unsigned int size, u64 val)
{
	struct vmmio_access a = { .ipa = ipa, .size = size, .write = true, .val = val };

	CHECK(vpci_access(&g, &a));
}

/* assign f to g as guest_assign_pci does; returns its vbdf */
static u32 assign(struct model_fn *f)
{
	int vbdf = vpci_choose_vbdf(&g, &f->dev);

	CHECK(vbdf >= 0);
	if (vbdf < 0)
		return 0;
	g.vpci[g.ndevs] = (struct vpci_dev){ .vbdf = (u32)vbdf };
	g.devs[g.ndevs++] = &f->dev;
	return (u32)vbdf;
}

/* the host bridge at 00:00.0, an edu at 00:01.0, another at 00:02.0 */
static struct model_fn *setup(void)
{
	struct model_fn *edu;

	memset(&g, 0, sizeof(g));
	g.ram_size = 16 * MIB;
	model_reset();
	model_add(PCI_BDF(0, 0, 0), 0x1b36, 0x0008, 0x060000);
	edu = model_add(PCI_BDF(0, 1, 0), 0x1234, 0x11e8, 0x00ff00);
	model_bar(edu, 0, BAR_PA, BAR_PA, MIB, false, false);
	model_bar(model_add(PCI_BDF(0, 2, 0), 0x1234, 0x11e8, 0x00ff00), 0, BAR_PA + MIB,
		  BAR_PA + MIB, MIB, false, false);
	return edu;
}

TEST(outside_the_window_falls_through)
{
	struct vmmio_access a = { .ipa = GUEST_ECAM_IPA - 4, .size = 4 };

	setup();
	CHECK(!vpci_access(&g, &a));
	a.ipa = GUEST_ECAM_IPA + GUEST_ECAM_SIZE;
	CHECK(!vpci_access(&g, &a));
	a.ipa = GUEST_UART_IPA;
	CHECK(!vpci_access(&g, &a));
}

TEST(only_the_assigned_function_is_visible)
{
	struct model_fn *edu = setup();
	u32 vbdf = assign(edu);

	CHECK_EQ(vbdf, PCI_BDF(0, 1, 0));
	for (u32 dev = 0; dev < 32; dev++)
		for (u32 fn = 0; fn < 8; fn++)
			CHECK_EQ(rd(ecam(PCI_BDF(0, dev, fn), PCI_VENDOR_ID), 4),
				 dev == 1 && fn == 0 ? EDU_ID : 0xffffffffU);
	CHECK_EQ(rd(ecam(PCI_BDF(0, 2, 0), PCI_VENDOR_ID), 2), 0xffff);
	CHECK_EQ(rd(ecam(PCI_BDF(0, 2, 0), PCI_HEADER_REG + 2), 1), 0xff);
	/* writes to someone else's function go nowhere */
	wr(ecam(PCI_BDF(0, 2, 0), PCI_COMMAND), 4, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	CHECK_EQ(pci_find_bdf(PCI_BDF(0, 2, 0))->bdf, PCI_BDF(0, 2, 0));
	CHECK_EQ(((struct model_fn *)pci_find_bdf(PCI_BDF(0, 2, 0)))->writes[PCI_COMMAND / 4], 0);
}

TEST(reads_of_every_size_come_from_the_device)
{
	struct model_fn *edu = setup();
	u32 v = assign(edu);

	CHECK_EQ(rd(ecam(v, 0), 2), 0x1234);
	CHECK_EQ(rd(ecam(v, 2), 2), 0x11e8);
	CHECK_EQ(rd(ecam(v, 1), 1), 0x12);
	CHECK_EQ(rd(ecam(v, 3), 1), 0x11);
	CHECK_EQ(rd(ecam(v, PCI_CLASS_REV), 4), 0x00ff0000);
	CHECK_EQ(rd(ecam(v, PCI_CLASS_REV + 3), 1), 0x00);
	CHECK_EQ(rd(ecam(v, PCI_CLASS_REV + 2), 1), 0xff);
}

TEST(command_lets_through_memory_master_and_intx_disable_only)
{
	struct model_fn *edu = setup();
	u32 v = assign(edu);

	edu->cfg[PCI_COMMAND / 4] = 0;
	wr(ecam(v, PCI_COMMAND), 4, 0xffffffff);
	CHECK_EQ(edu->cfg[PCI_COMMAND / 4],
		 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DIS);
	wr(ecam(v, PCI_COMMAND), 2, PCI_COMMAND_IO);
	CHECK_EQ(edu->cfg[PCI_COMMAND / 4], 0);
	/* bits the guest may not touch keep the device's value */
	edu->cfg[PCI_COMMAND / 4] = BIT(8);	/* SERR# enable, set by the host */
	wr(ecam(v, PCI_COMMAND), 1, PCI_COMMAND_MEMORY);
	CHECK_EQ(edu->cfg[PCI_COMMAND / 4], BIT(8) | PCI_COMMAND_MEMORY);
	/* a write to Status alone changes nothing in Command */
	wr(ecam(v, PCI_COMMAND + 2), 2, 0xffff);
	CHECK_EQ(edu->cfg[PCI_COMMAND / 4], BIT(8) | PCI_COMMAND_MEMORY);
}

TEST(bar_sizing_is_emulated_and_the_bar_never_moves)
{
	struct model_fn *edu = setup();
	u32 v = assign(edu);

	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), BAR_PA);
	wr(ecam(v, PCI_BAR0), 4, 0xffffffff);
	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), 0xfff00000);
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 2), 2), 0xfff0);
	wr(ecam(v, PCI_BAR0), 4, BAR_PA);
	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), BAR_PA);
	wr(ecam(v, PCI_BAR0), 4, 0x20000000);
	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), BAR_PA);
	/* a value with every decoded address bit set reads the mask, as on
	 * hardware; narrower writes merge into what the BAR reads */
	wr(ecam(v, PCI_BAR0), 4, 0xfff00000);
	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), 0xfff00000);
	wr(ecam(v, PCI_BAR0), 4, 0xffe00000);
	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), BAR_PA);
	wr(ecam(v, PCI_BAR0 + 2), 2, 0xffff);
	wr(ecam(v, PCI_BAR0 + 3), 1, 0xff);
	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), 0xfff00000);
	wr(ecam(v, PCI_BAR0 + 3), 1, 0x20);
	CHECK_EQ(rd(ecam(v, PCI_BAR0), 4), BAR_PA);
	CHECK_EQ(edu->writes[PCI_BAR0 / 4], 0);
	CHECK_EQ(edu->cfg[PCI_BAR0 / 4], BAR_PA);
	/* not implemented: reads 0, sizing too */
	wr(ecam(v, PCI_BAR0 + 4), 4, 0xffffffff);
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 4), 4), 0);
	CHECK_EQ(edu->writes[PCI_BAR0 / 4 + 1], 0);
}

TEST(bar64_sizing_both_halves)
{
	struct model_fn *f;
	u32 v;

	setup();
	f = model_add(PCI_BDF(0, 3, 0), 0x1af4, 0x1000, 0x020000);
	model_bar(f, 0, BAR_PA + 2 * MIB, BAR_PA + 2 * MIB, 0x4000, false, false);
	model_bar(f, 2, BAR64_PA, BAR64_PA, 8ULL << 30, true, true);
	model_io_bar(f, 4, 0x20);
	v = assign(f);
	CHECK_EQ(v, PCI_BDF(0, 3, 0));
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 8), 4), 0x0000000c);	/* 64-bit, prefetchable */
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 12), 4), BAR64_PA >> 32);
	wr(ecam(v, PCI_BAR0 + 8), 4, 0xffffffff);
	wr(ecam(v, PCI_BAR0 + 12), 4, 0xffffffff);
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 8), 4), 0x0000000c);	/* 8 GiB: low bits all zero */
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 12), 4), 0xfffffffe);
	wr(ecam(v, PCI_BAR0 + 8), 4, 0);
	wr(ecam(v, PCI_BAR0 + 12), 4, 0);
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 8), 4), 0x0000000c);
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 12), 4), BAR64_PA >> 32);
	CHECK_EQ(vpci_bar_bus_addr(&f->dev, 2), BAR64_PA);
	CHECK_EQ(vpci_bar_bus_addr(&f->dev, 3), 0);
	/* the I/O BAR is hidden */
	CHECK_EQ(rd(ecam(v, PCI_BAR0 + 16), 4), 0);
	CHECK_EQ(vpci_bar_bus_addr(&f->dev, 4), 0);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(f->writes[PCI_BAR0 / 4 + i], 0);
}

TEST(rom_capabilities_and_the_rest_are_read_only)
{
	struct model_fn *edu = setup();
	u32 v = assign(edu);

	edu->cfg[PCI_ROM_ADDRESS / 4] = 0xfeed0001;
	CHECK_EQ(rd(ecam(v, PCI_ROM_ADDRESS), 4), 0);
	edu->cfg[0x40 / 4] = 0xabcd0005;	/* an MSI capability, say */
	CHECK_EQ(rd(ecam(v, 0x40), 4), 0xabcd0005);
	for (u32 reg = 0; reg < 0x1000; reg += 4) {
		if (reg == PCI_COMMAND)
			continue;
		wr(ecam(v, reg), 4, 0xffffffff);
		wr(ecam(v, reg), 2, 0x1234);
		wr(ecam(v, reg + 1), 1, 0x56);
	}
	for (u32 i = 0; i < MODEL_CFG_DWORDS; i++)
		CHECK_EQ(edu->writes[i], 0);
	CHECK_EQ(edu->cfg[0x40 / 4], 0xabcd0005);
}

TEST(odd_sizes_and_alignments_are_harmless)
{
	struct model_fn *edu = setup();
	u32 v = assign(edu);
	unsigned int sizes[] = { 0, 3, 8, 16 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		CHECK_EQ(rd(ecam(v, 0), sizes[i]),
			 sizes[i] >= 8 ? ~0ULL : BIT(8 * sizes[i]) - 1);
		wr(ecam(v, PCI_COMMAND), sizes[i], 0);
	}
	CHECK_EQ(rd(ecam(v, 1), 2), 0xffff);
	CHECK_EQ(rd(ecam(v, 2), 4), 0xffffffffU);
	wr(ecam(v, PCI_COMMAND + 1), 2, 0);
	wr(ecam(v, PCI_COMMAND + 2), 4, 0);
	CHECK_EQ(edu->writes[PCI_COMMAND / 4], 0);
	/* the last byte of the window */
	CHECK_EQ(rd(GUEST_ECAM_IPA + GUEST_ECAM_SIZE - 1, 1), 0xff);
}

TEST(virtual_bdfs_keep_bus0_and_never_collide)
{
	struct model_fn *edu = setup();
	struct model_fn *behind = model_add(PCI_BDF(1, 0, 0), 0x8086, 0x10d3, 0x020000);
	struct model_fn *fn1 = model_add(PCI_BDF(0, 2, 1), 0x8086, 0x10d3, 0x020000);
	struct model_fn *other = model_add(PCI_BDF(2, 0, 0), 0x8086, 0x10d3, 0x020000);
	u32 a, b, c, d;

	a = assign(behind);	/* slots 0, 1, 2 exist on the physical bus 0 */
	CHECK_EQ(a, PCI_BDF(0, 3, 0));
	b = assign(edu);
	CHECK_EQ(b, PCI_BDF(0, 1, 0));
	c = assign(fn1);	/* function 1 alone would be invisible: remapped */
	CHECK_EQ(c, PCI_BDF(0, 4, 0));
	d = assign(other);
	CHECK_EQ(d, PCI_BDF(0, 5, 0));
	CHECK_EQ(rd(ecam(a, 0), 4), 0x10d38086);
	/* the window is bus 0 only: bus 1 is not the ECAM's */
	{
		struct vmmio_access acc = { .ipa = ecam(PCI_BDF(1, 0, 0), 0), .size = 4 };

		CHECK(!vpci_access(&g, &acc));
	}
	/* the same device twice is refused */
	CHECK_EQ(vpci_choose_vbdf(&g, &edu->dev), -EBUSY);
}

TEST(no_slot_left_is_enospc)
{
	struct model_fn *far;

	setup();
	for (u32 dev = 3; dev < 32; dev++)
		model_add(PCI_BDF(0, dev, 0), 0x1234, 0x5678, 0);
	far = model_add(PCI_BDF(1, 0, 0), 0x1234, 0x5678, 0);
	CHECK_EQ(vpci_choose_vbdf(&g, &far->dev), -ENOSPC);
	CHECK_EQ(g.ndevs, 0);
}

TEST(a_bar_on_an_emulated_address_is_refused)
{
	const u64 clash[] = { GUEST_ECAM_IPA, GUEST_UART_IPA, GUEST_GICD_IPA,
			      GUEST_GICR_IPA + GUEST_GICR_STRIDE, GUEST_RAM_IPA + 15 * MIB };

	for (unsigned int i = 0; i < ARRAY_SIZE(clash); i++) {
		struct model_fn *f;

		setup();
		f = model_add(PCI_BDF(0, 5, 0), 0x1234, 0x5678, 0);
		model_bar(f, 0, clash[i], clash[i], 0x1000, false, false);
		CHECK_EQ(vpci_choose_vbdf(&g, &f->dev), -EBUSY);
	}
	/* just past the guest's RAM is fine */
	{
		struct model_fn *f;

		setup();
		f = model_add(PCI_BDF(0, 5, 0), 0x1234, 0x5678, 0);
		model_bar(f, 0, GUEST_RAM_IPA + 16 * MIB, GUEST_RAM_IPA + 16 * MIB, 0x1000, false,
			  false);
		CHECK_EQ(vpci_choose_vbdf(&g, &f->dev), PCI_BDF(0, 5, 0));
	}
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
