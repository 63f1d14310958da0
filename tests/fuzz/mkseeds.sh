#!/usr/bin/env bash
# Writes the fuzzer's seeds (tests/fuzz/seeds/) from readable byte lists:
# run it after changing the input format (docs/fuzzing.md describes it).
# Each seed: 3 header bytes (SMMU config, more config, quotas), then commands;
# a command is one byte, guest << 7 | index, followed by its argument bytes.
# Indices: 0 DESTROY 1 IOAS_ALLOC 2 IOAS_MAP 3 IOAS_UNMAP 4 HWPT_ALLOC(paging)
# 5 HWPT_ALLOC(nested) 6 ATTACH 7 REPLACE 8 DETACH 9 VIOMMU_ALLOC
# 10 VDEVICE_ALLOC 11 VEVENTQ_ALLOC 12 HWPT_INVALIDATE 13 GET_HW_INFO
# 14 LIST_DEVICES 15 IOVA_RANGES 16 RAW 17 FAIL_NTH 18 FAIL_CMD 19 POLL+DMA.
# After the prologue each guest has devices 1 and 2, IOAS 3, paging HWPT 4
# (device 1 attached) and 64 KiB mapped at IOVA 0; new ids count from 5.
set -eu
dir=$(dirname "$0")/seeds
mkdir -p "$dir"
rm -f "$dir"/*

seed() { # name, then hex bytes (words starting with # and the rest of the line are comments)
	local name=$1 out=""
	shift
	for b in "$@"; do out+="\\x$b"; done
	printf "$out" > "$dir/$name"
}

# the nesting setup of guest G (0 or 1: op byte high bit): a NEST_PARENT
# HWPT (5), a vIOMMU on it (6), device 1's vDEVICE with vSID 8 (7), a nested
# stage-1 HWPT on the vIOMMU (8), device 1 moved onto it
nest() {
	local g=$1
	echo "$(op $g 4) a0 01 03  $(op $g 9) 00 01 05  $(op $g 10) 06 01 08  $(op $g 5) 03 01 06  $(op $g 7) 01 08"
}
op() { printf '%02x' $(( ($1 << 7) | $2 )); }

# one map of each kind of guest-physical address: its RAM, the other
# guest's RAM, Aerie's memory, MMIO
seed own-ram		00 00 00  02 01 03 00 01 50
seed foreign-ram	00 00 00  02 01 03 04 01 50
seed aerie-memory	00 00 00  02 01 03 05 01 50
seed mmio		00 00 00  02 01 03 06 01 50
# a 2 MiB block mapped, unmapped, the HWPT destroyed while attached (EBUSY),
# detached, destroyed
seed destroy		00 00 00  02 01 03 00 80 81  03 03 81 80 80  00 04  08 01  00 04
# both guests nest, interleaved, and each sends a 300-entry invalidation
# (19 batches of 16) of TLBI_NH_ALL with a CFGI_CD every 16th entry
seed two-guests-inval	00 00 00  $(nest 0) $(nest 1) \
	0c 06 c8 2c 00 00 00  02 00 00  00 00 00  05 \
	8c 06 c8 2c 00 00 00  02 00 00  00 00 00  05
# the 4096-entry cap, through a nested HWPT
seed inval-4096		00 00 00  $(nest 0)  0c 08 f0 00 00  02 00 00  00 00 00  00
# past the cap (4097: -EINVAL), and entries of 24 bytes with a non-zero tail
seed inval-odd		00 00 00  $(nest 0)  0c 06 f1 00 00  02 00 00  00 00 00  00 \
	0c 06 05 d4 00  02 00 00  00 00 00  0e
# batch boundaries: 15, 16, 17 entries, the odd one an ATC_INV of an unknown
# vSID (-EIO) at the boundary; one that runs off the end of its RAM (-EFAULT)
seed inval-boundary	00 00 00  $(nest 0)  0c 06 80 00 00  02 00 00  07 02 00  02 \
	0c 06 98 00 00  02 00 00  07 02 00  03  0c 06 b0 00 00  02 00 00  07 02 00  04 \
	0c 06 c8 2c 00 00 d0 05  02 00 00  02 00 00  00
# an SSec CFGI_CD first in a 300-entry invalidation (issue 13, finding 2)
seed inval-ssec		00 00 00  $(nest 0)  0c 06 c8 2c 00 00 00  02 00 00  00 00 03  01
# a 2-entry command queue: every command waits for room
seed small-cmdq		03 00 00  $(nest 0) $(nest 1)  0c 06 a0 00 00  02 00 00  00 00 00  05 \
	8c 06 88 00 00  00 01 00  00 00 00  00  83 03 00 0f
# allocation failures: the 1st..3rd allocation of a HWPT_ALLOC, an IOAS_MAP
# of 2 MiB, a VIOMMU_ALLOC
seed fail-nth		00 00 00  11 00 04 a0 01 03  11 01 04 a0 01 03  11 02 02 01 03 00 80 81 \
	11 00 $(nest 0)
# a refused SMMU command (once the model can): during a REPLACE, during an
# attach, in the 2nd batch of an invalidation
seed fail-cmd		00 00 00  04 00 01 03  12 00 00  07 01 05  12 01 01  06 02 05 \
	$(nest 1)  92 14 00  8c 06 c8 2c 00 00 00  02 00 00  00 00 00  00
# with FAIL_CMD on, these reproduce issue 13's findings: an ATTACH whose
# CFGI_STE is refused reports -EIO with the STE live (finding 1); an
# invalidation on an 8-entry queue whose 7th command is refused leaves the
# queue stopped (finding 2: wait_space() never looks at CMDQ_ERR)
seed fail-attach	00 00 00  12 00 00  06 02 04
seed stuck-cmdq		5b 00 00  04 a0 01 03  09 00 01 05  26 06 01  5c 06 8d 5c 09 06
# one guest faults in its stage 1: the event lands in its vEVENTQ
seed nested-events	00 00 00  $(nest 0)  0b 00 06 00  13 00  13 01  8d 00 01
# an 8-bit-VMID, linear-stream-table SMMU without RIL, 40-bit stage 2
seed small-smmu		70 01 00  04 00 01 03  06 02 05  02 01 03 00 00 30  03 03 20 01
# the dispatcher: a short struct, a long one with a non-zero tail, an
# unknown command, a bare start (no prologue)
seed raw		80 00 00  10 08 01 00  10 e1 00 00  10 08 f0 87 00  01 00
