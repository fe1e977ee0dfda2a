# Entry points. On a fresh Debian 12 machine run them through tools/with-deps,
# which installs what is missing first:  sh tools/with-deps make test
#
# `make test` (what CI runs) builds in a directory of its own with warnings as
# errors; `make build`, `make demo` and `make bench` do not insist on that, so
# a newer compiler's new warning cannot stop a user's build, and they leave
# the unit tests out (a quarter of the compile, none of it needed to run or
# install pktmask). Two directories, so that switching between the two never
# rebuilds the tree.
BUILD ?= build
TEST_BUILD ?= build-test
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# One test more than cores: the package and scale-out tests mostly wait on
# the network and on ssh, so a CPU-bound test runs beside them.
TEST_JOBS ?= $(shell echo $$(($(JOBS) + 1)))
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
BUILD_CMAKE_FLAGS ?= $(CMAKE_FLAGS) -DPKTMASK_TESTS=OFF
TEST_CMAKE_FLAGS ?= $(CMAKE_FLAGS) -DPKTMASK_WERROR=ON
PKTMASK := $(BUILD)/cli/pktmask
# `make install PREFIX=/opt/pktmask DESTDIR=/tmp/stage`
PREFIX ?= /usr/local

# $(call configure_and_build,DIR,FLAGS)
define configure_and_build
	cmake -S . -B $(1) $(2)
	cmake --build $(1) -j $(JOBS)
endef

.PHONY: all build test demo bench install package clean

all: build

build:
	$(call configure_and_build,$(BUILD),$(BUILD_CMAKE_FLAGS))

test:
	$(call configure_and_build,$(TEST_BUILD),$(TEST_CMAKE_FLAGS))
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

# The binary (stripped: the build keeps its debug information), man pages,
# bash and zsh completion, docs in share/doc/pktmask.
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix $(PREFIX) --strip

# $(BUILD)/pktmask_<version>_<arch>.deb (installs under /usr).
package: build
	cmake --build $(BUILD) --target package

demo: build
	sh tools/demo.sh $(PKTMASK)

bench: build
	PKTMASK=$(PKTMASK) bash bench/run.sh

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
