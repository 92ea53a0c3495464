"""Checks for the FAQ exercises (chapter: Frequently asked questions): what a stationary
point is, from its Hessian; and how long gradient descent takes to leave a saddle."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from descent import optim, train
from descent.check.feedback import Feedback, LearnerError, call, describe, failed, passed
from descent.check.kinds import check_prediction
from descent.check.mistakes import Mistake

__all__ = ["classify_stationary_point", "predict_start_on_saddle"]


# --- implement: classify a stationary point from its Hessian ---------------------------------

LABELS = ("minimum", "maximum", "saddle", "inconclusive")
ZERO = 1e-9  # |λ| at most this counts as zero (the statement says so)


def classify_by_signs(positive: int, negative: int, zero: int) -> str:
    """The second-derivative test, from how many eigenvalues are > 0, < 0 and = 0."""
    if positive and negative:
        return "saddle"
    if zero:
        return "inconclusive"
    return "minimum" if positive else "maximum"


def signs(values: Tensor, tolerance: float = ZERO) -> tuple[int, int, int]:
    return (int((values > tolerance).sum()), int((values < -tolerance).sum()),
            int((values.abs() <= tolerance).sum()))


def classify_stationary_point_reference(hessian: Tensor) -> str:
    """"minimum" if every eigenvalue of H is > 0, "maximum" if every one is < 0, "saddle" if
    there are both, "inconclusive" otherwise (a zero eigenvalue and no sign change)."""
    return classify_by_signs(*signs(torch.linalg.eigvalsh(hessian)))


@dataclass
class HessianCase:
    hessian: Tensor
    label: str
    rounded_zero: bool = False    # zero eigenvalues that come out of eigvalsh as ±1e-16


def rotated(eigenvalues: Sequence[float], seed: int) -> Tensor:
    """Q diag(λ) Qᵀ for a random rotation Q: a symmetric matrix with these eigenvalues."""
    generator = torch.Generator().manual_seed(seed)
    n = len(eigenvalues)
    q, _ = torch.linalg.qr(torch.randn(n, n, generator=generator, dtype=torch.float64))
    h = q @ torch.diag(torch.tensor(eigenvalues, dtype=torch.float64)) @ q.T
    return (h + h.T) / 2


def diagonal(*values: float) -> Tensor:
    return torch.diag(torch.tensor(values, dtype=torch.float64))


def matrix(rows: list[list[float]]) -> Tensor:
    return torch.tensor(rows, dtype=torch.float64)


def hessian_cases() -> list[HessianCase]:
    return [
        HessianCase(diagonal(2.0, 3.0), "diag(2, 3)"),
        HessianCase(diagonal(-1.0, -4.0), "diag(-1, -4)"),
        HessianCase(diagonal(2.0, -2.0), "diag(2, -2), the Hessian of x² − y²"),
        HessianCase(matrix([[1.0, 2.0], [2.0, 1.0]]), "[[1, 2], [2, 1]]"),
        HessianCase(matrix([[-2.0, 1.0], [1.0, -2.0]]), "[[-2, 1], [1, -2]]"),
        HessianCase(matrix([[1.0, 3.0], [3.0, 2.0]]), "[[1, 3], [3, 2]]"),
        HessianCase(rotated([1.0, 2.0, 3.0], 0), "a rotated diag(1, 2, 3)"),
        HessianCase(rotated([-1.0, -2.0, -3.0], 1), "a rotated diag(-1, -2, -3)"),
        HessianCase(rotated([-1.0, -1.0, 2.0], 2), "a rotated diag(-1, -1, 2)"),
        HessianCase(matrix([[5.0]]), "[[5]] (one parameter)"),
        HessianCase(matrix([[-0.5]]), "[[-0.5]] (one parameter)"),
        HessianCase(rotated([1e-4, 1.0, 4.0, 2.0], 3), "a rotated diag(0.0001, 1, 4, 2)"),
        HessianCase(diagonal(2.0, 0.0), "diag(2, 0), the Hessian of x² + y⁴ and of x² − y⁴"),
        HessianCase(torch.zeros(2, 2, dtype=torch.float64), "the zero matrix"),
        HessianCase(diagonal(3.0, 0.0, -1.0), "diag(3, 0, -1)"),
        HessianCase(diagonal(0.0, -2.0), "diag(0, -2)"),
        HessianCase(rotated([2.0, 0.0, 0.0], 4), "a rotated diag(2, 0, 0)", rounded_zero=True),
        HessianCase(rotated([0.0, -1.0], 5), "a rotated diag(0, -1)", rounded_zero=True),
        HessianCase(matrix([[1.0, 1.0], [1.0, 1.0]]), "[[1, 1], [1, 1]]", rounded_zero=True),
    ]


Rule = Callable[[int, int, int], str]   # (positive, negative, zero) counts -> label


def answers_of(rule: Rule, case: HessianCase, tolerance: float = ZERO) -> set[str]:
    """What ``rule`` answers on ``case``; for a rounded zero eigenvalue (±1e-16), whatever
    sign the learner's eigenvalue solver may have given it."""
    positive, negative, zero = signs(torch.linalg.eigvalsh(case.hessian), tolerance)
    if not case.rounded_zero:
        return {rule(positive, negative, zero)}
    return {rule(positive + up, negative + down, zero - up - down)
            for up in range(zero + 1) for down in range(zero + 1 - up)}


def semidefinite_as_definite(positive: int, negative: int, zero: int) -> str:
    if not negative:
        return "minimum"
    return "maximum" if not positive else "saddle"


def zero_as_saddle(positive: int, negative: int, zero: int) -> str:
    if positive and not negative and not zero:
        return "minimum"
    return "maximum" if negative and not positive and not zero else "saddle"


def zero_first(positive: int, negative: int, zero: int) -> str:
    return "inconclusive" if zero else classify_by_signs(positive, negative, zero)


def swapped(positive: int, negative: int, zero: int) -> str:
    label = classify_by_signs(positive, negative, zero)
    return {"minimum": "maximum", "maximum": "minimum"}.get(label, label)


def by_diagonal(case: HessianCase) -> set[str]:
    return {classify_by_signs(*signs(torch.diagonal(case.hessian)))}


def by_determinant(case: HessianCase) -> set[str]:
    determinant, trace = torch.linalg.det(case.hessian).item(), torch.trace(case.hessian).item()
    if abs(determinant) <= ZERO:
        return {"inconclusive"}
    if determinant < 0:
        return {"saddle"}
    return {"minimum" if trace > 0 else "maximum"}


def compared_with_zero_exactly(case: HessianCase) -> set[str]:
    """Exact comparisons with 0: right wherever the zero eigenvalues come out exactly 0, and
    anything a ±1e-16 may give where they do not."""
    return answers_of(classify_by_signs, case)


CLASSIFY_MISTAKES = [
    Mistake("minimum and maximum swapped", "Positive curvature in every direction (all "
            "eigenvalues > 0) is a minimum: f curves up around it.",
            lambda case: answers_of(swapped, case)),
    Mistake("the diagonal read instead of the eigenvalues", "The diagonal entries are the "
            "curvatures along the axes only; [[1, 2], [2, 1]] has a positive diagonal but "
            "curves down along (1, −1). Use the eigenvalues: torch.linalg.eigvalsh(hessian).",
            by_diagonal),
    Mistake("the 2×2 determinant test used for a larger matrix", "det > 0 and trace > 0 means "
            "a minimum only for 2×2 matrices; in general look at the signs of all the "
            "eigenvalues (torch.linalg.eigvalsh).", by_determinant),
    Mistake("a zero eigenvalue counted as a minimum's or a maximum's", "Zero curvature in a "
            "direction leaves the test undecided: x² + y⁴ has a minimum at 0, x² − y⁴ a saddle, "
            "and both have the Hessian diag(2, 0): 'inconclusive'.",
            lambda case: answers_of(semidefinite_as_definite, case)),
    Mistake("a zero eigenvalue called a saddle", "A zero eigenvalue with no sign change leaves "
            "the test undecided ('inconclusive'): x² + y⁴ has a minimum at 0 with the Hessian "
            "diag(2, 0).", lambda case: answers_of(zero_as_saddle, case)),
    Mistake("any zero eigenvalue called inconclusive", "One positive and one negative "
            "eigenvalue already make a saddle, whatever the zero ones do: diag(3, 0, −1) is a "
            "saddle.", lambda case: answers_of(zero_first, case)),
    Mistake("eigenvalues compared with exactly 0", "Computed eigenvalues carry rounding "
            "errors: a zero eigenvalue can come out as ±1e-16. Count |λ| ≤ 1e-9 as zero.",
            compared_with_zero_exactly),
    Mistake("tolerance too large: a small eigenvalue counted as zero", "An eigenvalue of 0.0001 "
            "is positive; count only |λ| ≤ 1e-9 as zero.",
            lambda case: answers_of(classify_by_signs, case, tolerance=1e-2)),
]


def classify_stationary_point(learner: Callable) -> Feedback:
    """Check ``classify_stationary_point(hessian)``: "minimum", "maximum", "saddle" or
    "inconclusive", from the signs of the Hessian's eigenvalues."""
    name = "classify_stationary_point"
    cases = hessian_cases()
    answers: list[str] = []
    try:
        for case in cases:
            hessian = case.hessian.clone()
            answer = call(name, learner, hessian)
            if not torch.equal(hessian, case.hessian):
                return failed(f"{name} changed the Hessian it was given. Inputs belong to the "
                              "caller: compute on them without modifying them.", "input modified")
            if not isinstance(answer, str) or answer.strip().lower() not in LABELS:
                allowed = ", ".join(repr(label) for label in LABELS)
                return failed(f"{name} returned {describe(answer)} for {case.label}; return "
                              f"one of {allowed}.", "invalid answer")
            answers.append(answer.strip().lower())
    except LearnerError as error:
        if all(a == classify_stationary_point_reference(c.hessian)
               for a, c in zip(answers, cases)):
            return error.feedback
        cases = cases[:len(answers)]       # a wrong answer before the error says more
    expected = [classify_stationary_point_reference(case.hessian) for case in cases]
    if answers == expected:
        return passed(f"{name} classifies all {len(cases)} Hessians right, degenerate ones "
                      "included.")
    for mistake in CLASSIFY_MISTAKES:
        if all(answer in mistake.step(case) for answer, case in zip(answers, cases)):
            return failed(f"{name}: {mistake.name}. {mistake.advice}", mistake.name)
    answer, case, right = next((a, c, e) for a, c, e in zip(answers, cases, expected) if a != e)
    eigenvalues = ", ".join(f"{v:.3g}" for v in torch.linalg.eigvalsh(case.hessian).tolist())
    return failed(f"{name} returned {answer!r} for {case.label}, whose eigenvalues are "
                  f"{eigenvalues}; expected {right!r}. Check the rule: all λ > 0 minimum, all "
                  "λ < 0 maximum, both signs saddle, otherwise inconclusive.", "unrecognized")


# --- predict: how long gradient descent takes to leave a saddle -------------------------------

SADDLE_CHOICES = {
    "stays": "that gradient descent stays at the saddle",
    "escapes quickly": "that it escapes within 100 steps",
    "escapes slowly": "that it escapes, but only after more than 100 steps",
}
SADDLE_WHY_NOT = {
    "stays": "Only a start exactly on the line y = 0 stays: there ∂f/∂y = y³ − y is 0, so y "
             "remains 0. Any other y is multiplied by about 1 + α = 1.1 per step near the "
             "saddle, where the curvature along y is −1.",
    "escapes quickly": "The escape is certain, but a factor 1.1 per step is slow growth: "
                       "it needs more than 100 steps.",
}


def saddle(theta: Tensor) -> Tensor:
    """The chapter's f(x, y) = x² + y⁴/4 − y²/2: a saddle at the origin, minima at (0, ±1)."""
    x, y = theta[..., 0], theta[..., 1]
    return x**2 + y**4 / 4 - y**2 / 2


def steps_to_escape(start: tuple[float, float], *, lr: float = 0.1,
                    steps: int = 1000) -> tuple[int | None, Tensor]:
    """The first step at which |y| > 0.5 (None if never), and the path."""
    path = train.trajectory(saddle, start, lambda p: optim.SGD(p, lr=lr), steps)
    away = path[:, 1].abs() > 0.5
    return (int(away.int().argmax()) if away.any() else None), path


def saddle_experiment() -> tuple[str, str]:
    escape, path = steps_to_escape((1.0, 1e-6))
    _, exact = steps_to_escape((1.0, 0.0))
    outcome = ("stays" if escape is None else "escapes quickly" if escape <= 100
               else "escapes slowly")
    x100, y100 = path[100].tolist()
    end = exact[-1].tolist()
    evidence = (f"From (1, 1e-6), after 100 steps θ = ({x100:.1e}, {y100:.1e}), f = "
                f"{saddle(path[100]).item():.1e}: still at the saddle; |y| first exceeds 0.5 "
                f"at step {escape}, and after 1000 steps θ = ({path[-1, 0].item():.1e}, "
                f"{path[-1, 1].item():.3f}), f = {saddle(path[-1]).item():.3f}, a minimum. "
                f"From (1, 0) exactly, y stays 0: after 1000 steps θ = ({end[0]:.1e}, "
                f"{end[1]:g}), at the saddle. Near the saddle y "
                f"grows by 1 + α = 1.1 per step: 10⁻⁶·1.1^k = 0.5 at k ≈ "
                f"{math.log(0.5 / 1e-6) / math.log(1.1):.0f}.")
    return outcome, evidence


def predict_start_on_saddle(learner: Callable[[], str]) -> Feedback:
    """Check the prediction for gradient descent started 10⁻⁶ off the saddle's stable line."""
    return check_prediction(learner, name="predict_start_on_saddle", choices=SADDLE_CHOICES,
                            experiment=saddle_experiment, why_not=SADDLE_WHY_NOT)
