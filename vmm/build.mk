# vmm: boot sequence, allocators, library helpers
HYP_SRCS += vmm/main.c vmm/page_alloc.c vmm/palloc.c vmm/guest.c vmm/guest_run.c vmm/vmmio.c vmm/vuart.c vmm/guest_config.c \
	vmm/lib/string.c vmm/lib/format.c vmm/lib/log.c vmm/lib/bootargs.c vmm/lib/errno.c vmm/lib/stack_protector.c
