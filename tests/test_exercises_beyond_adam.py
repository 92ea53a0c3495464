"""Correct rewrites of the exercises of the chapter "Beyond Adam" (Muon's Newton–Schulz
iteration, the LAMB step): different code, the same result. Each must pass."""

import pytest
import torch

from descent import check

# --- newton_schulz ---------------------------------------------------------------------


def ns_addmm(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    a, b, c = coefficients
    X = G.mT if G.size(0) > G.size(1) else G
    X = X / torch.clamp(torch.linalg.matrix_norm(X), min=eps)   # Frobenius by default
    for _ in range(steps):
        A = X @ X.mT
        B = torch.addmm(A, A, A, beta=b, alpha=c)
        X = torch.addmm(X, B, X, beta=a)
    return X.mT if G.size(0) > G.size(1) else X


def ns_gram_on_the_right(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    """X (b·XᵀX + c·(XᵀX)²) is the same polynomial: no transpose needed."""
    a, b, c = coefficients
    X = G / max(torch.sqrt((G * G).sum()), torch.tensor(eps, dtype=G.dtype))
    for _ in range(steps):
        A = X.T @ X
        X = a * X + X @ (b * A + c * (A @ A))
    return X


def ns_powers(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    a, b, c = coefficients
    flip = G.shape[0] > G.shape[1]
    X = (G.T if flip else G).clone()
    X /= max(X.norm().item(), eps)
    for _ in range(steps):
        X3 = X @ X.T @ X                                  # U S³ Vᵀ
        X5 = X @ X.T @ X3                                 # U S⁵ Vᵀ
        X = a * X + b * X3 + c * X5
    return X.T if flip else X


@pytest.mark.parametrize("function", [ns_addmm, ns_gram_on_the_right, ns_powers])
def test_newton_schulz_rewrites_pass(function):
    result = check.newton_schulz(function)
    assert result.passed, result.message


# --- lamb_step -------------------------------------------------------------------------

def lamb_lerp(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if "exp_avg" not in state:
        state["step"] = 0
        state["exp_avg"], state["exp_avg_sq"] = torch.zeros_like(param), torch.zeros_like(param)
    state["step"] += 1
    t = state["step"]
    state["exp_avg"].lerp_(grad, 1 - beta1)
    state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    denominator = (state["exp_avg_sq"] / (1 - beta2**t)).sqrt_().add_(eps)
    u = state["exp_avg"] / (1 - beta1**t) / denominator
    u.add_(param, alpha=weight_decay)
    trust = torch.where((param.norm() > 0) & (u.norm() > 0), param.norm() / u.norm(), 1.0)
    param.add_(-lr * trust * u)


def lamb_unit_direction(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    """The same step written as length × unit vector: α‖θ‖ · u/‖u‖."""
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad * grad
    m_hat, v_hat = state["m"] / (1 - beta1**t), state["v"] / (1 - beta2**t)
    u = m_hat / (v_hat**0.5 + eps) + weight_decay * param
    length = lr * param.norm()
    param.copy_(param - length * u / u.norm())


@pytest.mark.parametrize("step", [lamb_lerp, lamb_unit_direction])
def test_lamb_rewrites_pass(step):
    result = check.lamb_step(step)
    assert result.passed, result.message
