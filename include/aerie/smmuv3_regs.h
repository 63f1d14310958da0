/* SPDX-License-Identifier: MIT */
/* SMMUv3 registers, structures and commands (Arm IHI 0070). */
#ifndef AERIE_SMMUV3_REGS_H
#define AERIE_SMMUV3_REGS_H

#include <aerie/bits.h>

/* ---- registers (page 0 unless noted) -------------------------------------- */
#define SMMU_IDR0		0x00
#define   IDR0_S2P		BIT(0)
#define   IDR0_S1P		BIT(1)
#define   IDR0_TTF		GENMASK(3, 2)
#define   IDR0_COHACC		BIT(4)
#define   IDR0_BTM		BIT(5)
#define   IDR0_HTTU		GENMASK(7, 6)
#define   IDR0_HYP		BIT(9)
#define   IDR0_ATS		BIT(10)
#define   IDR0_ASID16		BIT(12)
#define   IDR0_MSI		BIT(13)
#define   IDR0_PRI		BIT(16)
#define   IDR0_VMID16		BIT(18)
#define   IDR0_CD2L		BIT(19)
#define   IDR0_TTENDIAN		GENMASK(22, 21)
#define   IDR0_STALL_MODEL	GENMASK(25, 24)
#define   IDR0_TERM_MODEL	BIT(26)
#define   IDR0_ST_LEVEL		GENMASK(28, 27)
#define   IDR0_ST_LEVEL_2LVL	1
#define SMMU_IDR1		0x04
#define   IDR1_SIDSIZE		GENMASK(5, 0)
#define   IDR1_SSIDSIZE		GENMASK(10, 6)
#define   IDR1_PRIQS		GENMASK(15, 11)
#define   IDR1_EVTQS		GENMASK(20, 16)
#define   IDR1_CMDQS		GENMASK(25, 21)
#define   IDR1_REL		BIT(28)
#define   IDR1_QUEUES_PRESET	BIT(29)
#define   IDR1_TABLES_PRESET	BIT(30)
#define SMMU_IDR2		0x08
#define SMMU_IDR3		0x0c
#define   IDR3_BBML		GENMASK(12, 11)
#define   IDR3_RIL		BIT(10)
#define   IDR3_FWB		BIT(8)
#define SMMU_IDR4		0x10
#define SMMU_IDR5		0x14
#define   IDR5_OAS		GENMASK(2, 0)
#define   IDR5_GRAN4K		BIT(4)
#define   IDR5_GRAN16K		BIT(5)
#define   IDR5_GRAN64K		BIT(6)
#define   IDR5_VAX		GENMASK(11, 10)
#define SMMU_IIDR		0x18
#define SMMU_AIDR		0x1c
#define SMMU_CR0		0x20
#define   CR0_SMMUEN		BIT(0)
#define   CR0_EVTQEN		BIT(2)
#define   CR0_CMDQEN		BIT(3)
#define SMMU_CR0ACK		0x24
#define SMMU_CR1		0x28
#define   CR1_QUEUE_IC		GENMASK(1, 0)
#define   CR1_QUEUE_OC		GENMASK(3, 2)
#define   CR1_QUEUE_SH		GENMASK(5, 4)
#define   CR1_TABLE_IC		GENMASK(7, 6)
#define   CR1_TABLE_OC		GENMASK(9, 8)
#define   CR1_TABLE_SH		GENMASK(11, 10)
#define   CR1_CACHE_WB		1
#define   CR1_SH_INNER		3
#define SMMU_CR2		0x2c
#define   CR2_E2H		BIT(0)
#define   CR2_RECINVSID		BIT(1)
#define   CR2_PTM		BIT(2)
#define SMMU_STATUSR		0x40
#define SMMU_GBPA		0x44
#define   GBPA_ABORT		BIT(20)
#define   GBPA_UPDATE		BIT(31)
#define SMMU_IRQ_CTRL		0x50
#define   IRQ_CTRL_GERROR_IRQEN	BIT(0)
#define   IRQ_CTRL_PRIQ_IRQEN	BIT(1)
#define   IRQ_CTRL_EVTQ_IRQEN	BIT(2)
#define SMMU_IRQ_CTRLACK	0x54
#define SMMU_GERROR		0x60
#define SMMU_GERRORN		0x64
#define SMMU_GERROR_IRQ_CFG0	0x68
#define   GERROR_CMDQ_ERR	BIT(0)
#define   GERROR_EVTQ_ABT_ERR	BIT(2)
#define   GERROR_PRIQ_ABT_ERR	BIT(3)
#define   GERROR_MSI_CMDQ_ABT	BIT(4)
#define   GERROR_MSI_EVTQ_ABT	BIT(5)
#define   GERROR_MSI_PRIQ_ABT	BIT(6)
#define   GERROR_MSI_GERROR_ABT	BIT(7)
#define   GERROR_SFM_ERR	BIT(8)
#define   GERROR_ERR_MASK	GENMASK(8, 0)
#define SMMU_STRTAB_BASE	0x80
#define   STRTAB_BASE_RA	BIT(62)
#define   STRTAB_BASE_ADDR	GENMASK(51, 6)
#define SMMU_STRTAB_BASE_CFG	0x88
#define   STRTAB_CFG_LOG2SIZE	GENMASK(5, 0)
#define   STRTAB_CFG_SPLIT	GENMASK(10, 6)
#define   STRTAB_CFG_FMT	GENMASK(17, 16)
#define   STRTAB_CFG_FMT_LINEAR	0
#define   STRTAB_CFG_FMT_2LVL	1
#define SMMU_CMDQ_BASE		0x90
#define SMMU_CMDQ_PROD		0x98
#define SMMU_CMDQ_CONS		0x9c
#define   CMDQ_CONS_ERR		GENMASK(30, 24)
#define   CMDQ_ERR_NONE		0
#define   CMDQ_ERR_ILL		1
#define   CMDQ_ERR_ABT		2
#define   CMDQ_ERR_ATC_INV_SYNC	3
#define SMMU_EVTQ_BASE		0xa0
#define SMMU_EVTQ_IRQ_CFG0	0xb0	/* MSI address; 0: the wired interrupt */
#define SMMU_EVTQ_PROD		0x100a8	/* page 1 */
#define SMMU_EVTQ_CONS		0x100ac	/* page 1 */
#define   Q_BASE_ALLOC_HINT	BIT(62)	/* RA for the command queue, WA for the event queue */
#define   Q_BASE_ADDR		GENMASK(51, 5)
#define   Q_BASE_LOG2SIZE	GENMASK(4, 0)
#define   Q_OVERFLOW_FLAG	BIT(31)

/* ---- stream table ------------------------------------------------------------ */
#define STE_QWORDS		8
#define STE_SIZE		64
#define STRTAB_SPLIT		8	/* 256 STEs per level-2 table */
#define STRTAB_L1_SPAN		GENMASK(4, 0)
#define STRTAB_L1_L2PTR		GENMASK(51, 6)

#define STE0_V			BIT(0)
#define STE0_CFG		GENMASK(3, 1)
#define   STE_CFG_ABORT		0
#define   STE_CFG_BYPASS	4
#define   STE_CFG_S1		5
#define   STE_CFG_S2		6
#define   STE_CFG_NESTED	7
#define STE0_S1FMT		GENMASK(5, 4)
#define STE0_S1CTXPTR		GENMASK(51, 6)
#define STE0_S1CDMAX		GENMASK(63, 59)
#define STE1_S1DSS		GENMASK(1, 0)
#define STE1_S1CIR		GENMASK(3, 2)
#define STE1_S1COR		GENMASK(5, 4)
#define STE1_S1CSH		GENMASK(7, 6)
#define STE1_MEV		BIT(19)
#define STE1_S2FWB		BIT(25)
#define STE1_S1STALLD		BIT(27)
#define STE1_EATS		GENMASK(29, 28)
#define   STE_EATS_TRANS	1
#define STE1_STRW		GENMASK(31, 30)
#define   STE_STRW_NSEL1	0
#define STE1_SHCFG		GENMASK(45, 44)
#define STE2_S2VMID		GENMASK(15, 0)
#define STE2_S2T0SZ		GENMASK(37, 32)
#define STE2_S2SL0		GENMASK(39, 38)
#define STE2_S2IR0		GENMASK(41, 40)
#define STE2_S2OR0		GENMASK(43, 42)
#define STE2_S2SH0		GENMASK(45, 44)
#define STE2_S2TG		GENMASK(47, 46)
#define STE2_S2PS		GENMASK(50, 48)
#define STE2_S2AA64		BIT(51)
#define STE2_S2ENDI		BIT(52)
#define STE2_S2AFFD		BIT(53)
#define STE2_S2PTW		BIT(54)
#define STE2_S2S		BIT(57)
#define STE2_S2R		BIT(58)
#define STE3_S2TTB		GENMASK(51, 4)

/* ---- commands (16 bytes) ------------------------------------------------------- */
#define CMD_OPCODE		GENMASK(7, 0)
#define CMD_PREFETCH_CONFIG	0x01
#define CMD_PREFETCH_ADDR	0x02
#define CMD_CFGI_STE		0x03
#define CMD_CFGI_STE_RANGE	0x04
#define CMD_CFGI_ALL		CMD_CFGI_STE_RANGE	/* with Range = 31 */
#define CMD_CFGI_CD		0x05
#define CMD_CFGI_CD_ALL		0x06
#define CMD_TLBI_NH_ALL		0x10
#define CMD_TLBI_NH_ASID	0x11
#define CMD_TLBI_NH_VA		0x12
#define CMD_TLBI_NH_VAA		0x13
#define CMD_TLBI_EL2_ALL	0x20
#define CMD_TLBI_S12_VMALL	0x28
#define CMD_TLBI_S2_IPA		0x2a
#define CMD_TLBI_NSNH_ALL	0x30
#define CMD_ATC_INV		0x40
#define CMD_PRI_RESP		0x41
#define CMD_RESUME		0x44
#define CMD_SYNC		0x46

#define CMD0_SSEC		BIT(10)
#define CMD0_SSID		GENMASK(31, 12)
#define CMD0_SID		GENMASK(63, 32)
#define CMD1_LEAF		BIT(0)
#define CMD1_CFGI_RANGE		GENMASK(4, 0)
#define CMD0_TLBI_NUM		GENMASK(16, 12)
#define CMD0_TLBI_SCALE		GENMASK(24, 20)
#define CMD0_VMID		GENMASK(47, 32)
#define CMD0_ASID		GENMASK(63, 48)
#define CMD1_TLBI_TTL		GENMASK(9, 8)
#define CMD1_TLBI_TG		GENMASK(11, 10)
#define CMD1_TLBI_ADDR		GENMASK(63, 12)
#define CMD1_S2_IPA		GENMASK(51, 12)
#define   TLBI_TG_4K		1
#define TLBI_RANGE_NUM_MAX	31
#define CMD0_SYNC_CS		GENMASK(13, 12)
#define   SYNC_CS_NONE		0

/* ---- events (32 bytes) --------------------------------------------------------- */
#define EVT0_ID			GENMASK(7, 0)
#define EVT0_SSV		BIT(11)
#define EVT0_SSID		GENMASK(31, 12)
#define EVT0_SID		GENMASK(63, 32)
#define EVT1_RNW		BIT(35)
#define EVT1_S2			BIT(39)
#define EVT1_CLASS		GENMASK(41, 40)
#define EVT3_IPA		GENMASK(51, 12)
#define EVT_F_UUT		0x01
#define EVT_C_BAD_STREAMID	0x02
#define EVT_F_STE_FETCH		0x03
#define EVT_C_BAD_STE		0x04
#define EVT_F_BAD_ATS_TREQ	0x05
#define EVT_F_STREAM_DISABLED	0x06
#define EVT_F_TRANSL_FORBIDDEN	0x07
#define EVT_C_BAD_SUBSTREAMID	0x08
#define EVT_F_CD_FETCH		0x09
#define EVT_C_BAD_CD		0x0a
#define EVT_F_WALK_EABT		0x0b
#define EVT_F_TRANSLATION	0x10
#define EVT_F_ADDR_SIZE		0x11
#define EVT_F_ACCESS		0x12
#define EVT_F_PERMISSION	0x13
#define EVT_F_TLB_CONFLICT	0x20
#define EVT_F_CFG_CONFLICT	0x21

#endif
