"""Checks for the gradient descent exercises (chapter: Gradient descent)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from descent.check.feedback import Feedback, Forbidden
from descent.check.feedback import LearnerError, call, close, failed, largest_difference
from descent.check.functions import Case, check_function, clone, random_cases
from descent.check.kinds import check_formula, check_prediction
from descent.check.mistakes import Mistake

__all__ = ["article_gradients", "gradient_descent", "largest_stable_lr", "gradient_descent_limit",
           "predict_just_above_2_over_L"]


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


def residual_summed_over_features(w, b, x, y):
    residual = y - (x @ w + b)
    return -(residual[:, None] * x).sum(dim=1), -residual.sum()


def bias_gradient_sign(w, b, x, y):
    residual = y - (x @ w + b)
    return -(residual[:, None] * x).sum(dim=0), residual.sum()


def bias_left_out(w, b, x, y):
    return article_gradients_reference(w, torch.zeros_like(b), x, y)


ARTICLE_GRADIENT_MISTAKES = [
    Mistake("summed over the features instead of the samples", "∂J/∂w_j sums over the samples "
            "i: (residual[:, None] * x).sum(dim=0), one number per feature j.",
            residual_summed_over_features),
    Mistake("the minus sign is missing in ∂J/∂b", "ŷ enters y − ŷ with a minus sign for b too: "
            "∂J/∂b = −Σᵢ (yᵢ − ŷᵢ).", bias_gradient_sign),
    Mistake("b is left out of the prediction", "ŷᵢ = w·xᵢ + b: the residual needs b as well.",
            bias_left_out),
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
                          equation="∂J/∂w_j = −Σᵢ (yᵢ − ŷᵢ)·x_{ji},  ∂J/∂b = −Σᵢ (yᵢ − ŷᵢ)",
                          forbidden=BY_HAND)


# The exercise derives the gradients with the chain rule: autograd is off limits.
BY_HAND = Forbidden(functions=frozenset({"backward", "grad", "requires_grad_"}),
                    modules=("torch.autograd", "torch.func"))


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
    Mistake("divided by the learning rate", "Multiply: θ ← θ − α·∇J(θ).",
            lambda grad, theta0, lr, steps: gradient_descent_reference(
                lambda t: grad(t) / lr**2, theta0, lr, steps)),
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


# --- The largest stable learning rate (derive) ----------------------------------------------

def largest_stable_lr_reference(curvatures: Tensor) -> float:
    return 2.0 / float(curvatures.max())


def lr_formula(formula: Callable[[Tensor], Tensor]) -> Callable[[Tensor], float]:
    return lambda curvatures: float(formula(curvatures))


LARGEST_STABLE_LR_MISTAKES = [
    Mistake("1/L instead of 2/L", "1/L is where the steepest coordinate starts to overshoot "
            "(1 − αL < 0), not where it stops converging: |1 − αλⱼ| < 1 allows α up to 2/λⱼ.",
            lr_formula(lambda lam: 1 / lam.max())),
    Mistake("the smallest curvature instead of the largest", "Every coordinate must shrink: "
            "|1 − αλⱼ| < 1 for every j, so the steepest one (largest λⱼ) sets the limit.",
            lr_formula(lambda lam: 2 / lam.min())),
    Mistake("1/λ_min: the smallest curvature, and 1 instead of 2", "The steepest coordinate "
            "(largest λⱼ) sets the limit, and |1 − αλ| < 1 allows α up to 2/λ.",
            lr_formula(lambda lam: 1 / lam.min())),
    Mistake("the mean curvature instead of the largest", "Each coordinate θⱼ is multiplied by "
            "1 − αλⱼ at every step, separately: the largest λⱼ sets the limit, not an average.",
            lr_formula(lambda lam: 2 / lam.mean())),
    Mistake("the sum of the curvatures instead of the largest", "The coordinates do not "
            "interact: θⱼ ← (1 − αλⱼ) θⱼ. The largest λⱼ sets the limit.",
            lr_formula(lambda lam: 2 / lam.sum())),
    Mistake("that is the best learning rate, 2/(λ_min + λ_max), not the largest stable one",
            "2/(λ_min + λ_max) makes the slowest coordinate shrink fastest; gradient descent "
            "still converges up to 2/λ_max.", lr_formula(lambda lam: 2 / (lam.min() + lam.max()))),
    Mistake("the norm of the curvatures instead of the largest", "The coordinates do not "
            "interact: θⱼ ← (1 − αλⱼ) θⱼ. The largest λⱼ sets the limit (the Hessian's "
            "spectral norm, not its Frobenius norm).",
            lr_formula(lambda lam: 2 / torch.linalg.vector_norm(lam))),
    Mistake("L/2 instead of 2/L", "The condition |1 − αL| < 1 gives α < 2/L.",
            lr_formula(lambda lam: lam.max() / 2)),
    Mistake("2L instead of 2/L", "The condition |1 − αL| < 1 gives α < 2/L.",
            lr_formula(lambda lam: 2 * lam.max())),
    Mistake("1/(2L) instead of 2/L", "The condition |1 − αL| < 1 gives α < 2/L.",
            lr_formula(lambda lam: 1 / (2 * lam.max()))),
]


def curvature_cases() -> list[Case]:
    fixed = [[1.0, 10.0], [0.5, 2.0, 3.0], [4.0, 0.25, 1.0, 7.0], [2.5]]
    generator = torch.Generator().manual_seed(0)
    drawn = [(0.1 + 10 * torch.rand(n, generator=generator, dtype=torch.float64)).tolist()
             for n in (3, 5, 6)]
    return [Case((torch.tensor(lam, dtype=torch.float64),),
                 label="λ = (" + ", ".join(f"{v:.3g}" for v in lam) + ")")
            for lam in fixed + drawn]


def largest_stable_lr(learner: Callable) -> Feedback:
    """Check ``largest_stable_lr(curvatures)``: the bound 2/max λⱼ for f(θ) = ½ Σ λⱼ θⱼ²."""
    return check_formula(learner, name="largest_stable_lr", reference=largest_stable_lr_reference,
                         cases=curvature_cases(), mistakes=LARGEST_STABLE_LR_MISTAKES,
                         equation="θⱼ ← (1 − αλⱼ) θⱼ converges for every start iff "
                                  "|1 − αλⱼ| < 1 for every j")


# --- Where gradient descent ends on an underdetermined least-squares problem (derive) --------

def gradient_descent_limit_reference(x: Tensor, y: Tensor, theta0: Tensor) -> Tensor:
    return theta0 + torch.linalg.pinv(x) @ (y - x @ theta0)


def pinv(x: Tensor) -> Tensor:
    return torch.linalg.pinv(x)


GRADIENT_DESCENT_LIMIT_MISTAKES = [
    Mistake("the minimum-norm solution X⁺y: the start θ₀ is ignored", "X⁺y is where gradient "
            "descent ends from θ₀ = 0. From another start, the part of θ₀ that the data cannot "
            "see (outside the span of the rows of X) never changes.",
            lambda x, y, theta0: pinv(x) @ y),
    Mistake("the start θ₀ itself", "Gradient descent moves θ until Xθ = y; only the part of "
            "θ₀ outside the span of the rows of X stays.", lambda x, y, theta0: theta0.clone()),
    Mistake("sign of the correction flipped", "The correction solves X(θ − θ₀) = y − Xθ₀: "
            "θ = θ₀ + X⁺(y − Xθ₀).", lambda x, y, theta0: theta0 - pinv(x) @ (y - x @ theta0)),
    Mistake("the correction is X⁺y: the start's predictions Xθ₀ are not subtracted",
            "What remains to fit from θ₀ is the residual y − Xθ₀: θ = θ₀ + X⁺(y − Xθ₀).",
            lambda x, y, theta0: theta0 + pinv(x) @ y),
    Mistake("θ₀ is not added back", "X⁺(y − Xθ₀) is the step from θ₀, not the end point: "
            "θ = θ₀ + X⁺(y − Xθ₀).", lambda x, y, theta0: pinv(x) @ (y - x @ theta0)),
    Mistake("Xᵀ instead of the pseudo-inverse X⁺", "Gradient descent moves along the rows of "
            "X, θ − θ₀ = Xᵀc, but c must solve XXᵀc = y − Xθ₀: c = (XXᵀ)⁻¹(y − Xθ₀), "
            "so X⁺ = Xᵀ(XXᵀ)⁻¹.", lambda x, y, theta0: theta0 + x.T @ (y - x @ theta0)),
    Mistake("the projections are swapped: θ₀ is projected onto the rows of X",
            "The part of θ₀ that stays is the one gradient descent cannot change, outside the "
            "span of the rows: (I − X⁺X)θ₀. The limit is (I − X⁺X)θ₀ + X⁺y.",
            lambda x, y, theta0: pinv(x) @ (x @ theta0) + pinv(x) @ y),
    Mistake("X⁺y is missing: only the projection (I − X⁺X)θ₀", "The limit is the part of θ₀ "
            "gradient descent cannot change plus the part the data fix: (I − X⁺X)θ₀ + X⁺y.",
            lambda x, y, theta0: theta0 - pinv(x) @ (x @ theta0)),
]

LIMIT_EQUATION = ("θ − θ₀ stays in the span of the rows of X, and Xθ = y at the limit: "
                  "θ = θ₀ + X⁺(y − Xθ₀)")


def limit_cases() -> list[Case]:
    from descent.data import article_example
    ex = article_example()  # the chapter's example: θ = (w₁, w₂, b), a column of ones for b
    article = Case((torch.cat([ex.x, torch.ones(2, 1, dtype=ex.x.dtype)], dim=1), ex.y,
                    torch.cat([ex.w, ex.b.reshape(1)])), label="the article's example")
    generator = torch.Generator().manual_seed(0)
    cases = [article]
    for n, d in [(3, 5), (2, 6), (4, 7), (1, 4)]:
        x = torch.randn(n, d, generator=generator, dtype=torch.float64)
        y = torch.randn(n, generator=generator, dtype=torch.float64)
        theta0 = torch.randn(d, generator=generator, dtype=torch.float64)
        cases.append(Case((x, y, theta0), label=f"{n} equations, {d} unknowns"))
    return cases


def gradient_descent_limit(learner: Callable) -> Feedback:
    """Check ``gradient_descent_limit(x, y, theta0)``: where gradient descent on
    J(θ) = ½‖Xθ − y‖² (fewer equations than unknowns) converges from θ₀."""
    name = "gradient_descent_limit"
    cases = limit_cases()
    result = check_formula(learner, name=name, reference=gradient_descent_limit_reference,
                           cases=cases, mistakes=GRADIENT_DESCENT_LIMIT_MISTAKES,
                           equation=LIMIT_EQUATION)
    if result.mistake == "exception" and "singular" in result.message.lower():
        return failed(f"{name}: the normal equations XᵀXθ = Xᵀy are singular here. With fewer "
                      "equations than unknowns XᵀX has no inverse, and the equations have "
                      "infinitely many solutions. Use what gradient descent preserves: "
                      "θ − θ₀ stays in the span of the rows of X.", "normal equations are singular")
    if result.mistake in {"unrecognized", "float32 precision"}:
        return diagnose_limit(name, learner, cases) or result
    return result


def diagnose_limit(name: str, learner: Callable, cases: list[Case]) -> Feedback | None:
    """Say what a wrong limit is: close to the right one, another minimizer, or no minimizer."""
    for case in cases:
        x, y, theta0 = case.args
        try:
            got = call(name, learner, *clone(case.args))
        except LearnerError:
            return None
        expected = gradient_descent_limit_reference(*case.args)
        if not isinstance(got, Tensor) or got.shape != expected.shape or close(got, expected):
            continue
        got = got.detach().to(expected)
        if not torch.isfinite(got).all():
            return None
        if torch.allclose(got, expected, rtol=1e-4, atol=1e-6):
            return failed(f"{name} is close to the limit but not equal to it ({case.label}: "
                          f"{largest_difference(got, expected)}). Running gradient descent only "
                          "approaches the limit; write the limit itself as a formula.",
                          "approximated by iterating, not the exact limit")
        residual = float((x @ got - y).norm() / y.norm())
        if residual < 1e-8:
            return failed(f"{name} returns a minimizer (Xθ = y), but not the one gradient descent "
                          f"reaches from θ₀ ({case.label}). With fewer equations than unknowns "
                          "there are infinitely many; solving the normal equations XᵀXθ = Xᵀy "
                          "(singular here) picks an arbitrary one. Gradient descent changes θ "
                          "only along the rows of X: θ = θ₀ + Xᵀc, with c such that Xθ = y.",
                          "another minimizer, not the one gradient descent reaches")
        return failed(f"{name} does not return a minimizer: Xθ ≠ y ({case.label}, relative "
                      f"residual {residual:.2g}). At the limit the gradient Xᵀ(Xθ − y) is 0, "
                      "which here means Xθ = y. (If you inverted XᵀX: it is singular with fewer "
                      f"equations than unknowns.) Check the equation: {LIMIT_EQUATION}",
                      "not a minimizer (Xθ ≠ y)")
    return None


# --- Predict: gradient descent just above α = 2/L -------------------------------------------

JUST_ABOVE_CHOICES = {
    "converges": "that it converges",
    "oscillates": "that it oscillates forever with the same amplitude",
    "diverges": "that it diverges",
}

JUST_ABOVE_WHY_NOT = {
    "converges": "Below 2/L each step multiplies θ by 1 − αL, of size under 1. Above 2/L the "
                 "factor is 1 − αL = −1 − εL: its size 1 + εL is over 1.",
    "oscillates": "That is α = 2/L exactly, where the factor is −1. Any ε > 0 makes it "
                  "−(1 + εL): the sign still flips at each step, but the amplitude grows "
                  "geometrically, slowly at first.",
}


def just_above_experiment() -> tuple[str, str]:
    """Gradient descent on f(θ) = (L/2)θ², L = 10, with α = 2/L + ε and with α = 2/L."""
    from descent.optim import sgd_step
    L, epsilon, steps = 10.0, 0.002, 500

    def run(lr: float) -> list[float]:
        theta = torch.ones((), dtype=torch.float64)
        sizes = [abs(theta.item())]
        for _ in range(steps):
            sgd_step(theta, L * theta, {}, lr=lr)   # ∇f(θ) = Lθ
            sizes.append(abs(theta.item()))
        return sizes

    above, at = run(2 / L + epsilon), run(2 / L)
    shown = [0, 10, 100, 500]
    evidence = (f"Gradient descent on f(θ) = (L/2)θ² with L = {L:g}, θ₀ = 1 and "
                f"α = 2/L + {epsilon:g} = {2 / L + epsilon:g} (each step multiplies θ by "
                f"1 − αL = {1 - (2 / L + epsilon) * L:g}): |θ_t| = ".replace("-", "−")
                + ", ".join(f"{above[t]:.3g}" if above[t] < 1000 else f"{above[t]:.0f}"
                            for t in shown)
                + " at t = " + ", ".join(str(t) for t in shown)
                + f". At α = 2/L exactly, |θ_t| stays {at[-1]:g}.")
    if above[-1] > 10 * above[0]:
        outcome = "diverges"
    elif above[-1] < 0.1 * above[0]:
        outcome = "converges"
    else:
        outcome = "oscillates"
    return outcome, evidence


def predict_just_above_2_over_L(learner: Callable) -> Feedback:
    """Check the prediction for gradient descent on (L/2)θ² with α = 2/L + ε, then run it."""
    return check_prediction(learner, name="predict_just_above_2_over_L",
                            choices=JUST_ABOVE_CHOICES, experiment=just_above_experiment,
                            why_not=JUST_ABOVE_WHY_NOT)
