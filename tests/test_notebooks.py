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


def tags(cell: dict) -> list[str]:
    return cell["metadata"].get("tags", [])


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_ignored_output_has_its_claims_asserted(path):
    """An output nbval does not compare is followed by a hidden cell that asserts its claims.

    A cell tagged `nbval-ignore-output` may print other digits on another
    machine. What the prose says about it is checked by the next cell tagged
    `claims` (hidden with `remove-cell`), which must come before the next
    ignored cell. Timings and machine names (tag `timing`) are exempt: they
    are never asserted, and the prose only quotes them as measured.
    """
    code = [c for c in read_notebook(path)["cells"] if c["cell_type"] == "code"]
    waiting = None  # an ignored cell whose claims cell has not come yet
    for index, cell in enumerate(code):
        if "claims" in tags(cell):
            source = "".join(cell["source"])
            assert "remove-cell" in tags(cell), f"code cell {index}: a claims cell is hidden (remove-cell)"
            assert re.search(r"^\s*assert\b", source, re.M), f"code cell {index}: a claims cell asserts"
            waiting = None
        elif "nbval-ignore-output" in tags(cell) and "timing" not in tags(cell):
            assert waiting is None, f"code cell {waiting}: ignored output with no claims cell after it"
            waiting = index
    assert waiting is None, f"code cell {waiting}: ignored output with no claims cell after it"


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)(?::[^`]*)?`")


def glued_names(notebook: dict) -> set[str]:
    """The names stored by `descent.notebook.glue` in the notebook's outputs."""
    return {output["metadata"]["scrapbook"]["name"]
            for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell["outputs"]
            if "scrapbook" in output.get("metadata", {})}


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_glued_number_in_the_prose_is_computed_in_the_notebook(path):
    notebook = read_notebook(path)
    used = {name for cell in notebook["cells"] if cell["cell_type"] == "markdown"
            for name in GLUE_ROLE.findall("".join(cell["source"]))}
    assert used <= glued_names(notebook), f"glued in the prose but never computed: {used - glued_names(notebook)}"
