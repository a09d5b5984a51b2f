# The two commands of the README. Both set up .venv first (scripts/setup.sh, a no-op once done).
PY := .venv/bin/python

.PHONY: setup example test
setup:
	@bash scripts/setup.sh

example: setup  ## digest the bundled example cluster, written to out/example/
	$(PY) -m summarizer run examples/kabul-2021 --config extractive --output out/example

test: setup  ## the test suite (what CI runs)
	$(PY) -m pytest -q
