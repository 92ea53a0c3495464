"""The machinery shared by every check: calling learner code safely, and saying what went wrong.

A check never raises because of the learner's code. It returns a
:class:`Feedback` whose text starts with ✅ or ❌ and, on failure, names the
mistake and the equation to look at.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

PACKAGE = Path(__file__).resolve().parents[1]  # lib/descent: frames here are not the learner's
SECONDS = 10.0  # the time limit for one call of the learner's code


@dataclass
class Feedback:
    """The verdict of a check. Its text is what the learner sees."""

    passed: bool
    message: str
    mistake: str | None = None  # the name of the recognized mistake, if any

    def __repr__(self) -> str:
        return self.message


def passed(what: str) -> Feedback:
    return Feedback(True, f"✅ {what}")


def failed(message: str, mistake: str | None = None) -> Feedback:
    return Feedback(False, f"❌ {message}", mistake)


class LearnerError(Exception):
    """The learner's code failed; ``feedback`` says how."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.message)
        self.feedback = feedback


class TimeLimitExceeded(Exception):
    pass


class BudgetExceeded(Exception):
    """The learner's experiment called its evaluation more often than its budget allows."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the main thread after ``seconds`` (Unix).

    Elsewhere (another thread, Windows) the code runs without a limit.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def learner_line(error: BaseException) -> str:
    """The last line of the traceback that is the learner's code, e.g. "line 4: v = v + g**2"."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not Path(f.filename).resolve().is_relative_to(PACKAGE)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f" (in {frame.name}, line {frame.lineno}{code})"


def call(name: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the learner's ``function`` (the exercise ``name``); turn any failure into a
    :class:`LearnerError`. Each call may run for ``SECONDS`` at most."""
    seconds = SECONDS
    try:
        with time_limit(seconds):
            return function(*args, **kwargs)
    except NotImplementedError:
        raise LearnerError(failed(f"{name}: not implemented yet. Replace "
                                  "`raise NotImplementedError` with your code.", "not implemented"))
    except BudgetExceeded as error:
        raise LearnerError(failed(f"{name} went over its budget: {error}{learner_line(error)}. "
                                  "Plan the values to try before you start.", "over budget"))
    except TimeLimitExceeded:
        raise LearnerError(failed(f"{name} ran for more than {seconds:g} s and was stopped. "
                                  "Is there a loop that never ends?", "time limit"))
    except Exception as error:  # the learner's bug, reported rather than raised
        raise LearnerError(failed(f"{name} raised {type(error).__name__}: {error}"
                                  f"{learner_line(error)}", "exception"))


def describe(value: Any) -> str:
    if isinstance(value, Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:80]


def check_tensor(name: str, got: Any, expected: Tensor) -> Feedback | None:
    """A failure if ``got`` is not a finite tensor like ``expected`` (shape, dtype, device)."""
    if got is None:
        return failed(f"{name} returned None. Did you forget `return`?", "returned None")
    if not isinstance(got, Tensor):
        return failed(f"{name} returned {describe(got)}; expected {describe(expected)}.", "wrong type")
    if got.shape != expected.shape:
        return failed(f"{name} returned shape {tuple(got.shape)}; expected {tuple(expected.shape)}.",
                      "wrong shape")
    if got.dtype != expected.dtype:
        return failed(f"{name} returned dtype {got.dtype}; expected {expected.dtype} "
                      "(keep the dtype of the inputs).", "wrong dtype")
    if got.device != expected.device:
        return failed(f"{name} returned a tensor on {got.device}; expected {expected.device} "
                      "(create new tensors on the inputs' device, e.g. torch.zeros_like).",
                      "wrong device")
    if torch.isfinite(expected).all() and not torch.isfinite(got).all():
        return failed(f"{name} returned NaN or infinity where the answer is finite.", "not finite")
    return None


def close(got: Tensor, expected: Tensor) -> bool:
    """Equal up to rounding: tight in float64, looser in lower precision."""
    tolerance = 1e-9 if expected.dtype == torch.float64 else 1e-4
    return torch.allclose(got, expected, rtol=tolerance, atol=tolerance, equal_nan=False)


def devices() -> list[str]:
    """Where to check: the CPU, and the GPU when there is one."""
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
