# The two commands of the README. Both set up .venv first (scripts/setup.sh, a no-op once done).
PY := .venv/bin/python

EXTRAS ?= dev notebooks ray static  # extras resolved into requirements.lock: make lock EXTRAS="dev notebooks ray static bench"
TORCH ?= 2.13.0  # the torch release the lock pins (the CPU build where no GPU is found)
# where the lock's torch comes from: pip's local wheels when set, else PyTorch's CPU index (never PyPI's CUDA build)
# the local wheel is the +cpu build: pin it by that label, or uv prefers PyPI's CUDA build of the same release
TORCH_PIN ?= $(strip $(TORCH))$(if $(PIP_FIND_LINKS),+cpu)
TORCH_SOURCE ?= $(if $(PIP_FIND_LINKS),--find-links $(PIP_FIND_LINKS),--extra-index-url https://download.pytorch.org/whl/cpu --index-strategy unsafe-best-match)

.PHONY: setup example test lock
setup:
	@bash scripts/setup.sh

example: setup  ## digest the bundled example cluster, written to out/example/
	$(PY) -m summarizer run examples/kabul-2021 --config extractive --output out/example

test: setup  ## the test suite (what CI runs); the browser tests need Debian's chromium
	@bash scripts/chromium.sh
	$(PY) -m pytest -q

lock:  ## re-resolve requirements.lock from pyproject.toml's ranges (then run make test)
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install -q uv
	@constraint=$$(mktemp) && echo "torch==$(TORCH_PIN)" > $$constraint && \
	$(PY) -m uv pip compile -q pyproject.toml $(EXTRAS:%=--extra %) -c $$constraint -o requirements.lock \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" \
	  $(TORCH_SOURCE) && \
	rm -f $$constraint
	@# "torch==X" without "+cpu": matches the CPU, CUDA and conda builds of the same release
	@sed -i 's/^torch==\([^+]*\)+cpu$$/torch==\1/' requirements.lock
	@! grep -n '^nvidia-' requirements.lock || { echo "lock: CUDA wheels resolved; torch must come from the CPU index" >&2; exit 1; }
