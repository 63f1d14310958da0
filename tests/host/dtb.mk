# Real device trees dumped from QEMU for the board-discovery host tests,
# and edited copies with one node removed (fdtput from device-tree-compiler).
DTB_DIR := $(BUILD)/dtb
QEMU_VIRT := virt,virtualization=on,gic-version=3,iommu=smmuv3
DTBS := $(addprefix $(DTB_DIR)/,virt-4cpu.dtb virt-1cpu-args.dtb virt-nosmmu.dtb \
	virt-nopcie.dtb virt-nogic.dtb virt-nostdout.dtb)

$(DTB_DIR)/virt-4cpu.dtb:
	@mkdir -p $(DTB_DIR)
	$(QEMU) -M $(QEMU_VIRT),dumpdtb=$@ -cpu max -smp 4 -m 1G -nographic -net none >/dev/null
$(DTB_DIR)/virt-1cpu-args.dtb:
	@mkdir -p $(DTB_DIR)
	$(QEMU) -M $(QEMU_VIRT),dumpdtb=$@ -cpu max -smp 1 -m 512M -nographic -net none \
		-kernel /dev/null -append "aerie.test=x console=foo" >/dev/null
$(DTB_DIR)/virt-nosmmu.dtb: $(DTB_DIR)/virt-4cpu.dtb
	cp $< $@ && fdtput -r $@ $$(fdtget -l $< / | sed -n 's/^\(smmuv3@.*\)/\/\1/p')
$(DTB_DIR)/virt-nopcie.dtb: $(DTB_DIR)/virt-4cpu.dtb
	cp $< $@ && fdtput -r $@ $$(fdtget -l $< / | sed -n 's/^\(pcie@.*\)/\/\1/p')
$(DTB_DIR)/virt-nogic.dtb: $(DTB_DIR)/virt-4cpu.dtb
	cp $< $@ && fdtput -r $@ $$(fdtget -l $< / | sed -n 's/^\(intc@.*\)/\/\1/p')
$(DTB_DIR)/virt-nostdout.dtb: $(DTB_DIR)/virt-4cpu.dtb
	cp $< $@ && fdtput -d $@ /chosen stdout-path

TEST_EXTRA_DEPS += $(DTBS)

# hand-written fixtures (tests/host/dts/*.dts over board-base.dtsi), each a
# board feature QEMU's virt does not have: compiled with dtc
FIXTURE_DTS := $(wildcard tests/host/dts/*.dts)
FIXTURE_DTBS := $(patsubst tests/host/dts/%.dts,$(DTB_DIR)/%.dtb,$(FIXTURE_DTS))
$(FIXTURE_DTBS): $(DTB_DIR)/%.dtb: tests/host/dts/%.dts $(wildcard tests/host/dts/*.dtsi)
	@mkdir -p $(DTB_DIR)
	dtc -q -I dts -O dtb -i tests/host/dts -o $@ $<
TEST_EXTRA_DEPS += $(FIXTURE_DTBS)
