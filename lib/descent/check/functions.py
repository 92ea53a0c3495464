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

from descent import schedules
from descent.check.feedback import (Feedback, LearnerError, call, check_tensor, close, describe,
                                    devices, failed, passed)
from descent.check.steps import Mistake


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


def check_outputs(name: str, got: Any, expected: Any) -> Feedback | None:
    """A failure if ``got`` does not have the form of ``expected`` (tensor, tuple or number)."""
    if isinstance(expected, float):
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
    if isinstance(expected, float):
        return math.isclose(float(got), expected, rel_tol=1e-9, abs_tol=1e-12)
    return all(close(g.detach(), e.detach()) for g, e in zip(as_outputs(got), as_outputs(expected)))


def check_function(learner: Callable, *, name: str, reference: Callable, cases: Sequence[Case],
                   mistakes: Sequence[Mistake] = (), equation: str,
                   check_gradient: bool = False) -> Feedback:
    """Compare the learner's function with the reference on every case."""
    try:
        for case in cases:
            args, kwargs = clone(case.args), clone(case.kwargs)
            got = call(name, learner, *args, **kwargs)
            for original, given in zip(case.args, args):
                if not same(original, given):
                    return failed(f"{name} changed one of its inputs in place. Inputs belong "
                                  "to the caller: build new tensors instead of modifying "
                                  "them (avoid `x += ...`, `x[...] = ...`, `x.add_(...)`).",
                                  "input modified")
            expected = reference(*clone(case.args), **clone(case.kwargs))
            problem = check_outputs(name, got, expected)
            if problem and problem.mistake == "not finite":
                return diagnose(name, mistakes, case, got, equation, fallback=problem)
            if problem:
                return problem
            if not values_close(got, expected):
                return diagnose(name, mistakes, case, got, equation)
            if check_gradient:
                problem = compare_gradients(name, learner, reference, case)
                if problem:
                    return problem
        return passed(f"{name} matches the reference on all {len(cases)} test cases.")
    except LearnerError as error:
        return error.feedback


def diagnose(name: str, mistakes: Sequence[Mistake], case: Case, got: Any, equation: str,
             fallback: Feedback | None = None) -> Feedback:
    for mistake in mistakes:
        try:
            wrong = mistake.step(*clone(case.args), **clone(case.kwargs))
        except Exception:
            continue
        if matches(got, wrong):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    if fallback is not None:
        return Feedback(False, f"{fallback.message} ({case.label}) Check the equation: {equation}",
                        fallback.mistake)
    return failed(f"{name} returns a different value from the reference ({case.label}). "
                  f"Check the equation: {equation}", "unrecognized")


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


# ---------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------

def mse_reference(input: Tensor, target: Tensor) -> Tensor:
    return ((input - target) ** 2).mean()


MSE_MISTAKES = [
    Mistake("summed instead of averaged", "MSE is the mean over all elements: divide the sum "
            "of squared errors by their number (or use `.mean()`).",
            lambda input, target: ((input - target) ** 2).sum()),
    Mistake("absolute error instead of squared error", "That is the L1 loss (MAE); MSE squares "
            "the error: (ŷ − y)².", lambda input, target: (input - target).abs().mean()),
    Mistake("square root taken (that is RMSE)", "MSE has no square root: mean((ŷ − y)²).",
            lambda input, target: ((input - target) ** 2).mean().sqrt()),
    Mistake("squared the mean error instead of averaging the squared errors",
            "Square each error first, then average: mean((ŷ − y)²), not (mean(ŷ − y))².",
            lambda input, target: (input - target).mean() ** 2),
    Mistake("no reduction", "Return one number, the mean of the squared errors.",
            lambda input, target: (input - target) ** 2),
]


def mse_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    shape = (int(torch.randint(2, 9, (1,), generator=generator)), 3)
    x = torch.randn(shape, generator=generator, dtype=dtype).to(device)
    y = torch.randn(shape, generator=generator, dtype=dtype).to(device)
    return Case((x.requires_grad_(), y), label=f"shape {shape}")


def mse_loss(learner: Callable) -> Feedback:
    """Check ``mse_loss(input, target)``: the mean of (input − target)²."""
    return check_function(learner, name="mse_loss", reference=mse_reference,
                          cases=random_cases(mse_case), mistakes=MSE_MISTAKES,
                          equation="MSE = (1/n) Σᵢ (ŷᵢ − yᵢ)²", check_gradient=True)


def cross_entropy_reference(logits: Tensor, target: Tensor) -> Tensor:
    return torch.nn.functional.cross_entropy(logits, target)


def naive_cross_entropy(logits: Tensor, target: Tensor) -> Tensor:
    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
    return -torch.log(p[torch.arange(len(target)), target]).mean()


CROSS_ENTROPY_MISTAKES = [
    Mistake("not numerically stable", "With large logits, exp(z) overflows to infinity. "
            "Subtract the largest logit of each row before exponentiating: "
            "log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}, m = maxⱼ zⱼ.", naive_cross_entropy),
    Mistake("summed over the batch instead of averaged", "Return the mean over the N examples.",
            lambda z, k: torch.nn.functional.cross_entropy(z, k, reduction="sum")),
    Mistake("minus sign missing", "The loss is −log softmax(z)_k, which is ≥ 0.",
            lambda z, k: -torch.nn.functional.cross_entropy(z, k)),
    Mistake("softmax taken over the batch (dim 0) instead of the classes (dim 1)",
            "Normalize each row: log-sum-exp over dim=1.",
            lambda z, k: -(z - torch.logsumexp(z, dim=0, keepdim=True))[torch.arange(len(k)), k].mean()),
    Mistake("probability used instead of its logarithm", "Cross-entropy is −log p_k, not −p_k.",
            lambda z, k: -torch.softmax(z, dim=1)[torch.arange(len(k)), k].mean()),
]


def cross_entropy_case(scale: float) -> Callable[[torch.Generator, torch.dtype, str], Case]:
    def make(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
        logits = scale * torch.randn(5, 4, generator=generator, dtype=dtype)
        target = torch.randint(0, 4, (5,), generator=generator)
        return Case((logits.to(device).requires_grad_(), target.to(device)),
                    label=f"logits of size about {scale:g}")
    return make


def cross_entropy(learner: Callable) -> Feedback:
    """Check ``cross_entropy(logits, target)``: mean of −log softmax(logits)[target], stably."""
    cases = random_cases(cross_entropy_case(1.0)) + random_cases(cross_entropy_case(1000.0))
    return check_function(learner, name="cross_entropy", reference=cross_entropy_reference,
                          cases=cases, mistakes=CROSS_ENTROPY_MISTAKES, check_gradient=True,
                          equation="ℓ = −zₖ + log Σⱼ e^{zⱼ}, averaged over the batch")


# ---------------------------------------------------------------------------
# The article's gradients, gradient descent, mini-batch SGD
# ---------------------------------------------------------------------------

def article_gradients_reference(w: Tensor, b: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    residual = y - (x @ w + b)
    return -(residual[:, None] * x).sum(dim=0), -residual.sum()


def scaled_gradients(factor: float) -> Callable:
    def wrong(w, b, x, y):
        gw, gb = article_gradients_reference(w, b, x, y)
        return factor * gw, factor * gb
    return wrong


def averaged_gradients(w, b, x, y):
    gw, gb = article_gradients_reference(w, b, x, y)
    return gw / len(y), gb / len(y)


ARTICLE_GRADIENT_MISTAKES = [
    Mistake("the minus sign is missing (the source article's error)", "ŷ enters the residual "
            "y − ŷ with a minus sign, so ∂J/∂w₁ = −Σᵢ (yᵢ − ŷᵢ)·x₁ᵢ. Without it, gradient "
            "descent climbs the loss.", scaled_gradients(-1.0)),
    Mistake("extra factor 2", "The ½ in J = ½ Σ (y − ŷ)² cancels the 2 from the derivative of "
            "the square.", scaled_gradients(2.0)),
    Mistake("averaged instead of summed", "The article's J sums over the samples "
            "(½ Σᵢ ...), so its gradient is a sum, not a mean.", averaged_gradients),
]


def article_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    n, d = 2 + int(torch.randint(0, 4, (1,), generator=generator)), 2
    options = dict(dtype=dtype)
    w, b = torch.randn(d, generator=generator, **options), torch.randn((), generator=generator, **options)
    x, y = torch.randn(n, d, generator=generator, **options), torch.randn(n, generator=generator, **options)
    return Case(tuple(t.to(device) for t in (w, b, x, y)), label=f"{n} samples")


def article_gradients(learner: Callable) -> Feedback:
    """Check ``article_gradients(w, b, x, y) -> (dJ/dw, dJ/db)`` for J = ½ Σ (y − (x·w + b))²."""
    from descent.data import article_example
    ex = article_example()
    cases = [Case((ex.w, ex.b, ex.x, ex.y), label="the article's data")] + random_cases(article_case)
    return check_function(learner, name="article_gradients", reference=article_gradients_reference,
                          cases=cases, mistakes=ARTICLE_GRADIENT_MISTAKES,
                          equation="∂J/∂w_j = −Σᵢ (yᵢ − ŷᵢ)·x_{ji},  ∂J/∂b = −Σᵢ (yᵢ − ŷᵢ)")


def gradient_descent_reference(grad: Callable[[Tensor], Tensor], theta0: Tensor, lr: float,
                               steps: int) -> Tensor:
    theta = theta0.clone()
    for _ in range(steps):
        theta = theta - lr * grad(theta)
    return theta


def gd_variant(*, sign: float = 1.0, extra_steps: int = 0, lr_used: float | None = None) -> Callable:
    def wrong(grad, theta0, lr, steps):
        return gradient_descent_reference(lambda t: sign * grad(t), theta0,
                                          lr if lr_used is None else lr_used, steps + extra_steps)
    return wrong


GRADIENT_DESCENT_MISTAKES = [
    Mistake("gradient sign flipped (gradient ascent)", "Step against the gradient: "
            "θ ← θ − α∇J(θ).", gd_variant(sign=-1.0)),
    Mistake("the starting point was returned unchanged", "Update θ inside the loop and return "
            "the updated θ (θ = θ − α·grad(θ)).", gd_variant(extra_steps=-10**9)),
    Mistake("one step too many", "Take exactly `steps` updates: `for _ in range(steps)`.",
            gd_variant(extra_steps=1)),
    Mistake("one step too few", "Take exactly `steps` updates: `for _ in range(steps)`.",
            gd_variant(extra_steps=-1)),
    Mistake("the learning rate is not used", "Scale the gradient by α: θ ← θ − α∇J(θ).",
            gd_variant(lr_used=1.0)),
]


def quadratic_case(generator: torch.Generator, dtype: torch.dtype, device: str) -> Case:
    curvatures = (torch.rand(3, generator=generator, dtype=dtype) * 4 + 0.5).to(device)
    theta0 = torch.randn(3, generator=generator, dtype=dtype).to(device)
    return Case((lambda theta: curvatures * theta, theta0, 0.1, 7),
                label="f(θ) = ½ Σ λⱼ θⱼ², α = 0.1, 7 steps")


def gradient_descent(learner: Callable) -> Feedback:
    """Check ``gradient_descent(grad, theta0, lr, steps) -> theta`` (returns the final θ)."""
    return check_function(learner, name="gradient_descent", reference=gradient_descent_reference,
                          cases=random_cases(quadratic_case), mistakes=GRADIENT_DESCENT_MISTAKES,
                          equation="θ_{t+1} = θ_t − α ∇J(θ_t), repeated `steps` times")


def sgd_epoch_reference(w: Tensor, x: Tensor, y: Tensor, lr: float, batch_size: int,
                        order: Tensor, *, skip_last: bool = False, reduce: str = "mean",
                        full_batch: bool = False, ignore_order: bool = False) -> Tensor:
    """One epoch of mini-batch SGD on J_B(w) = mean over B of ½(x·w − y)² (and its mistakes)."""
    order = torch.arange(len(x), device=x.device) if ignore_order else order
    w = w.clone()
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        if skip_last and len(batch) < batch_size:
            break
        xb, yb = (x, y) if full_batch else (x[batch], y[batch])
        gradient = xb.T @ (xb @ w - yb)
        w = w - lr * (gradient / len(yb) if reduce == "mean" else gradient)
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
    Mistake("every step uses the whole data set", "Each step uses only its mini-batch: "
            "x[batch], y[batch].", sgd_epoch_variant(full_batch=True)),
    Mistake("the given order is ignored", "Take the examples in the order given: "
            "batch = order[start:start + batch_size].", sgd_epoch_variant(ignore_order=True)),
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


# ---------------------------------------------------------------------------
# A learning-rate schedule
# ---------------------------------------------------------------------------

def warmup_cosine_reference(step: int, warmup_steps: int, total_steps: int) -> float:
    schedule = schedules.sequence([schedules.linear_warmup(warmup_steps),
                                   schedules.cosine(total_steps - warmup_steps)], [warmup_steps])
    return schedule(step)


def warmup_cosine_variant(*, warmup_offset: int = 0, cosine_over_total: bool = False,
                          linear_decay: bool = False, periodic: bool = False) -> Callable:
    def wrong(step, warmup_steps, total_steps):
        if step < warmup_steps:
            return (step + warmup_offset) / warmup_steps
        span = total_steps if cosine_over_total else total_steps - warmup_steps
        progress = (step - warmup_steps) / span
        if not periodic:
            progress = min(progress, 1.0)
        if linear_decay:
            return 1 - progress
        return 0.5 * (1 + math.cos(math.pi * progress))
    return wrong


WARMUP_COSINE_MISTAKES = [
    Mistake("warm-up off by one", "At step 0 the factor is 0 and it reaches 1 at step W: "
            "factor = t / W for t < W.", warmup_cosine_variant(warmup_offset=1)),
    Mistake("cosine spans all the steps, not the steps after warm-up", "The decay starts at W "
            "and lasts T − W steps: progress = (t − W)/(T − W).",
            warmup_cosine_variant(cosine_over_total=True)),
    Mistake("linear decay instead of cosine", "Use ½(1 + cos(π·progress)).",
            warmup_cosine_variant(linear_decay=True)),
    Mistake("the cosine rises again after T", "After T steps the factor stays at 0: "
            "clip progress at 1.", warmup_cosine_variant(periodic=True)),
]


def warmup_cosine(learner: Callable) -> Feedback:
    """Check ``warmup_cosine(step, warmup_steps, total_steps) -> factor``."""
    cases = [Case((t, w, total), label=f"step {t}, W = {w}, T = {total}")
             for w, total in ((5, 20), (10, 100)) for t in range(0, total + 15, 1)]
    return check_function(learner, name="warmup_cosine", reference=warmup_cosine_reference,
                          cases=cases, mistakes=WARMUP_COSINE_MISTAKES,
                          equation="t/W for t < W, then ½(1 + cos(π·min(1, (t − W)/(T − W))))")


# ---------------------------------------------------------------------------
# Penalties, dropout, an initializer
# ---------------------------------------------------------------------------

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


def kaiming_normal_(learner: Callable) -> Feedback:
    """Check ``kaiming_normal_(tensor)``: fills tensor in place with N(0, 2/fan_in) (ReLU, fan_in)."""
    name = "kaiming_normal_"
    try:
        for device in devices():
            for shape in ((300, 100), (64, 16, 3, 3)):
                problem = check_initializer_once(learner, name, shape, device)
                if problem:
                    return problem
    except LearnerError as error:
        return error.feedback
    return passed(f"{name} fills the tensor in place with mean 0 and std √(2/fan_in), normally "
                  "distributed, for linear and convolution weights.")


def check_initializer_once(learner: Callable, name: str, shape: tuple[int, ...], device: str) -> Feedback | None:
    torch.manual_seed(0)
    tensor = torch.full(shape, float("nan"), device=device)
    out = call(name, learner, tensor)
    if torch.isnan(tensor).all():
        where = f" It returned {describe(out)} instead." if out is not None else ""
        return failed(f"{name} did not fill the tensor in place.{where} Initializers change the "
                      "given tensor: use `tensor.normal_(0, std)` (inside torch.no_grad()).",
                      "out of place")
    if out is not None and out is not tensor:
        return failed(f"{name} should return the tensor it filled (like torch.nn.init does).",
                      "wrong return")
    fan_in = shape[1] * math.prod(shape[2:])
    fan_out = shape[0] * math.prod(shape[2:])
    std = tensor.std().item()
    expected = math.sqrt(2 / fan_in)
    if abs(tensor.mean().item()) > 0.05 * expected:
        return failed(f"{name}: the weights should have mean 0, got {tensor.mean().item():.3g}.",
                      "mean")
    for wrong_std, mistake, advice in [
        (math.sqrt(2 / fan_out), "fan_out used instead of fan_in",
         "He initialization in mode 'fan_in' uses fan_in = tensor.shape[1] × kernel size."),
        (math.sqrt(1 / fan_in), "the gain √2 for ReLU is missing", "std = √2/√fan_in."),
        (2 / fan_in, "variance used as the standard deviation", "Var(w) = 2/fan_in, so "
         "std = √(2/fan_in)."),
        (math.sqrt(2 / (fan_in + fan_out)), "this is Xavier's variance", "He uses 2/fan_in."),
        (math.sqrt(2 / shape[1]), "the kernel size is missing from fan_in", "For a convolution "
         "weight (out, in, kh, kw), fan_in = in × kh × kw."),
    ]:
        if abs(wrong_std - expected) > 0.05 * expected and abs(std - wrong_std) < 0.03 * wrong_std:
            return failed(f"{name}: {mistake}. {advice}", mistake)
    if abs(std - expected) > 0.03 * expected:
        return failed(f"{name}: the standard deviation is {std:.4g}; expected √(2/fan_in) = "
                      f"{expected:.4g} for shape {shape}.", "wrong std")
    centred = tensor - tensor.mean()
    kurtosis = ((centred**4).mean() / centred.var() ** 2).item()
    if abs(kurtosis - 1.8) < 0.3:
        return failed(f"{name}: the values look uniformly distributed (kurtosis {kurtosis:.2f}); "
                      "kaiming_normal_ draws from a normal distribution.", "uniform")
    return None
