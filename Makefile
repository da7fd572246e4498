# grundlag: a plain Makefile. `make samples` and `make test` work as the first
# command on a fresh Debian 12 machine (as root): both install what is missing.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := yaml-0.1 freetype2 harfbuzz harfbuzz-subset
DEBS    := libhpdf-dev libqpdf-dev libyaml-dev libfreetype-dev libharfbuzz-dev libcmocka-dev \
           libhyphen-dev hyphen-da wdanish zlib1g-dev pkg-config poppler-utils qpdf clang libclang-rt-14-dev netpbm optipng locales fonts-urw-base35 valgrind groff-base \
           libgs-common

VERSION := 0.1.0
WARN    := -Wall -Wextra -Werror
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) libqpdf 2>/dev/null) -DQPDF_SONAME='"$(QPDF_SONAME)"'
# libqpdf is not linked: `collect` loads it (src/collect.c says why), by the
# name its Debian package installs it under.
QPDF_SONAME = $(or $(shell objdump -p $$(pkg-config --variable=libdir libqpdf 2>/dev/null)/libqpdf.so 2>/dev/null | sed -n 's/.*SONAME *//p'),libqpdf.so)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2
ALL_CFLAGS = -std=c17 $(WARN) $(CFLAGS) -D_POSIX_C_SOURCE=200809L \
             -DGRUNDLAG_VERSION='"$(VERSION)"' -Isrc $(PKG_CFLAGS)
LIBS    = $(PKG_LIBS) -lhpdf -lhyphen -lz -lm -pthread

BUILD   ?= build
LIB_SRC := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRC := $(filter-out src/main.c,$(LIB_SRC))
# The Danish word list for compound-aware hyphenation, compiled into the
# program at build time (tools/mklexicon: a word automaton, no run-time file).
WORDLIST ?= /usr/share/dict/danish
LEXICON_C := build/gen/lexicon_da.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/lexicon_da.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
E2E_SRC  := $(sort $(wildcard tests/e2e/test_*.c))
E2E_BIN  := $(E2E_SRC:tests/e2e/%.c=$(BUILD)/tests/%)
FORM_TOOL := build/tests/form_tool

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LAYOUTS := $(sort $(wildcard layouts/*.yaml))

.PHONY: all deps samples test unit e2e asan memcheck install clean bench check-deps fuzz release render-samples \
        visual visual-update

all: grundlag

# Install the Debian packages that are missing (as root), or say how.
deps:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -q && apt-get install -y -q --no-install-recommends $$missing || exit 1; \
	  else \
	    echo "missing Debian packages; run as root:"; \
	    echo "  apt-get update && apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi; \
	if [ "$$(id -u)" = 0 ] && command -v localedef >/dev/null && ! locale -a 2>/dev/null | grep -qi '^da_DK.utf-\?8$$'; then \
	  echo "generating the da_DK.UTF-8 locale (tests check output under a decimal comma)"; \
	  localedef -i da_DK -f UTF-8 da_DK.UTF-8 2>/dev/null || true; \
	fi

grundlag: $(BUILD)/src/main.o $(BUILD)/libgrundlag.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libgrundlag.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/gen/mklexicon: tools/mklexicon.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 $(WARN) -O2 -o $@ $<

$(LEXICON_C): build/gen/mklexicon $(WORDLIST)
	build/gen/mklexicon $(WORDLIST) lexicon_da > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/lexicon_da.o: $(LEXICON_C) src/lexicon.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libgrundlag.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(BUILD)/libgrundlag.a $(LIBS) -lcmocka

$(BUILD)/tests/%: tests/e2e/%.c tests/e2e/e2e.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< -lcmocka

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d

# Where the installed binary looks for its data is compiled into main.o
# alone. The stamp holds the PREFIX main.o was built for and changes with it,
# so `make && make install PREFIX=/opt/x` rebuilds main.o for /opt/x instead
# of installing a binary that looks in the old prefix.
PREFIX_STAMP := $(BUILD)/prefix.stamp
$(shell mkdir -p $(BUILD) && { echo '$(PREFIX)' | cmp -s - $(PREFIX_STAMP) || echo '$(PREFIX)' > $(PREFIX_STAMP); })
$(BUILD)/src/main.o: ALL_CFLAGS += -DGRUNDLAG_DATADIR='"$(PREFIX)/share/grundlag"'
$(BUILD)/src/main.o: $(PREFIX_STAMP)

samples: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory render-samples

render-samples: grundlag $(FORM_TOOL)
	tools/samples.sh samples
	@# Two fillable worksheets filled in, and the table collect makes of them.
	FORM_TOOL=$(FORM_TOOL) tools/filled-sample.sh samples
	@# The README's picture: a spread of the handbook (pages 8 and 9).
	@set -e; t=$$(mktemp -d); \
	  pdftoppm -r 40 -f 8 -l 9 samples/handbook.pdf $$t/p; \
	  pnmcat -lr -jtop $$t/p-08.ppm $$t/p-09.ppm | pnmtopng -compression 9 > samples/handbook-spread.png; \
	  rm -rf $$t
	@# And the first sheet of dialogue cards, fronts and backs side by side.
	@set -e; t=$$(mktemp -d); \
	  pdftoppm -r 30 -f 1 -l 2 samples/dialogue-cards.pdf $$t/p; \
	  pnmcat -lr -jtop $$t/p-01.ppm $$t/p-02.ppm | pnmtopng -compression 9 > samples/dialogue-sheet.png; \
	  rm -rf $$t

# Every test: unit tests, end-to-end tests against the release build, the
# reference images, then the end-to-end tests again under AddressSanitizer +
# UBSan.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit memcheck e2e visual asan

# Reference images of every page of every sample (tests/visual/README).
visual: grundlag $(BUILD)/tests/visual-compare
	COMPARE=$(BUILD)/tests/visual-compare tests/visual/visual.sh check

visual-update: grundlag $(BUILD)/tests/visual-compare
	COMPARE=$(BUILD)/tests/visual-compare tests/visual/visual.sh update

$(BUILD)/tests/visual-compare: tests/visual/compare.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 $(WARN) -O2 -o $@ $<

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# A test helper that fills in and lists a fillable worksheet's fields, as a
# participant's PDF viewer would (libqpdf); also makes the filled-in sample.
$(FORM_TOOL): tests/tools/form_tool.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 $(WARN) -O2 -D_POSIX_C_SOURCE=200809L -o $@ $< -lqpdf

e2e: grundlag $(E2E_BIN) $(FORM_TOOL)
	@set -e; for t in $(E2E_BIN); do echo "== $$t"; GRUNDLAG=./grundlag $$t; done

ASAN_UNIT := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

# The unit tests and the binary (run by the end-to-end tests) under ASan
# and UBSan.
asan:
	@$(MAKE) --no-print-directory BUILD=build/asan CC=clang CFLAGS="$(ASAN_FLAGS)" build/asan/grundlag-asan $(ASAN_UNIT)
	@set -e; for t in $(ASAN_UNIT); do echo "== $$t (ASan+UBSan)"; \
	  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $$t; done
	@set -e; for t in $(E2E_BIN); do echo "== $$t (ASan+UBSan)"; \
	  GRUNDLAG=build/asan/grundlag-asan ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $$t; done

# Linked with libqpdf, which the release build loads only for `collect`:
# ASan intercepts C++ exceptions only in libraries present at start-up.
build/asan/grundlag-asan: $(BUILD)/src/main.o $(BUILD)/libgrundlag.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) -lqpdf

# Release artifacts: every layout and the personalised sample into dist/,
# with MANIFEST and SHA256SUMS (tools/release.sh).
release: deps
	@$(MAKE) --no-print-directory all
	./tools/release.sh dist

# The benchmark: not part of `make test` (timings are not assertions).
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/bench
	$(BUILD)/bench/bench $(BENCH_RUNS)

$(BUILD)/bench/bench: bench/bench.c $(BUILD)/libgrundlag.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libgrundlag.a $(LIBS)

# Fuzzing (not part of `make test`): each libFuzzer harness in tests/fuzz/
# first runs its saved regressions once, then fuzzes for FUZZ_SECONDS on a
# scratch copy of its seed corpus, with its dictionary of keys and syntax
# (tests/fuzz/fuzz_*.dict), from the repository root. (The regressions are
# big inputs that once hung; mutating them would slow the fuzzing thirtyfold.)
# The library is compiled again with the fuzzer's coverage and ASan + UBSan,
# UB aborting so that it counts as a crash. Fails if any harness finds a
# crash, leak, timeout or OOM; the input is in build/fuzz/artifacts/, the log
# in build/fuzz/<harness>.log.
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
FUZZ_NAMES   := data layout roster markup
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o) $(FUZZ_DIR)/gen/lexicon_da.o
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c17 $(WARN) $(FUZZ_FLAGS) -D_POSIX_C_SOURCE=200809L \
                -DGRUNDLAG_VERSION='"$(VERSION)"' \
                -DGRUNDLAG_DATADIR='"$(PREFIX)/share/grundlag"' -Isrc $(PKG_CFLAGS)
FUZZ_RUN_FLAGS := -max_len=65536 -timeout=10 -rss_limit_mb=2048

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@rm -rf $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	@mkdir -p $(FUZZ_DIR)/artifacts
	@failed=""; for h in $(FUZZ_NAMES); do \
	  bin=$(FUZZ_DIR)/fuzz_$$h; log=$(FUZZ_DIR)/fuzz_$$h.log; art=$(FUZZ_DIR)/artifacts/fuzz_$$h-; \
	  regs=$$(ls -d tests/fuzz/regressions/fuzz_$$h/* 2>/dev/null); \
	  if [ -n "$$regs" ]; then \
	    echo "== fuzz_$$h: $$(echo $$regs | wc -w) regression input(s)"; \
	    if ! $$bin $(FUZZ_RUN_FLAGS) -artifact_prefix=$$art $$regs >$$log.regressions 2>&1; then \
	      tail -n 40 $$log.regressions; failed="$$failed fuzz_$$h"; continue; \
	    fi; \
	  fi; \
	  c=$(FUZZ_DIR)/corpus/fuzz_$$h; mkdir -p $$c; cp tests/fuzz/corpus/fuzz_$$h/* $$c/; \
	  echo "== fuzz_$$h: $(FUZZ_SECONDS)s"; \
	  if $$bin $(FUZZ_RUN_FLAGS) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	       -dict=tests/fuzz/fuzz_$$h.dict -artifact_prefix=$$art $$c >$$log 2>&1; then \
	    grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^#[0-9]+.*DONE' $$log; \
	  else \
	    tail -n 40 $$log; failed="$$failed fuzz_$$h"; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: found problems in:$$failed (inputs in $(FUZZ_DIR)/artifacts/)"; exit 1; fi

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_entry.h $(FUZZ_OBJ)
	clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(LIBS)

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/gen/lexicon_da.o: $(LEXICON_C) src/lexicon.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

-include $(FUZZ_OBJ:.o=.d)

# One full render of each kind of work under valgrind memcheck: no error,
# no definite or indirect leak.
VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1
memcheck: grundlag
	@echo "== valgrind memcheck: handbook, cards, posters, personalised worksheets"
	@t=$$(mktemp -d); trap 'rm -rf $$t' EXIT; \
	  $(VALGRIND) ./grundlag render --out-dir $$t layouts/handbook.yaml layouts/role-card.yaml layouts/poster-overview.yaml layouts/poster-series.yaml && \
	  $(VALGRIND) ./grundlag render --roster samples/roster.csv -o $$t/w.pdf layouts/worksheet.yaml && \
	  echo "memcheck: 2 passed, 0 failed"

install: grundlag
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/grundlag
	install -m 755 grundlag $(DESTDIR)$(PREFIX)/bin/grundlag
	sed 's|/usr/local/share/grundlag|$(PREFIX)/share/grundlag|g' docs/grundlag.1 > $(BUILD)/grundlag.1
	install -m 644 $(BUILD)/grundlag.1 $(DESTDIR)$(PREFIX)/share/man/man1/grundlag.1
	cp -R data fonts layouts $(DESTDIR)$(PREFIX)/share/grundlag/

clean:
	rm -rf build grundlag out dist
