"""Checks for exercises that are plain functions: losses, gradients, loops, schedules, penalties.

:func:`check_function` calls the learner's function and the reference on
the same inputs (several shapes, dtypes, and CUDA when present), checks
what came back (None, type, shape, dtype, NaN), that no input was changed,
and compares the values; on a mismatch it replays the known mistakes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from descent.check.feedback import (NOTHING_FORBIDDEN, Feedback, Forbidden, LearnerError, call,
                                    check_tensor, close, describe, devices, failed,
                                    forbidden_module_use, forbidding, largest_difference, passed,
                                    precision_hint)
from descent.check.mistakes import Mistake


@dataclass
class Case:
    """One set of arguments to call the learner's function with."""

    args: tuple
    kwargs: dict[str, Any] = field(default_factory=dict)
    label: str = ""


def clone(value: Any) -> Any:
    if isinstance(value, Tensor):
        return value.detach().clone().requires_grad_(value.requires_grad)
    if isinstance(value, (list, tuple)):
        return type(value)(clone(v) for v in value)
    return value


def same(a: Any, b: Any) -> bool:
    if isinstance(a, Tensor):
        return isinstance(b, Tensor) and torch.equal(a.detach(), b.detach())
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return True


def as_outputs(value: Any) -> list[Any]:
    return list(value) if isinstance(value, tuple) else [value]


def check_outputs(name: str, got: Any, expected: Any, python_number: bool = False) -> Feedback | None:
    """A failure if ``got`` does not have the form of ``expected`` (tensor, tuple or number;
    with ``python_number``, a number must be a Python int or float, not a tensor)."""
    if isinstance(expected, float):
        if python_number and isinstance(got, Tensor):
            return failed(f"{name} returned {describe(got)}; return a Python float "
                          "(`math.cos`, not `torch.cos`, or `.item()`).", "wrong type")
        if isinstance(got, Tensor) and got.numel() == 1:
            got = got.item()
        if got is None:
            return failed(f"{name} returned None. Did you forget `return`?", "returned None")
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            return failed(f"{name} returned {describe(got)}; expected a number.", "wrong type")
        if not math.isfinite(got):
            return failed(f"{name} returned {got}, which is not finite.", "not finite")
        return None
    expected_outputs = as_outputs(expected)
    if isinstance(expected, tuple) and not isinstance(got, tuple):
        return failed(f"{name} should return {len(expected)} values, as a tuple; got "
                      f"{describe(got)}.", "wrong type")
    got_outputs = as_outputs(got)
    if len(got_outputs) != len(expected_outputs):
        return failed(f"{name} returned {len(got_outputs)} values; expected "
                      f"{len(expected_outputs)}.", "wrong type")
    for g, e in zip(got_outputs, expected_outputs):
        problem = check_tensor(name, g, e)
        if problem:
            return problem
    return None


def values_close(got: Any, expected: Any) -> bool:
    if isinstance(expected, float):  # a number computed in float32 is right to float32's precision
        low = isinstance(got, Tensor) and got.dtype not in (torch.float64, torch.int64)
        tolerance = 1e-6 if low else 1e-9
        return math.isclose(float(got), expected, rel_tol=tolerance, abs_tol=tolerance * 1e-3)
    return all(close(g.detach(), e.detach()) for g, e in zip(as_outputs(got), as_outputs(expected)))


def check_function(learner: Callable, *, name: str, reference: Callable, cases: Sequence[Case],
                   mistakes: Sequence[Mistake] = (), equation: str,
                   check_gradient: bool = False, python_number: bool = False,
                   forbidden: Forbidden = NOTHING_FORBIDDEN) -> Feedback:
    """Compare the learner's function with the reference on every case; on a difference,
    name the known mistake that reproduces the learner's results on every case."""
    problem = forbidden_module_use(name, learner, forbidden)
    if problem:
        return problem
    results: list[tuple[Any, Any]] = []

    def first_wrong_value() -> Feedback | None:
        for case, (got, expected) in zip(cases, results):
            if not values_close(got, expected):
                return diagnose(name, mistakes, cases, results, case, equation)
        return None

    try:
        with forbidding(forbidden):
            for case in cases:
                args, kwargs = clone(case.args), clone(case.kwargs)
                try:
                    got = call(name, learner, *args, **kwargs)
                except LearnerError as error:  # a wrong value on an earlier case says more
                    return first_wrong_value() or error.feedback
                for original, given in zip(case.args, args):
                    if not same(original, given):
                        return failed(f"{name} changed one of its inputs in place. Inputs "
                                      "belong to the caller: build new tensors instead of "
                                      "modifying them (avoid `x += ...`, `x[...] = ...`, "
                                      "`x.add_(...)`).", "input modified")
                expected = reference(*clone(case.args), **clone(case.kwargs))
                problem = check_outputs(name, got, expected, python_number)
                if problem and problem.mistake == "not finite":
                    results.append((got, expected))
                    return diagnose(name, mistakes, cases, results, case, equation,
                                    fallback=problem)
                if problem:
                    return first_wrong_value() or problem
                results.append((got, expected))
            problem = first_wrong_value()
            if problem:
                return problem
            if check_gradient:
                for case in cases:
                    problem = compare_gradients(name, learner, reference, case)
                    if problem:
                        return problem
        return passed(f"{name} matches the reference on all {len(cases)} test cases.")
    except LearnerError as error:
        return error.feedback


def diagnose(name: str, mistakes: Sequence[Mistake], cases: Sequence[Case],
             results: Sequence[tuple[Any, Any]], first: Case, equation: str,
             fallback: Feedback | None = None) -> Feedback:
    """Name the first mistake that reproduces the learner's output on the first failing case
    and on every other case it applies to; otherwise say how the output differs."""
    for mistake in mistakes:
        if reproduces(mistake, cases, results, first):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    if fallback is not None:
        return Feedback(False, f"{fallback.message} ({first.label}) Check the equation: "
                        f"{equation}.", fallback.mistake)
    index = next(i for i, case in enumerate(cases) if case is first)
    got, expected = results[index]
    detail, hint = difference_of(got, expected)
    if hint and not right_in_float32(cases, results):
        hint = ""
    return failed(f"{name} returns a different value from the reference ({first.label}): "
                  f"{detail}.{hint} Check the equation: {equation}.",
                  "float32 precision" if hint else "unrecognized")


def reproduces(mistake: Mistake, cases: Sequence[Case], results: Sequence[tuple[Any, Any]],
               first: Case) -> bool:
    for case, (got, _) in zip(cases, results):
        try:
            wrong = mistake.step(*clone(case.args), **clone(case.kwargs))
        except Exception:  # the learner's code ran where this mistake cannot: not this one
            return False
        if not matches(got, wrong):
            return False
    return True


def difference_of(got: Any, expected: Any) -> tuple[str, str]:
    """The largest difference between two results, and a float32-precision hint if it fits."""
    if isinstance(expected, float):
        return f"expected {expected:.10g}, got {float(got):.10g}", ""
    for number, (g, e) in enumerate(zip(as_outputs(got), as_outputs(expected)), start=1):
        if not close(g.detach(), e.detach()):
            which = f"output {number}: " if isinstance(expected, tuple) else ""
            return which + largest_difference(g, e), precision_hint(g, e)
    return "", ""


def right_in_float32(cases: Sequence[Case], results: Sequence[tuple[Any, Any]]) -> bool:
    """Are the results right on every float32 case (so a float64 difference is precision)?"""
    float32 = [(g, e) for g, e in results
               if isinstance(e, Tensor) and e.dtype == torch.float32
               or isinstance(e, tuple) and e and e[0].dtype == torch.float32]
    return bool(float32) and all(values_close(g, e) for g, e in float32)


def matches(got: Any, wrong: Any) -> bool:
    """Does the learner's output equal a mistake's, NaN and infinity included?"""
    if isinstance(wrong, float) or isinstance(got, float):
        return math.isclose(float(got), float(wrong), rel_tol=1e-7, abs_tol=1e-12)
    pairs = zip(as_outputs(got), as_outputs(wrong))
    return all(isinstance(g, Tensor) and g.shape == w.shape and
               torch.allclose(g.detach().double(), w.detach().double(), rtol=1e-5, atol=1e-8,
                              equal_nan=True) for g, w in pairs)


def compare_gradients(name: str, learner: Callable, reference: Callable, case: Case) -> Feedback | None:
    """The learner's output must be differentiable, with the reference's gradient."""
    args_l, args_r = clone(case.args), clone(case.args)
    got, expected = call(name, learner, *args_l, **case.kwargs), reference(*args_r, **case.kwargs)
    if not isinstance(got, Tensor) or not got.requires_grad:
        return failed(f"{name} returned a value that autograd cannot differentiate. Keep the "
                      "computation in tensors (no `.item()`, `float(...)` or `.detach()`).",
                      "not differentiable")
    call(name, lambda: got.sum().backward())
    expected.sum().backward()
    for a, b in zip(leaves(args_l), leaves(args_r)):
        if b.grad is not None and (a.grad is None or not close(a.grad, b.grad)):
            return failed(f"{name} has the right value but the wrong gradient. Avoid "
                          "in-place tricks and `.detach()` inside the formula.", "wrong gradient")
    return None


def leaves(values: Any) -> list[Tensor]:
    found = []
    for v in values:
        if isinstance(v, Tensor) and v.requires_grad:
            found.append(v)
        elif isinstance(v, (list, tuple)):
            found.extend(leaves(v))
    return found


def random_cases(make: Callable[[torch.Generator, torch.dtype, str], Case]) -> list[Case]:
    """Cases on every device, in float64 and float32, from three seeds."""
    cases = []
    for device in devices():
        for dtype in (torch.float64, torch.float32):
            for seed in range(3):
                case = make(torch.Generator().manual_seed(seed), dtype, device)
                case.label = f"{case.label}, {dtype}, {device}".lstrip(", ")
                cases.append(case)
    return cases
