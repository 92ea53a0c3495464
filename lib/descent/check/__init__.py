"""descent.check: the exercises' grader.

Each check takes the learner's function, runs it beside the reference
implementation on random inputs (several seeds, shapes and dtypes, and CUDA
when present; optimizers also in short training runs) and returns a
:class:`Feedback`: ✅, or ❌ with a diagnosis that names the mistake ("bias
correction missing", "ε inside the square root"), the equation to look at and
the largest difference. It never raises because of the learner's code:
exceptions (with the learner's own line), ``NotImplementedError`` stubs,
``None`` results, wrong shapes or dtypes, NaN and code that runs too long all
become feedback.

Where things are:

- :mod:`descent.check.feedback`: the feedback machinery (calling learner code
  safely, comparing results, wording the verdict);
- :mod:`descent.check.functions`, :mod:`descent.check.steps` and
  :mod:`descent.check.kinds`: checks for plain functions, for optimizer step
  functions, and for the derive / predict / experiment / debug exercises;
- one module per chapter (:mod:`descent.check.optimizers`, ...): its checks,
  their reference implementations and the catalogue of known mistakes.

Usage, in an exercise notebook::

    from descent import check
    check.adam_step(adam_step)

The Chinese edition's sheets first call ``check.language("zh")``: the
verdicts are then printed in Chinese (:mod:`descent.check.language`).
"""

from __future__ import annotations

import importlib

from descent.check.feedback import Feedback
from descent.check.language import language

# Each chapter's module lists its checks in __all__; they are all available as
# check.NAME (a function of the same name as the module hides the module here).
CHAPTERS = ["background", "losses", "gradient_descent", "minibatch", "optimizers",
            "optimizers_compared", "why_optimizers_work", "beyond_adam", "schedules", "performance",
            "regularization", "initialization", "debugging_training", "training_toolkit", "distributed",
            "future", "faq"]
__all__ = ["Feedback", "language"]
for _chapter in CHAPTERS:
    _module = importlib.import_module(f"descent.check.{_chapter}")
    globals().update({name: getattr(_module, name) for name in _module.__all__})
    __all__ += _module.__all__
