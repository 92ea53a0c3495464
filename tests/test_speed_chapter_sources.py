"""Every measured speed in the book comes from a recorded file that says where it came from.

A timing typed into a notebook ("0.70 ms", ``copy_bandwidth = 3.9e12``)
cannot be traced, and it drifts from the data: the speed chapter and the
chapter on the field's future once quoted two different bounds for the same
step. So the chapters read every timing, bandwidth and share from JSON files
(``benchmarks/results/`` for the project's own runs, ``benchmarks/anchors/``
for the GPU anchors), each of which records its device, its software, its
date and the command that made it.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import tokenize

import pytest

from book import ROOT, notebooks, read_notebook

CHAPTERS = notebooks("chapters")
NOTEBOOKS = CHAPTERS + notebooks("exercises")   # the exercise sheets too
PERFORMANCE = ROOT / "chapters" / "performance.ipynb"
RECORDS = sorted((ROOT / "benchmarks" / "results").glob("*.json")) + sorted(
    (ROOT / "benchmarks" / "anchors").glob("*.json"))

#: A number followed by a unit of time or of bandwidth: "0.70 ms", "3.9 TB/s".
#: Not a format field ("{t:6.2f} ms": the digit follows a '.', '{' or a letter).
MEASURED_TEXT = re.compile(
    r"(?<![\w.{])\d+(?:[.,]\d+)?(?:e[+-]?\d+)?\s*"
    r"(?:ms|µs|μs|ns|[kMGT]i?B/s|[kMGT]FLOP/s|[GT]FLOPS)(?!\w)"
    r"|(?<![\w.{])\d+(?:\.\d+)?\s*%\s+of\s+(?:the\s+)?(?:copy|peak|bandwidth)")

#: A variable named like a measurement ("recorded", "copy_bandwidth", "adam_ms").
MEASURED_NAME = re.compile(r"recorded|measured|timing|bandwidth|throughput|gbps|tflops"
                           r"|_ms$|^ms_|^ms$|_seconds$", re.IGNORECASE)

#: A vendor specification may be a constant if its name says so (and the text cites it).
SPECIFICATION_NAME = re.compile(r"datasheet", re.IGNORECASE)


#: Tokens that hold text: strings, comments, and the text parts of f-strings (Python 3.12+).
TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def code_cells(path):
    return [("".join(cell["source"]), index) for index, cell in enumerate(read_notebook(path)["cells"])
            if cell["cell_type"] == "code"]


def python_source(cell_source: str) -> str:
    """The cell without IPython's magics and shell lines (they are not Python)."""
    return "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                     for line in cell_source.splitlines())


def assigned_names(node: ast.AST) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [t.id if isinstance(t, ast.Name) else t.attr for t in targets
            if isinstance(t, (ast.Name, ast.Attribute))]


def numbers_in(node: ast.AST) -> list[float]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, (int, float)) and not isinstance(n.value, bool)]


def is_power_of_ten(value: float) -> bool:
    """1e9, 1e12: unit conversions, not measurements."""
    exponent = math.log10(abs(value))
    return abs(exponent - round(exponent)) < 1e-12


def typed_measurements(source: str) -> list[str]:
    """What in one code cell looks like a timing or bandwidth typed by hand."""
    found = []
    source = python_source(source)
    # 1. a number with a unit of time or bandwidth, in a string or a comment
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in TEXT_TOKENS:
            found += [f"{m.group(0)!r} in {token.string.strip()[:60]!r}"
                      for m in MEASURED_TEXT.finditer(token.string)]
    tree = ast.parse(source)
    specifications = {id(node.value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
                      and any(SPECIFICATION_NAME.search(name) for name in assigned_names(node))}
    for node in ast.walk(tree):
        # 2. a bandwidth- or FLOP/s-sized number that is not a power of ten
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                and id(node.value) not in specifications:
            for value in numbers_in(node.value):
                if abs(value) >= 1e9 and not is_power_of_ten(value):
                    found.append(f"{value:g} assigned to {assigned_names(node)}")
            # 3. a literal (number, dict or list of numbers) given a measurement's name
            try:
                ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            names = [n for n in assigned_names(node) if MEASURED_NAME.search(n)]
            if names and numbers_in(node.value):
                found.append(f"literal numbers assigned to {names}")
    return found


def test_the_check_catches_typed_timings_and_spares_constants():
    assert typed_measurements('copy_bandwidth = {"H200": 3.9e12, "H100": 2.9e12}')
    assert typed_measurements('recorded = {"torch.optim, fused": [(1.07, 0.66), (1.35, 0.72)]}')
    assert typed_measurements('print("fused: 0.70 ms, 73 % of copy")')
    assert typed_measurements('x = 1  # measured at 3.9 TB/s')
    assert typed_measurements('peak = 67e12')
    assert not typed_measurements('h100_fp32_peak_datasheet = 67e12  # FLOP/s, NVIDIA data sheet')
    assert not typed_measurements('n_params = 100e6\nrate = 28 * n_params / seconds / 1e9')
    assert not typed_measurements('print(f"{name:28s} {seconds * 1e3:7.2f} ms {rate / 1e9:6.1f} GB/s")')
    assert not typed_measurements('learning_rates = [0.005, 0.02, 0.08, 0.32]\n%matplotlib inline')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_chapter_types_a_timing_or_a_bandwidth(path):
    problems = [f"cell {index}, code: {what}" for source, index in code_cells(path)
                for what in typed_measurements(source)]
    for index, cell in enumerate(read_notebook(path)["cells"]):
        figure = cell["metadata"].get("mystnb", {})
        texts = {"text": "".join(cell["source"]) if cell["cell_type"] == "markdown" else "",
                 "caption": figure.get("figure", {}).get("caption", ""),
                 "alt text": figure.get("image", {}).get("alt", "")}
        problems += [f"cell {index}, {where}: {m.group(0)!r} (glue it from the data)"
                     for where, text in texts.items() for m in MEASURED_TEXT.finditer(text)]
    assert not problems, "read measurements from benchmarks/results or benchmarks/anchors:\n" + \
        "\n".join(problems)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_recorded_run_says_where_it_came_from(path):
    run = json.loads(path.read_text(encoding="utf-8"))
    assert run.get("device") or run.get("device_name"), "no device"
    for key in ("torch", "date", "command"):
        assert isinstance(run.get(key), str) and run[key].strip(), f"no {key}"
    assert re.match(r"\d{4}-\d{2}-\d{2}", run["date"]), "date is not ISO 8601"
    assert run.get("rows"), "no measurements"


def test_the_speed_chapter_names_every_file_it_reads():
    notebook = read_notebook(PERFORMANCE)
    code = "\n".join(source for source, _ in code_cells(PERFORMANCE))
    read = set(re.findall(r"[\w./-]+\.json", code))
    assert read, "the speed chapter reads its measurements from JSON files"
    shown = "\n".join(
        "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
        for cell in notebook["cells"] if cell["cell_type"] == "code" for output in cell["outputs"])
    for name in read:
        # a path relative to the repository ("benchmarks/...") or to chapters/ ("../benchmarks/...")
        path = (PERFORMANCE.parent / name if name.startswith("..") else ROOT / name).resolve()
        assert path.is_file(), f"{name} does not exist"
        assert path.parent in {ROOT / "benchmarks" / "results", ROOT / "benchmarks" / "anchors"}
        assert path.name in shown, f"{path.name} is read but its name is never printed beside its data"
    anchors = {p.name for p in (ROOT / "benchmarks" / "anchors").glob("*.json")}
    assert anchors <= {name.rsplit("/", 1)[-1] for name in read}, "every GPU anchor is shown"
