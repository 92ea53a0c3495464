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
LOSSES = ["mse_loss", "cross_entropy"]  # the losses tasks graded here (the sheet has more)


def read_sheet(name):
    return json.loads((SHEETS / f"{name}.ipynb").read_text(encoding="utf-8"))


def tasks(sheet):
    """The sheet's tasks, in order, from its check cells (more are being added)."""
    return [re.fullmatch(r"check\.(\w+)\(\w+\)", "".join(c["source"]).strip()).group(1)
            for c in read_sheet(sheet)["cells"]
            if "exercise-check" in c["metadata"].get("tags", [])]


OPTIMIZERS = tasks("optimizers")


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
    is given), the stubs in ``drop`` deleted (all others: "others") and code cells ``extra``
    appended."""
    notebook = copy.deepcopy(read_sheet(sheet))
    cells = []
    for cell in notebook["cells"]:
        name = task_of(cell)
        if name and (name not in answers if drop == "others" else name in drop):
            continue
        if name in answers:
            cell = dict(cell, source=answers[name])
        cells.append(cell)
    notebook["cells"] = cells + [code_cell(source) for source in extra]
    return notebook


SPIN = "\n\ndef _spin():\n    while True:\n        pass\n\n\n"
UNSTOPPABLE = """
import time

def mse_loss(input, target):
    while True:            # swallows the check's own time limit: only a kill stops it
        try:
            time.sleep(1)
        except BaseException:
            pass
"""
ADAM_MISTAKE, WRONG_ADAM = wrong("adam_step", "bias correction missing")


def solved(sheet, names):
    return {name: solution(sheet, name) for name in names}


def write(folder, cases):
    for name, (notebook, _) in cases.items():
        (folder / name).write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return {name: expected for name, (_, expected) in cases.items()}


def build(folder):
    """The submissions graded with --timeout 20, by file name, with the statuses they must
    get (None: no sheet)."""
    losses, optimizers = solved("losses", LOSSES), solved("optimizers", OPTIMIZERS)
    stubs = {t: "missing" for t in OPTIMIZERS[5:]}  # left as they are
    expected = write(folder, {
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
        # A wrong solution, a syntax error, a missing function, stubs, 50 GB inside a
        # function, sys.exit at a call.
        "alice_optimizers.ipynb": (
            submission("optimizers", {
                "adam_step": WRONG_ADAM,
                "momentum_step": "def momentum_step(param, grad, state, *, lr, momentum, "
                                 "dampening):\n    param -= lr *\n",
                "rmsprop_step": "import torch\n\ndef rmsprop_step(*args, **kwargs):\n"
                                "    big = torch.empty(50 * 2**30 // 4 * 4)\n"
                                "    return big.sum()\n",
                "adamw_step": "import sys\n\ndef adamw_step(param, grad, state, *, lr, beta1, "
                              "beta2, eps, weight_decay):\n    sys.exit()\n"},
                drop=["nesterov_step"]),
            {"momentum_step": "error", "nesterov_step": "missing", "rmsprop_step": "error",
             "adam_step": "failed", "adamw_step": "error", **stubs}),
        # os._exit at definition time and inside a function: each costs its task only, a
        # new worker goes on.
        "bob_losses.ipynb": (
            submission("losses", {
                "mse_loss": losses["mse_loss"] + "\nimport os\n_ = os._exit(1)\n",
                "cross_entropy": "import os\n\ndef cross_entropy(logits, target):\n"
                                 "    os._exit(1)\n"}),
            {"mse_loss": "error", "cross_entropy": "error"}),
        # sys.exit and 50 GB at definition time; an output flood; AdamW calling adam_step.
        "frank_optimizers.ipynb": (
            submission("optimizers", dict(
                optimizers,
                momentum_step=optimizers["momentum_step"] + "\nimport sys\n_ = sys.exit(0)\n",
                nesterov_step=optimizers["nesterov_step"] + "\nbuffer = bytearray(50 * 2**30)\n",
                rmsprop_step="import sys\n\n" + optimizers["rmsprop_step"].replace(
                    "\n", "\n    print('flood ' * 100000)\n"
                    "    sys.__stdout__.write('y' * 10**4)\n", 1))),
            {**dict.fromkeys(OPTIMIZERS, "passed"), "momentum_step": "error",
             "nesterov_step": "error"}),
        "notes.ipynb": ({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Notes"},
                                   code_cell("x = 1")], "metadata": {}, "nbformat": 4,
                         "nbformat_minor": 5}, None),
    })
    (folder / "not_json.ipynb").write_text("this is not a notebook {", encoding="utf-8")
    (folder / "not_a_notebook.ipynb").write_text('{"hello": "world"}', encoding="utf-8")
    return expected


def build_hangs(folder):
    """The submissions graded with --timeout 3: infinite loops."""
    losses = solved("losses", LOSSES)
    return write(folder, {
        # An infinite loop at definition time (in a cell) and inside a function.
        "carol_losses.ipynb": (
            submission("losses", {"mse_loss": losses["mse_loss"] + SPIN + "result = _spin()\n",
                                  "cross_entropy": "def cross_entropy(logits, target):\n"
                                                   "    while True:\n        pass\n"},
                       drop="others"),
            {"mse_loss": "time-out", "cross_entropy": "time-out"}),
        # A loop that swallows the check's time limit: killed, then a new worker goes on.
        "dave_losses.ipynb": (
            submission("losses", dict(losses, mse_loss=UNSTOPPABLE), drop="others"),
            {"mse_loss": "time-out", "cross_entropy": "passed"}),
    })


def grade(*arguments, cwd):
    return subprocess.run([sys.executable, "-m", "descent.grade", *map(str, arguments)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One run over a folder: the losses tasks named on the command line (a task restricts
    grading to it) and the whole optimizers sheet."""
    root = tmp_path_factory.mktemp("grade")
    folder = root / "submissions"
    folder.mkdir()
    expected = build(folder)
    result = grade(folder, "--exercise", "mse_loss", "--exercise", "cross_entropy",
                   "--exercise", "optimizers", "--csv", root / "grades.csv",
                   "--json", root / "grades.json", "--feedback-dir", root / "feedback",
                   "--timeout", 20, "--jobs", 2, cwd=root)
    return root, folder, expected, result


def report_of(path):
    return {Path(s["file"]).name: s for s in json.loads(path.read_text())["submissions"]}


def test_grading_runs_and_exits_0(graded):
    root, folder, expected, result = graded
    assert result.returncode == 0, result.stdout + result.stderr
    for name in [*expected, "not_json.ipynb", "not_a_notebook.ipynb"]:
        assert name in result.stdout


def test_every_task_gets_its_status(graded):
    root, folder, expected, result = graded
    report = report_of(root / "grades.json")
    for name, statuses in expected.items():
        if statuses is not None:
            got = {task: r["status"] for task, r in report[name]["tasks"].items()}
            assert got == statuses, (name, report[name]["tasks"])
    alice = report["alice_optimizers.ipynb"]["tasks"]
    assert alice["adam_step"]["mistake"] == ADAM_MISTAKE
    assert alice["momentum_step"]["mistake"] == "syntax error"
    assert "line 2" in alice["momentum_step"]["message"]
    assert "sys.exit" in alice["adamw_step"]["message"]
    assert alice["rmsprop_step"]["mistake"] == "memory"
    assert alice["nesterov_step"]["mistake"] == "not defined"
    assert all(alice[t]["mistake"] == "not implemented" for t in OPTIMIZERS[5:])
    bob = report["bob_losses.ipynb"]["tasks"]
    assert "os._exit" in bob["mse_loss"]["message"] and "cell" in bob["mse_loss"]["message"]
    assert "os._exit" in bob["cross_entropy"]["message"]
    frank = report["frank_optimizers.ipynb"]["tasks"]
    assert frank["momentum_step"]["mistake"] == "sys.exit"
    assert frank["nesterov_step"]["mistake"] == "memory"


def test_bad_input_gets_a_clear_line(graded):
    root, folder, expected, result = graded
    report = report_of(root / "grades.json")
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
    assert [Path(row[0]).name for row in rows[1:]] == sorted(p.name for p in folder.iterdir())
    alice = by_name["alice_optimizers.ipynb"]
    assert {t: alice[t] for t in OPTIMIZERS} == expected["alice_optimizers.ipynb"]
    assert alice["mse_loss"] == "" and alice["sheet"] == "optimizers"
    assert (alice["passed"], alice["tasks"]) == ("0", str(len(OPTIMIZERS)))
    solved = by_name["optimizers_solved.ipynb"]
    assert (solved["passed"], solved["tasks"]) == (str(len(OPTIMIZERS)),) * 2
    assert by_name["losses_solved.ipynb"]["tasks"] == "2"
    assert by_name["not_json.ipynb"]["problem"].startswith("not a notebook")


def test_json_has_hashes_versions_and_per_task_details(graded):
    root, folder, expected, result = graded
    report = json.loads((root / "grades.json").read_text())
    assert report["grader_version"] == descent.__version__
    assert report["torch_version"] and report["python_version"] and report["date"]
    assert report["sheets"] == {"losses": LOSSES, "optimizers": OPTIMIZERS}
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
    assert files == sorted(p.stem + ".md" for p in folder.iterdir())
    alice = (root / "feedback" / "alice_optimizers.md").read_text(encoding="utf-8")
    assert f"adam_step: failed ({ADAM_MISTAKE})" in alice
    assert "nesterov_step: missing" in alice and "is not defined" in alice


def test_infinite_loops_time_out_and_the_rest_is_graded(tmp_path):
    """With no --exercise the sheet is inferred, and all its tasks are columns."""
    expected = build_hangs(tmp_path)
    result = grade(*sorted(tmp_path.glob("*.ipynb")), "--csv", tmp_path / "grades.csv",
                   "--json", tmp_path / "grades.json", "--timeout", 3, "--jobs", 2,
                   cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = report_of(tmp_path / "grades.json")
    for name, statuses in expected.items():
        assert report[name]["sheet"] == "losses"
        got = {task: report[name]["tasks"][task]["status"] for task in statuses}
        assert got == statuses, (name, report[name]["tasks"])
        others = {r["status"] for t, r in report[name]["tasks"].items() if t not in LOSSES}
        assert others <= {"missing"}
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as file:
        assert next(csv.reader(file)) == ["file", "sheet", *tasks("losses"), "passed", "tasks",
                                          "problem"]


def test_a_sheet_named_on_the_command_line_grades_all_its_tasks(tmp_path):
    """Even a file that is not a notebook then gets a row of errors."""
    (tmp_path / "mine.ipynb").write_text("not json", encoding="utf-8")
    result = grade(tmp_path / "mine.ipynb", "--exercise", "losses", "--json",
                   tmp_path / "grades.json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    entry = report_of(tmp_path / "grades.json")["mine.ipynb"]
    assert entry["sheet"] == "losses" and list(entry["tasks"]) == tasks("losses")
    assert {(r["status"], r["mistake"]) for r in entry["tasks"].values()} == \
        {("error", "not a notebook")}


def test_bad_arguments_exit_non_zero(tmp_path):
    notebook = tmp_path / "losses.ipynb"
    notebook.write_text(json.dumps(read_sheet("losses")), encoding="utf-8")
    unknown = grade(notebook, "--exercise", "no_such_task", cwd=tmp_path)
    assert unknown.returncode == 2 and "no_such_task" in unknown.stderr
