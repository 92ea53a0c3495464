"""Checks for the exercises of the chapter "Beyond Adam": Muon's Newton–Schulz iteration and
the LAMB step, with their catalogues of known mistakes."""

from __future__ import annotations

from collections.abc import Callable

import torch

from descent import optim
from descent.check.feedback import (Feedback, Forbidden, LearnerError, call, devices, failed,
                                    forbidding)
from descent.check.functions import Case, check_function
from descent.check.mistakes import Mistake, sign_flipped, state_not_kept
from descent.check.steps import STEP_FORBIDDEN, check_step_function

__all__ = ["newton_schulz", "lamb_step"]


# ---------------------------------------------------------------------------
# newton_schulz (implement): Muon's orthogonalisation, in the dtype of G
# ---------------------------------------------------------------------------

CUBIC = (1.5, -0.5, 0.0)
# The checks pass a tiny ε, so that max(‖G‖, ε) and ‖G‖ + ε (both fine) give the same result.
EPS = 1e-12


def newton_schulz_reference(G, coefficients=optim.MUON_COEFFICIENTS, steps=5, eps=1e-7):
    """The library's iteration, computed in G's own dtype (float64 or float32)."""
    return optim.newton_schulz(G, coefficients, steps, eps, dtype=G.dtype)


def ns_variant(*, normalise: str = "frobenius", order: str = "abc", transpose_back: bool = True,
               fixed_steps: int | None = None, fixed_coefficients=None) -> Callable:
    """Newton–Schulz with one part changed, for the catalogue of mistakes."""
    def newton_schulz(G, coefficients=optim.MUON_COEFFICIENTS, steps=5, eps=1e-7):
        a, b, c = fixed_coefficients or coefficients
        if order == "cba":
            a, c = c, a
        tall = G.size(0) > G.size(1)
        X = G.T if tall else G
        if normalise == "frobenius":
            X = X / X.norm().clamp(min=eps)
        elif normalise == "spectral":
            X = X / torch.linalg.matrix_norm(X, ord=2).clamp(min=eps)
        for _ in range(steps if fixed_steps is None else fixed_steps):
            A = X @ X.T
            X = a * X + (b * A + c * A @ A) @ X
        return X.T if tall and transpose_back else X
    return newton_schulz


NS_EQUATION = ("X₀ = G/max(‖G‖_F, ε) (Gᵀ first if G is tall);  A = X Xᵀ;  "
               "X ← a·X + (b·A + c·A²)·X, `steps` times;  transpose back")
NS_MISTAKES = [
    Mistake("no normalisation by the norm", "Divide G by its Frobenius norm first, "
            "X₀ = G/max(‖G‖_F, ε): the polynomial only pushes singular values in [0, 1] "
            "towards 1; larger ones blow up.", ns_variant(normalise="none")),
    Mistake("normalised by the spectral norm instead of the Frobenius norm", "Divide by "
            "‖G‖_F = √(Σ G²) (`G.norm()`): it bounds the largest singular value and needs no "
            "SVD, which is the point of the iteration.", ns_variant(normalise="spectral")),
    Mistake("coefficients applied in the wrong order", "With (a, b, c) = coefficients, "
            "X ← a·X + (b·A + c·A²)·X: a multiplies X (the linear term), c the fifth power.",
            ns_variant(order="cba")),
    Mistake("`steps` ignored", "Run the iteration `steps` times, not a fixed number: the "
            "check calls it with several values.", ns_variant(fixed_steps=5)),
    Mistake("`coefficients` ignored", "Use the (a, b, c) passed in `coefficients`: the check "
            "also calls it with the classical cubic (1.5, −0.5, 0).",
            ns_variant(fixed_coefficients=optim.MUON_COEFFICIENTS)),
]
NS_FORBIDDEN = Forbidden(functions=frozenset({"svd", "linalg_svd", "svd_lowrank", "pinv",
                                              "linalg_pinv"}),
                         modules=("descent.optim", "torch.optim"))


def ns_cases() -> list[Case]:
    """Wide, tall and square matrices, both sets of coefficients, several step counts; float64
    and float32, and CUDA when present. G is scaled by 10 so that a missing normalisation shows."""
    settings = [((3, 5), optim.MUON_COEFFICIENTS, 5), ((6, 4), optim.MUON_COEFFICIENTS, 5),
                ((4, 4), CUBIC, 8), ((7, 3), CUBIC, 3), ((2, 6), optim.MUON_COEFFICIENTS, 2)]
    cases = []
    for device in devices():
        for dtype in (torch.float64, torch.float32):
            generator = torch.Generator().manual_seed(0)
            for shape, coefficients, steps in settings:
                G = 10 * torch.randn(shape, generator=generator, dtype=dtype).to(device)
                cases.append(Case((G, coefficients, steps, EPS),
                                  label=f"G {shape[0]}×{shape[1]}, coefficients={coefficients}, "
                                        f"steps={steps}, {dtype}, {device}"))
    return cases


def newton_schulz(learner: Callable) -> Feedback:
    """Check ``newton_schulz(G, coefficients, steps, eps)`` against the library's, in G's dtype."""
    result = check_function(learner, name="newton_schulz", reference=newton_schulz_reference,
                            cases=ns_cases(), mistakes=NS_MISTAKES, equation=NS_EQUATION,
                            forbidden=NS_FORBIDDEN)
    if result.mistake == "wrong shape":   # is it a tall matrix left transposed?
        G = torch.randn(6, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        try:
            with forbidding(NS_FORBIDDEN):
                got = call("newton_schulz", learner, G.clone(), optim.MUON_COEFFICIENTS, 5, EPS)
        except LearnerError:
            return result
        if isinstance(got, torch.Tensor) and got.shape == (3, 6):
            return failed("newton_schulz: a tall matrix returned transposed. Working on Gᵀ "
                          "when G has more rows than columns keeps A = X Xᵀ small, but the "
                          "result must have G's shape: transpose it back at the end.",
                          "tall matrix returned transposed")
    return result


# ---------------------------------------------------------------------------
# lamb_step (implement): Adam's direction, scaled per tensor by the trust ratio
# ---------------------------------------------------------------------------

def lamb_reference(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    optim.lamb_step(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                    weight_decay=weight_decay)


def lamb_variant(*, ratio: str = "right", decay: str = "inside", correct: bool = True,
                 eps_inside: bool = False) -> Callable:
    """LAMB with one part changed, for the catalogue of mistakes."""
    def step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
        t = state["t"] = state.get("t", 0) + 1
        m = state.setdefault("m", torch.zeros_like(param))
        v = state.setdefault("v", torch.zeros_like(param))
        m.mul_(beta1).add_((1 - beta1) * grad)
        v.mul_(beta2).add_((1 - beta2) * grad * grad)
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
        r = m_hat / ((v_hat + eps).sqrt() if eps_inside else v_hat.sqrt() + eps)
        u = r + weight_decay * param if decay == "inside" else r
        w_norm = param.norm()
        if ratio == "right":
            trust = w_norm / u.norm()
        elif ratio == "inverted":
            trust = u.norm() / w_norm
        elif ratio == "gradient":
            trust = w_norm / grad.norm()
        else:
            trust = 1.0
        update = trust * u
        if decay == "outside":
            update = update + weight_decay * param
        param.sub_(lr * update)
    return step


LAMB_EQUATION = ("r = m̂/(√v̂ + ε);  u = r + λθ;  θ ← θ − α·(‖θ‖/‖u‖)·u  "
                 "(m̂, v̂ bias-corrected as in Adam)")
LAMB_MISTAKES = [
    Mistake("trust ratio missing: this is AdamW with the decay inside", "Scale the update of "
            "each tensor by the trust ratio ‖θ‖/‖u‖, so that it has length α‖θ‖: "
            "θ ← θ − α·(‖θ‖/‖u‖)·u.", lamb_variant(ratio="none")),
    Mistake("trust ratio inverted", "The ratio is ‖θ‖/‖u‖ (weights over update), so that the "
            "step α·(‖θ‖/‖u‖)·u has length α‖θ‖.", lamb_variant(ratio="inverted")),
    Mistake("trust ratio from the gradient's norm (that is LARS)", "LAMB divides by the norm "
            "of its own update u = m̂/(√v̂ + ε) + λθ, not of the gradient g.",
            lamb_variant(ratio="gradient")),
    Mistake("weight decay outside the trust ratio", "Add λθ to Adam's direction before "
            "taking the ratio, u = r + λθ, and scale all of u: θ ← θ − α·(‖θ‖/‖u‖)·u.",
            lamb_variant(decay="outside")),
    Mistake("weight decay missing", "u = r + λθ: the decay is part of the direction whose "
            "length the trust ratio sets.", lamb_variant(decay="none")),
    Mistake("bias correction missing", "m and v start at 0: divide them by (1 − β₁ᵗ) and "
            "(1 − β₂ᵗ) before forming r = m̂/(√v̂ + ε).", lamb_variant(correct=False)),
    Mistake("ε inside the square root", "As in Adam, add ε outside the root: "
            "r = m̂/(√v̂ + ε).", lamb_variant(eps_inside=True)),
    sign_flipped(lamb_reference),
    state_not_kept(lamb_reference),
]
LAMB_SETTINGS = [dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.01),
                 dict(lr=0.1, beta1=0.8, beta2=0.9, eps=1e-3, weight_decay=0.3)]


def lamb_step(learner: Callable) -> Feedback:
    """Check ``lamb_step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay)``."""
    return check_step_function(learner, name="lamb_step", reference=lamb_reference,
                               settings=LAMB_SETTINGS, mistakes=LAMB_MISTAKES,
                               equation=LAMB_EQUATION, forbidden=STEP_FORBIDDEN)
