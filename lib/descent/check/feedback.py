"""The machinery shared by every check: calling learner code safely, and saying what went wrong.

A check never raises because of the learner's code. It returns a
:class:`Feedback` whose text starts with ✅ or ❌ and, on failure, names the
mistake and the equation to look at.
"""

from __future__ import annotations

import contextlib
import contextvars
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import torch
from torch import Tensor
from torch.overrides import TorchFunctionMode

from descent.check.language import language, translate

PACKAGE = Path(__file__).resolve().parents[1]  # lib/descent: frames here are not the learner's
TORCH = Path(torch.__file__).resolve().parent   # nor are torch's
SECONDS = 10.0  # the time limit for one call of the learner's code


@dataclass
class Feedback:
    """The verdict of a check. Its text is what the learner sees."""

    passed: bool
    message: str
    mistake: str | None = None  # the name of the recognized mistake, if any (in English)

    language: str = field(init=False, repr=False, compare=False)  # the message's

    def __post_init__(self) -> None:
        self.language = language()               # the grader's language (check.language)
        self.message = translate(self.message)

    def __repr__(self) -> str:
        if self.language != language():          # made in a process that spoke another
            return translate(self.message)
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


@contextlib.contextmanager
def clock_paused() -> Iterator[None]:
    """Stop :func:`time_limit`'s clock inside this block: work the check does on the learner's
    behalf (an experiment's training runs) does not count towards the learner's time."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    remaining, interval = signal.getitimer(signal.ITIMER_REAL) if usable else (0.0, 0.0)
    if remaining:
        signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining:
            signal.setitimer(signal.ITIMER_REAL, remaining, interval)


def learner_line(error: BaseException) -> str:
    """The last line of the traceback that is the learner's code, e.g. "line 4: v = v + g**2"."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not any(Path(f.filename).resolve().is_relative_to(library)
                         for library in (PACKAGE, TORCH))]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f" (in {frame.name}, line {frame.lineno}{code})"


def call(name: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the learner's ``function`` (the exercise ``name``); turn any failure into a
    :class:`LearnerError`. Each call may run for ``SECONDS`` at most, and may not call
    what the running check forbids (see :func:`forbidding`)."""
    seconds = SECONDS
    rules = FORBIDDEN.get()
    try:
        with time_limit(seconds), CallRecorder(rules.functions) as recorder:
            result = function(*args, **kwargs)
    except NotImplementedError:
        raise LearnerError(failed(f"{name}: not implemented yet. Replace "
                                  "`raise NotImplementedError` with your code.", "not implemented"))
    except BudgetExceeded as error:
        raise LearnerError(failed(f"{name} went over its budget: {error}{learner_line(error)}. "
                                  "Plan the values to try before you start.", "over budget"))
    except TimeLimitExceeded:
        raise LearnerError(failed(f"{name} ran for more than {seconds:g} s and was stopped. "
                                  "Is there a loop that never ends?", "time limit"))
    except SystemExit:
        raise LearnerError(failed(f"{name} called sys.exit() (or exit()). Return a value "
                                  "instead of ending the program.", "exception"))
    except Exception as error:  # the learner's bug, reported rather than raised
        raise LearnerError(failed(f"{name} raised {type(error).__name__}: {error}"
                                  f"{learner_line(error)}", "exception"))
    if recorder.used:
        raise LearnerError(forbidden_feedback(name, recorder.used[0], rules))
    return result


# ---------------------------------------------------------------------------
# Calls an exercise forbids (the built-in that does the exercise's work)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Forbidden:
    """What an exercise asks the learner not to call.

    ``functions``: names of torch functions (``"logsumexp"``, ``"cross_entropy"``),
    caught at run time whatever the learner's code calls them through
    (``torch.logsumexp``, ``x.logsumexp``, ``F.cross_entropy``, an alias).
    ``modules``: module prefixes (``"torch.optim"``, ``"descent.optim"``) whose
    functions and classes the learner's code may not reference.
    """

    functions: frozenset[str] = frozenset()
    modules: tuple[str, ...] = ()


NOTHING_FORBIDDEN = Forbidden()
FORBIDDEN: contextvars.ContextVar[Forbidden] = contextvars.ContextVar("forbidden",
                                                                      default=NOTHING_FORBIDDEN)


class CallRecorder(TorchFunctionMode):
    """Records the calls of the torch functions named in ``names`` made inside its block."""

    def __init__(self, names: frozenset[str]) -> None:
        super().__init__()
        self.names, self.used = names, []

    def __enter__(self) -> "CallRecorder":
        return super().__enter__() if self.names else self

    def __exit__(self, *exc: Any) -> None:
        if self.names:
            super().__exit__(*exc)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in self.names and name not in self.used:
            self.used.append(name)
        return func(*args, **(kwargs or {}))


def forbidden_feedback(name: str, what: str, rules: Forbidden) -> Feedback:
    return failed(f"{name} uses `{what}`, which this exercise asks you not to use: the point "
                  "is to do that part yourself, from basic tensor operations.", "forbidden call")


@contextlib.contextmanager
def forbidding(rules: Forbidden) -> Iterator[None]:
    """Inside this block, :func:`call` rejects learner code that uses what ``rules`` forbid."""
    token = FORBIDDEN.set(rules)
    try:
        yield
    finally:
        FORBIDDEN.reset(token)


def referenced_modules(function: Callable[..., Any]) -> set[str]:
    """The modules of the global objects ``function``'s code refers to, following attribute
    names (``torch.nn.init.kaiming_normal_`` → torch.nn.init; ``from descent.optim import
    adam_step`` → descent.optim)."""
    code = getattr(function, "__code__", None)
    namespace = getattr(function, "__globals__", {})
    if code is None:
        return set()
    names = set(all_names(code))
    objects = [namespace[name] for name in names if name in namespace]
    modules = [value for value in objects if isinstance(value, ModuleType)]
    for _ in range(3):  # module.attribute.attribute...
        found = [getattr(module, attr) for module in modules for attr in names
                 if hasattr(module, attr)]
        objects += found
        modules = [value for value in found if isinstance(value, ModuleType)]
    return {m for m in map(module_of, objects) if m}


def all_names(code: CodeType) -> Iterator[str]:
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from all_names(constant)


def module_of(value: Any) -> str:
    if isinstance(value, ModuleType):
        return value.__name__
    return getattr(value, "__module__", None) or ""


def forbidden_module_use(name: str, function: Callable[..., Any], rules: Forbidden) -> Feedback | None:
    """A failure if ``function`` refers to a module ``rules`` forbid (checked before running it)."""
    for module in sorted(referenced_modules(function)):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in rules.modules):
            return forbidden_feedback(name, module, rules)
    return None


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


def largest_difference(got: Tensor, expected: Tensor) -> str:
    """Where ``got`` and ``expected`` differ most, with enough digits to see it:
    "largest difference 3.1e-08 at index (1, 2): expected 0.123456789, got 0.123456758"."""
    got, expected = got.detach().double().cpu(), expected.detach().double().cpu()
    difference = (got - expected).abs()
    difference[torch.isnan(got) != torch.isnan(expected)] = float("inf")
    difference[torch.isnan(got) & torch.isnan(expected)] = 0.0
    flat = int(torch.argmax(difference.flatten())) if difference.numel() else 0
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), got.shape)) \
        if got.dim() else ()
    where = f" at index {index if len(index) != 1 else index[0]}" if got.dim() else ""
    e, g = expected.flatten()[flat].item(), got.flatten()[flat].item()
    return (f"largest difference {difference.flatten()[flat].item():.2g}{where}: "
            f"expected {e:.10g}, got {g:.10g}")


def precision_hint(got: Tensor, expected: Tensor) -> str:
    """A hint when a float64 result is right only to float32 precision."""
    if expected.dtype != torch.float64:
        return ""
    scale = expected.detach().abs().max().item() or 1.0
    error = (got.detach().double() - expected.detach()).abs().max().item()
    if error <= 1e-4 * scale:
        return (" The difference is at float32 precision: something in your code is float32 "
                "(e.g. `torch.zeros(shape)` instead of `torch.zeros_like(param)`, or a Python "
                "list turned into a tensor without dtype). Keep the inputs' dtype.")
    return ""


def close(got: Tensor, expected: Tensor) -> bool:
    """Equal up to rounding: tight in float64, looser in lower precision."""
    tolerance = 1e-9 if expected.dtype == torch.float64 else 1e-4
    return torch.allclose(got, expected, rtol=tolerance, atol=tolerance, equal_nan=False)


@contextlib.contextmanager
def seeded(seed: int = 0) -> Iterator[None]:
    """Seed torch's global generators inside the block, and restore the caller's state after
    it: a check of random code gives the same verdict at every run without disturbing the
    learner's notebook."""
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=cuda):
        torch.manual_seed(seed)
        yield


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run small training runs on one CPU thread: matrices this small gain nothing from
    threads, and on a busy CPU waiting threads slow them down many times over."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def devices() -> list[str]:
    """Where to check: the CPU, and the GPU when there is one."""
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
