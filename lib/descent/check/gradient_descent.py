"""Checks for the gradient descent exercises (chapter: Gradient descent)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from descent.check.feedback import Feedback
from descent.check.functions import Case, check_function, random_cases
from descent.check.mistakes import Mistake

__all__ = ["article_gradients", "gradient_descent"]


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


def residual_on_the_wrong_axis(w, b, x, y):
    residual = y - (x @ w + b)
    return -(residual * x).sum(dim=0), -residual.sum()    # residual[j] scales column j


def residual_summed_first(w, b, x, y):
    residual = y - (x @ w + b)
    return -residual.sum() * x.sum(dim=0), -residual.sum()


ARTICLE_GRADIENT_MISTAKES = [
    Mistake("the residual is broadcast along the wrong axis", "Residual i belongs to sample i, "
            "row i of x: multiply residual[:, None] * x (or x.T @ residual), not residual * x, "
            "which pairs residual j with feature j.", residual_on_the_wrong_axis),
    Mistake("residuals and inputs summed separately", "The gradient sums the products, "
            "Σᵢ (yᵢ − ŷᵢ)·xᵢ, not (Σᵢ (yᵢ − ŷᵢ))·(Σᵢ xᵢ).", residual_summed_first),
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


def gd_gradient_at_start(grad, theta0, lr, steps):
    gradient = grad(theta0)
    return theta0 - steps * lr * gradient


GRADIENT_DESCENT_MISTAKES = [
    Mistake("the gradient is evaluated at θ₀ at every step", "Recompute the gradient at the "
            "current point in each iteration: θ ← θ − α·grad(θ), with the updated θ.",
            gd_gradient_at_start),
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
