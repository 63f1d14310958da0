/* SPDX-License-Identifier: MIT */
/* The test guests, carried in the test image. */
	.section .rodata.guests, "a"
	.balign	4096
	.globl	guest_dma_test_start, guest_dma_test_end
guest_dma_test_start:
	.incbin	GUEST_DMA_TEST_BIN
guest_dma_test_end:
