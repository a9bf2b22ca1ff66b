# Included after natmod.mk by the core's and every op module's build: objects are rebuilt
# when OPMOD_API_CFLAGS (groups.mk) changes, so the core and the op modules always agree
# on the helper table (a kernel_conv_requant*.c appearing changes it).
.PHONY: opmod-api-flags-check
$(BUILD)/api_flags: opmod-api-flags-check
	@mkdir -p $(dir $@)
	@echo '$(OPMOD_API_CFLAGS)' | cmp -s - $@ || echo '$(OPMOD_API_CFLAGS)' > $@
$(SRC_O): $(BUILD)/api_flags
