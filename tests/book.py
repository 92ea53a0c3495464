"""Helpers for tests that build or execute the book: copy it, plant a defect, run a check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtual environment the tests run in


def copy_book(dest: Path) -> Path:
    """Copy the repository's sources (not the environment, build or git data) to `dest`."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "_build", "__pycache__", ".ipynb_checkpoints", "*.egg-info"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def make(target: str, book: Path, **variables: str) -> subprocess.CompletedProcess:
    """Run `make TARGET` in `book` with this environment, as `make test` and `make book` do."""
    settings = [f"{name}={value}" for name, value in variables.items()]
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(book), target, f"BIN={BIN}", *settings],
        capture_output=True, text=True, timeout=1200,
    )


def run_nbval(book: Path, *notebooks: str) -> subprocess.CompletedProcess:
    """Run pytest (with the options in pyproject.toml, so nbval strict) on notebooks in `book`."""
    return subprocess.run(
        [str(BIN / "python"), "-m", "pytest", "-p", "no:xdist", *notebooks],
        cwd=book, capture_output=True, text=True, timeout=1200,
    )


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_notebook(path: Path, notebook: dict) -> None:
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": "planted",
            "metadata": {}, "outputs": [], "source": source}


def notebooks(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
