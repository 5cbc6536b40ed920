# Safelight's two commands (README.md): `make demo` to try it, `make test` to run every test.
# Both work on a fresh Debian machine: they create .venv, install what is missing (Python packages
# from PyPI, Debian's libsodium23 and, for the tests, chromium) and then run.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test lint bench system-packages system-packages-test clean

demo: system-packages $(VENV)/.installed-demo
	$(BIN)/safelight demo

test: system-packages-test $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto --dist loadfile \
		--cov=safelight.crypto --cov-branch --cov-report=term-missing:skip-covered \
		--cov-fail-under=100

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: system-packages $(VENV)/.installed-test
	$(BIN)/python -m bench.crypto
	$(BIN)/python -m bench.intake
	$(BIN)/python -m bench.cases
	$(BIN)/python -m bench.escrow
	$(BIN)/python -m bench.evidence
	$(BIN)/python -m bench.security
	$(BIN)/python -m bench.i18n
	$(BIN)/python -m bench.techcheck

# Checked on every run (cheap when present): a machine can lose a package the stamp remembers.
system-packages:
	scripts/install-system-packages runtime
system-packages-test:
	scripts/install-system-packages runtime browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@ $(VENV)/.installed-demo

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis .coverage
