# boot: Image header + entry, DTB discovery
HYP_SRCS += boot/head.S boot/board.c
