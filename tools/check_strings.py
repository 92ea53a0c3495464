"""The English texts of descent.check that the Chinese grader must translate, found in the source.

Every ``Mistake(name, advice, ...)`` whose name and advice are string
literals (adjacent literals joined), module by module:

    python tools/check_strings.py optimizers      # a JSON list of the module's texts
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parents[1] / "lib" / "descent" / "check"


def mistake_texts(module: str) -> list[str]:
    """Name and advice of every literal Mistake(...) in ``descent.check.<module>``, in order."""
    tree = ast.parse((CHECK / f"{module}.py").read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Mistake":
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value not in found:
                    found.append(arg.value)
    return found


def modules() -> list[str]:
    return sorted(p.stem for p in CHECK.glob("*.py") if p.stem != "__init__")


if __name__ == "__main__":
    for name in sys.argv[1:] or modules():
        print(json.dumps({name: mistake_texts(name)}, ensure_ascii=False, indent=1))
