"""Checks for the exercises of the chapter "Why the optimizers work": the heavy ball's rate
(implement), the optimal momentum and the critical momentum (derive), and the condition
number left after Jacobi's diagonal preconditioner (implement)."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import Tensor

from descent import analysis
from descent.check.feedback import Feedback, Forbidden, LearnerError, call, failed
from descent.check.functions import Case, clone
from descent.check.kinds import check_formula
from descent.check.mistakes import Mistake

__all__ = ["heavy_ball_rate", "optimal_momentum", "critical_momentum",
           "jacobi_condition_number"]

# The exercises ask for the formulas themselves, not the course's library that computes them.
NO_ANALYSIS = Forbidden(modules=("descent.analysis",))


def float32_precision(name: str, learner: Callable, cases: list[Case], reference: Callable,
                      equation: str) -> Feedback | None:
    """A failure that says "float32" when every result is right to float32's precision only."""
    for case in cases:
        try:
            got = call(name, learner, *clone(case.args))
        except LearnerError:
            return None
        try:
            got = float(got)
        except (TypeError, ValueError, RuntimeError):
            return None
        expected = reference(*clone(case.args))
        if not math.isclose(got, expected, rel_tol=1e-5, abs_tol=1e-8):
            return None
    return failed(f"{name} is right to about six digits only: somewhere your computation is in "
                  "float32 (e.g. `torch.tensor([[...]])` without `dtype=torch.float64`). Work in "
                  f"float64 or with Python floats. Equation: {equation}.", "float32 precision")


# --- The heavy ball's rate (implement) ------------------------------------------------------

def heavy_ball_rate_reference(lr: float, momentum: float, curvatures: Tensor) -> float:
    return analysis.convergence_rate(curvatures, lr, momentum)


def radius(matrix: list[list[float]]) -> float:
    return torch.linalg.eigvals(torch.tensor(matrix, dtype=torch.float64)).abs().max().item()


def radii(lr: float, momentum: float, curvatures: Tensor, top_right_sign: float = -1.0) -> list[float]:
    return [radius([[1 + momentum - lr * h, top_right_sign * momentum], [1.0, 0.0]])
            for h in curvatures.tolist()]


def largest_real_part(lr, momentum, curvatures):
    return max(torch.linalg.eigvals(torch.tensor([[1 + momentum - lr * h, -momentum], [1.0, 0.0]],
                                                 dtype=torch.float64)).real.abs().max().item()
               for h in curvatures.tolist())


HEAVY_BALL_RATE_MISTAKES = [
    Mistake("momentum left out: that is gradient descent's rate max |1 − αh|", "With momentum "
            "each direction follows θ_{t+1} = (1 + β − αh)θ_t − βθ_{t−1}: two numbers of state, a "
            "2×2 matrix T(h), and its two eigenvalues.",
            lambda lr, momentum, curvatures: max(abs(1 - lr * h) for h in curvatures.tolist())),
    Mistake("only the largest curvature", "The rate is the worst direction's, and that is "
            "often the *flattest* one: take the spectral radius of T(h) for every curvature h and "
            "return the largest.",
            lambda lr, momentum, curvatures: radii(lr, momentum, curvatures.max().reshape(1))[0]),
    Mistake("only the smallest curvature", "Near the stability limit the steepest direction is "
            "the slowest: take the spectral radius of T(h) for every curvature and return the "
            "largest.",
            lambda lr, momentum, curvatures: radii(lr, momentum, curvatures.min().reshape(1))[0]),
    Mistake("√β for every direction: that holds only where the direction is under-damped",
            "|r| = √β only when the eigenvalues are complex, (1 + β − αh)² < 4β. Where they are "
            "real (over-damped) the larger one is bigger than √β.",
            lambda lr, momentum, curvatures: math.sqrt(momentum)),
    Mistake("the real part of the eigenvalues instead of their modulus", "Complex eigenvalues "
            "r = a ± ib shrink the error by |r| = √(a² + b²) per step: use abs() of the complex "
            "eigenvalues.", largest_real_part),
    Mistake("+β in the matrix: the momentum term has the wrong sign", "θ_{t+1} = (1 + β − αh)θ_t "
            "− βθ_{t−1}: the coefficient of θ_{t−1} is −β, so T = [[1 + β − αh, −β], "
            "[1, 0]].", lambda lr, momentum, curvatures: max(radii(lr, momentum, curvatures, 1.0))),
    Mistake("the average over the curvatures instead of the largest", "The error shrinks only "
            "as fast as its slowest direction: take the maximum of the spectral radii.",
            lambda lr, momentum, curvatures: sum(radii(lr, momentum, curvatures))
            / len(curvatures)),
]

HEAVY_BALL_RATE_EQUATION = ("T(h) = [[1 + β − αh, −β], [1, 0]];  rate = max over h of the largest "
                            "|eigenvalue| of T(h)")


def heavy_ball_cases() -> list[Case]:
    settings = [(0.01, 0.9, [1.0, 100.0]), (0.02, 0.5, [1.0, 10.0, 100.0]),
                (0.035, 0.5, [1.0, 100.0]), (0.1, 0.2, [0.5, 2.0, 9.0]), (0.3, 0.0, [1.0, 5.0]),
                (0.05, 0.3, [4.0, 30.0]), (0.5, 0.6, [3.5]), (0.0331, 0.669, [1.0, 30.0, 100.0])]
    return [Case((lr, momentum, torch.tensor(h, dtype=torch.float64)),
                 label=f"α = {lr}, β = {momentum}, curvatures {tuple(h)}")
            for lr, momentum, h in settings]


def heavy_ball_rate(learner: Callable) -> Feedback:
    """Check ``heavy_ball_rate(lr, momentum, curvatures) -> float``: the heavy ball's rate."""
    name, cases = "heavy_ball_rate", heavy_ball_cases()
    result = check_formula(learner, name=name, reference=heavy_ball_rate_reference, cases=cases,
                           mistakes=HEAVY_BALL_RATE_MISTAKES, equation=HEAVY_BALL_RATE_EQUATION,
                           forbidden=NO_ANALYSIS)
    if result.mistake == "unrecognized":
        return float32_precision(name, learner, cases, heavy_ball_rate_reference,
                                 HEAVY_BALL_RATE_EQUATION) or result
    return result


# --- The optimal momentum for a condition number (derive) ----------------------------------

def optimal_momentum_reference(kappa: float) -> float:
    return ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2


OPTIMAL_MOMENTUM_MISTAKES = [
    Mistake("κ instead of √κ", "The heavy ball's gain is that √κ replaces κ: "
            "β* = ((√κ − 1)/(√κ + 1))². With κ the momentum is far too close to 1.",
            lambda kappa: ((kappa - 1) / (kappa + 1)) ** 2),
    Mistake("the square on β is missing: that is the rate √β*", "At the optimum the rate is "
            "ρ* = √β* = (√κ − 1)/(√κ + 1), so β* is its square.",
            lambda kappa: (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)),
    Mistake("κ instead of √κ, and no square: that is gradient descent's best rate",
            "(κ − 1)/(κ + 1) is the rate of gradient descent at α = 2/(μ + L). The heavy ball's "
            "optimal momentum is ((√κ − 1)/(√κ + 1))².",
            lambda kappa: (kappa - 1) / (kappa + 1)),
    Mistake("upside down: (√κ + 1)/(√κ − 1)", "β must be below 1 for the heavy ball to converge: "
            "β* = ((√κ − 1)/(√κ + 1))².",
            lambda kappa: ((math.sqrt(kappa) + 1) / (math.sqrt(kappa) - 1)) ** 2),
    Mistake("(1 − 1/√κ)²: an approximation for large κ, not the optimum",
            "Solve αμ = (1 − √β)² and αL = (1 + √β)² exactly: √β = (√κ − 1)/(√κ + 1).",
            lambda kappa: (1 - 1 / math.sqrt(kappa)) ** 2),
]

OPTIMAL_MOMENTUM_EQUATION = ("both ends critically damped: αμ = (1 − √β)², αL = (1 + √β)², so "
                             "β* = ((√κ − 1)/(√κ + 1))²")


def kappa_cases() -> list[Case]:
    return [Case((kappa,), label=f"κ = {kappa:g}") for kappa in (100.0, 4.0, 9.0, 1000.0, 2.5,
                                                                 1e4, 37.0)]


def optimal_momentum(learner: Callable) -> Feedback:
    """Check ``optimal_momentum(kappa) -> float``: the heavy ball's best β for condition number κ."""
    return check_formula(learner, name="optimal_momentum", reference=optimal_momentum_reference,
                         cases=kappa_cases(), mistakes=OPTIMAL_MOMENTUM_MISTAKES,
                         equation=OPTIMAL_MOMENTUM_EQUATION, forbidden=NO_ANALYSIS)


# --- The critical momentum for one direction (derive) --------------------------------------

def critical_momentum_reference(lr: float, h: float) -> float:
    return (1 - math.sqrt(lr * h)) ** 2


CRITICAL_MOMENTUM_MISTAKES = [
    Mistake("the square root of αh is missing: (1 − αh)²", "Δ = (1 + β − αh)² − 4β = 0 means "
            "1 + β − αh = ±2√β, that is αh = (1 ∓ √β)²: √β = 1 − √(αh).",
            lambda lr, h: (1 - lr * h) ** 2),
    Mistake("the square is missing: 1 − √(αh) is √β, not β", "From αh = (1 − √β)², "
            "√β = 1 − √(αh), so β = (1 − √(αh))².", lambda lr, h: 1 - math.sqrt(lr * h)),
    Mistake("the other sign: (1 + √(αh))² is above 1", "β must be below 1; of the roots of "
            "Δ = 0, β = (1 − √(αh))² is the one in [0, 1).",
            lambda lr, h: (1 + math.sqrt(lr * h)) ** 2),
    Mistake("β = αh/4: the discriminant's terms mixed up", "Δ = (1 + β − αh)² − 4β; setting it "
            "to 0 gives αh = (1 − √β)², so β = (1 − √(αh))².", lambda lr, h: lr * h / 4),
]

CRITICAL_MOMENTUM_EQUATION = "Δ = (1 + β − αh)² − 4β = 0  ⇔  β = (1 − √(αh))²"


def critical_cases() -> list[Case]:
    pairs = [(0.05, 1.0), (0.01, 100.0), (0.1, 3.0), (0.002, 7.0), (0.3, 10.0), (0.5, 0.5)]
    return [Case((lr, h), label=f"α = {lr}, h = {h}") for lr, h in pairs]


def critical_momentum(learner: Callable) -> Feedback:
    """Check ``critical_momentum(lr, h) -> float``: the β at which the direction h is critically
    damped."""
    return check_formula(learner, name="critical_momentum", reference=critical_momentum_reference,
                         cases=critical_cases(), mistakes=CRITICAL_MOMENTUM_MISTAKES,
                         equation=CRITICAL_MOMENTUM_EQUATION, forbidden=NO_ANALYSIS)


# --- The condition number after Jacobi's preconditioner (implement) ------------------------

def kappa_of(matrix: Tensor) -> float:
    eigenvalues = torch.linalg.eigvalsh(matrix)
    return (eigenvalues[-1] / eigenvalues[0]).item()


def jacobi_condition_number_reference(H: Tensor) -> float:
    d = torch.diagonal(H).rsqrt()
    return kappa_of(d[:, None] * H * d[None, :])


def scaled_by(H: Tensor, power: float) -> Tensor:
    d = torch.diagonal(H) ** power
    return d[:, None] * H * d[None, :]


JACOBI_MISTAKES = [
    Mistake("the condition number of H itself: the preconditioner is not applied",
            "Scale first: S = D^(−1/2) H D^(−1/2) with D = diag(H), then κ(S) = λ_max(S)/λ_min(S).",
            lambda H: kappa_of(H)),
    Mistake("divided by D on both sides: D⁻¹HD⁻¹ instead of D^(−1/2)HD^(−1/2)",
            "Each side takes the square root: S_ij = H_ij/√(H_ii H_jj), so that S has a unit "
            "diagonal.", lambda H: kappa_of(scaled_by(H, -1.0))),
    Mistake("multiplied by D^(1/2) instead of dividing", "The preconditioner divides: "
            "S_ij = H_ij/√(H_ii H_jj).", lambda H: kappa_of(scaled_by(H, 0.5))),
    Mistake("the ratio of the diagonal entries, not of the eigenvalues", "κ is λ_max/λ_min of the "
            "scaled matrix; its diagonal is all ones after Jacobi's scaling.",
            lambda H: (torch.diagonal(H).max() / torch.diagonal(H).min()).item()),
    Mistake("upside down: λ_min/λ_max", "κ = λ_max/λ_min ≥ 1.",
            lambda H: 1 / jacobi_condition_number_reference(H)),
    Mistake("the largest eigenvalue only, not divided by the smallest", "κ = λ_max/λ_min of the "
            "scaled matrix.", lambda H: torch.linalg.eigvalsh(scaled_by(H, -0.5))[-1].item()),
]

JACOBI_EQUATION = "S = D^(−1/2) H D^(−1/2), D = diag(H);  κ(S) = λ_max(S)/λ_min(S)"


def jacobi_cases() -> list[Case]:
    generator = torch.Generator().manual_seed(0)
    cases = []
    for n, eigenvalues in [(2, (1.0, 100.0)), (3, (0.5, 2.0, 40.0)), (4, (1.0, 3.0, 9.0, 250.0)),
                           (2, (2.0, 7.0))]:
        q, _ = torch.linalg.qr(torch.randn(n, n, generator=generator, dtype=torch.float64))
        scale = torch.diag(torch.rand(n, generator=generator, dtype=torch.float64) * 5 + 0.2)
        H = scale @ q @ torch.diag(torch.tensor(eigenvalues, dtype=torch.float64)) @ q.T @ scale
        cases.append(Case(((H + H.T) / 2,), label=f"a {n}×{n} H"))
    c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)
    rotation = torch.tensor([[c, -s], [s, c]], dtype=torch.float64)
    turned = rotation @ torch.diag(torch.tensor([1.0, 100.0], dtype=torch.float64)) @ rotation.T
    cases.append(Case((turned,), label="the bowl ½(u₁² + 100u₂²) turned by 30°"))
    cases.append(Case((torch.diag(torch.tensor([1.0, 100.0, 5.0], dtype=torch.float64)),),
                      label="a diagonal H"))
    return cases


def jacobi_condition_number(learner: Callable) -> Feedback:
    """Check ``jacobi_condition_number(H) -> float``: κ of D^(−1/2) H D^(−1/2), D = diag(H)."""
    name, cases = "jacobi_condition_number", jacobi_cases()
    result = check_formula(learner, name=name, reference=jacobi_condition_number_reference,
                           cases=cases, mistakes=JACOBI_MISTAKES, equation=JACOBI_EQUATION,
                           forbidden=NO_ANALYSIS)
    if result.mistake == "unrecognized":
        return float32_precision(name, learner, cases, jacobi_condition_number_reference,
                                 JACOBI_EQUATION) or result
    return result
