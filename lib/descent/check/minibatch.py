"""Checks for the mini-batch exercises (chapter: Batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from descent.check.feedback import Feedback
from descent.check.functions import Case, check_function, random_cases
from descent.check.mistakes import Mistake

__all__ = ["sgd_epoch"]


def sgd_epoch_reference(w: Tensor, x: Tensor, y: Tensor, lr: float, batch_size: int,
                        order: Tensor, *, skip_last: bool = False, reduce: str = "mean",
                        full_batch: bool = False, ignore_order: bool = False,
                        inverse_order: bool = False, sign: float = 1.0, short_slice: bool = False,
                        frozen_gradient: bool = False, one_step: bool = False) -> Tensor:
    """One epoch of mini-batch SGD on J_B(w) = mean over B of ½(x·w − y)² (and its mistakes)."""
    order = torch.arange(len(x), device=x.device) if ignore_order else order
    order = order.argsort() if inverse_order else order
    w0, w = w, w.clone()
    starts = [0] if one_step else range(0, len(x), batch_size)
    for start in starts:
        batch = order[start:start + batch_size - (1 if short_slice else 0)]
        if skip_last and len(batch) < batch_size:
            break
        xb, yb = (x, y) if full_batch or one_step else (x[batch], y[batch])
        at = w0 if frozen_gradient else w
        gradient = sign * xb.T @ (xb @ at - yb)
        if reduce == "floor":
            w = w - lr * gradient // len(yb)
            continue
        divisor = {"mean": len(yb), "batch_size": batch_size, "sum": 1}[reduce]
        w = w - lr * gradient / divisor
    return w


def sgd_epoch_variant(**change: Any) -> Callable:
    return lambda w, x, y, lr, batch_size, order: sgd_epoch_reference(
        w, x, y, lr, batch_size, order, **change)


SGD_EPOCH_MISTAKES = [
    Mistake("the last, smaller mini-batch is skipped", "When n is not a multiple of the batch "
            "size, the last batch is smaller; it still counts: order[start:start + batch_size].",
            sgd_epoch_variant(skip_last=True)),
    Mistake("gradient summed over the batch instead of averaged", "Divide by the batch size "
            "|B|: g = (1/|B|) Σ_{i∈B} ∇ℓᵢ.", sgd_epoch_variant(reduce="sum")),
    Mistake("the last batch divided by batch_size instead of its own size", "The last "
            "mini-batch may be smaller: divide its gradient by len(batch), |B|, not by "
            "batch_size.", sgd_epoch_variant(reduce="batch_size")),
    Mistake("every step uses the whole data set", "Each step uses only its mini-batch: "
            "x[batch], y[batch].", sgd_epoch_variant(full_batch=True)),
    Mistake("the given order is ignored", "Take the examples in the order given: "
            "batch = order[start:start + batch_size].", sgd_epoch_variant(ignore_order=True)),
    Mistake("integer division", "`a // b` rounds down to a whole number: divide with `/`, "
            "g = X_Bᵀ(X_B w − y_B) / |B|.", sgd_epoch_variant(reduce="floor")),
    Mistake("the order is inverted", "order[k] is the index of the k-th example to visit: "
            "batch = order[start:start + batch_size], not positions found with argsort.",
            sgd_epoch_variant(inverse_order=True)),
    Mistake("gradient sign flipped (gradient ascent)", "The gradient is X_Bᵀ(X_B w − y_B); step "
            "against it: w ← w − α·g.", sgd_epoch_variant(sign=-1.0)),
    Mistake("each batch misses its last example", "The slice end is exclusive: "
            "order[start:start + batch_size] already has batch_size elements.",
            sgd_epoch_variant(short_slice=True)),
    Mistake("every gradient is taken at the starting w", "Each step's gradient is computed at "
            "the current w, after the previous batch's update.",
            sgd_epoch_variant(frozen_gradient=True)),
    Mistake("a single step on the whole data set (that is one step of batch gradient descent)",
            "Loop over the mini-batches and take one step per batch.",
            sgd_epoch_variant(one_step=True)),
]


def sgd_epoch_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    n, d = 10 + int(torch.randint(0, 5, (1,), generator=generator)), 3
    x = torch.randn(n, d, generator=generator, dtype=dtype).to(device)
    y = torch.randn(n, generator=generator, dtype=dtype).to(device)
    w = torch.randn(d, generator=generator, dtype=dtype).to(device)
    order = torch.randperm(n, generator=generator).to(device)
    return Case((w, x, y, 0.05, 4, order), label=f"n = {n}, batch size 4")


def sgd_epoch(learner: Callable) -> Feedback:
    """Check ``sgd_epoch(w, x, y, lr, batch_size, order) -> w`` (one epoch of mini-batch SGD)."""
    return check_function(learner, name="sgd_epoch", reference=sgd_epoch_reference,
                          cases=random_cases(sgd_epoch_case), mistakes=SGD_EPOCH_MISTAKES,
                          equation="for each batch B in order: w ← w − α·(1/|B|) X_Bᵀ(X_B w − y_B)")


# --- debug: a training loop without zero_grad ------------------------------------------------

import math  # noqa: E402  (the imports of the exercises below)

from descent import optim  # noqa: E402
from descent.check.feedback import devices, passed  # noqa: E402
from descent.check.kinds import check_formula  # noqa: E402
from descent.losses import mse_loss  # noqa: E402

__all__ += ["train_fixed", "smallest_batch_size"]


def linear_regression_model(weight: Tensor, bias: Tensor) -> torch.nn.Module:
    """ŷ = x·w + b as torch.nn modules, shape (batch,), with the given parameters."""
    linear = torch.nn.Linear(weight.shape[1], 1, dtype=weight.dtype, device=weight.device)
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.copy_(bias)
    return torch.nn.Sequential(linear, torch.nn.Flatten(0))


def parameters_of(model: torch.nn.Module) -> tuple[Tensor, ...]:
    return tuple(p.detach().clone() for p in model.parameters())


def train_loop_reference(weight: Tensor, bias: Tensor, x: Tensor, y: Tensor, orders: Tensor,
                         batch_size: int, lr: float, *, zero_grad: str = "every batch",
                         reduction: str = "mean", divide_by: str = "length",
                         order: str = "given", epochs: int | None = None,
                         skip_last: bool = False, full_batch: bool = False,
                         lag: bool = False, targets_unshuffled: bool = False) -> tuple[Tensor, ...]:
    """Mini-batch SGD on the mean squared error, one epoch per row of ``orders`` (and its
    mistakes); returns the trained parameters (weight, bias)."""
    model = linear_regression_model(weight, bias)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    n = len(x)
    for epoch, permutation in enumerate(orders[:epochs]):
        permutation = {"given": permutation, "first": orders[0],
                       "ignored": torch.arange(n, device=x.device)}[order]
        if zero_grad == "every epoch":
            optimizer.zero_grad()
        for start in range(0, n, batch_size):
            batch = permutation[start:start + batch_size]
            if skip_last and len(batch) < batch_size:
                break
            if full_batch:
                batch = torch.arange(n, device=x.device)
            targets = y[start:start + batch_size] if targets_unshuffled else y[batch]
            loss = mse_loss(model(x[batch]), targets, reduction=reduction)
            if divide_by == "batch_size":
                loss = mse_loss(model(x[batch]), targets, reduction="sum") / batch_size
            if lag:                                  # step, zero_grad, backward
                optimizer.step()
                optimizer.zero_grad()
                loss.backward()
                continue
            if zero_grad == "every batch":
                optimizer.zero_grad()
            loss.backward()
            if zero_grad == "before step":
                optimizer.zero_grad()
            optimizer.step()
    return parameters_of(model)


def train_loop_variant(**change: Any) -> Callable:
    return lambda *args: train_loop_reference(*args, **change)


TRAIN_FIXED_MISTAKES = [
    Mistake("zero_grad missing (gradients accumulate)", "backward() adds to .grad; without "
            "optimizer.zero_grad() every step uses the sum of all the gradients so far. Call "
            "it once per mini-batch, before loss.backward().",
            train_loop_variant(zero_grad="never")),
    Mistake("zero_grad once per epoch (gradients accumulate within the epoch)", "Clear the "
            "gradients for every mini-batch, not every epoch: optimizer.zero_grad() goes "
            "inside the loop over the batches.", train_loop_variant(zero_grad="every epoch")),
    Mistake("the parameters never change", "No step ever sees a gradient: optimizer.step() "
            "must come after loss.backward() and before the next optimizer.zero_grad() "
            "(zero_grad between backward and step clears the gradient before it is used), "
            "and the optimizer must hold model.parameters().",
            train_loop_variant(zero_grad="before step")),
    Mistake("step() before backward(): every step uses the previous mini-batch's gradient",
            "The order within a mini-batch is zero_grad(), loss, backward(), step().",
            train_loop_variant(lag=True)),
    Mistake("loss summed instead of averaged", "The loss of a mini-batch is the mean squared "
            "error over its examples, F.mse_loss(...) with its default reduction='mean'.",
            train_loop_variant(reduction="sum")),
    Mistake("summed loss divided by batch_size instead of the batch's length", "The last "
            "mini-batch is smaller; average over the examples it has (F.mse_loss does).",
            train_loop_variant(divide_by="batch_size")),
    Mistake("the given order is ignored", "Take the examples of epoch e in the order "
            "orders[e]: batch = orders[e][start:start + batch_size].",
            train_loop_variant(order="ignored")),
    Mistake("the same order every epoch", "Each epoch has its own order: epoch e uses "
            "orders[e].", train_loop_variant(order="first")),
    Mistake("only one epoch", "Train one epoch per row of `orders`: for order in orders: ...",
            train_loop_variant(epochs=1)),
    Mistake("the last, smaller mini-batch is skipped", "When n is not a multiple of the batch "
            "size the last batch is smaller; it still counts.", train_loop_variant(skip_last=True)),
    Mistake("every step uses the whole data set", "Each step uses only its mini-batch: "
            "x[batch], y[batch].", train_loop_variant(full_batch=True)),
    Mistake("inputs and targets taken in different orders", "Index both with the same batch: "
            "model(x[batch]) against y[batch].", train_loop_variant(targets_unshuffled=True)),
]


def train_fixed_cases() -> list[Case]:
    cases = []
    for device in devices():
        for seed, n in [(0, 50), (1, 45), (2, 50)]:
            generator = torch.Generator().manual_seed(seed)
            x = torch.randn(n, 3, generator=generator, dtype=torch.float64)
            y = x @ torch.randn(3, generator=generator, dtype=torch.float64) + 0.5
            y = y + 0.1 * torch.randn(n, generator=generator, dtype=torch.float64)
            weight = 0.5 * torch.randn(1, 3, generator=generator, dtype=torch.float64)
            bias = torch.zeros(1, dtype=torch.float64)
            orders = torch.stack([torch.randperm(n, generator=generator) for _ in range(4)])
            args = tuple(t.to(device) for t in (weight, bias, x, y, orders)) + (8, 0.1)
            cases.append(Case(args, label=f"n = {n}, batch size 8, 4 epochs, {device}"))
    return cases


def trained_by(learner: Callable) -> Callable:
    """The learner's loop as a function of the model's starting parameters: build the model,
    let the learner train it, return its parameters."""
    def run(weight, bias, x, y, orders, batch_size, lr):
        model = linear_regression_model(weight, bias)
        learner(model, x, y, orders, batch_size, lr)
        return parameters_of(model)
    return run


def train_fixed(learner: Callable) -> Feedback:
    """Check ``train_fixed(model, x, y, orders, batch_size, lr)``: the loop of the debug
    exercise with ``optimizer.zero_grad()`` restored, run beside the correct loop."""
    cases = train_fixed_cases()
    train_loop_reference(*cases[0].args)  # the first optimizer step imports for a second
    feedback = check_function(
        trained_by(learner), name="train_fixed", reference=train_loop_reference,
        cases=cases, mistakes=TRAIN_FIXED_MISTAKES,
        equation="for each epoch e, each batch B of orders[e]: optimizer.zero_grad(); "
                 "F.mse_loss(model(x[B]), y[B]).backward(); optimizer.step()")
    if feedback.passed:
        return passed("train_fixed trains like the correct loop: the same parameters on "
                      f"all {len(cases)} runs.")
    return feedback


# --- derive: the smallest batch size for a given gradient error -------------------------------

def smallest_batch_size_reference(sigma2: float, n: int, rms_error: float, *,
                                  rounding: Callable = math.ceil, squared: bool = True,
                                  correction: str = "n - 1", capped: bool = False) -> float:
    """The smallest |B| with σ²/|B| · (n − |B|)/(n − 1) ≤ ε², i.e. ⌈nσ² / ((n − 1)ε² + σ²)⌉
    (and its mistakes)."""
    e2 = rms_error**2 if squared else rms_error
    if correction == "n - 1":
        exact = n * sigma2 / ((n - 1) * e2 + sigma2)
    elif correction == "n":
        exact = n * sigma2 / (n * e2 + sigma2)
    elif correction == "n - B dropped":
        exact = n * sigma2 / ((n - 1) * e2)
    else:                                  # none: with replacement, σ²/|B| ≤ ε²
        exact = sigma2 / e2
    value = float(rounding(exact))
    return min(value, float(n)) if capped else value


def smallest_batch_size_variant(**change: Any) -> Callable:
    return lambda sigma2, n, rms_error: smallest_batch_size_reference(sigma2, n, rms_error,
                                                                      **change)


def not_rounded(value: float) -> float:
    return value


SMALLEST_BATCH_SIZE_MISTAKES = [
    Mistake("rounded down instead of up", "The error must be at most ε, so round the "
            "solution of the inequality up: |B| = ⌈…⌉ (math.ceil), not int() or floor.",
            smallest_batch_size_variant(rounding=math.floor)),
    Mistake("not rounded to a whole batch size", "A batch holds a whole number of examples: "
            "return the smallest integer that satisfies the inequality (math.ceil).",
            smallest_batch_size_variant(rounding=not_rounded)),
    Mistake("rounded to the nearest integer instead of up", "round() may go down, and then "
            "the error is above ε: use math.ceil.", smallest_batch_size_variant(rounding=round)),
    Mistake("finite-population correction missing", "The batch is drawn without "
            "replacement from n examples: the variance is σ²/|B| · (n − |B|)/(n − 1), not "
            "σ²/|B|.", smallest_batch_size_variant(correction="none")),
    Mistake("finite-population correction missing", "The batch is drawn without "
            "replacement from n examples: the variance is σ²/|B| · (n − |B|)/(n − 1), not "
            "σ²/|B|.", smallest_batch_size_variant(correction="none", capped=True)),
    Mistake("ε used where ε² belongs", "ε is a root-mean-square error: the condition is on "
            "the variance, E‖g − ∇J‖² ≤ ε².", smallest_batch_size_variant(squared=False)),
    Mistake("ε used where ε² belongs", "ε is a root-mean-square error: the condition is on "
            "the variance, E‖g − ∇J‖² ≤ ε².",
            smallest_batch_size_variant(squared=False, correction="none")),
    Mistake("σ used where σ² belongs", "sigma2 is already the variance σ²; the condition is "
            "σ²/|B| · (n − |B|)/(n − 1) ≤ ε².",
            lambda sigma2, n, rms_error: float(math.ceil(math.sqrt(sigma2) / rms_error))),
    Mistake("n − 1 replaced by n", "The correction is (n − |B|)/(n − 1); solving "
            "σ²(n − |B|) ≤ ε²|B|(n − 1) gives |B| ≥ nσ² / ((n − 1)ε² + σ²).",
            smallest_batch_size_variant(correction="n")),
    Mistake("the |B| in n − |B| dropped", "|B| appears on both sides: σ²(n − |B|) ≤ "
            "ε²|B|(n − 1), so collect the |B| terms: |B|((n − 1)ε² + σ²) ≥ nσ².",
            smallest_batch_size_variant(correction="n - B dropped")),
]

# (σ², n, ε), ordered so that the first case a mistake fails on tells it from the ones before
SMALLEST_BATCH_SIZE_PROBLEMS = [(2.0, 50, 0.3), (0.3, 10, 1.0), (40.0, 1000, 0.5),
                                (10.0, 100, 0.2), (900.0, 2000, 2.0), (5.0, 60, 0.25),
                                (10.0, 40, 0.01)]


def smallest_batch_size(learner: Callable) -> Feedback:
    """Check ``smallest_batch_size(sigma2, n, rms_error)``: the smallest |B| whose mini-batch
    gradient has root-mean-square error at most ε (drawn without replacement)."""
    cases = [Case((sigma2, n, rms_error), label=f"σ² = {sigma2:g}, n = {n}, ε = {rms_error:g}")
             for sigma2, n, rms_error in SMALLEST_BATCH_SIZE_PROBLEMS]
    return check_formula(learner, name="smallest_batch_size",
                         reference=smallest_batch_size_reference, cases=cases,
                         mistakes=SMALLEST_BATCH_SIZE_MISTAKES,
                         equation="σ²/|B| · (n − |B|)/(n − 1) ≤ ε², smallest integer |B|")
