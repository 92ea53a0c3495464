"""A catalogue of wrong exercise solutions, written the way learners write them.

Each entry: (check name, the mistake the grader must name, the wrong function),
registered with `@wrong(...)` in one module per topic. tests/test_exercises.py
checks that every one fails with its own diagnosis. Importing every module of
this package fills CATALOGUE.
"""

import importlib
import pkgutil

from wrong_implementations.registry import CATALOGUE

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "registry":
        importlib.import_module(f"wrong_implementations.{_module.name}")

__all__ = ["CATALOGUE"]
