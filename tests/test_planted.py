"""The checks in `make test` fail when they should.

Each "planted" test copies the book to a temporary folder, breaks one thing,
runs the same check that `make test` runs and expects it to fail for that
reason. Without them a check that never fails would look like a passing one.
"""

from __future__ import annotations

from book import ROOT, code_cell, copy_book, make, notebooks, read_notebook, run_nbval, write_notebook

CHAPTER = "chapters/background.ipynb"


def test_planted_broken_reference_fails_the_build(tmp_path):
    book = copy_book(tmp_path / "book")
    preface = book / "chapters/preface.md"
    preface.write_text(preface.read_text() + "\nSee {ref}`planted-missing-label`.\n")

    result = make("html", book)

    assert result.returncode != 0
    assert "planted-missing-label" in result.stdout + result.stderr


def test_planted_broken_document_link_fails_the_build(tmp_path):
    book = copy_book(tmp_path / "book")
    preface = book / "chapters/preface.md"
    preface.write_text(preface.read_text() + "\nSee {doc}`planted_missing_chapter`.\n")

    result = make("html", book)

    assert result.returncode != 0
    assert "planted_missing_chapter" in result.stdout + result.stderr


def test_planted_failing_cell_fails_nbval(tmp_path):
    book = copy_book(tmp_path / "book")
    notebook = read_notebook(book / CHAPTER)
    notebook["cells"].append(code_cell('raise RuntimeError("planted failure")'))
    write_notebook(book / CHAPTER, notebook)

    result = run_nbval(book, CHAPTER)

    assert result.returncode == 1, result.stdout[-3000:]
    assert "planted failure" in result.stdout


def test_planted_stale_output_fails_nbval(tmp_path):
    """Strict mode: a stored output that the code no longer produces is a failure."""
    book = copy_book(tmp_path / "book")
    notebook = read_notebook(book / CHAPTER)
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    stream = next(o for o in outputs if "the model has" in "".join(o.get("text", [])))
    stream["text"] = ["the model has 9999 parameters\n"]
    write_notebook(book / CHAPTER, notebook)

    result = run_nbval(book, CHAPTER)

    assert result.returncode == 1, result.stdout[-3000:]
    assert "9999" in result.stdout


def test_planted_false_claim_about_an_ignored_output_fails_nbval(tmp_path):
    """An output nbval ignores still has its claims checked by the hidden cell after it."""
    book = copy_book(tmp_path / "book")
    notebook = read_notebook(book / CHAPTER)
    notebook["cells"] = []  # a short notebook: only the two planted cells
    sensitive = code_cell("final_loss = 0.25\nprint(final_loss)")
    sensitive["metadata"]["tags"] = ["nbval-ignore-output"]
    sensitive["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["0.1\n"]}]
    claims = code_cell('assert final_loss < 0.2, "planted claim: the loss falls below 0.2"')
    claims["metadata"]["tags"] = ["remove-cell", "claims"]
    notebook["cells"] += [sensitive, claims]
    write_notebook(book / "chapters/planted.ipynb", notebook)

    result = run_nbval(book, "chapters/planted.ipynb")

    assert result.returncode == 1, result.stdout[-3000:]
    assert "planted claim: the loss falls below 0.2" in result.stdout
    assert "Cell outputs differ" not in result.stdout  # the ignored output itself passes


def test_a_repository_url_gives_every_notebook_page_launch_buttons(tmp_path):
    """Colab and Binder need the public repository; `make book REPOSITORY_URL=...` adds them."""
    book = copy_book(tmp_path / "book")
    url = "https://github.com/example-owner/descent-course"

    result = make("html", book, REPOSITORY_URL=url)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for notebook in notebooks("chapters") + notebooks("exercises"):
        relative = notebook.relative_to(ROOT)
        page = (book / "_build/html" / relative).with_suffix(".html").read_text(encoding="utf-8")
        assert f"https://colab.research.google.com/github/example-owner/descent-course/blob/main/{relative}" in page
        assert f"https://mybinder.org/v2/gh/example-owner/descent-course/main?urlpath=lab/tree/{relative}" in page
        assert f'href="{url}"' in page or f"href=\"{url}\"" in page
        assert "Download source file" in page
