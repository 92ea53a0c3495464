"""Solutions: Muon's Newton–Schulz iteration, and the LAMB step."""

import torch


def newton_schulz(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    a, b, c = coefficients
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G                                # work with the smaller Gram matrix
    X = X / X.norm().clamp(min=eps)                       # X_0: every singular value ≤ 1
    for _ in range(steps):
        A = X @ X.T                                       # A = X Xᵀ
        X = a * X + (b * A + c * A @ A) @ X               # U p(S) Vᵀ, p(σ) = aσ + bσ³ + cσ⁵
    return X.T if tall else X                             # back to G's shape


def lamb_step(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if not state:
        state["t"] = 0
        state["m"] = torch.zeros_like(param)
        state["v"] = torch.zeros_like(param)
    state["t"] += 1
    t, m, v = state["t"], state["m"], state["v"]
    m.mul_(beta1).add_((1 - beta1) * grad)                # Adam's two averages
    v.mul_(beta2).add_((1 - beta2) * grad * grad)
    r = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
    u = r + weight_decay * param                          # the direction, decay included
    w_norm, u_norm = param.norm(), u.norm()
    ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0   # the trust ratio
    param.sub_(lr * ratio * u)                            # a step of length lr·‖θ‖
