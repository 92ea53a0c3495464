"""Checks for the regularization exercises (chapter: Regularization)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from descent.check.feedback import (Feedback, Forbidden, LearnerError, call, check_tensor,
                                    describe, devices, failed, forbidden_module_use, forbidding,
                                    passed, seeded)
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
    Mistake("only the last tensor is penalized", "Add the penalty of every tensor: `total = "
            "total + ...` inside the loop, not `total = ...`.",
            lambda params, lam: lam / 2 * (params[-1] ** 2).sum()),
    Mistake("each tensor's norm is not squared", "Sum the squares of the weights, Σ w², not "
            "the norms ‖w‖ of the tensors.",
            lambda params, lam: lam / 2 * sum(p.norm() for p in params)),
    Mistake("the square of the sum instead of the sum of squares", "Square each weight, then "
            "sum: Σ w², not (Σ w)².", lambda params, lam: lam / 2 * sum(p.sum() for p in params) ** 2),
    Mistake("the square of the sum instead of the sum of squares", "Square each weight, then "
            "sum: Σ w², not (Σ w)² per tensor.",
            lambda params, lam: lam / 2 * sum(p.sum() ** 2 for p in params)),
    Mistake("only the first two tensors are penalized", "`params` may hold any number of "
            "tensors: loop over all of them.",
            lambda params, lam: lam / 2 * sum((p**2).sum() for p in params[:2])),
    Mistake("λ is squared", "λ multiplies the sum once: (λ/2)·Σ w², not Σ (λw)²/2.",
            lambda params, lam: sum(((lam * p) ** 2).sum() for p in params) / 2),
    Mistake("integer division", "`lam // 2` rounds down to a whole number (0 for λ = 0.3). "
            "Use `lam / 2`.", lambda params, lam: lam // 2 * sum((p**2).sum() for p in params)),
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
    Mistake("only the last tensor is penalized", "Add the penalty of every tensor: `total = "
            "total + ...` inside the loop, not `total = ...`.",
            lambda params, lam: lam * params[-1].abs().sum()),
    Mistake("only the first two tensors are penalized", "`params` may hold any number of "
            "tensors: loop over all of them.",
            lambda params, lam: lam * sum(p.abs().sum() for p in params[:2])),
    Mistake("a factor ½ that L1 does not have", "The L1 penalty is λ·Σ|w|; the ½ belongs to "
            "L2's (λ/2)·Σ w².", lambda params, lam: lam / 2 * sum(p.abs().sum() for p in params)),
    Mistake("the Euclidean norm instead of the sum of absolute values", "`p.norm()` is "
            "√(Σ w²); L1 is Σ|w| (`p.abs().sum()`, or `p.norm(p=1)`).",
            lambda params, lam: lam * sum(p.norm() for p in params)),
    Mistake("the absolute value of the sum instead of the sum of absolute values", "Take |w| "
            "of each weight, then sum: Σ|w|, not |Σ w|.",
            lambda params, lam: lam * sum(p.sum().abs() for p in params)),
]


PENALTY_SHAPES = [((3, 2), (4,)), ((5,),), ((2, 3), (3,), (2, 2, 2))]


def penalty_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    shapes = PENALTY_SHAPES[int(torch.randint(0, 3, (1,), generator=generator))]
    params = [torch.randn(shape, generator=generator, dtype=dtype).to(device).requires_grad_()
              for shape in shapes]
    return Case((params, 0.3), label=f"{len(params)} tensor(s) of shapes {list(shapes)}, λ = 0.3")


def l2_penalty(learner: Callable) -> Feedback:
    """Check ``l2_penalty(params, lam)``: (λ/2)·Σ w² over every tensor in params."""
    return check_function(learner, name="l2_penalty", reference=l2_reference,
                          cases=random_cases(penalty_case), mistakes=L2_MISTAKES,
                          equation="(λ/2)·Σ w²", check_gradient=True,
                          forbidden=PENALTY_FORBIDDEN)


def l1_penalty(learner: Callable) -> Feedback:
    """Check ``l1_penalty(params, lam)``: λ·Σ|w| over every tensor in params."""
    return check_function(learner, name="l1_penalty", reference=l1_reference,
                          cases=random_cases(penalty_case), mistakes=L1_MISTAKES,
                          equation="λ·Σ|w|", check_gradient=True,
                          forbidden=PENALTY_FORBIDDEN)


# The course's own penalties are what the learner is writing.
PENALTY_FORBIDDEN = Forbidden(modules=("descent.regularization",))


def dropout(learner: Callable) -> Feedback:
    """Check ``dropout(x, p, training) -> Tensor`` by its statistics (it is random): the
    fraction dropped, the scaling, a fresh mask at every call, one draw per element
    (not per row or column) whatever the shape, the identity in evaluation mode."""
    name = "dropout"
    problem = forbidden_module_use(name, learner, DROPOUT_FORBIDDEN)
    if problem:
        return problem
    try:  # seeded, so the verdict is the same at every run; the caller's RNG is restored
        with forbidding(DROPOUT_FORBIDDEN), seeded():
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
        exact = round(p * x.numel())
        if isinstance(again, Tensor) and int((out == 0).sum()) == int((again == 0).sum()) == exact:
            return failed(f"{name} drops exactly p·n = {exact} elements at every call. Each "
                          "element is dropped independently with probability p, so the number "
                          "dropped varies from call to call: `torch.rand_like(x) < p`, not a "
                          "random choice of exactly p·n positions.", "exactly p·n dropped")
    problem = check_extremes(name, learner, x)
    return problem


def check_mask(name: str, out: Tensor, x: Tensor, p: float, shape: tuple[int, ...]) -> Feedback | None:
    """One draw per element, the dropped fraction, and the scaling of the kept elements."""
    dropped_mask = out == 0
    dropped = dropped_mask.double().mean().item()
    if dropped in (0.0, 1.0):
        return failed(f"{name} with p = {p} {'dropped nothing' if dropped == 0 else 'dropped everything'}. "
                      "Draw one random number per element: keep it with probability 1 − p.",
                      "mask")
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


# ===========================================================================
# The proximal step for L1, early stopping, tuning weight decay, and
# evaluation mode (a debug exercise). This part of the module has its own imports.
# ===========================================================================

import copy  # noqa: E402
import functools  # noqa: E402
import math  # noqa: E402
import numbers  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

from torch.overrides import TorchFunctionMode  # noqa: E402

from descent.check.kinds import Budget  # noqa: E402
from descent.data import regression  # noqa: E402
from descent.losses import cross_entropy as descent_cross_entropy  # noqa: E402
from descent.check.mistakes import sign_flipped  # noqa: E402
from descent.check.steps import STEP_FORBIDDEN, check_step_function  # noqa: E402

__all__ += ["proximal_l1_step", "early_stopping", "tune_weight_decay", "evaluate_fixed"]


# ---------------------------------------------------------------------------
# proximal_l1_step: a gradient step on the loss, then soft-thresholding
# ---------------------------------------------------------------------------

def soft_threshold(w: Tensor, threshold: float) -> Tensor:
    """sign(w)·max(|w| − threshold, 0): the proximal step of threshold·‖w‖₁."""
    return torch.nn.functional.softshrink(w, threshold)


def proximal_l1_reference(param, grad, state, *, lr, lam):
    """w = θ − α·g, then θ ← sign(w)·max(|w| − αλ, 0)."""
    param.copy_(soft_threshold(param - lr * grad, lr * lam))


def prox_subgradient(param, grad, state, *, lr, lam):
    param.sub_(lr * (grad + lam * param.sign()))


def prox_threshold_lam(param, grad, state, *, lr, lam):
    param.copy_(soft_threshold(param - lr * grad, lam))


def prox_hard_threshold(param, grad, state, *, lr, lam):
    w = param - lr * grad
    param.copy_(torch.where(w.abs() > lr * lam, w, torch.zeros_like(w)))


def prox_shrink_first(param, grad, state, *, lr, lam):
    param.copy_(soft_threshold(param, lr * lam) - lr * grad)


def prox_no_clip(param, grad, state, *, lr, lam):
    w = param - lr * grad
    param.copy_(w - lr * lam * w.sign())


def prox_negatives_zeroed(param, grad, state, *, lr, lam):
    param.copy_((param - lr * grad - lr * lam).clamp(min=0))


def prox_magnitude_only(param, grad, state, *, lr, lam):
    param.copy_(((param - lr * grad).abs() - lr * lam).clamp(min=0))


def prox_wrong_way(param, grad, state, *, lr, lam):
    w = param - lr * grad
    param.copy_(torch.where(w.abs() > lr * lam, w - lr * lam, torch.zeros_like(w)))


def prox_weight_decay(param, grad, state, *, lr, lam):
    param.copy_((1 - lr * lam) * (param - lr * grad))


def prox_l2_decay(param, grad, state, *, lr, lam):
    param.mul_(1 - lr * lam).sub_(lr * grad)


def prox_small_weights_kept(param, grad, state, *, lr, lam):
    w = param - lr * grad
    param.copy_(torch.where(w.abs() > lr * lam, w - lr * lam * w.sign(), w))


def prox_half_threshold(param, grad, state, *, lr, lam):
    param.copy_(soft_threshold(param - lr * grad, lr * lam / 2))


def prox_old_sign(param, grad, state, *, lr, lam):
    w = param - lr * grad
    param.copy_(param.sign() * (w.abs() - lr * lam).clamp(min=0))


def prox_no_gradient_step(param, grad, state, *, lr, lam):
    param.copy_(soft_threshold(param, lr * lam))


def prox_twice(param, grad, state, *, lr, lam):
    param.copy_(soft_threshold(param - lr * (grad + lam * param.sign()), lr * lam))


SOFT = "sign(w)·max(|w| − αλ, 0)"
PROX_MISTAKES = [
    Mistake("subgradient step instead of the proximal step (no exact zeros)",
            "θ − α·(g + λ·sign(θ)) pushes a small weight back and forth across zero and never "
            f"lands on 0. Take the gradient step on the loss alone, w = θ − α·g, then "
            f"soft-threshold: θ ← {SOFT}.", prox_subgradient),
    Mistake("threshold λ instead of αλ", "The shrink scales with the step size: subtract "
            f"α·λ (`lr * lam`) from |w|, not λ: θ ← {SOFT}.", prox_threshold_lam),
    Mistake("hard threshold: small weights zeroed, the others not shrunk", "Soft-thresholding "
            "moves every weight towards zero by αλ and stops at zero. Zeroing |w| ≤ αλ and "
            f"keeping the others as they are is hard thresholding. Use θ ← {SOFT}.",
            prox_hard_threshold),
    Mistake("shrink before the gradient step", "First the gradient step on the loss, "
            f"w = θ − α·g; then shrink w: θ ← {SOFT}.", prox_shrink_first),
    Mistake("shrunk past zero: the max(·, 0) is missing", "Without the clip, a weight with "
            "|w| < αλ jumps to the other side of zero instead of stopping at 0: "
            f"θ ← {SOFT}.", prox_no_clip),
    Mistake("sign(w) missing: negative weights set to zero", "max(w − αλ, 0) wipes out every "
            f"negative weight. Shrink the magnitude and keep the sign: θ ← {SOFT}.",
            prox_negatives_zeroed),
    Mistake("sign(w) missing: every weight comes out ≥ 0", "max(|w| − αλ, 0) is the new "
            f"magnitude; multiply it by sign(w): θ ← {SOFT}.", prox_magnitude_only),
    Mistake("negative weights shrunk the wrong way", "w − αλ moves a negative weight away "
            f"from zero. Subtract αλ·sign(w): θ ← {SOFT}.", prox_wrong_way),
    Mistake("this is weight decay (L2), not the L1 proximal step", "Multiplying by (1 − αλ) "
            "shrinks in proportion, so no weight ever reaches zero. The L1 step subtracts the "
            f"same αλ from every |w| and stops at zero: θ ← {SOFT}.", prox_weight_decay),
    Mistake("this is weight decay (L2), not the L1 proximal step", "Multiplying by (1 − αλ) "
            "shrinks in proportion, so no weight ever reaches zero. The L1 step subtracts the "
            f"same αλ from every |w| and stops at zero: θ ← {SOFT}.", prox_l2_decay),
    Mistake("weights below the threshold left as they are (not set to 0)", "Where "
            f"|w| ≤ αλ the result is exactly 0: θ ← {SOFT}.", prox_small_weights_kept),
    Mistake("threshold αλ/2 instead of αλ", "The ½ belongs to the L2 penalty; the proximal "
            f"step of λ‖θ‖₁ shrinks by αλ: θ ← {SOFT}.", prox_half_threshold),
    Mistake("sign taken before the gradient step", "Shrink w = θ − α·g and keep ITS sign: "
            f"θ ← {SOFT}, with sign(w), not sign(θ).", prox_old_sign),
    Mistake("gradient step missing", "First the gradient step on the loss, w = θ − α·g; "
            f"then shrink w: θ ← {SOFT}.", prox_no_gradient_step),
    Mistake("the L1 penalty applied twice", "The gradient step uses the loss's gradient g "
            "alone; the penalty is handled by the shrink only: w = θ − α·g, "
            f"θ ← {SOFT}.", prox_twice),
    sign_flipped(proximal_l1_reference),
]

# α·λ = 0.1 and 0.03: some weights end at exactly zero, and gradient steps larger than λ
# keep even a wrong threshold of λ from freezing every weight at zero. The last one is
# also the training run's.
PROX_SETTINGS = [dict(lr=0.5, lam=0.2), dict(lr=0.3, lam=0.1)]


def proximal_l1_step(learner: Callable) -> Feedback:
    """Check ``proximal_l1_step(param, grad, *, lr, lam)``: w = θ − α·g, then
    θ ← sign(w)·max(|w| − αλ, 0), in place."""
    name = "proximal_l1_step"
    problem = forbidden_module_use(name, learner, STEP_FORBIDDEN)
    if problem:
        return problem

    def learner_step(param, grad, state, *, lr, lam):  # the step checker passes a state
        return learner(param, grad, lr=lr, lam=lam)

    result = check_step_function(learner_step, name=name, reference=proximal_l1_reference,
                                 settings=PROX_SETTINGS, mistakes=PROX_MISTAKES,
                                 equation=f"w = θ − α·g, then θ ← {SOFT}")
    if result.passed:
        return passed(f"{name} matches the proximal step on every test case and in training "
                      "runs: weights whose |w| falls below αλ land on exactly 0.")
    return result


# ---------------------------------------------------------------------------
# early_stopping: scripted validation losses, and which epoch's weights remain
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StoppingScenario:
    """A run for early stopping to watch: the validation loss after epochs 1, 2, ..."""

    patience: int
    max_epochs: int
    losses: tuple[float, ...]


STOPPING_SCENARIOS = [
    # a dip, a tie with the best (epoch 5), then no improvement for 3 epochs: stop after 7
    StoppingScenario(3, 20, (1.0, 0.8, 0.85, 0.7, 0.7, 0.75, 0.72, 0.71, 0.69, 0.66, 0.64,
                             0.62, 0.6, 0.58, 0.57, 0.56, 0.55, 0.54, 0.53, 0.52)),
    # improvements after single bad epochs: patience 2 stops after 7, best 5
    StoppingScenario(2, 12, (0.9, 0.95, 0.8, 0.85, 0.75, 0.78, 0.77, 0.7, 0.6, 0.5, 0.4, 0.3)),
    # still improving when max_epochs is reached
    StoppingScenario(4, 6, (0.5, 0.4, 0.45, 0.35, 0.3, 0.32)),
    # patience 1, and a tie right after the best
    StoppingScenario(1, 10, (0.6, 0.5, 0.5, 0.4, 0.45, 0.3, 0.2, 0.1, 0.05, 0.01)),
]
UNTRAINED_LOSS = 10.0  # the validation loss of the model before its first epoch


class TrainedPastMaxEpochs(Exception):
    """The early-stopping loop asked for more than max_epochs epochs."""


class RestoreWatch(TorchFunctionMode):
    """Notices a copy into a parameter from a tensor that shares its memory: a "saved"
    state that was a reference to the live weights (``best = model.state_dict()``)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.storages = {p.untyped_storage().data_ptr() for p in model.parameters()}
        self.aliased = False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func is Tensor.copy_ and len(args) >= 2 and isinstance(args[1], Tensor):
            target = args[0].untyped_storage().data_ptr()
            if target in self.storages and target == args[1].untyped_storage().data_ptr():
                self.aliased = True
        return func(*args, **(kwargs or {}))


@dataclass
class StoppingOutcome:
    """What an early-stopping function did with a scenario."""

    trained: int | None      # epochs trained; None: it asked for more than max_epochs
    returned: Any            # what it returned (numbers as numbers)
    weights: int | None      # the epoch whose weights the model ends with (0: untrained)
    aliased: bool            # restored from a reference to the live weights


class StoppingRun:
    """A small model, a fake training epoch that moves its weights in place (as an
    optimizer does) and a scripted validation loss."""

    def __init__(self, scenario: StoppingScenario) -> None:
        self.scenario = scenario
        generator = torch.Generator().manual_seed(0)
        self.model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                         torch.nn.Linear(4, 2)).double()
        with torch.no_grad():
            for p in self.model.parameters():
                p.copy_(torch.randn(p.shape, generator=generator, dtype=p.dtype))
        self.steps = [[0.1 * torch.randn(p.shape, generator=generator, dtype=p.dtype)
                       for p in self.model.parameters()] for _ in range(scenario.max_epochs)]
        self.snapshots = [self.weights()]
        self.epochs = 0
        self.past_max = False

    def weights(self) -> list[Tensor]:
        return [p.detach().clone() for p in self.model.parameters()]

    def train_one_epoch(self, model: Any = None) -> None:
        if self.epochs >= self.scenario.max_epochs:
            self.past_max = True
            raise TrainedPastMaxEpochs(f"epoch {self.epochs + 1} asked for, but max_epochs is "
                                       f"{self.scenario.max_epochs}")
        with torch.no_grad():
            for p, step in zip(self.model.parameters(), self.steps[self.epochs]):
                p.sub_(step)
        self.epochs += 1
        self.snapshots.append(self.weights())

    def validation_loss(self, model: Any = None) -> float:
        return self.scenario.losses[self.epochs - 1] if self.epochs else UNTRAINED_LOSS

    def outcome(self, returned: Any, aliased: bool) -> StoppingOutcome:
        if isinstance(returned, Tensor) and returned.numel() == 1:
            returned = returned.item()
        if isinstance(returned, numbers.Real) and not isinstance(returned, bool):
            returned = float(returned) if not float(returned).is_integer() else int(returned)
        final = self.weights()
        weights = next((k for k, snapshot in enumerate(self.snapshots)
                        if all(torch.equal(a, b) for a, b in zip(final, snapshot))), None)
        return StoppingOutcome(None if self.past_max else self.epochs, returned, weights,
                               aliased)

    def arguments(self) -> tuple:
        s = self.scenario
        return self.train_one_epoch, self.validation_loss, self.model, s.patience, s.max_epochs


RAISED = StoppingOutcome(-1, "raised an exception", None, False)


def run_stopping(function: Callable, scenario: StoppingScenario) -> StoppingOutcome:
    """Run a trusted early-stopping function (the reference or a mistake)."""
    run = StoppingRun(scenario)
    watch = RestoreWatch(run.model)
    try:
        with watch:
            returned = function(*run.arguments())
    except TrainedPastMaxEpochs:
        returned = None
    except Exception:  # a mistake that crashes on this scenario (as the learner's would)
        return RAISED
    return run.outcome(returned, watch.aliased)


def run_stopping_learner(learner: Callable, name: str,
                         scenario: StoppingScenario) -> tuple[StoppingOutcome, Feedback | None]:
    """The learner's outcome, and the feedback if its code failed."""
    run = StoppingRun(scenario)
    watch = RestoreWatch(run.model)
    try:
        with watch:
            returned = call(name, learner, *run.arguments())
    except LearnerError as error:
        if not run.past_max:
            return RAISED, error.feedback
        returned = None
    return run.outcome(returned, watch.aliased), None


def stopping_reference(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = math.inf, 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:                       # an improvement: strictly lower
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:       # `patience` epochs without improvement
            break
    model.load_state_dict(best_state)
    return best_epoch


def stopping_variant(*, improves=lambda loss, best: loss < best, stop=None, save=None,
                     restore=True, returns="best", end=None, before=False, update_best=True,
                     reset=True, stop_test_first=False) -> Callable:
    """The reference with one part changed, for the catalogue of mistakes.

    stop(bad_epochs, patience) says when to stop; save(model) what to keep of the best
    epoch; returns: "best", "zero-based", "last" or "loss"; end(max_epochs): the end of
    the range of epochs; before: evaluate before training; update_best: remember the best
    loss; reset: set the count of bad epochs back to 0 on an improvement; stop_test_first:
    test for patience running out before looking at this epoch's loss.
    """
    stop = stop or (lambda bad, patience: bad >= patience)
    save = save or (lambda model: copy.deepcopy(model.state_dict()))

    def function(train_one_epoch, validation_loss, model, patience, max_epochs):
        best_loss, best_epoch, best_state, bad, epoch = math.inf, 0, None, 0, 0
        for epoch in range(1, (end or (lambda m: m + 1))(max_epochs)):
            if before:
                loss = validation_loss(model)
                train_one_epoch(model)
            else:
                train_one_epoch(model)
                loss = validation_loss(model)
            if stop_test_first and epoch - best_epoch >= patience:
                break
            if improves(loss, best_loss):
                if update_best:
                    best_loss = loss
                best_epoch = epoch
                best_state = save(model)
                if reset:
                    bad = 0
            else:
                bad += 1
                if stop(bad, patience):
                    break
        if restore:
            model.load_state_dict(best_state)
        return {"best": best_epoch, "zero-based": best_epoch - 1, "last": epoch,
                "loss": best_loss}[returns]
    return function


def stopping_against_previous(train_one_epoch, validation_loss, model, patience, max_epochs):
    """Counts the epochs that are worse than the previous one, not than the best."""
    best_loss, best_epoch, best_state, previous, bad = math.inf, 0, None, math.inf, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        bad = 0 if loss < previous else bad + 1
        previous = loss
        if bad >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


STOP_AT = "stop after `patience` epochs in a row without improvement"
STOPPING_MISTAKES = [
    Mistake("best weights stored by reference (so \"best\" is the last)", "`model.state_dict()` "
            "returns references to the live weights, and training keeps changing them in place: "
            "what you saved IS the current model. Save a copy: "
            "`best_state = copy.deepcopy(model.state_dict())`.",
            stopping_variant(save=lambda model: model.state_dict())),
    Mistake("best weights not restored", "The model ends with the weights of the last epoch. "
            "Keep a copy of the best epoch's weights (`copy.deepcopy(model.state_dict())`) "
            "and load it back at the end: `model.load_state_dict(best_state)`. (If you did "
            "load something back, it was a reference to the live weights, not a copy.)",
            stopping_variant(restore=False)),
    Mistake("patience off by one (one epoch too late)", f"{STOP_AT}: after epoch "
            "best + patience, not best + patience + 1.",
            stopping_variant(stop=lambda bad, patience: bad > patience)),
    Mistake("patience off by one (one epoch too early)", f"{STOP_AT}: after epoch "
            "best + patience, not best + patience − 1.",
            stopping_variant(stop=lambda bad, patience: bad >= patience - 1)),
    Mistake("stops at the first epoch without improvement (patience ignored)", "A single bad "
            f"epoch is not enough: {STOP_AT}.", stopping_variant(stop=lambda bad, patience: True)),
    Mistake("a tie counted as an improvement (`<=` instead of `<`)", "An improvement is a "
            "strictly lower validation loss; an equal one does not reset the patience nor move "
            "the best epoch.", stopping_variant(improves=lambda loss, best: loss <= best)),
    Mistake("patience counter not reset after an improvement", "Count the epochs without "
            "improvement since the best one, not all of them: set the count back to 0 when "
            "the loss improves.", stopping_variant(reset=False)),
    Mistake("patience counted against the previous epoch, not the best", "An epoch without "
            "improvement is one whose loss is not below the BEST so far; a loss below the "
            "previous epoch's but above the best does not reset the count.",
            stopping_against_previous),
    Mistake("the stop test comes before the improvement test", "Look at this epoch's loss "
            "first (it may be a new best), then stop if `patience` epochs have passed without "
            "improvement.", stopping_variant(stop_test_first=True)),
    Mistake("best epoch numbered from 0", "Number the epochs from 1: the first epoch of "
            "training is epoch 1.", stopping_variant(returns="zero-based")),
    Mistake("returned the last epoch, not the best", "Return the epoch with the lowest "
            "validation loss (the one whose weights you restore).", stopping_variant(returns="last")),
    Mistake("returned the best validation loss, not the best epoch", "Return the epoch number "
            "(an int, from 1).", stopping_variant(returns="loss")),
    Mistake("best loss never updated", "After an improvement remember the new best loss, "
            "`best_loss = loss`; otherwise every epoch looks like an improvement.",
            stopping_variant(update_best=False)),
    Mistake("validation loss measured before the epoch's training", "Train the epoch first, "
            "then measure the validation loss of the weights it produced, and save those.",
            stopping_variant(before=True)),
    Mistake("trained past max_epochs", "Train at most `max_epochs` epochs: "
            "`for epoch in range(1, max_epochs + 1)`.",
            stopping_variant(end=lambda m: m + 2)),
    Mistake("stops one epoch before max_epochs", "Train up to and including epoch max_epochs: "
            "`range(1, max_epochs + 1)`.", stopping_variant(end=lambda m: m)),
]


def early_stopping(learner: Callable) -> Feedback:
    """Check ``early_stopping(train_one_epoch, validation_loss, model, patience, max_epochs)``
    on scripted validation losses: when it stops, what it returns, which weights remain."""
    name = "early_stopping"
    got: list[StoppingOutcome] = []
    for scenario in STOPPING_SCENARIOS:
        outcome, error = run_stopping_learner(learner, name, scenario)
        got.append(outcome)
        if error and error.mistake != "exception":  # not implemented, time limit, ...
            return error
        if error:
            break
    expected = [run_stopping(stopping_reference, s) for s in STOPPING_SCENARIOS[:len(got)]]
    if got == expected:
        return passed(f"{name} stops after `patience` epochs without improvement (or at "
                      f"max_epochs), restores the best weights and returns the best epoch, on "
                      f"all {len(got)} scripted runs.")
    for mistake in STOPPING_MISTAKES:  # one that does what the learner's did, crash included
        if all(run_stopping(mistake.step, s) == g for s, g in zip(STOPPING_SCENARIOS, got)):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    if error:
        return error
    k = next(i for i, (g, e) in enumerate(zip(got, expected)) if g != e)
    return describe_stopping(name, STOPPING_SCENARIOS[k], got[k], expected[k])


def describe_stopping(name: str, scenario: StoppingScenario, got: StoppingOutcome,
                      expected: StoppingOutcome) -> Feedback:
    shown = ", ".join(f"{loss:g}" for loss in scenario.losses[:expected.trained + 2])
    setting = (f"With patience {scenario.patience}, max_epochs {scenario.max_epochs} and the "
               f"validation losses {shown}, … (epochs 1, 2, …), the best epoch is "
               f"{expected.returned} and training stops after epoch {expected.trained}.")
    if got.trained is None:
        return failed(f"{name} trained more than max_epochs = {scenario.max_epochs} epochs. "
                      f"{setting}", "trained past max_epochs")
    if got.trained != expected.trained:
        return failed(f"{name} trained {got.trained} epochs. {setting} Stop after `patience` "
                      "epochs in a row without a strictly lower loss, or after max_epochs.",
                      "wrong stopping epoch")
    if got.returned != expected.returned:
        if got.returned is None:
            return failed(f"{name} returned None. Did you forget `return best_epoch`?",
                          "returned None")
        return failed(f"{name} returned {got.returned!r}. {setting} Return the best epoch, an "
                      "int numbered from 1.", "wrong best epoch")
    where = "the untrained model's" if got.weights == 0 else \
        f"epoch {got.weights}'s" if got.weights is not None else "weights of no epoch, not the best"
    return failed(f"{name}: the model ends with {where} weights. {setting} Restore the weights "
                  "saved at the best epoch (a copy: `copy.deepcopy(model.state_dict())`).",
                  "best weights not restored")


# ---------------------------------------------------------------------------
# tune_weight_decay: an experiment within a budget of 8 trainings
# ---------------------------------------------------------------------------

WEIGHT_DECAY_BUDGET = 8
WEIGHT_DECAY_TOLERANCE = 0.10  # pass: a validation loss at most 10 % above the best on the grid
WEIGHT_DECAY_STEPS = 1000


@functools.cache
def weight_decay_data() -> tuple[Tensor, ...]:
    """The chapter's linear problem with noisier targets: 5 real features and 45 of pure
    noise, 60 training examples for 51 parameters; 500 validation and 500 test examples."""
    n_train, n = 60, 1060
    x, y, _, _ = regression(n, d=5, noise=1.0, seed=1, dtype=torch.float64)
    noise_features = torch.randn(n, 45, dtype=torch.float64,
                                 generator=torch.Generator().manual_seed(2))
    x = torch.cat([x, noise_features], dim=1)
    return x[:n_train], y[:n_train], x[n_train:560], y[n_train:560], x[560:], y[560:]


@functools.cache
def weight_decay_quadratic() -> tuple[Tensor, Tensor, float]:
    """The training MSE in θ = (w, b) is a quadratic, ½θᵀHθ − cᵀθ + const: its Hessian H,
    the vector c, and L, the largest eigenvalue of H."""
    x, y = weight_decay_data()[:2]
    x1 = torch.cat([x, torch.ones(len(x), 1, dtype=x.dtype)], dim=1)
    hessian = 2 * x1.T @ x1 / len(x)
    return hessian, 2 * x1.T @ y / len(x), torch.linalg.eigvalsh(hessian).max().item()


@functools.lru_cache(maxsize=None)
def weight_decay_losses(lam: float) -> tuple[float, float]:
    """Validation and test MSE of the linear model after full-batch gradient descent on the
    training MSE with weight decay λ on w (not on the bias), step α = 1/(L + λ), from zero.

    A step θ ← θ − α(∇J(θ) + λDθ), with ∇J(θ) = Hθ − c and D = diag(1, ..., 1, 0), is
    θ ← Mθ + αc with M = I − α(H + λD): one matrix-vector product per step.
    """
    hessian, c, largest = weight_decay_quadratic()
    lr = 1 / (largest + lam)
    decay = torch.ones(len(c), dtype=c.dtype)
    decay[-1] = 0.0                                       # no decay on the bias
    step = torch.eye(len(c), dtype=c.dtype) - lr * (hessian + lam * torch.diag(decay))
    theta = torch.zeros_like(c)
    for _ in range(WEIGHT_DECAY_STEPS):
        theta = torch.addmv(lr * c, step, theta)
    x_val, y_val, x_test, y_test = weight_decay_data()[2:]
    w, b = theta[:-1], theta[-1]
    return (((x_val @ w + b - y_val) ** 2).mean().item(),
            ((x_test @ w + b - y_test) ** 2).mean().item())


def as_number(value: Any) -> Any:
    if isinstance(value, Tensor) and value.numel() == 1:
        return value.item()
    return value


def is_weight_decay(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)


def validation_loss_with_weight_decay(lam: Any) -> float:
    """What the learner's experiment may call: train with weight decay λ, return the
    validation loss."""
    lam = as_number(lam)
    if not is_weight_decay(lam):
        raise ValueError(f"the weight decay λ must be a number ≥ 0, got {lam!r}")
    return weight_decay_losses(float(lam))[0]


@functools.cache
def weight_decay_landscape() -> tuple[float, float, float]:
    """(best λ, its validation loss, the loss without weight decay) on a fine grid:
    0 and 10 values per decade from 1e-4 to 1e3."""
    grid = [0.0] + [10 ** (k / 10) for k in range(-40, 31)]
    losses = [weight_decay_losses(lam)[0] for lam in grid]
    best = min(range(len(grid)), key=losses.__getitem__)
    return grid[best], losses[best], losses[0]


def tune_weight_decay(learner: Callable) -> Feedback:
    """Check ``tune_weight_decay(validation_loss) -> λ``: at most 8 evaluations, and a λ
    whose validation loss is within 10 % of the best one on a fine grid."""
    name = "tune_weight_decay"
    budget = Budget(validation_loss_with_weight_decay, WEIGHT_DECAY_BUDGET)
    try:
        chosen = as_number(call(name, learner, budget))
    except LearnerError as error:
        return error.feedback
    if chosen is None:
        return failed(f"{name} returned None. Did you forget `return`? Return the λ you "
                      "choose.", "returned None")
    if not is_weight_decay(chosen):
        return failed(f"{name} returned {describe(chosen)}; return the chosen weight "
                      "decay λ, a number ≥ 0.", "invalid λ")
    if budget.used == 0:
        return failed(f"{name} returned a value without calling `validation_loss` once: tuning "
                      "means measuring. Try a few values and keep the best.", "no evaluation")
    tried = [(float(as_number(lam)), loss) for lam, loss in budget.history]
    best_lam, best, without = weight_decay_landscape()
    achieved, test = weight_decay_losses(float(chosen))
    limit = (1 + WEIGHT_DECAY_TOLERANCE) * best
    summary = (f"λ = {chosen:.3g} gives a validation loss of {achieved:.3f}; the best λ on a "
               f"fine grid, about {best_lam:.2g}, gives {best:.3f} (to pass: at most {limit:.3f}; "
               f"without weight decay: {without:.3f}).")
    if achieved <= limit:
        return passed(f"{name}: {summary} Evaluations used: {len(tried)} of "
                      f"{WEIGHT_DECAY_BUDGET}. Test loss with your λ: {test:.3f}.")
    return diagnose_tuning(name, float(chosen), tried, best_lam, summary)


def diagnose_tuning(name: str, chosen: float, tried: list[tuple[float, float]],
                    best_lam: float, summary: str) -> Feedback:
    def same(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)

    tried_lams = [lam for lam, _ in tried]
    was_tried = any(same(chosen, lam) for lam in tried_lams)
    if not tried:
        return failed(f"{name} chose λ without measuring anything. {summary} Call "
                      "`validation_loss(lam)` for the values you consider and keep the best.",
                      "no evaluation")
    if not was_tried and any(same(chosen, loss) for _, loss in tried):
        return failed(f"{name} returned a validation loss ({chosen:.4g}), not λ. Return the "
                      "λ whose validation loss is lowest.", "returned a loss, not λ")
    if not was_tried and float(chosen).is_integer() and 0 <= chosen < len(tried):
        return failed(f"{name} returned {chosen:g}, which looks like a position in your list "
                      f"of candidates, not λ. {summary} Return the value of λ itself.",
                      "returned an index, not λ")
    lowest = min(tried, key=lambda pair: pair[1])
    highest = max(tried, key=lambda pair: pair[1])
    if was_tried and highest[1] > lowest[1] and same(chosen, highest[0]):
        return failed(f"{name} picked the λ with the HIGHEST validation loss of those it "
                      f"tried. {summary} Keep the λ with the lowest loss (`min`, not `max`).",
                      "picked the highest loss")
    if was_tried and same(chosen, tried[-1][0]) and lowest[1] < tried[-1][1]:
        return failed(f"{name} returned the last λ it tried ({chosen:.3g}), not the best one "
                      f"(λ = {lowest[0]:.3g}, loss {lowest[1]:.3f}). {summary}",
                      "returned the last λ tried")
    if not was_tried:
        return failed(f"{name} returned a λ it never measured. {summary} Return the best of "
                      "the values you evaluated.", "λ not measured")
    if not same(chosen, lowest[0]):
        return failed(f"{name} did not return the best λ it measured (λ = {lowest[0]:.3g}, "
                      f"loss {lowest[1]:.3f}). {summary}", "not the best λ tried")
    if max(tried_lams) < best_lam:
        return failed(f"{name}: every λ you tried is too small (the largest is "
                      f"{max(tried_lams):.3g}). {summary} Search a wider range on a log scale, "
                      "e.g. from 1e-4 to 10.", "search range too low")
    if min(tried_lams) > best_lam:
        return failed(f"{name}: every λ you tried is too large (the smallest is "
                      f"{min(tried_lams):.3g}). {summary} Search a wider range on a log scale, "
                      "e.g. from 1e-4 to 10.", "search range too high")
    return failed(f"{name}: your search is too coarse near the best λ. {summary} Space the "
                  "values on a log scale (factors of 10), then spend the remaining evaluations "
                  "around the best one.", "search too coarse")


# ---------------------------------------------------------------------------
# evaluate_fixed (debug): evaluation mode, no gradients, the previous mode restored
# ---------------------------------------------------------------------------

def evaluation_problem(device: str) -> tuple[torch.nn.Module, Tensor, Tensor]:
    """A classifier with dropout, and 64 labelled examples (4 classes)."""
    generator = torch.Generator().manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Dropout(0.5),
                                torch.nn.Linear(32, 4)).double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(0.5 * torch.randn(p.shape, generator=generator, dtype=p.dtype))
    x = torch.randn(64, 8, generator=generator, dtype=torch.float64)
    y = torch.randint(4, (64,), generator=generator)
    return model.to(device), x.to(device), y.to(device)


def evaluation_reference(model: torch.nn.Module, x: Tensor, y: Tensor) -> tuple[float, float]:
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = descent_cross_entropy(output, y).item()
        accuracy = (output.argmax(dim=1) == y).double().mean().item()
    model.train(was_training)
    return loss, accuracy


def evaluation_value_mistakes(output: Tensor, y: Tensor) -> list[tuple[str, str, tuple[float, float]]]:
    """(name, advice, (loss, accuracy)) of the usual wrong ways to compute the numbers."""
    loss = descent_cross_entropy(output, y).item()
    correct = (output.argmax(dim=1) == y).double()
    accuracy = correct.mean().item()
    return [
        ("loss and accuracy swapped", "Return `(loss, accuracy)`, in this order.",
         (accuracy, loss)),
        ("accuracy in percent", "Return the accuracy as a fraction between 0 and 1.",
         (loss, 100 * accuracy)),
        ("number of correct predictions, not the accuracy", "Divide by the number of "
         "examples: `(predictions == y).double().mean()`.", (loss, correct.sum().item())),
        ("error rate instead of accuracy", "The accuracy is the fraction of correct "
         "predictions, `argmax == y`.", (loss, 1 - accuracy)),
        ("loss summed over the examples, not averaged", "Return the mean cross-entropy.",
         (loss * len(y), accuracy)),
        ("softmax applied before the cross-entropy", "`cross_entropy` takes the raw scores "
         "(logits); it applies log-softmax itself.",
         (descent_cross_entropy(output.softmax(dim=1), y).item(), accuracy)),
        ("negative log-likelihood of the raw scores", "`nll_loss` expects log-probabilities; "
         "use `cross_entropy` on the scores.",
         (-output[torch.arange(len(y), device=y.device), y].mean().item(), accuracy)),
    ]


def evaluate_fixed(learner: Callable) -> Feedback:
    """Check ``evaluate_fixed(model, x, y) -> (loss, accuracy)``: dropout off while
    evaluating, no gradient tracking, the model's mode restored, the right numbers."""
    name = "evaluate_fixed"
    try:
        for device in devices():
            for start_in_training in (True, False):
                problem = check_evaluation_once(learner, name, device, start_in_training)
                if problem:
                    return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name} evaluates with dropout off and without tracking gradients, returns "
                  "the mean cross-entropy and the accuracy, and leaves the model in the mode "
                  "it found it in (training or evaluation).")


def check_evaluation_once(learner: Callable, name: str, device: str,
                          start_in_training: bool) -> Feedback | None:
    model, x, y = evaluation_problem(device)
    expected = evaluation_reference(evaluation_problem(device)[0], x, y)
    reference_model = evaluation_problem(device)[0].eval()
    with torch.no_grad():
        output = reference_model(x)
    model.train(start_in_training)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x_given, y_given = x.clone(), y.clone()
    seen: list[tuple[bool, bool]] = []  # (dropout in training mode, gradients tracked)
    dropout_layer = model[2]
    handle = dropout_layer.register_forward_pre_hook(
        lambda module, inputs: seen.append((module.training, torch.is_grad_enabled())))
    tracking = torch.is_grad_enabled()
    try:
        result = call(name, learner, model, x_given, y_given)
    finally:
        handle.remove()
        gradients_left_off = tracking and not torch.is_grad_enabled()
        torch.set_grad_enabled(tracking)
    if gradients_left_off:
        return failed(f"{name} switched gradient tracking off for good "
                      "(`torch.set_grad_enabled(False)`), so the training that follows cannot "
                      "compute gradients. Use `with torch.no_grad():`, which switches it back "
                      "on at the end of the block.", "gradient tracking left off")
    mode = "training" if start_in_training else "evaluation"
    if any(training for training, _ in seen):
        return failed(f"{name}: model.eval() missing (dropout active during evaluation). In "
                      "training mode dropout zeroes random units, so the loss and accuracy "
                      "are noisy and worse than the model's. Call `model.eval()` before the "
                      "forward pass.", "model.eval() missing (dropout active during evaluation)")
    if not seen:
        return failed(f"{name} never ran the model on x. Compute `output = model(x)`.",
                      "model not called")
    if any(tracked for _, tracked in seen):
        return failed(f"{name}: torch.no_grad() missing. The forward pass records a graph "
                      "for backpropagation that nobody uses, which costs memory and time. Run "
                      "it inside `with torch.no_grad():`.", "torch.no_grad() missing")
    modes = {module.training for module in model.modules()}
    if modes != {start_in_training}:
        if start_in_training:
            return failed(f"{name}: training mode not restored. The model was in training mode "
                          "and is left in evaluation mode, so the training that follows runs "
                          "without dropout. Remember `was_training = model.training` and end "
                          "with `model.train(was_training)`.", "training mode not restored")
        return failed(f"{name}: evaluation mode not restored. The model was in evaluation "
                      "mode and is left in training mode. Restore the mode it was in: "
                      "`was_training = model.training` ... `model.train(was_training)`, not "
                      "`model.train()`.", "evaluation mode not restored")
    if not (torch.equal(x_given, x) and torch.equal(y_given, y)):
        return failed(f"{name} changed x or y in place.", "input modified")
    if any(not torch.equal(v, before[k]) for k, v in model.state_dict().items()):
        return failed(f"{name} changed the model's weights. Evaluating must not train.",
                      "model changed")
    if isinstance(result, dict) or not isinstance(result, (tuple, list)) or len(result) != 2:
        return failed(f"{name} returned {describe(result)}; return a tuple "
                      "`(loss, accuracy)` of two numbers.", "returned None" if result is None
                      else "wrong type")
    values = [as_number(v) for v in result]
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        return failed(f"{name} returned {describe(result)}; return two numbers, e.g. "
                      "`loss.item(), accuracy.item()`.", "wrong type")
    loss, accuracy = (float(v) for v in values)
    if math.isclose(loss, expected[0], rel_tol=1e-9) and math.isclose(accuracy, expected[1],
                                                                      rel_tol=1e-6):
        return None
    for mistake, advice, wrong in evaluation_value_mistakes(output, y):
        if math.isclose(loss, wrong[0], rel_tol=1e-6) and math.isclose(accuracy, wrong[1],
                                                                       rel_tol=1e-6):
            return failed(f"{name}: {mistake}. {advice}", mistake)
    return failed(f"{name} returned loss {loss:.6g} and accuracy {accuracy:.6g}; expected "
                  f"{expected[0]:.6g} and {expected[1]:.6g} (model in {mode} mode, on {device}). "
                  "Return the mean cross-entropy of `model(x)` against y and the fraction of "
                  "correct predictions.", "unrecognized")
