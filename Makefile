# tend — build, test and demo. `make help` lists the targets.
SHELL := /bin/bash
# sudo resets PATH; the Go that scripts/deps.sh installs lives here.
export PATH := /usr/local/go/bin:$(PATH)
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN := bin/tend
# Pinned tools (installed through the Go module proxy on first use).
STATICCHECK_VERSION := v0.8.2
NFPM_VERSION := v2.45.2
# The appliance image (make image, make image-test): the target architecture
# and the Debian packages that build and boot it.
ARCH ?= amd64
IMAGE_DEB_PACKAGES := mmdebstrap e2fsprogs dosfstools mtools fdisk zstd util-linux arch-test \
	qemu-system-x86 ovmf openssl curl
# A Debian version starts with a digit: an untagged commit becomes 0.0.0~gHASH.
DEB_VERSION := $(shell git describe --tags 2>/dev/null || echo 0.0.0~g$$(git rev-parse --short HEAD 2>/dev/null || echo dev))
# Debian packages the demo and the tests use: namespaces, real SNMP agents,
# and the reference tools tend is measured against.
DEB_PACKAGES := iproute2 iputils-ping snmpsim snmpd snmp arp-scan tcpdump bc gcc curl \
	nmap dsniff tcpreplay python3-scapy avahi-daemon chromium postgresql
CORPUS ?= $(abspath ../shared/corpus)
export TEND_CORPUS ?= $(CORPUS)/snmp
TEST_TIMEOUT ?= 18m

.DEFAULT_GOAL := help
.PHONY: help deps build build-all test test-go unit lint bench bench-hub bench-scan bench-discovery bench-capture bench-snmp accuracy demo catalog clean deb image image-deps image-test

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## install the Debian packages the demo and tests need (as root; skips what is there)
	@scripts/deps.sh $(DEB_PACKAGES)

build: ## build the static binary bin/tend for this machine
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/tend

build-all: ## build static binaries for linux/amd64 and linux/arm64 into dist/
	for arch in amd64 arm64; do \
		CGO_ENABLED=0 GOOS=linux GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/tend-linux-$$arch ./cmd/tend || exit 1; \
	done

test: test-go image image-test ## the whole suite: test-go, then build the appliance image and boot it (root)

test-go: deps build ## vet, gofmt, unit and lab integration tests with -race (root for the lab tests)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	TEND_BIN=$(abspath $(BIN)) $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

unit: ## only the tests that need neither root nor Debian packages
	$(GO) test -short -count=1 ./...

lint: ## go vet, gofmt and staticcheck
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { gofmt -l .; exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

bench: ## Go benchmarks (medians come from -count; compare runs with benchstat)
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./...

bench-hub: ## hub ingest through the whole HTTP handler, one core (summaries per CPU-second; embedded store)
	$(GO) test -run '^$$' -bench HubIngest -benchmem -cpu 1 -count 5 ./hub

bench-capture: build ## decode + detectors (tend replay) vs tcpdump -r on a generated 400k-packet capture, one core, medians
	@scripts/bench-capture.sh $(abspath $(BIN)) 400000 5

bench-scan: deps build ## lab up/down times and tend scan vs arp-scan (defaults) on the same lab, 5 rounds each (LAN=small|office)
	@scripts/bench-scan.sh $(abspath $(BIN)) $(or $(LAN),small) 5

accuracy: deps build ## identify every setA recording served by snmpsimd in a lab; grade against the manifest; table in snmp/testdata/accuracy-setA.md
	@scripts/accuracy.sh $(abspath $(BIN)) snmp/testdata/accuracy-setA.md

bench-discovery: deps build ## 250 hosts on a /24: tend scan vs arp-scan (defaults), 5 rounds each, hosts found, wall times, peak request rate
	@scripts/bench-discovery.sh $(abspath $(BIN)) 5

bench-snmp: deps build ## full walk tend vs snmpbulkwalk -Cr50 side by side, and time to identify every setA device in the lab (medians)
	@scripts/bench-snmp.sh $(abspath $(BIN)) 5

demo: deps build ## a virtual client LAN plus tend serve on it; prints the UI address; Ctrl-C tears it all down
	@scripts/demo.sh $(abspath $(BIN))

catalog: ## regenerate the embedded catalogs from ../shared/corpus and the IANA enterprise numbers from libwireshark-data (byte for byte)
	@scripts/deps.sh libwireshark-data
	$(GO) generate ./lifecycle/...
	$(GO) generate ./snmp/...

image-deps: ## install the Debian packages make image and make image-test need (as root)
	@scripts/deps.sh $(IMAGE_DEB_PACKAGES) $(if $(filter-out amd64,$(ARCH)),qemu-user-static binfmt-support)

deb: ## the tend .deb for ARCH (default amd64) in dist/, made with the pinned nfpm
	CGO_ENABLED=0 GOOS=linux GOARCH=$(ARCH) $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/tend-linux-$(ARCH) ./cmd/tend
	@$(GO) version -m .cache/bin/nfpm 2>/dev/null | grep -q 'mod.*nfpm/v2.*$(NFPM_VERSION)' || GOBIN=$(abspath .cache/bin) $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)
	ARCH=$(ARCH) DEB_VERSION=$(DEB_VERSION) BIN=dist/tend-linux-$(ARCH) \
		SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct) .cache/bin/nfpm package --config image/nfpm.yaml --packager deb --target dist/tend_$(ARCH).deb

image: image-deps deb ## the appliance disk image dist/tend-ARCH.img(.zst) (as root; ARCH=arm64 builds under emulation, slower)
	image/build.sh $(ARCH) dist/tend_$(ARCH).deb dist

image-test: image-deps ## boot dist/tend-amd64.img in qemu (TCG, UEFI) and check the UI answers over HTTPS and tend runs least-privileged
	image/test.sh dist/tend-amd64.img

clean: ## remove build output
	rm -rf bin dist
