/* SPDX-License-Identifier: MIT */
/* A small driver for QEMU's edu DMA engine (used by the DMA tests). */
#include <aerie/edu.h>
#include <aerie/errno.h>
#include <aerie/mmio.h>

#define EDU_POLL_LIMIT 2000000000ULL

bool edu_present(paddr_t bar0)
{
	u32 id = mmio_read32(bar0 + EDU_REG_ID);

	mmio_write32(bar0 + EDU_REG_LIVENESS, 0x12345678);
	return (id & 0xff) == EDU_ID_MAGIC &&
	       mmio_read32(bar0 + EDU_REG_LIVENESS) == ~0x12345678U;
}

int edu_dma(paddr_t bar0, u64 iova, u32 off, u32 len, bool to_ram)
{
	/* the device aborts QEMU on an out-of-range buffer access: never ask */
	if (!len || off > EDU_BUF_SIZE || len > EDU_BUF_SIZE - off || iova > EDU_DMA_MASK ||
	    len - 1 > EDU_DMA_MASK - iova)
		return -EINVAL;
	if (to_ram) {
		mmio_write64(bar0 + EDU_REG_DMA_SRC, EDU_BUF_OFFSET + off);
		mmio_write64(bar0 + EDU_REG_DMA_DST, iova);
	} else {
		mmio_write64(bar0 + EDU_REG_DMA_SRC, iova);
		mmio_write64(bar0 + EDU_REG_DMA_DST, EDU_BUF_OFFSET + off);
	}
	mmio_write64(bar0 + EDU_REG_DMA_COUNT, len);
	mb();
	mmio_write64(bar0 + EDU_REG_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	for (u64 i = 0; i < EDU_POLL_LIMIT; i++) {
		if (!(mmio_read64(bar0 + EDU_REG_DMA_CMD) & EDU_DMA_RUN))
			return 0;
		cpu_relax();
	}
	return -ETIMEDOUT;
}
