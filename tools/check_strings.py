"""The English texts of descent.check that the Chinese grader must translate, found in the source.

Every string in a module of ``descent.check`` that reads as English prose
(two words or more; docstrings and the operands of a comparison, such as
torch's words looked for in an error, aside) is a text a learner may see: a
mistake's name or advice, a verdict, a hint. A plain string literal is a
*message*, translated as a whole wherever it appears in a verdict. An
f-string is a *template*: its English parts are fixed and each ``{…}`` is a
value filled in at run time (written as ``ast.unparse`` writes the
expression, with its ``!r`` and ``:format``). Its Chinese keeps the same
placeholders, in any order (see :mod:`descent.check.language`).

    python tools/check_strings.py optimizers      # the module's texts, as JSON
    python tools/check_strings.py --missing       # the texts without Chinese, module by module
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parents[1] / "lib" / "descent" / "check"
PROSE = re.compile(r"[A-Za-z]{2,}`?[\s-]+`?[A-Za-z]{2,}")   # two English words: not a name or a formula
NOT_LEARNER_FACING = {"__init__", "language"}


def placeholder(value: ast.FormattedValue) -> str:
    """``{expression!r:spec}`` as the f-string means it."""
    text = ast.unparse(value.value)
    if value.conversion != -1:
        text += "!" + chr(value.conversion)
    if value.format_spec is not None:
        text += ":" + "".join(part.value if isinstance(part, ast.Constant) else placeholder(part)
                              for part in value.format_spec.values)
    return "{" + text + "}"


def template(node: ast.JoinedStr) -> str:
    """An f-string's text with its placeholders; a literal brace is doubled, as in str.format."""
    return "".join(part.value.replace("{", "{{").replace("}", "}}")
                   if isinstance(part, ast.Constant) else placeholder(part)
                   for part in node.values)


def english(node: ast.JoinedStr) -> str:
    return " ".join(part.value for part in node.values if isinstance(part, ast.Constant))


def docstrings(tree: ast.Module) -> set[int]:
    kinds = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def texts(module: str) -> tuple[list[str], list[str]]:
    """The messages (plain strings) and templates (f-strings) of ``descent.check.<module>``
    that read as English, each once, in the order of the source."""
    tree = ast.parse((CHECK / f"{module}.py").read_text(encoding="utf-8"))
    skip = docstrings(tree)
    skip |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for part in node.values}                    # the parts of an f-string: the f-string is the text
    skip |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.FormattedValue)
             and node.format_spec is not None for part in ast.walk(node.format_spec)}
    skip |= {id(operand) for node in ast.walk(tree) if isinstance(node, ast.Compare)
             for operand in (node.left, *node.comparators)}   # `"leaf Variable" in message`: torch's words
    named = {id(argument) for node in ast.walk(tree)          # a mistake's name, even one word
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Mistake"
             for argument in node.args[:2]}
    messages: list[str] = []
    templates: list[str] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                PROSE.search(node.value) or id(node) in named):
            if node.value not in messages:
                messages.append(node.value)
        elif isinstance(node, ast.JoinedStr) and PROSE.search(english(node)):
            if template(node) not in templates:
                templates.append(template(node))
    return messages, templates


def modules() -> list[str]:
    return sorted(p.stem for p in CHECK.glob("*.py") if p.stem not in NOT_LEARNER_FACING)


def missing(module: str) -> dict[str, list[str]]:
    """The module's texts that its Chinese catalogue lacks."""
    messages, templates = texts(module)
    try:
        catalogue = importlib.import_module(f"descent.check.zh.{module}")
    except ModuleNotFoundError:
        return {"MESSAGES": messages, "TEMPLATES": templates}
    return {"MESSAGES": [m for m in messages if m not in getattr(catalogue, "MESSAGES", {})],
            "TEMPLATES": [t for t in templates if t not in getattr(catalogue, "TEMPLATES", {})]}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--missing"]:
        for name in sys.argv[2:] or modules():
            print(json.dumps({name: missing(name)}, ensure_ascii=False, indent=1))
    else:
        for name in sys.argv[1:] or modules():
            messages, templates = texts(name)
            print(json.dumps({name: {"MESSAGES": messages, "TEMPLATES": templates}},
                             ensure_ascii=False, indent=1))
