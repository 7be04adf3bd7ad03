# Two commands: `make edition` builds the sample issue, `make test` runs the suite.
# Both install what they need first: `make edition` only what a build runs,
# `make test` the test and reader tools too (`make setup` installs those alone).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What `publisher build` runs on: Pango (WeasyPrint), HarfBuzz subsetting
# (without it WeasyPrint subsets CJK fonts 30x slower), FriBiDi (Pillow's text
# layout, which draws the vertical cover), fontconfig and the CJK fonts. A build
# runs neither Java nor poppler: only `check` (epubcheck, pdftotext) and
# `package` (pdftoppm) do.
EDITION_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfribidi0 fontconfig \
	fonts-noto-cjk fonts-hanazono
# What `check`, `package`, the tests and the benchmark add: poppler, a headless
# Java (epubcheck), pandoc (bench), and the real readers the EPUB is tested in:
# calibre (Kindle AZW3, metadata) and Chromium running epub.js and Ace by DAISY.
TEST_PACKAGES := poppler-utils default-jre-headless pandoc calibre chromium
EDITION_STAMP := $(VENV)/.installed-edition
STAMP := $(VENV)/.installed
READERS := tests/readers/node_modules/.installed
# The suite without the real readers (calibre, Chromium: epub.js, Ace, the
# OPDS parser), without the 30-issue archive and without the README's commands
# run in a copy of the repository: the edit-run loop.
FAST := not readers and not archive and not readme

.PHONY: setup system system-edition edition test test-fast bench sample-archive readme-images clean

setup: system $(STAMP) $(READERS)

# $(1): Debian packages; $(2): commands that must be on PATH, with the package giving each (cmd:package).
define install_system
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if ! $(PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	for c in $(2); do command -v $${c%%:*} >/dev/null 2>&1 || missing="$$missing $${c#*:}"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

system-edition:
	$(call install_system,$(EDITION_PACKAGES),)

system:
	$(call install_system,$(EDITION_PACKAGES) $(TEST_PACKAGES),npm:npm)

$(EDITION_STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $(EDITION_STAMP)

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,dask]'
	touch $(STAMP) $(EDITION_STAMP)

# The readers the EPUB is tested in, all driving Debian's Chromium (no browser
# download): epub.js with puppeteer-core, Ace by DAISY (@daisy/ace-cli) and
# Readium's OPDS parser (r2-opds-js, Thorium Reader's). Install scripts are
# skipped: they only fetch browsers or tidy type folders.
$(READERS): tests/readers/package.json tests/readers/package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/readers --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(READERS)

edition: system-edition $(EDITION_STAMP)
	$(BIN)/publisher build seeds/issue.yaml --out out/

test: setup
	$(BIN)/ruff check publisher tests bench setup.py
	$(BIN)/mypy
	$(BIN)/pytest -q

test-fast: system $(STAMP)
	$(BIN)/pytest -q -m "$(FAST)"

# A sample archive to try batch, check, package and catalog on (the README's archivist's path):
# six monthly issues of 2022, two pages each, the sample page's sentences recombined by
# bench/synthetic.py, in archive/<date>/. The same bytes every time; nothing to install.
sample-archive:
	$(PYTHON) -m bench.synthetic archive/ --issues 6 --pages 2 --date 2022-01-05

# The README's picture of the sample's front page, as `publisher preview` draws it (the EPUB's on a
# phone, docs/epub-phone.png, is docs/epub-reading.md's).
readme-images: setup
	$(BIN)/publisher preview seeds/issue.yaml --out out/preview/ --dpi 40
	cp out/preview/江海晚报-2022-11-28-01.png docs/front-page.png

# The benchmark also sets the issue with Typst: the optional `bench` extra.
bench: setup
	$(BIN)/python -m pip install -q -e '.[dev,dask,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf out build dist archive built bags $(VENV) .pytest_cache .mypy_cache .ruff_cache
