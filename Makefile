# Two commands: `make edition` builds the sample issue, `make test` runs the suite.
# Both install what they need first; `make setup` installs alone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the toolkit runs on: Pango (WeasyPrint), HarfBuzz subsetting
# (without it WeasyPrint subsets CJK fonts 30x slower), FriBiDi (Pillow's text
# layout, which draws the vertical cover), the CJK fonts, poppler
# (pdftotext/pdffonts for checks), a headless Java (epubcheck), pandoc (bench),
# and the real readers the EPUB is tested in: calibre (Kindle AZW3, metadata)
# and Chromium running epub.js and Ace by DAISY.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfribidi0 fontconfig \
	fonts-noto-cjk fonts-hanazono poppler-utils default-jre-headless pandoc \
	calibre chromium
STAMP := $(VENV)/.installed
READERS := tests/readers/node_modules/.installed

.PHONY: setup system edition test lint bench clean

setup: system $(STAMP) $(READERS)

system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if ! $(PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,dask]'
	touch $(STAMP)

# The readers the EPUB is tested in, all driving Debian's Chromium (no browser
# download): epub.js with puppeteer-core, Ace by DAISY (@daisy/ace-cli) and
# Readium's OPDS parser (r2-opds-js, Thorium Reader's). Install scripts are
# skipped: they only fetch browsers or tidy type folders.
$(READERS): tests/readers/package.json tests/readers/package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/readers --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(READERS)

edition: setup
	$(BIN)/publisher build seeds/issue.yaml --out out/

test: setup
	$(BIN)/ruff check publisher tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

# The benchmark also sets the issue with Typst: the optional `bench` extra.
bench: setup
	$(BIN)/python -m pip install -q -e '.[dev,dask,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf out $(VENV) .pytest_cache .mypy_cache .ruff_cache
