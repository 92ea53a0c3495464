"""Checks for the regularization exercises (chapter: Regularization)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from descent.check.feedback import (Feedback, LearnerError, call, check_tensor, devices, failed, passed)
from descent.check.functions import Case, check_function, random_cases
from descent.check.mistakes import Mistake

__all__ = ["l1_penalty", "l2_penalty", "dropout"]


def l2_reference(params: Sequence[Tensor], lam: float) -> Tensor:
    return lam / 2 * sum((p**2).sum() for p in params)


def l1_reference(params: Sequence[Tensor], lam: float) -> Tensor:
    return lam * sum(p.abs().sum() for p in params)


L2_MISTAKES = [
    Mistake("the factor ½ is missing", "The L2 penalty is (λ/2)·Σ w², so that its gradient is "
            "λw.", lambda params, lam: lam * sum((p**2).sum() for p in params)),
    Mistake("this is the L1 penalty", "L2 squares the weights: (λ/2)·Σ w².", l1_reference),
    Mistake("the norm is not squared", "Use the sum of squares, not its square root.",
            lambda params, lam: lam / 2 * torch.sqrt(sum((p**2).sum() for p in params))),
    Mistake("only the first tensor is penalized", "Sum over every tensor in `params`.",
            lambda params, lam: lam / 2 * (params[0] ** 2).sum()),
    Mistake("averaged instead of summed", "Sum the squares; do not take the mean.",
            lambda params, lam: lam / 2 * sum((p**2).mean() for p in params)),
]

L1_MISTAKES = [
    Mistake("absolute value missing", "L1 sums |w|: negative weights must count positively.",
            lambda params, lam: lam * sum(p.sum() for p in params)),
    Mistake("this is the L2 penalty", "L1 sums absolute values, λ·Σ|w|.",
            lambda params, lam: lam * sum((p**2).sum() for p in params)),
    Mistake("only the first tensor is penalized", "Sum over every tensor in `params`.",
            lambda params, lam: lam * params[0].abs().sum()),
    Mistake("averaged instead of summed", "Sum |w|; do not take the mean.",
            lambda params, lam: lam * sum(p.abs().mean() for p in params)),
]


def penalty_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    params = [torch.randn(shape, generator=generator, dtype=dtype).to(device).requires_grad_()
              for shape in ((3, 2), (4,))]
    return Case((params, 0.3), label="two tensors, λ = 0.3")


def l2_penalty(learner: Callable) -> Feedback:
    """Check ``l2_penalty(params, lam)``: (λ/2)·Σ w² over every tensor in params."""
    return check_function(learner, name="l2_penalty", reference=l2_reference,
                          cases=random_cases(penalty_case), mistakes=L2_MISTAKES,
                          equation="(λ/2)·Σ w²", check_gradient=True)


def l1_penalty(learner: Callable) -> Feedback:
    """Check ``l1_penalty(params, lam)``: λ·Σ|w| over every tensor in params."""
    return check_function(learner, name="l1_penalty", reference=l1_reference,
                          cases=random_cases(penalty_case), mistakes=L1_MISTAKES,
                          equation="λ·Σ|w|", check_gradient=True)


def dropout(learner: Callable) -> Feedback:
    """Check ``dropout(x, p, training) -> Tensor`` by its statistics (it is random)."""
    name = "dropout"
    try:
        for device in devices():
            for dtype in (torch.float64, torch.float32):
                problem = check_dropout_once(learner, name, device, dtype)
                if problem:
                    return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name} drops a fraction p, scales the rest by 1/(1 − p), and is the "
                  "identity in evaluation mode.")


def check_dropout_once(learner: Callable, name: str, device: str, dtype: torch.dtype) -> Feedback | None:
    x = torch.full((100_000,), 3.0, dtype=dtype, device=device)
    given = x.clone()
    out = call(name, learner, given, 0.5, False)
    problem = check_tensor(name, out, x)
    if problem:
        return problem
    if not torch.equal(out, x):
        return failed(f"{name} is active in evaluation mode (training=False). In evaluation "
                      "return the input unchanged; inverted scaling during training is what "
                      "makes that correct.", "active in eval mode")
    for p in (0.2, 0.5):
        given = x.clone()
        out = call(name, learner, given, p, True)
        if not torch.equal(given, x):
            return failed(f"{name} changed its input in place. Return a new tensor "
                          "(`x * mask / (1 - p)`), do not modify x.", "input modified")
        problem = check_tensor(name, out, x)
        if problem:
            return problem
        dropped = (out == 0).double().mean().item()
        kept = out[out != 0]
        if dropped in (0.0, 1.0):
            return failed(f"{name} with p = {p} {'dropped nothing' if dropped == 0 else 'dropped everything'}. "
                          "Draw one random number per element: keep it with probability 1 − p.",
                          "mask")
        if abs(dropped - (1 - p)) < 0.01 and abs(p - 0.5) > 0.05:
            return failed(f"{name} dropped a fraction {dropped:.2f} for p = {p}: p is the "
                          "probability to DROP an element, not to keep it.", "p inverted")
        if abs(dropped - p) > 0.01:
            return failed(f"{name} dropped a fraction {dropped:.2f} of the elements for p = {p}; "
                          "expected about p.", "mask")
        if torch.allclose(kept, torch.full_like(kept, 3.0)):
            return failed(f"{name}: no inverted scaling. Divide the kept elements by (1 − p) "
                          "so that the expected output equals the input: y = mask·x/(1 − p).",
                          "no inverted scaling")
        if not torch.allclose(kept, torch.full_like(kept, 3.0 / (1 - p))):
            value = kept[0].item()
            return failed(f"{name}: kept elements are {value / 3:.3g}·x; they should be "
                          f"x/(1 − p) = {1 / (1 - p):.3g}·x.", "wrong scaling")
    zeros = call(name, learner, x.clone(), 1.0, True)
    if not torch.equal(zeros, torch.zeros_like(x)):
        return failed(f"{name} with p = 1 should return zeros (everything dropped), without "
                      "dividing by 1 − p = 0.", "p = 1")
    return None
