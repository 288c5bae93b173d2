# Everything needed on a fresh machine: `make run` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench eval calibrate check clean browser studio

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/faqbot start

# The staff studio in the browser (docs/studio.md): edit answers, questions, checks and bot texts.
studio: $(STAMP)
	$(BIN)/faqbot studio

check: $(STAMP)
	$(BIN)/faqbot check --strict

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: browser lint typecheck pytest

eval: $(STAMP)
	$(BIN)/faqbot eval tests/data/eval.yaml

bench: $(STAMP)
	$(BIN)/python bench/matching.py --write docs/performance.md
	$(BIN)/python bench/dialogues.py --write docs/performance.md
	$(BIN)/python bench/load.py --write docs/performance.md

# Refit the decision model (answer / clarify / none) after a content round; writes bot/nlu/decision_weights.py.
calibrate: $(STAMP)
	$(BIN)/python bench/calibrate.py --write

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# Debian's Chromium for the browser tests (tests/browser; Playwright's own download is not used). Needs root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "make browser: /usr/bin/chromium is missing; run 'make browser' as root to install it with apt-get (the browser tests are skipped without it)" >&2; \
		else \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; \
		fi; \
	fi
