# notifyd: build and install the suite the way a Debian operator expects.
#
#   make                         swift build -c release --static-swift-stdlib
#   sudo make install            into PREFIX (/usr/local), units into PREFIX/lib/systemd/system
#   make install DESTDIR=/tmp/root PREFIX=/usr    staged, e.g. for a package or a container
#
# contrib/install.sh does the installing; its header lists every variable. To install a
# build that already exists (a debug build, as the tests do) name its directory:
#   make install BUILD_DIR=.build/debug STRIP=no DESTDIR=...
# With BUILD_DIR given, make builds nothing.

PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
CONFIGURATION ?= release
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?= --static-swift-stdlib
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
STRIP ?= yes

ifeq ($(origin BUILD_DIR),undefined)
BUILD_DIR := .build/$(CONFIGURATION)
BUILD_FIRST := build
else
BUILD_FIRST :=
endif

.PHONY: all build install
all: build

build:
	$(SWIFT) build -c $(CONFIGURATION) $(SWIFT_BUILD_FLAGS)

install: $(BUILD_FIRST)
	DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' SYSCONFDIR='$(SYSCONFDIR)' BUILD_DIR='$(BUILD_DIR)' \
	UNITDIR='$(UNITDIR)' SYSUSERSDIR='$(SYSUSERSDIR)' TMPFILESDIR='$(TMPFILESDIR)' STRIP='$(STRIP)' \
	    contrib/install.sh
