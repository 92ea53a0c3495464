"""descent.grade: batch grading of submitted exercise notebooks, for instructors.

Usage::

    python -m descent.grade SUBMISSION.ipynb|FOLDER ... [--exercise NAME] [--csv FILE]
        [--json FILE] [--feedback-dir DIR] [--timeout S] [--jobs N] [--memory GB]

Each submission is matched to an exercise sheet of ``exercises/`` (the sheet whose
task names it defines most, or the one ``--exercise`` names) and graded in a
process of its own, on the CPU, on a temporary copy in a temporary working
directory, with a time limit per task and a memory limit. Only the sheet's
original setup cell and the learner's exercise cells run (the last code cell that
defines each task's function), and of those cells only the imports, function and
class definitions and assignments to plain names: a call, a loop or a print the
learner added beside their function does not run. Then each task's check from
:mod:`descent.check` runs, one task after another.

Each task gets one status: ``passed``, ``failed`` (the check names the mistake),
``error`` (the learner's exception with their line, a cell that does not compile
or run, the memory limit, ``sys.exit``), ``time-out`` or ``missing`` (not
defined, or still ``raise NotImplementedError``). A worker process that dies
(``os._exit``, a crash) or is killed for the time limit costs only the task it
was on: a fresh worker grades the rest.

Exit status: 0 when grading ran, whatever the learners' results; 2 for bad
arguments; 1 when the grader itself failed. See exercises/README.md.

This is a grader for honest mistakes, not a sandbox: learner code runs with the
instructor's permissions (limited in time and memory only).
"""

from __future__ import annotations

import argparse
import ast
import collections
import csv
import datetime
import hashlib
import io
import json
import linecache
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("passed", "failed", "error", "time-out", "missing")
SETUP_TAG, STUB_TAG, CHECK_TAG = "exercise-setup", "exercise-stub", "exercise-check"
CHECK_CALL = re.compile(r"check\.(\w+)\((\w+)\)")
STARTUP_SECONDS = 180.0  # for a worker to import torch and descent.check
GRACE_SECONDS = 2.0  # past the worker's (and the check's) own alarm, before a worker is killed
OUTPUT_TAIL = 4000  # characters of a worker's own output kept for diagnostics
STOPPING = threading.Event()  # set on Ctrl-C: every running worker is killed


def default_sheets() -> Path:
    """The repository's exercises folder, next to lib/ (this file is lib/descent/grade.py)."""
    import descent
    return Path(descent.__file__).resolve().parents[2] / "exercises"


# ---------------------------------------------------------------------------
# Reading notebooks (no learner code runs here)
# ---------------------------------------------------------------------------

def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def python_source(source: str) -> str:
    """The cell with IPython magics and shell escapes blanked to ``pass`` (lines kept)."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            lines[i] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines)


def top_level_names(source: str) -> tuple[list[str], str | None]:
    """The names a cell defines at top level (``def``, ``class``, assignment), and its
    syntax error if it has one (then the names come from a line-by-line scan)."""
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError as error:
        names = re.findall(r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*(?::[^=]*)?=(?!=)",
                           source, flags=re.MULTILINE)
        return [a or b for a, b in names], syntax_message(error)
    names = []
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(statement.name)
        elif isinstance(statement, ast.Assign):
            names += [t.id for t in statement.targets if isinstance(t, ast.Name)]
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
                and statement.value is not None:
            names.append(statement.target.id)
    return names, None


def syntax_message(error: SyntaxError) -> str:
    where = f" (line {error.lineno}: {error.text.strip()})" if error.lineno and error.text else ""
    return f"{type(error).__name__}: {error.msg}{where}"


@dataclass
class Sheet:
    name: str
    path: Path
    setup: str
    tasks: list[str]


def read_sheet(path: Path) -> Sheet | None:
    """A sheet's setup cell and task names (from its ``check.NAME(NAME)`` cells, else its stubs)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    setup, from_checks, from_stubs = [], [], []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", []) or []
        source = cell_source(cell)
        if SETUP_TAG in tags:
            setup.append(source)
        if STUB_TAG in tags:
            from_stubs += [n for n in top_level_names(source)[0] if n not in from_stubs]
        if CHECK_TAG in tags:
            match = CHECK_CALL.fullmatch(source.strip())
            if match and match[1] == match[2] and match[1] not in from_checks:
                from_checks.append(match[1])
    tasks = from_checks or from_stubs
    if not tasks:
        return None
    return Sheet(path.stem, path, "\n\n".join(setup), tasks)


def sheet_order(folder: Path) -> list[str]:
    """The sheets' order in the book's table of contents (``_toc.yml`` above the folder)."""
    toc = folder.parent / "_toc.yml"
    if not toc.exists():
        return []
    return re.findall(rf"file:\s*{re.escape(folder.name)}/(\w+)", toc.read_text(encoding="utf-8"))


def read_sheets(folder: Path) -> list[Sheet]:
    sheets = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            sheet = read_sheet(path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"descent.grade: skipping sheet {path}: {error}", file=sys.stderr)
            continue
        if sheet:
            sheets.append(sheet)
    order = sheet_order(folder)
    return sorted(sheets, key=lambda s: (order.index(s.name) if s.name in order else len(order),
                                         s.name))


@dataclass
class Cell:
    index: int  # among all cells of the notebook, from 0
    source: str
    names: list[str]
    syntax_error: str | None


@dataclass
class Submission:
    file: str
    sha256: str = ""
    data: bytes = b""
    cells: list[Cell] | None = None  # None: not a notebook
    problem: str | None = None  # a line for the report, when it cannot be graded (fully)
    sheet: Sheet | None = None
    tasks: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0
    grader_failed: bool = False


def read_submission(path: Path, shown: str) -> Submission:
    submission = Submission(shown)
    try:
        submission.data = path.read_bytes()
    except OSError as error:
        submission.problem = f"cannot be read: {error.strerror or error}"
        return submission
    submission.sha256 = hashlib.sha256(submission.data).hexdigest()
    try:
        notebook = json.loads(submission.data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        submission.problem = "not a notebook: not UTF-8 text"
        return submission
    except ValueError as error:
        submission.problem = f"not a notebook: not valid JSON ({error})"
        return submission
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        submission.problem = "not a notebook: JSON without a list of cells (nbformat 4)"
        return submission
    submission.cells = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            source = cell_source(cell)
            names, error = top_level_names(source)
            submission.cells.append(Cell(index, source, names, error))
    return submission


def choose_sheet(submission: Submission, candidates: list[Sheet]) -> Sheet | None:
    """The sheet whose tasks the submission defines most; ties go to the sheet named in the
    file name (the longest such name), then to the earlier sheet. None if it defines none
    and its file name names no sheet (with a single candidate sheet, that sheet)."""
    if len(candidates) == 1:
        return candidates[0]
    defined = {n for c in submission.cells or [] for n in c.names}
    stem = Path(submission.file).stem.lower()

    def score(item: tuple[int, Sheet]) -> tuple[int, int, int]:
        position, sheet = item
        count = len(defined & set(sheet.tasks))
        named = len(sheet.name) if sheet.name.lower() in stem else 0
        return count, named, -position

    best = max(enumerate(candidates), key=score)
    count, named, _ = score(best)
    return best[1] if count or named else None


def answer_cells(cells: list[Cell], tasks: list[str]) -> list[tuple[Cell, list[str]]]:
    """The cells to run: for each task, the last cell that defines it; in notebook order,
    each with the tasks it is the last definition of."""
    last = {}
    for cell in cells:
        for name in cell.names:
            if name in tasks:
                last[name] = cell
    chosen = sorted({id(c): c for c in last.values()}.values(), key=lambda c: c.index)
    return [(c, [t for t in tasks if last.get(t) is c]) for c in chosen]


# ---------------------------------------------------------------------------
# The worker: runs in a process of its own, under the limits
# ---------------------------------------------------------------------------

class CellTimeLimit(BaseException):
    """The worker's alarm for a cell that runs too long (a BaseException, so that a
    learner's ``except Exception`` does not swallow it)."""


class Discard(io.TextIOBase):
    """Where the learner's prints go: nowhere (an output flood costs nothing)."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


def runs(statement: ast.stmt) -> bool:
    """Whether a top-level statement of an exercise cell runs: imports, definitions and
    assignments to plain names; not calls, loops, prints or assignments to attributes."""
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
                              ast.ClassDef)):
        return True

    def plain(target: ast.expr) -> bool:
        return isinstance(target, ast.Name) or (
            isinstance(target, (ast.Tuple, ast.List)) and all(plain(t) for t in target.elts))

    if isinstance(statement, ast.Assign):
        return all(plain(t) for t in statement.targets)
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        return isinstance(statement.target, ast.Name)
    return False


def is_memory(error: BaseException | str) -> bool:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return isinstance(error, MemoryError) or any(
        s in text for s in ("MemoryError", "can't allocate memory", "Cannot allocate memory",
                            "out of memory"))


def verdict(status: str, message: str, mistake: str | None = None) -> dict:
    return {"status": status, "message": message, "mistake": mistake}


def learner_frame(error: BaseException) -> str:
    """", line 4: v = v + g**2" for the learner's innermost line in a traceback."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename.startswith("<cell ")]
    if not frames:
        return ""
    frame = frames[-1]
    where = f"in {frame.name}, " if frame.name != "<module>" else ""
    code = f": {frame.line.strip()}" if frame.line else ""
    return f" ({where}line {frame.lineno}{code})"


def run_cell(source: str, filename: str, namespace: dict, seconds: float,
             what: str) -> dict | None:
    """Run a cell's imports, definitions and assignments; None if it ran, else a verdict."""
    try:
        tree = ast.parse(python_source(source), filename)
    except SyntaxError as error:
        return verdict("error", f"❌ {what} does not compile: {syntax_message(error)}.",
                       "syntax error")
    tree.body = [s for s in tree.body if runs(s)]
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)

    def alarm(signum: int, frame: Any) -> None:
        raise CellTimeLimit

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        exec(compile(tree, filename, "exec"), namespace)
    except CellTimeLimit:
        return verdict("time-out", f"❌ {what} ran for more than {seconds:g} s and was stopped "
                       "(only its imports, definitions and assignments run). Is there a loop "
                       "that never ends?", "time limit")
    except SystemExit as error:
        return verdict("error", f"❌ {what} called sys.exit() or exit(){learner_frame(error)}. "
                       "Take it out: it would end the notebook.", "sys.exit")
    except BaseException as error:  # the learner's, reported rather than raised
        if is_memory(error):
            return verdict("error", f"❌ {what} ran out of memory (the limit is the grader's)"
                           f"{learner_frame(error)}: {type(error).__name__}: "
                           f"{str(error)[:200]}", "memory")
        return verdict("error", f"❌ {what} raised {type(error).__name__}: {str(error)[:300]}"
                       f"{learner_frame(error)}.", "exception")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return None


def classify(feedback: Any) -> dict:
    """A check's Feedback as a status."""
    message, mistake = str(feedback.message), feedback.mistake
    if feedback.passed:
        return verdict("passed", message, None)
    if mistake == "not implemented":
        return verdict("missing", message, mistake)
    if mistake == "time limit":
        return verdict("time-out", message, mistake)
    if mistake == "exception":
        return verdict("error", message, "memory" if is_memory(message) else mistake)
    return verdict("failed", message, mistake)


def run_check(task: str, check: Any, namespace: dict) -> dict:
    if check is None:
        return verdict("error", f"❌ descent.check has no check named {task}: is the grader "
                       "older than the sheet?", "no check")
    function = namespace.get(task)
    if function is None:
        return verdict("missing", f"❌ {task} is not defined.", "not defined")
    try:
        return classify(check(function))
    except SystemExit as error:
        return verdict("error", f"❌ {task} called sys.exit() or exit(){learner_frame(error)}. "
                       "Return a value instead of ending the program.", "sys.exit")
    except BaseException as error:  # the check never raises for the learner's code; in case
        if is_memory(error):
            return verdict("error", f"❌ {task} ran out of memory (the limit is the grader's)"
                           f"{learner_frame(error)}.", "memory")
        return verdict("error", f"❌ checking {task} stopped with {type(error).__name__}: "
                       f"{str(error)[:300]}{learner_frame(error)}.", "exception")


def available_memory_limit(extra_bytes: int) -> None:
    """Limit the address space to what is mapped now (Python, torch) plus ``extra_bytes``.

    Linux only: elsewhere (no /proc, an RLIMIT_AS that is not enforced) there is no limit.
    """
    import resource
    try:
        status = Path("/proc/self/status").read_text()
        mapped = int(re.search(r"VmSize:\s*(\d+) kB", status)[1]) * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = mapped + extra_bytes
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, TypeError, ValueError, AttributeError):
        pass


def worker(spec_path: str) -> int:
    """Grade one submission as ``spec_path`` describes (its cells read from the temporary copy
    of the submission); report events as JSON lines."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    events = open(spec["events"], "a", encoding="utf-8")  # noqa: SIM115 (open for the whole run)

    def emit(**event: Any) -> None:
        events.write(json.dumps(event) + "\n")
        events.flush()

    import descent.check
    from descent.check import feedback
    feedback.SECONDS = min(feedback.SECONDS, spec["timeout"])
    checks = {task: getattr(descent.check, task, None) for task in spec["tasks"]}
    if spec["memory"]:
        available_memory_limit(int(spec["memory"]))
    emit(ready=True)

    namespace: dict[str, Any] = {"__name__": "__main__"}
    emit(setup="start")
    problem = run_cell(spec["setup"], "<setup>", namespace, STARTUP_SECONDS,
                       "the sheet's setup cell")
    if problem:
        emit(setup="failed", **problem)
        return 3
    emit(setup="done")

    quiet = Discard()
    failed_tasks = set()
    notebook = json.loads(Path(spec["notebook"]).read_text(encoding="utf-8-sig"))["cells"]
    for cell in spec["cells"]:
        emit(cell=cell["index"], event="start")
        what = f"the cell defining {', '.join(cell['tasks'])} (cell {cell['index'] + 1})"
        sys.stdout = sys.stderr = quiet
        try:
            problem = run_cell(cell_source(notebook[cell["index"]]),
                               f"<cell {cell['index'] + 1}>", namespace,
                               spec["timeout"], what)
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        if problem:
            failed_tasks.update(cell["tasks"])
        emit(cell=cell["index"], event="done", problem=problem)

    for task in spec["tasks"]:
        if task in failed_tasks:
            continue
        emit(task=task, event="start")
        start = time.perf_counter()
        sys.stdout = sys.stderr = quiet
        try:
            result = run_check(task, checks[task], namespace)
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        emit(task=task, event="done", seconds=round(time.perf_counter() - start, 3), **result)
    emit(finished=True)
    return 0


WORKER = ("import sys; from descent.grade import worker; sys.exit(worker(sys.argv[1]))")


# ---------------------------------------------------------------------------
# The parent: one worker process at a time per submission, restarted after a crash
# ---------------------------------------------------------------------------

@dataclass
class Options:
    timeout: float
    memory_bytes: int
    threads: int


def worker_environment(options: Options) -> dict[str, str]:
    import descent
    env = dict(os.environ)
    lib = str(Path(descent.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([lib, env["PYTHONPATH"]] if env.get("PYTHONPATH")
                                        else [lib])
    env["CUDA_VISIBLE_DEVICES"] = ""
    env["MPLBACKEND"] = "Agg"
    env["MALLOC_ARENA_MAX"] = "2"  # fewer reserved arenas under the address-space limit
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(variable, str(options.threads))
    return env


class Tail:
    """Drain a pipe so the worker never blocks on it; keep its last characters."""

    def __init__(self, pipe: Any) -> None:
        self.chunks: collections.deque[bytes] = collections.deque()
        self.size = 0
        self.thread = threading.Thread(target=self.read, args=(pipe,), daemon=True)
        self.thread.start()

    def read(self, pipe: Any) -> None:
        for chunk in iter(lambda: pipe.read1(65536), b""):
            self.chunks.append(chunk)
            self.size += len(chunk)
            while self.size - len(self.chunks[0]) > OUTPUT_TAIL:
                self.size -= len(self.chunks.popleft())

    def text(self) -> str:
        self.thread.join(timeout=5)
        return b"".join(self.chunks).decode("utf-8", "replace")[-OUTPUT_TAIL:]


def describe_exit(code: int, killed: bool) -> str:
    if killed:
        return "was stopped"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else -code
        hint = " (the memory limit, or the system's out-of-memory killer?)" \
            if -code == signal.SIGKILL else ""
        return f"ended the grading process with signal {name}{hint}"
    return f"ended the grading process (exit code {code}): does it call os._exit()?"


def kill(process: subprocess.Popen) -> None:
    """Kill a worker and whatever it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def run_worker(spec: dict, folder: Path, work: Path, env: dict, options: Options,
               record: dict[str, dict], cell_problems: dict[int, dict]) -> tuple[str, str | None]:
    """Run one worker; fill ``record`` (task -> verdict) and ``cell_problems`` as it reports.
    Returns what it was doing when it ended ("finished", "start", "setup", "cell N",
    "task NAME") and, if it did not finish, why."""
    events_path = folder / "events.jsonl"
    events_path.write_text("")
    spec = dict(spec, events=str(events_path))
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", WORKER, str(spec_path)], cwd=work, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    output = Tail(process.stdout)
    doing, since, started, killed = "start", time.monotonic(), {}, False
    offset, pending = 0, b""

    def read_events() -> None:
        nonlocal offset, pending, doing, since
        with open(events_path, "rb") as file:
            file.seek(offset)
            data = file.read()
        offset += len(data)
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            now = time.monotonic()
            if event.get("ready"):
                doing, since = "ready", now
            elif "setup" in event:
                doing, since = ("setup", now) if event["setup"] == "start" else ("ready", now)
                if event["setup"] == "failed":
                    doing = "setup failed: " + event["message"]
            elif "cell" in event:
                if event["event"] == "start":
                    doing, since = f"cell {event['cell']}", now
                else:
                    doing, since = "between", now
                    if event["problem"]:
                        cell_problems[event["cell"]] = event["problem"]
            elif "task" in event:
                if event["event"] == "start":
                    doing, since = f"task {event['task']}", now
                    started[event["task"]] = now
                else:
                    doing, since = "between", now
                    record[event["task"]] = {k: event[k] for k in
                                             ("status", "message", "mistake", "seconds")}
            elif event.get("finished"):
                doing = "finished"

    def limit() -> float:
        if doing in ("start", "ready", "setup"):
            return max(STARTUP_SECONDS, options.timeout)
        return options.timeout + GRACE_SECONDS

    while process.poll() is None:
        time.sleep(0.05)
        read_events()
        if STOPPING.is_set():
            kill(process)
            raise KeyboardInterrupt
        if time.monotonic() - since > limit():
            killed = True
            kill(process)
    read_events()
    if doing == "finished":
        return doing, None
    if doing.startswith("task "):
        task = doing[5:]
        seconds = round(time.monotonic() - started[task], 3)
        if killed:
            record[task] = dict(verdict("time-out", f"❌ checking {task} took more than "
                                        f"{options.timeout:g} s and was stopped. Is there a loop "
                                        "that never ends, or a very slow computation?",
                                        "time limit"), seconds=seconds)
        else:
            ended = describe_exit(process.returncode, False)
            record[task] = dict(verdict("error", f"❌ {task} {ended}", "process ended"),
                                seconds=seconds)
    if doing.startswith("cell "):
        index = int(doing[5:])
        if killed:
            cell_problems[index] = verdict("time-out", f"❌ the cell defining {{tasks}} (cell "
                                           f"{index + 1}) ran for more than {options.timeout:g} s "
                                           "and was stopped. Is there a loop that never ends?",
                                           "time limit")
        else:
            cell_problems[index] = verdict("error", f"❌ the cell defining {{tasks}} (cell "
                                           f"{index + 1}) "
                                           f"{describe_exit(process.returncode, False)}",
                                           "process ended")
    why = f"the worker {describe_exit(process.returncode, killed)} while at {doing}; its output " \
          f"ended with:\n{output.text()}"
    return doing, why


def grade(submission: Submission, tasks: list[str], options: Options, env: dict) -> None:
    """Grade ``tasks`` of ``submission`` against its sheet; fill ``submission.tasks``."""
    sheet = submission.sheet
    start = time.monotonic()
    results: dict[str, dict] = {}
    cells = answer_cells(submission.cells, sheet.tasks)
    defined = {t for _, ts in cells for t in ts}
    for task in tasks:
        if task not in defined:
            results[task] = dict(verdict("missing", f"❌ {task} is not defined: no code cell "
                                         f"has `def {task}(...)`.", "not defined"), seconds=0.0)
    cell_problems: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="descent-grade-") as temporary:
        folder = Path(temporary)
        copy = folder / "submission.ipynb"
        copy.write_bytes(submission.data)
        work = folder / "work"
        work.mkdir()
        while True:
            pending = [t for t in tasks if t not in results]
            if not pending:
                break
            spec = {"notebook": str(copy), "setup": sheet.setup, "timeout": options.timeout,
                    "memory": options.memory_bytes, "tasks": pending,
                    "cells": [{"index": c.index, "tasks": ts}
                              for c, ts in cells if c.index not in cell_problems]}
            progress = len(results) + len(cell_problems)
            doing, why = run_worker(spec, folder, work, env, options, results, cell_problems)
            for cell, cell_tasks in cells:
                problem = cell_problems.get(cell.index)
                for task in cell_tasks:
                    if problem and task in tasks and task not in results:
                        message = problem["message"].replace("{tasks}", ", ".join(cell_tasks))
                        results[task] = dict(problem, message=message, seconds=0.0)
            if doing in ("start", "ready", "setup") or doing.startswith("setup failed"):
                submission.grader_failed = True
                submission.problem = f"grader failure: {why}"
                for task in tasks:
                    results.setdefault(task, dict(verdict(
                        "error", "❌ the grader failed before your code ran; ask your instructor.",
                        "grader"), seconds=0.0))
                break
            if why and len(results) + len(cell_problems) == progress:
                # it ended between two steps, twice in the same place: give up on the rest
                submission.problem = f"the worker ended between two steps: {why}"
                break
        for task in tasks:
            results.setdefault(task, dict(verdict(
                "error", "❌ the grader could not check this task; ask your instructor.",
                "grader"),
                seconds=0.0))
    submission.tasks = {task: results[task] for task in tasks}
    submission.seconds = round(time.monotonic() - start, 3)


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------

def passed_count(submission: Submission) -> int:
    return sum(r["status"] == "passed" for r in submission.tasks.values())


def write_csv(path: Path, submissions: list[Submission], columns: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["file", "sheet", *columns, "passed", "tasks", "problem"])
        for s in submissions:
            writer.writerow([s.file, s.sheet.name if s.sheet else "",
                             *[s.tasks[c]["status"] if c in s.tasks else "" for c in columns],
                             passed_count(s), len(s.tasks),
                             s.problem.splitlines()[0] if s.problem else ""])


def versions() -> dict[str, str]:
    import descent
    import torch
    return {"grader": "descent.grade", "grader_version": descent.__version__,
            "torch_version": torch.__version__, "python_version": platform.python_version(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def write_json(path: Path, submissions: list[Submission], sheets: dict[str, list[str]],
               options: Options, arguments: argparse.Namespace) -> None:
    report = {**versions(),
              "limits": {"timeout_seconds": options.timeout,
                         "memory_gb": arguments.memory, "jobs": arguments.jobs},
              "sheets": sheets,  # the tasks graded, by sheet
              "submissions": [{"file": s.file, "sha256": s.sha256,
                               "sheet": s.sheet.name if s.sheet else None,
                               "problem": s.problem, "passed": passed_count(s),
                               "total": len(s.tasks), "seconds": s.seconds, "tasks": s.tasks}
                              for s in submissions]}
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_feedback(folder: Path, submissions: list[Submission]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for s in submissions:
        stem = re.sub(r"[^\w.-]+", "_", Path(s.file).stem) or "submission"
        name, n = f"{stem}.md", 1
        while name in used:
            n += 1
            name = f"{stem}-{n}.md"
        used.add(name)
        lines = [f"# Feedback on {Path(s.file).name}", ""]
        if s.sheet:
            lines += [f"Exercise sheet: {s.sheet.name}. Passed {passed_count(s)} of "
                      f"{len(s.tasks)} tasks.", ""]
        if s.problem:
            lines += [f"Note: {s.problem.splitlines()[0]}", ""]
        for task, result in s.tasks.items():
            mistake = f" ({result['mistake']})" if result["status"] == "failed" and \
                result["mistake"] else ""
            lines += [f"## {task}: {result['status']}{mistake}", "", result["message"], ""]
        (folder / name).write_text("\n".join(lines), encoding="utf-8")


def summary_line(s: Submission, width: int) -> str:
    sheet = s.sheet.name if s.sheet else "-"
    if not s.tasks:
        return f"{s.file:<{width}}  {sheet:<16} {s.problem}"
    others = [f"{t} {r['status']}" + (f" ({r['mistake']})" if r["mistake"] and
                                       r["status"] != "missing" else "")
              for t, r in s.tasks.items() if r["status"] != "passed"]
    line = f"{s.file:<{width}}  {sheet:<16} {passed_count(s)}/{len(s.tasks)} passed"
    line += ("  " + "; ".join(others)) if others else ""
    return line + (f"  [{s.problem.splitlines()[0]}]" if s.problem else "")


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m descent.grade",
        description="Grade submitted exercise notebooks: each in its own process, on the CPU, "
                    "with a time limit per task and a memory limit. Only the sheet's setup cell "
                    "and the imports, definitions and assignments of the learner's exercise "
                    "cells run. Exit status 0 whatever the learners' results.")
    parser.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                        help="a notebook, or a folder (every *.ipynb in it)")
    parser.add_argument("--exercise", action="append", default=[], metavar="NAME",
                        help="grade this sheet (e.g. optimizers) or only this task (e.g. "
                             "adam_step); repeatable. Default: the sheet each submission "
                             "defines most tasks of")
    parser.add_argument("--csv", type=Path, metavar="FILE",
                        help="one row per submission, one column per task")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="everything: SHA-256, status, message, mistake and seconds per task, "
                             "versions")
    parser.add_argument("--feedback-dir", type=Path, metavar="DIR",
                        help="one Markdown file per submission with what the learner would see")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S",
                        help="seconds per task (each cell and each check; default 60)")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2),
                        metavar="N", help="submissions graded at once (default: half the CPUs)")
    parser.add_argument("--memory", type=float, default=4.0, metavar="GB",
                        help="memory the learner's code may take on top of Python and torch "
                             "(address space, GiB; default 4; 0 for no limit)")
    parser.add_argument("--sheets", type=Path, metavar="DIR",
                        help="the folder of exercise sheets (default: the repository's exercises/)")
    arguments = parser.parse_args(argv)
    if arguments.timeout <= 0:
        parser.error("--timeout must be positive")
    if arguments.jobs < 1:
        parser.error("--jobs must be at least 1")
    if arguments.memory < 0:
        parser.error("--memory must be 0 (no limit) or positive")
    arguments.sheets = arguments.sheets or default_sheets()
    if not arguments.sheets.is_dir():
        parser.error(f"no folder of exercise sheets at {arguments.sheets}")
    arguments.sheet_list = read_sheets(arguments.sheets)
    if not arguments.sheet_list:
        parser.error("no exercise sheets (notebooks with exercise-check cells) in "
                     f"{arguments.sheets}")
    known = {s.name for s in arguments.sheet_list}
    known |= {t for s in arguments.sheet_list for t in s.tasks}
    for name in arguments.exercise:
        if name not in known:
            parser.error(f"--exercise {name}: no sheet or task of that name in {arguments.sheets} "
                         f"(sheets: {', '.join(s.name for s in arguments.sheet_list)})")
    files = []
    for given in arguments.submissions:
        path = Path(given)
        if path.is_dir():
            files += sorted(path.glob("*.ipynb"))
        elif path.exists():
            files.append(path)
        else:
            parser.error(f"{given}: no such file or folder")
    if not files:
        parser.error("no notebooks to grade in " + ", ".join(arguments.submissions))
    arguments.files = files
    return arguments


def selection(arguments: argparse.Namespace) -> dict[str, list[str]]:
    """Sheet name -> the tasks to grade, for the sheets a submission may answer."""
    if not arguments.exercise:
        return {s.name: list(s.tasks) for s in arguments.sheet_list}
    chosen: dict[str, list[str]] = {}
    for sheet in arguments.sheet_list:
        if sheet.name in arguments.exercise:
            chosen[sheet.name] = list(sheet.tasks)
        elif any(t in arguments.exercise for t in sheet.tasks):
            chosen[sheet.name] = [t for t in sheet.tasks if t in arguments.exercise]
    return chosen


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    try:
        return grade_all(arguments)
    except KeyboardInterrupt:
        print("descent.grade: interrupted; nothing written.", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("descent.grade: the grader itself failed (see above).", file=sys.stderr)
        return 1


def grade_all(arguments: argparse.Namespace) -> int:
    chosen = selection(arguments)
    candidates = [s for s in arguments.sheet_list if s.name in chosen]
    jobs = min(arguments.jobs, len(arguments.files))
    options = Options(arguments.timeout, int(arguments.memory * 2**30),
                      max(1, (os.cpu_count() or 1) // jobs))
    env = worker_environment(options)

    submissions = []
    for path in arguments.files:
        shown = str(path)
        submission = read_submission(path, shown)
        if submission.cells is None:
            named = [s for s in candidates if s.name.lower() in path.stem.lower()]
            if len(candidates) == 1 or named:
                submission.sheet = candidates[0] if len(candidates) == 1 else \
                    max(named, key=lambda s: len(s.name))
                submission.tasks = {t: dict(verdict("error", f"❌ {submission.problem}.",
                                                    "not a notebook"), seconds=0.0)
                                    for t in chosen[submission.sheet.name]}
        else:
            submission.sheet = choose_sheet(submission, candidates)
            if submission.sheet is None:
                submission.problem = ("matches no exercise sheet: it defines none of the tasks of "
                                      + ", ".join(s.name for s in candidates))
        submissions.append(submission)

    to_grade = [s for s in submissions if s.sheet and s.cells is not None]
    done = 0
    lock = threading.Lock()

    def one(submission: Submission) -> None:
        nonlocal done
        grade(submission, chosen[submission.sheet.name], options, env)
        with lock:
            done += 1
            if sys.stderr.isatty():
                print(f"graded {done}/{len(to_grade)}: {submission.file}", file=sys.stderr)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            list(pool.map(one, to_grade))
        except KeyboardInterrupt:
            STOPPING.set()  # the threads kill their workers and stop
            pool.shutdown(cancel_futures=True)
            raise

    used = {s.sheet.name for s in submissions if s.sheet}
    columns = [t for s in candidates if s.name in used for t in chosen[s.name]]
    if arguments.csv:
        write_csv(arguments.csv, submissions, columns)
    if arguments.json:
        write_json(arguments.json, submissions,
                   {s.name: chosen[s.name] for s in candidates if s.name in used}, options,
                   arguments)
    if arguments.feedback_dir:
        write_feedback(arguments.feedback_dir, submissions)

    width = min(40, max(len(s.file) for s in submissions))
    print(f"descent.grade: {len(submissions)} submission(s); timeout {arguments.timeout:g} s per "
          f"task, memory {arguments.memory:g} GB, {jobs} at once")
    for s in submissions:
        print("  " + summary_line(s, width))
    for task in columns:
        graded = [s for s in submissions if task in s.tasks]
        print(f"  {task}: {sum(s.tasks[task]['status'] == 'passed' for s in graded)}"
              f"/{len(graded)} passed")
    written = [f"{what} {path}" for what, path in (("CSV", arguments.csv), ("JSON", arguments.json),
                                                    ("feedback", arguments.feedback_dir)) if path]
    if written:
        print("  written: " + ", ".join(written))
    failures = [s for s in submissions if s.grader_failed]
    if failures:
        for s in failures:
            print(f"descent.grade: {s.file}: {s.problem}", file=sys.stderr)
        print(f"descent.grade: the grader itself failed on {len(failures)} submission(s).",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
