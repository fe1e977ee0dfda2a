# Entry points. On a fresh Debian 12 machine run them through tools/with-deps,
# which installs what is missing first:  sh tools/with-deps make test
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PKTMASK := $(BUILD)/cli/pktmask

.PHONY: all build test demo bench clean

all: build

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	sh tools/demo.sh $(PKTMASK)

bench: build
	PKTMASK=$(PKTMASK) bash bench/run.sh

clean:
	rm -rf $(BUILD)
