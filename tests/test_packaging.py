"""The package as a user installs it: a wheel in a fresh virtual environment, run from a folder
that is not the clone, finds its shipped configs and digests a cluster.

Offline: the wheel builds with the setuptools already installed (``--no-build-isolation``), the
fresh venv has no pip and no packages of its own, and a ``.pth`` line puts this environment's
site-packages after its own, so the dependencies are found without any download while
``summarizer`` itself can only come from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "summarizer", "configs")
ARTICLES = {
    "a.txt": "Ship freed in Suez\n\nThe Ever Given was freed on 29 March after six days stuck in the canal. "
    "Tugboats and dredgers worked through the night to move the giant container ship.",
    "b.txt": "Canal traffic resumes\n\nTraffic resumed in the Suez Canal once the Ever Given was refloated on Monday. "
    "More than 400 vessels had been waiting at both ends of the waterway.",
}


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """(python of a fresh venv holding only the wheel, its environment, a folder outside the clone)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a copy, so the build's build/ and egg-info stay out of the clone
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", source, "-w", tmp / "dist", cwd=tmp)
    (wheel,) = (tmp / "dist").glob("summarizer-*.whl")
    _run(sys.executable, "-m", "venv", "--without-pip", tmp / "venv", cwd=tmp)
    python = tmp / "venv" / "bin" / "python"
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).strip())
    (purelib / "shared_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel, cwd=tmp)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "SUMMARIZER_CACHE": str(tmp / "cache")}
    env.pop("SUMMARIZER_CONFIG_DIR", None)
    env.pop("PYTHONPATH", None)
    away = tmp / "elsewhere"
    away.mkdir()
    return python, env, away


def test_the_wheel_is_what_runs(installed):
    python, env, away = installed
    location = _run(python, "-c", "import summarizer, summarizer.config as c; print(summarizer.__file__); print(c.CONFIG_DIR)", cwd=away, env=env)
    package, configs = map(Path, location.split())
    assert python.parent.parent in package.parents and ROOT not in package.parents
    assert configs == package.parent / "configs"


def test_installed_package_lists_every_shipped_config(installed):
    python, env, away = installed
    listed = _run(python, "-m", "summarizer", "configs", cwd=away, env=env)
    names = {line.split()[0] for line in listed.splitlines()[1:]}
    assert names == {p.stem for p in (ROOT / "configs").glob("*.yaml")}


def test_installed_package_digests_with_a_shipped_config(installed):
    python, env, away = installed
    articles = away / "suez"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    _run(python, "-m", "summarizer", "run", "suez", "--config", "extractive", "--output", "out", "--quiet", cwd=away, env=env)
    assert {p.name for p in (away / "out").iterdir()} >= {"digest.md", "digest.json", "digest.html"}
