"""Checks for the regularization exercises (chapter: Regularization)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from descent.check.feedback import (Feedback, Forbidden, LearnerError, call, check_tensor, devices,
                                    failed, forbidden_module_use, forbidding, passed)
from descent.check.functions import Case, check_function, random_cases
from descent.check.mistakes import Mistake

__all__ = ["l1_penalty", "l2_penalty", "dropout"]


def l2_reference(params: Sequence[Tensor], lam: float) -> Tensor:
    return lam / 2 * sum((p**2).sum() for p in params)


def l1_reference(params: Sequence[Tensor], lam: float) -> Tensor:
    return lam * sum(p.abs().sum() for p in params)


L2_MISTAKES = [
    Mistake("absolute values instead of squares", "L2 squares the weights: (λ/2)·Σ w², not "
            "(λ/2)·Σ|w|.", lambda params, lam: lam / 2 * sum(p.abs().sum() for p in params)),
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
    """Check ``dropout(x, p, training) -> Tensor`` by its statistics (it is random): the
    fraction dropped, the scaling, a fresh mask at every call, one draw per element
    (not per row or column) whatever the shape, the identity in evaluation mode."""
    name = "dropout"
    problem = forbidden_module_use(name, learner, DROPOUT_FORBIDDEN)
    if problem:
        return problem
    try:
        with forbidding(DROPOUT_FORBIDDEN):
            for device in devices():
                for dtype in (torch.float64, torch.float32):
                    for shape in ((400, 500), (200_000,), (20, 100, 100)):
                        problem = check_dropout_once(learner, name, shape, device, dtype)
                        if problem:
                            return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name} drops a fraction p of the elements independently, with a new mask "
                  "at every call, scales the rest by 1/(1 − p), and is the identity in "
                  "evaluation mode.")


DROPOUT_FORBIDDEN = Forbidden(functions=frozenset({"dropout", "alpha_dropout", "dropout1d",
                                                   "dropout2d", "dropout3d",
                                                   "feature_alpha_dropout"}),
                              modules=("descent.regularization",))


def check_dropout_once(learner: Callable, name: str, shape: tuple[int, ...], device: str,
                       dtype: torch.dtype) -> Feedback | None:
    generator = torch.Generator().manual_seed(0)
    x = (1 + torch.rand(shape, generator=generator, dtype=dtype)).to(device)  # nonzero, varied
    out = call(name, learner, x.clone(), 0.5, False)
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
        problem = check_tensor(name, out, x) or check_mask(name, out, x, p, shape)
        if problem:
            return problem
        again = call(name, learner, x.clone(), p, True)
        if torch.equal(again, out):
            return failed(f"{name} drops the same elements at every call. Each call must draw "
                          "a new random mask; do not call `torch.manual_seed` inside the "
                          "function, and do not build the mask from positions.",
                          "same mask at every call")
    problem = check_extremes(name, learner, x)
    return problem


def check_mask(name: str, out: Tensor, x: Tensor, p: float, shape: tuple[int, ...]) -> Feedback | None:
    """The dropped fraction, the scaling of the kept elements, and one draw per element."""
    dropped_mask = out == 0
    dropped = dropped_mask.double().mean().item()
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
    ratio = (out[~dropped_mask] / x[~dropped_mask]).double()
    if torch.allclose(ratio, torch.ones_like(ratio)):
        return failed(f"{name}: no inverted scaling. Divide the kept elements by (1 − p) "
                      "so that the expected output equals the input: y = mask·x/(1 − p).",
                      "no inverted scaling")
    if not torch.allclose(ratio, torch.full_like(ratio, 1 / (1 - p)), rtol=1e-5):
        return failed(f"{name}: kept elements are {ratio[0].item():.3g}·x; they should be "
                      f"x/(1 − p) = {1 / (1 - p):.3g}·x.", "wrong scaling")
    for dim in range(len(shape)):
        # One draw shared along `dim` makes every slice along it all-dropped or all-kept.
        if shape[dim] > 1 and (dropped_mask.all(dim) | (~dropped_mask).all(dim)).double().mean() > 0.5:
            along = ("row" if dim == len(shape) - 1 else
                     "column" if len(shape) == 2 else f"slice along dim {dim}")
            return failed(f"{name} draws one random number per {along} of a {len(shape)}-d "
                          f"input (shape {tuple(shape)}), so whole {along}s are dropped "
                          "together. Draw one number per element: "
                          "`torch.rand_like(x)` or `torch.rand(x.shape)`.",
                          "mask not drawn per element")
    return None


def check_extremes(name: str, learner: Callable, x: Tensor) -> Feedback | None:
    """p = 0 changes nothing and p = 1 gives zeros, without dividing by 1 − p = 0."""
    kept = call(name, learner, x.clone(), 0.0, True)
    if not isinstance(kept, Tensor) or not torch.allclose(kept, x):
        return failed(f"{name} with p = 0 should return x unchanged (nothing dropped).",
                      "p = 0")
    zeros = call(name, learner, x.clone(), 1.0, True)
    if not isinstance(zeros, Tensor) or not torch.equal(zeros, torch.zeros_like(x)):
        return failed(f"{name} with p = 1 should return zeros (everything dropped), without "
                      "dividing by 1 − p = 0.", "p = 1")
    return None
