"""House rules for notebooks, checked before nbval re-executes them."""

from __future__ import annotations

import re

import pytest
import yaml

from book import ROOT, notebooks, read_notebook

ALL_NOTEBOOKS = notebooks("chapters") + notebooks("exercises")


def toc_files() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {toc["root"]}
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            files.add(chapter["file"])
            files.update(section["file"] for section in chapter.get("sections", []))
    return files


def test_every_chapter_is_in_the_table_of_contents():
    pages = {str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "chapters").glob("*")
             if p.suffix in {".md", ".ipynb"}}
    assert pages - toc_files() == set(), "pages missing from _toc.yml"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_stored_executed_and_clean(path):
    notebook = read_notebook(path)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    if path.parts[-2] == "chapters":
        # nbval strict compares against stored outputs: a chapter must keep them.
        assert all(c["execution_count"] is not None for c in code), "re-execute and save"
    for cell in code:
        for output in cell["outputs"]:
            assert output["output_type"] != "error" or "raises-exception" in cell["metadata"].get("tags", [])
            text = "".join(output.get("text", [])) + "".join(output.get("data", {}).get("text/plain", []))
            assert not re.search(r"/tmp/|/root/|/home/\w|site-packages", text), "machine path in output"
            assert not re.search(r"at 0x[0-9a-f]+>", text), "memory address in output: end the line with ';'"
