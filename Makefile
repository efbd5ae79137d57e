# The two commands a new user needs: `make serve` and `make test`. Each installs what it needs first.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8000

.PHONY: install serve test validate lint fmt bench loadtest browser clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,st]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/rongtong serve --port $(PORT)

validate: $(STAMP)
	$(BIN)/rongtong validate

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Browser tests drive Debian's chromium; install it when missing (needs root, as on CI).
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

test: $(STAMP) browser
	$(MAKE) lint
	$(BIN)/rongtong fmt --check
	$(BIN)/rongtong validate
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

# Issue 7's load and soak run (about 12 minutes): 50 chat users for 60 s, then a 10-minute soak
# sampling the server's RSS. wrk comes from Debian's packages (needs root, as on CI).
loadtest: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench.load_test --users 50 --duration 60 --soak 600 --json bench/results/loadtest.json

clean:
	rm -rf $(VENV) .cache
