#!/usr/bin/env bash
# Create .venv and install summarizer with its test tools, at the exact versions of
# requirements.lock (refresh it with `make lock`). Safe to run again (a no-op when nothing changed). Installs PyTorch's CPU build unless an NVIDIA GPU is present, because a
# plain `pip install torch` on Linux pulls several GB of CUDA wheels.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TORCH_VERSION=${TORCH_VERSION:-$(sed -n 's/^torch==//p' requirements.lock)}
stamp=.venv/.installed-$(cat pyproject.toml requirements.lock scripts/setup.sh | sha256sum | cut -c1-16)
[ -f "$stamp" ] && exit 0

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }

if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    echo "setup: NVIDIA GPU found, installing torch==$TORCH_VERSION with CUDA" >&2
    pip install "torch==$TORCH_VERSION"
  elif pip install --no-deps --no-index "torch==$TORCH_VERSION" 2>/dev/null; then
    # a local build on pip's find-links (a CPU wheel on these machines); now add its dependencies
    echo "setup: installed a local build of torch==$TORCH_VERSION" >&2
    pip install "torch==$TORCH_VERSION"
  else
    echo "setup: no GPU, installing the CPU build of torch==$TORCH_VERSION" >&2
    pip install "torch==$TORCH_VERSION" --index-url https://download.pytorch.org/whl/cpu
  fi
fi
# the lock as constraints: every package at its locked version (torch==X matches the CPU or CUDA build above)
pip install -c requirements.lock -e ".[dev,notebooks,ray,static]"
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
rm -f .venv/.installed-* && touch "$stamp"
