# drivers: each block belongs to its driver
# console and interrupt controller
HYP_SRCS += drivers/pl011.c drivers/gicv3.c
