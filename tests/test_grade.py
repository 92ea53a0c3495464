"""Batch grading (python -m descent.grade) over notebooks made from the real sheets: filled
with the reference solutions, with known wrong solutions, and broken in every way a
submission can be broken. One grading run serves most tests."""

from __future__ import annotations

import ast
import copy
import csv
import hashlib
import importlib
import inspect
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import descent
from wrong_implementations import CATALOGUE

REPOSITORY = Path(__file__).resolve().parents[1]
SHEETS = REPOSITORY / "exercises"
LOSSES = ["mse_loss", "cross_entropy"]
OPTIMIZERS = ["momentum_step", "nesterov_step", "rmsprop_step", "adam_step", "adamw_step"]


def read_sheet(name):
    return json.loads((SHEETS / f"{name}.ipynb").read_text(encoding="utf-8"))


def task_of(cell):
    if "exercise-stub" not in cell["metadata"].get("tags", []):
        return None
    return re.search(r"^def (\w+)\(", "".join(cell["source"]), re.MULTILINE).group(1)


def solution(sheet, name):
    module = importlib.import_module(f"exercises.solutions.{sheet}")
    return inspect.getsource(getattr(module, name))


def wrong(check_name, preferred):
    """A catalogue entry's source, renamed to the task and without its decorator."""
    entries = [(m, f) for c, m, f in CATALOGUE if c == check_name]
    mistake, function = next(((m, f) for m, f in entries if m == preferred), entries[0])
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    tree.body[0].name, tree.body[0].decorator_list = check_name, []
    return mistake, ast.unparse(tree)


def code_cell(source):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source}


def submission(sheet, answers, drop=(), extra=()):
    """The sheet with each stub replaced by ``answers[name]`` (the stub stays where no answer
    is given), the stubs in ``drop`` deleted and code cells ``extra`` appended."""
    notebook = copy.deepcopy(read_sheet(sheet))
    cells = []
    for cell in notebook["cells"]:
        name = task_of(cell)
        if name in drop:
            continue
        if name in answers:
            cell = dict(cell, source=answers[name])
        cells.append(cell)
    notebook["cells"] = cells + [code_cell(source) for source in extra]
    return notebook


SPIN = "\n\ndef _spin():\n    while True:\n        pass\n\n\n"
UNSTOPPABLE = """
def mse_loss(input, target):
    while True:            # swallows the check's own time limit: only a kill stops it
        try:
            while True:
                pass
        except BaseException:
            pass
"""
ADAM_MISTAKE, WRONG_ADAM = wrong("adam_step", "bias correction missing")


def solved(sheet, names):
    return {name: solution(sheet, name) for name in names}


def build(folder):
    """The submissions, by file name, with the statuses they must get."""
    losses, optimizers = solved("losses", LOSSES), solved("optimizers", OPTIMIZERS)
    cases = {
        # Reference solutions, with experiments beside them that must not run.
        "losses_solved.ipynb": (
            submission("losses", dict(losses, mse_loss=losses["mse_loss"] + SPIN + "_spin()\n"
                                      "print('x' * 10**6)\n"),
                       extra=["while True:\n    pass", "import sys\nsys.exit(1)",
                              "raise RuntimeError('an experiment that fails')"]),
            {"mse_loss": "passed", "cross_entropy": "passed"}),
        "optimizers_solved.ipynb": (
            submission("optimizers", dict(optimizers, adam_step=optimizers["adam_step"]
                                          + "\nhistory = []\nfor _ in iter(int, 1):\n    pass\n"),
                       extra=["import os\nos._exit(1)"]),
            dict.fromkeys(OPTIMIZERS, "passed")),
        # A wrong solution, a syntax error, a missing function, a stub, sys.exit at a call.
        "alice_optimizers.ipynb": (
            submission("optimizers", {
                "adam_step": WRONG_ADAM,
                "momentum_step": "def momentum_step(param, grad, state, *, lr, momentum, "
                                 "dampening):\n    param -= lr *\n",
                "adamw_step": "import sys\n\ndef adamw_step(param, grad, state, *, lr, beta1, "
                              "beta2, eps, weight_decay):\n    sys.exit()\n"},
                drop=["nesterov_step"]),
            {"momentum_step": "error", "nesterov_step": "missing", "rmsprop_step": "missing",
             "adam_step": "failed", "adamw_step": "error"}),
        # os._exit inside a function: that task is an error, a new worker checks the rest.
        "bob_losses.ipynb": (
            submission("losses", dict(losses, mse_loss="import os\n\ndef mse_loss(input, "
                                                       "target):\n    os._exit(1)\n")),
            {"mse_loss": "error", "cross_entropy": "passed"}),
        # An infinite loop at definition time (a cell) and inside a function.
        "carol_losses.ipynb": (
            submission("losses", {"mse_loss": losses["mse_loss"] + SPIN + "result = _spin()\n",
                                  "cross_entropy": "def cross_entropy(logits, target):\n"
                                                   "    while True:\n        pass\n"}),
            {"mse_loss": "time-out", "cross_entropy": "time-out"}),
        # A loop that swallows the check's time limit: killed, then a new worker goes on.
        "dave_losses.ipynb": (
            submission("losses", dict(losses, mse_loss=UNSTOPPABLE)),
            {"mse_loss": "time-out", "cross_entropy": "passed"}),
        # 50 GB, at definition time and inside a function.
        "erin_losses.ipynb": (
            submission("losses", {
                "mse_loss": losses["mse_loss"] + "\nbuffer = bytearray(50 * 2**30)\n",
                "cross_entropy": "import torch\n\ndef cross_entropy(logits, target):\n"
                                 "    big = torch.empty(50 * 2**30 // 4 * 4)\n"
                                 "    return big.sum()\n"}),
            {"mse_loss": "error", "cross_entropy": "error"}),
        # sys.exit and os._exit at definition time; an output flood; AdamW calling adam_step.
        "frank_optimizers.ipynb": (
            submission("optimizers", dict(
                optimizers,
                momentum_step=optimizers["momentum_step"] + "\nimport sys\n_ = sys.exit(0)\n",
                nesterov_step=optimizers["nesterov_step"] + "\nimport os\n_ = os._exit(1)\n",
                rmsprop_step=optimizers["rmsprop_step"].replace(
                    "    v = state.get", "    print('flood ' * 100000)\n"
                    "    sys.__stdout__.write('y' * 10**6)\n    v = state.get", 1)
                + "\nimport sys\n")),
            {"momentum_step": "error", "nesterov_step": "error", "rmsprop_step": "passed",
             "adam_step": "passed", "adamw_step": "passed"}),
        "notes.ipynb": (submission("losses", {}, drop=LOSSES), None),
    }
    for name, (notebook, _) in cases.items():
        (folder / name).write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    (folder / "not_json.ipynb").write_text("this is not a notebook {", encoding="utf-8")
    (folder / "not_a_notebook.ipynb").write_text('{"hello": "world"}', encoding="utf-8")
    # notes.ipynb still has the sheet's setup and text, but no task: it matches no sheet.
    notes = json.loads((folder / "notes.ipynb").read_text())
    notes["cells"] = [c for c in notes["cells"] if c["cell_type"] == "markdown"] + \
        [code_cell("x = 1")]
    (folder / "notes.ipynb").write_text(json.dumps(notes), encoding="utf-8")
    return {name: expected for name, (_, expected) in cases.items()}


def grade(*arguments, cwd):
    return subprocess.run([sys.executable, "-m", "descent.grade", *map(str, arguments)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grade")
    folder = root / "submissions"
    folder.mkdir()
    expected = build(folder)
    result = grade(folder, "--csv", root / "grades.csv", "--json", root / "grades.json",
                   "--feedback-dir", root / "feedback", "--timeout", 20, "--jobs", 2, cwd=root)
    return root, folder, expected, result


def test_grading_runs_and_exits_0(graded):
    root, folder, expected, result = graded
    assert result.returncode == 0, result.stdout + result.stderr
    for name in [*expected, "not_json.ipynb", "not_a_notebook.ipynb"]:
        assert name in result.stdout


def test_every_task_gets_its_status(graded):
    root, folder, expected, result = graded
    report = {Path(s["file"]).name: s for s in json.loads((root / "grades.json").read_text())
              ["submissions"]}
    for name, statuses in expected.items():
        if statuses is None:
            continue
        got = {task: r["status"] for task, r in report[name]["tasks"].items()}
        assert got == statuses, (name, report[name]["tasks"])
    alice = report["alice_optimizers.ipynb"]["tasks"]
    assert alice["adam_step"]["mistake"] == ADAM_MISTAKE
    assert alice["momentum_step"]["mistake"] == "syntax error"
    assert "line 2" in alice["momentum_step"]["message"]
    assert "sys.exit" in alice["adamw_step"]["message"]
    assert alice["rmsprop_step"]["mistake"] == "not implemented"
    assert alice["nesterov_step"]["mistake"] == "not defined"
    assert "os._exit" in report["bob_losses.ipynb"]["tasks"]["mse_loss"]["message"]
    erin = report["erin_losses.ipynb"]["tasks"]
    assert erin["mse_loss"]["mistake"] == erin["cross_entropy"]["mistake"] == "memory"
    frank = report["frank_optimizers.ipynb"]["tasks"]
    assert frank["momentum_step"]["mistake"] == "sys.exit"
    assert "os._exit" in frank["nesterov_step"]["message"]


def test_bad_input_gets_a_clear_line(graded):
    root, folder, expected, result = graded
    report = {Path(s["file"]).name: s for s in json.loads((root / "grades.json").read_text())
              ["submissions"]}
    assert report["not_json.ipynb"]["problem"].startswith("not a notebook: not valid JSON")
    assert report["not_a_notebook.ipynb"]["problem"].startswith("not a notebook")
    assert report["notes.ipynb"]["problem"].startswith("matches no exercise sheet")
    for name in ["not_json.ipynb", "not_a_notebook.ipynb", "notes.ipynb"]:
        assert report[name]["sheet"] is None and report[name]["tasks"] == {}
        assert re.search(rf"{name}.*(not a notebook|matches no exercise sheet)", result.stdout)


def test_csv_has_a_row_per_submission_and_a_column_per_task_in_sheet_order(graded):
    root, folder, expected, result = graded
    with open(root / "grades.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["file", "sheet", *LOSSES, *OPTIMIZERS, "passed", "tasks", "problem"]
    by_name = {Path(row[0]).name: dict(zip(rows[0], row)) for row in rows[1:]}
    assert sorted(by_name) == sorted(p.name for p in folder.glob("*.ipynb"))
    assert [Path(row[0]).name for row in rows[1:]] == sorted(by_name)  # the folder's order
    alice = by_name["alice_optimizers.ipynb"]
    assert [alice[t] for t in OPTIMIZERS] == ["error", "missing", "missing", "failed", "error"]
    assert alice["mse_loss"] == "" and alice["sheet"] == "optimizers"
    assert (alice["passed"], alice["tasks"]) == ("0", "5")
    solved = by_name["optimizers_solved.ipynb"]
    assert (solved["passed"], solved["tasks"]) == ("5", "5")
    assert by_name["not_json.ipynb"]["problem"].startswith("not a notebook")


def test_json_has_hashes_versions_and_per_task_details(graded):
    root, folder, expected, result = graded
    report = json.loads((root / "grades.json").read_text())
    assert report["grader_version"] == descent.__version__
    assert report["torch_version"] and report["python_version"] and report["date"]
    assert list(report["sheets"]) == ["losses", "optimizers"]
    for entry in report["submissions"]:
        data = (folder / Path(entry["file"]).name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        for task in entry["tasks"].values():
            assert set(task) == {"status", "message", "mistake", "seconds"}
            assert task["message"].startswith(("✅", "❌"))
            assert task["seconds"] >= 0


def test_one_feedback_file_per_submission(graded):
    root, folder, expected, result = graded
    files = sorted(p.name for p in (root / "feedback").iterdir())
    assert files == sorted(p.stem + ".md" for p in folder.glob("*.ipynb"))
    alice = (root / "feedback" / "alice_optimizers.md").read_text(encoding="utf-8")
    assert f"adam_step: failed ({ADAM_MISTAKE})" in alice
    assert "rmsprop_step: missing" in alice and "not implemented yet" in alice


def test_exercise_option_restricts_grading_to_a_task(graded, tmp_path):
    root, folder, expected, result = graded
    restricted = grade(folder / "alice_optimizers.ipynb", folder / "optimizers_solved.ipynb",
                       "--exercise", "adam_step", "--csv", tmp_path / "adam.csv",
                       "--timeout", 20, "--jobs", 2, cwd=tmp_path)
    assert restricted.returncode == 0, restricted.stdout + restricted.stderr
    with open(tmp_path / "adam.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["file", "sheet", "adam_step", "passed", "tasks", "problem"]
    assert [row[2] for row in rows[1:]] == ["failed", "passed"]


@pytest.mark.parametrize("arguments", [["--exercise", "no_such_task"], ["--timeout", "0"],
                                       ["--no-such-option"], []])
def test_bad_arguments_exit_non_zero(tmp_path, arguments):
    notebook = tmp_path / "losses.ipynb"
    notebook.write_text(json.dumps(read_sheet("losses")), encoding="utf-8")
    result = grade(*([notebook] if arguments != [] else [tmp_path / "missing.ipynb"]),
                   *arguments, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
