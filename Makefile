# Two commands on a fresh machine: `make run` and `make test`.
# Both are idempotent: the virtual environment is rebuilt only when pyproject.toml changes,
# and the default model is fetched only when it is missing.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MODEL  := models/SmolLM2-135M-Instruct.Q4_1.gguf

.PHONY: setup run test lint bench screenshots clean

setup: $(STAMP) $(MODEL)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	@# QtPdf came as PySide6-Pdf with Qt 6.12; with 6.11 it is in PySide6-Addons.
	$(PY) -m pip uninstall --quiet --yes PySide6-Pdf 2>/dev/null || true
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Order-only on the stamp: a reinstall does not refetch 98 MB; the fetcher checks sha256 itself.
$(MODEL): models/catalogue.toml | $(STAMP)
	$(PY) -m carebook.assistant.model_fetch --default

run: setup
	$(VENV)/bin/carebook

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check desktop tests bench

bench: setup
	$(PY) bench/vault.py
	$(PY) bench/labs.py
	$(PY) bench/assistant.py
	$(PY) bench/printouts.py

# Needs Debian's xvfb (and the xcb libraries a desktop already has); see README.
screenshots: setup
	xvfb-run -a -s "-screen 0 1440x900x24" $(PY) -m carebook.ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) models/.download
