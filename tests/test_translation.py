"""The Chinese edition (zh/) cannot drift from the English one.

A Chinese notebook has the English notebook's cells, in the same order, with
the same code, tags and stored outputs; only its markdown, figure captions
and alt text are Chinese, and each records the English it was translated
from. So nbval's run of the English notebooks validates the Chinese ones
too (their outputs are the English outputs, compared here), and a change to
the English text fails here, naming the cell, until a translator updates it
(``python tools/translation.py diff PAGE`` shows what changed).
"""

from __future__ import annotations

import copy
import json
import shutil
import sys

import nbformat
import pytest
import yaml

from book import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import translation  # noqa: E402  (tools/ is not a package)

ZH = ROOT / "zh"


def toc_files(path) -> list[str]:
    """The files of a table of contents, in order."""
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def english_page(name: str):
    for suffix in (".ipynb", ".md"):
        if (ROOT / (name + suffix)).exists():
            return ROOT / (name + suffix)
    raise FileNotFoundError(name)


PAGES = [english_page(name) for name in toc_files(ROOT / "_toc.yml")]


def test_the_chinese_table_of_contents_has_the_english_pages_in_order():
    assert toc_files(ZH / "_toc.yml") == toc_files(ROOT / "_toc.yml")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_page_is_translated_and_up_to_date(page):
    chinese = translation.chinese_of(page)
    assert chinese.exists(), (f"no Chinese edition of {page.relative_to(ROOT)}: run "
                              f"`python tools/translation.py sync {page.relative_to(ROOT)}`")
    found = (translation.problems(chinese) if page.suffix == ".ipynb"
             else translation.page_problems(chinese))
    assert not found, "\n".join(found)


# --- the checks themselves, on planted changes ---------------------------------------------

@pytest.fixture
def book(tmp_path, monkeypatch):
    """A two-page book (English and Chinese) in tmp_path, with translation pointed at it."""
    english = {"cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {},
         "source": "# Gradient descent\n\nThe step is $\\theta \\leftarrow \\theta - \\alpha g$."},
        {"cell_type": "code", "id": "b", "execution_count": 1, "source": "print(1 + 1)",
         "metadata": {"tags": [], "mystnb": {"figure": {"caption": "A figure."}}},
         "outputs": [{"name": "stdout", "output_type": "stream", "text": "2\n"}]},
        {"cell_type": "markdown", "id": "c", "metadata": {}, "source": "See {doc}`optimizers`."},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    monkeypatch.setattr(translation, "ROOT", tmp_path)
    monkeypatch.setattr(translation, "ZH", tmp_path / "zh")
    monkeypatch.setattr(translation, "SOURCES", tmp_path / "zh" / "_sources")
    page = tmp_path / "chapters" / "page.ipynb"
    translation.write(page, english)
    zh = translation.sync(page)
    chinese = translation.read(zh)
    chinese["cells"][0]["source"] = "# 梯度下降\n\n每一步为 $\\theta \\leftarrow \\theta - \\alpha g$。"
    chinese["cells"][1]["metadata"]["mystnb"]["figure"]["caption"] = "一幅图。"
    chinese["cells"][2]["source"] = "见 {doc}`optimizers`。"
    translation.write(zh, chinese)
    assert translation.mark(zh) == []
    return page, zh


def edit(path, change):
    notebook = translation.read(path)
    change(notebook["cells"])
    translation.write(path, notebook)


def test_a_translated_page_passes(book):
    _, zh = book
    assert translation.problems(zh) == []


def test_a_changed_english_sentence_names_the_cell_and_shows_the_change(book):
    page, zh = book
    edit(page, lambda cells: cells[2].update(source="See {doc}`optimizers` and {doc}`schedules`."))
    (problem,) = translation.problems(zh)
    assert "cell 2" in problem and "changed since it was translated" in problem
    assert "tools/translation.py diff" in problem
    shown = translation.diff(zh)
    assert "-See {doc}`optimizers`." in shown and "+See {doc}`optimizers` and {doc}`schedules`." in shown


def test_a_changed_caption_is_noticed(book):
    page, zh = book
    edit(page, lambda cells: cells[1]["metadata"]["mystnb"]["figure"].update(caption="Another."))
    (problem,) = translation.problems(zh)
    assert "cell 1" in problem and "caption" in problem


def test_code_outputs_and_structure_must_be_the_englishs(book):
    page, zh = book
    edit(zh, lambda cells: cells[1].update(source="print(2 + 2)"))
    assert any("code differs" in p for p in translation.problems(zh))
    edit(zh, lambda cells: cells[1].update(source="print(1 + 1)", outputs=[]))
    assert any("outputs differ" in p for p in translation.problems(zh))
    edit(page, lambda cells: cells.insert(1, copy.deepcopy(cells[0]) | {"id": "new"}))
    (problem,) = translation.problems(zh)
    assert "number, order or kind" in problem and "sync" in problem


def test_math_changed_in_translation_is_caught(book):
    _, zh = book
    edit(zh, lambda cells: cells[0].update(
        source="# 梯度下降\n\n每一步为 $\\theta \\leftarrow \\theta + \\alpha g$。"))
    (problem,) = translation.problems(zh)
    assert "cell 0" in problem and "math, code or references differ" in problem


def test_sync_keeps_translations_and_brings_the_code_up_to_date(book):
    page, zh = book
    def change(cells):
        cells[1]["source"] = "print(3)"
        cells[1]["outputs"][0]["text"] = "3\n"
        cells.append({"cell_type": "markdown", "id": "d", "metadata": {}, "source": "New text."})
    edit(page, change)
    translation.sync(page)
    cells = translation.read(zh)["cells"]
    assert cells[0]["source"].startswith("# 梯度下降")               # kept
    assert cells[1]["metadata"]["mystnb"]["figure"]["caption"] == "一幅图。"
    assert cells[1]["source"] == "print(3)" and cells[1]["outputs"][0]["text"] == "3\n"
    assert cells[3]["source"] == "New text."                          # to translate
    assert translation.problems(zh) == [f"{zh.relative_to(translation.ROOT)}, cell 3: "
                                        "source is not translated yet"]


def test_an_exercise_sheet_sets_the_graders_language_and_stores_its_chinese_verdicts(book):
    page, zh = book
    verdict = "❌ mse_loss: not implemented yet. Replace `raise NotImplementedError` with your code."
    def make_a_sheet(cells):
        cells[1].update(source="from descent import check", outputs=[])
        cells[1]["metadata"]["tags"] = ["exercise-setup"]
        cells.append({"cell_type": "code", "id": "e", "execution_count": 2,
                      "source": "check.mse_loss(mse_loss)", "metadata": {"tags": ["exercise-check"]},
                      "outputs": [{"output_type": "execute_result", "execution_count": 2,
                                   "metadata": {}, "data": {"text/plain": [verdict]}}]})
    edit(page, make_a_sheet)
    translation.sync(page)
    cells = translation.read(zh)["cells"]
    assert translation.source(cells[1]) == "from descent import check\n\n" + translation.LANGUAGE_LINE
    (shown,) = cells[3]["outputs"][0]["data"]["text/plain"]
    assert shown.startswith("❌ mse_loss") and "NotImplementedError" in shown
    assert translation.CJK.search(shown) and "not implemented yet" not in shown
    assert translation.problems(zh) == []
    edit(zh, lambda cells: cells[3]["outputs"][0]["data"].update({"text/plain": [verdict]}))
    (problem,) = translation.problems(zh)                 # the English verdict, left untranslated
    assert "cell 3" in problem and "outputs differ" in problem
    edit(zh, lambda cells: cells[1].update(source="from descent import check"))
    assert any("cell 1: the code differs" in p for p in translation.problems(zh))


def test_a_chinese_sheet_prints_the_verdicts_it_stores():
    """What the Chinese copy of an exercise sheet stores is what running it prints: the
    English sheet's validation covers it."""
    from nbclient import NotebookClient
    path = ZH / "exercises" / "losses.ipynb"
    notebook = translation.read(path)
    def verdicts(cells):
        return [output["data"]["text/plain"] for cell in cells if "exercise-check" in translation.tags(cell)
                for output in cell["outputs"]]
    stored = ["".join(text) for text in verdicts(notebook["cells"])]
    run = nbformat.reads(json.dumps(notebook), as_version=4)
    NotebookClient(run, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "exercises")}}).execute()
    assert verdicts(run.cells) == stored and all(translation.CJK.search(v) for v in stored)


def test_markdown_pages_record_the_english_they_translate(tmp_path, monkeypatch):
    monkeypatch.setattr(translation, "ROOT", tmp_path)
    monkeypatch.setattr(translation, "ZH", tmp_path / "zh")
    monkeypatch.setattr(translation, "SOURCES", tmp_path / "zh" / "_sources")
    english, chinese = tmp_path / "chapters" / "preface.md", tmp_path / "zh" / "chapters" / "preface.md"
    english.parent.mkdir(parents=True)
    chinese.parent.mkdir(parents=True)
    english.write_text("# Preface\n\nHello.\n", encoding="utf-8")
    chinese.write_text("# 前言\n\n你好。\n", encoding="utf-8")
    assert "not translated yet" in translation.page_problems(chinese)[0]
    translation.mark_page(chinese)
    assert translation.page_problems(chinese) == []
    chinese.write_text("# 前言\n\n你好，$\\alpha$。\n", encoding="utf-8")     # math the English lacks
    assert "math, code or references differ" in translation.page_problems(chinese)[0]
    chinese.write_text("# 前言\n\n你好。\n", encoding="utf-8")
    english.write_text("# Preface\n\nHello, reader.\n", encoding="utf-8")
    assert "changed since it was translated" in translation.page_problems(chinese)[0]
    assert "+Hello, reader." in translation.diff(chinese)


def test_markup_keeps_math_code_and_references_but_not_term_titles():
    english = "A {term}`learning rate` $\\alpha$, `lr=0.1`, {cite}`kingma2015adam`."
    assert translation.markup_difference(
        english, "{term}`学习率 <learning rate>` $\\alpha$，`lr=0.1`，{cite}`kingma2015adam`。") is None
    assert translation.markup_difference(english, "学习率 $\\alpha$，`lr=0.1`，{cite}`kingma2015adam`。")
    assert translation.markup_difference(
        english, "{term}`学习率 <learning rate>` $\\alpha$，`lr=0.01`，{cite}`kingma2015adam`。")
