"""The exercises and their grader: solutions pass, stubs say "not implemented yet",
known wrong solutions get their own diagnosis, and the notebooks work with solutions."""

from __future__ import annotations

import importlib
import inspect
import re

import nbformat
import pytest
from nbclient import NotebookClient

from book import ROOT, notebooks, read_notebook
from descent import check
from descent.check import feedback
from wrong_implementations import CATALOGUE

EXERCISE_NOTEBOOKS = notebooks("exercises")


def solution_module(notebook_path):
    return importlib.import_module(f"exercises.solutions.{notebook_path.stem}")


def stub_cells(notebook):
    return [c for c in notebook["cells"] if "exercise-stub" in c["metadata"].get("tags", [])]


def function_name(source):
    return re.match(r"def (\w+)\(", "".join(source)).group(1)


EXERCISES = [(path, function_name(cell["source"]))
             for path in EXERCISE_NOTEBOOKS for cell in stub_cells(read_notebook(path))]


def test_the_exercises_cover_the_course():
    names = {name for _, name in EXERCISES}
    assert names >= {"mse_loss", "cross_entropy", "article_gradients", "gradient_descent",
                     "sgd_epoch", "momentum_step", "nesterov_step", "rmsprop_step", "adam_step",
                     "adamw_step", "warmup_cosine", "l1_penalty", "l2_penalty", "dropout",
                     "kaiming_normal_"}
    assert len(names) == len(EXERCISES) >= 35, "at least 35 exercises, each name once"


def test_every_chapter_has_a_sheet_in_the_table_of_contents():
    chapters = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    sheets = {p.stem for p in EXERCISE_NOTEBOOKS}
    # The capstone is itself the project: it ends with "what to try next" and links the sheets.
    assert (chapters - {"loss_functions", "capstone"}) | {"losses"} <= sheets
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for sheet in sheets:
        assert f"file: exercises/{sheet}\n" in toc, sheet


STATEMENT = re.compile(r":label: ex-([\w-]+)\s+\*\*(★{1,3}) [^*]+\*\* · \*(implement|derive|predict|"
                       r"experiment|debug)\*\.")


def statements(notebook):
    """(label, stars, kind) of every exercise statement of a sheet."""
    return [m.groups() for c in notebook["cells"] if c["cell_type"] == "markdown"
            for m in [STATEMENT.search("".join(c["source"]))] if m]


@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_difficulty_kind_stub_and_check(path):
    notebook = read_notebook(path)
    exercises = [c for c in notebook["cells"]
                 if c["cell_type"] == "markdown" and "{exercise}" in "".join(c["source"])]
    found = statements(notebook)
    assert len(found) == len(exercises), "each statement starts with **★… Title** · *kind*."
    names = [function_name(c["source"]) for c in stub_cells(notebook)]
    assert [label for label, _, _ in found] == [n.replace("_", "-").strip("-") for n in names]
    checks = ["".join(c["source"]).strip() for c in notebook["cells"]
              if "exercise-check" in c["metadata"].get("tags", [])]
    assert checks == [f"check.{n}({n})" for n in names]
    setup = [c for c in notebook["cells"] if "exercise-setup" in c["metadata"].get("tags", [])]
    assert len(setup) == 1 and "from descent import check" in "".join(setup[0]["source"])


def test_every_kind_and_difficulty_is_used():
    found = [s for path in EXERCISE_NOTEBOOKS for s in statements(read_notebook(path))]
    assert {kind for _, _, kind in found} == {"implement", "derive", "predict", "experiment",
                                              "debug"}
    assert {stars for _, stars, _ in found} == {"★", "★★", "★★★"}


@pytest.mark.parametrize("path, name", EXERCISES, ids=[n for _, n in EXERCISES])
def test_reference_solution_passes(path, name):
    result = getattr(check, name)(getattr(solution_module(path), name))
    assert result.passed, result.message
    assert result.message.startswith("✅")


@pytest.mark.parametrize("path, name", EXERCISES, ids=[n for _, n in EXERCISES])
def test_untouched_stub_says_not_implemented_yet(path, name):
    cell = next(c for c in stub_cells(read_notebook(path)) if function_name(c["source"]) == name)
    namespace = {}
    exec("".join(cell["source"]), namespace)
    result = getattr(check, name)(namespace[name])
    assert not result.passed
    assert "not implemented yet" in result.message


@pytest.fixture(scope="session")
def graded_together():
    """The checks that start processes (descent.check.distributed) grade their whole catalogue
    in one launch: a launch costs seconds."""
    from descent.check import distributed
    functions = [f for c, _, f in CATALOGUE if c == "average_gradients"]
    return dict(zip(functions, distributed.grade_average(functions)))


@pytest.mark.parametrize("check_name, mistake, function", CATALOGUE,
                         ids=[f"{c}-{f.__name__}" for c, _, f in CATALOGUE])
def test_wrong_implementation_gets_its_own_diagnosis(check_name, mistake, function, monkeypatch,
                                                     request):
    monkeypatch.setattr(feedback, "SECONDS", 1.0)
    if check_name == "average_gradients":
        result = request.getfixturevalue("graded_together")[function]
    else:
        result = getattr(check, check_name)(function)
    assert not result.passed
    assert result.mistake == mistake, result.message
    assert result.message.startswith("❌")


def test_every_named_mistake_of_the_issue_is_in_the_catalogue():
    named = {m for _, m, _ in CATALOGUE}
    for mistake in ["bias correction missing", "ε inside the square root", "gradient sign flipped",
                    "state not kept between steps", "dampening misapplied",
                    "weight decay coupled where it should be decoupled",
                    "weight decay decoupled, but Adam couples it", "no inverted scaling",
                    "active in eval mode", "out of place", "input modified", "exception",
                    "returned None", "wrong shape", "wrong dtype", "not finite", "time limit"]:
        assert mistake in named, mistake


def test_an_exception_shows_the_learners_own_line():
    namespace = {}
    exec(compile("def mse_loss(input, target):\n    return input.frobnicate()\n",
                 "<learner cell>", "exec"), namespace)
    result = check.mse_loss(namespace["mse_loss"])
    assert "AttributeError" in result.message and "line 2" in result.message


def test_feedback_is_printed_as_its_message():
    assert repr(check.mse_loss(lambda input, target: None)).startswith("❌ mse_loss returned None")


@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_with_the_solutions_filled_in_passes_every_check(path):
    notebook = nbformat.read(path, as_version=4)
    solutions = solution_module(path)
    for cell in notebook.cells:
        if "exercise-stub" in cell.metadata.get("tags", []):
            cell.source = inspect.getsource(getattr(solutions, function_name(cell.source)))
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    verdicts = [output["data"]["text/plain"] for cell in notebook.cells
                if cell.cell_type == "code" and cell.source.startswith("check.")
                for output in cell.outputs if output["output_type"] == "execute_result"]
    assert len(verdicts) == len(stub_cells(read_notebook(path)))
    assert all(v.startswith("✅") for v in verdicts), verdicts
