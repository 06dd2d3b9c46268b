# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
WORKERS ?= 2
# the suite runs on this many processes (pytest-xdist; whole files stay together); 0 = one
PYTEST_JOBS ?= 2
LOCALES := es_PE qu
export WILLAY_PUBLIC_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint translations check-translations bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# gunicorn and the background-job worker (exports, media clean-up), started and stopped
# together by `willay serve` (server/jobs/worker.py); Ctrl-C stops both
run: $(STAMP)
	$(BIN)/willay setup
	$(BIN)/willay serve --workers $(WORKERS) --bind 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) --dist loadfile --durations=15 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check server tests bench

# Extract every string (Python, Jinja, PWA), merge into each catalog, compile.
translations: $(STAMP)
	$(BIN)/pybabel extract --no-wrap --sort-by-file -F babel.cfg -k _l -k lazy_gettext \
		--project Willay --copyright-holder "Willay team" -o translations/messages.pot .
	for locale in $(LOCALES); do \
		if [ -f translations/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-wrap --ignore-obsolete --no-fuzzy-matching -i translations/messages.pot \
				-d translations -l $$locale; \
		else \
			$(BIN)/pybabel init -i translations/messages.pot -d translations -l $$locale; \
		fi; \
	done
	$(BIN)/pybabel compile --statistics -d translations

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) instance .pytest_cache
