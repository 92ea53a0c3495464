"""Wrong solutions, written the way learners write them: Muon's Newton–Schulz iteration and the
LAMB step."""

import torch

from wrong_implementations.registry import wrong

# --- newton_schulz ---------------------------------------------------------------------

@wrong("newton_schulz", "no normalisation by the norm")
def ns_not_normalised(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    a, b, c = coefficients
    X = G.T if G.shape[0] > G.shape[1] else G
    for _ in range(steps):
        A = X @ X.T
        X = a * X + b * A @ X + c * A @ A @ X
    return X.T if G.shape[0] > G.shape[1] else X


@wrong("newton_schulz", "normalised by the spectral norm instead of the Frobenius norm")
def ns_spectral(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    a, b, c = coefficients
    X = G / max(torch.linalg.matrix_norm(G, ord=2), eps)
    for _ in range(steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X


@wrong("newton_schulz", "tall matrix returned transposed")
def ns_not_transposed_back(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    a, b, c = coefficients
    X = G.T if G.shape[0] > G.shape[1] else G
    X = X / (X.norm() + eps)
    for _ in range(steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X


@wrong("newton_schulz", "coefficients applied in the wrong order")
def ns_coefficients_reversed(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    c, b, a = coefficients
    X = G / G.norm().clamp(min=eps)
    for _ in range(steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X


@wrong("newton_schulz", "`steps` ignored")
def ns_five_steps(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    a, b, c = coefficients
    X = G / G.norm().clamp(min=eps)
    for _ in range(5):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X


@wrong("newton_schulz", "forbidden call")
def ns_by_svd(G, coefficients=(3.4445, -4.775, 2.0315), steps=5, eps=1e-7):
    U, S, Vh = torch.linalg.svd(G, full_matrices=False)
    return U @ Vh


# --- lamb_step -------------------------------------------------------------------------

@wrong("lamb_step", "trust ratio missing: this is AdamW with the decay inside")
def lamb_without_ratio(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["t"] = state.get("t", 0) + 1
    m = state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    v = state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    r = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
    param -= lr * (r + weight_decay * param)


@wrong("lamb_step", "trust ratio inverted")
def lamb_ratio_inverted(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["t"] = state.get("t", 0) + 1
    m = state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    v = state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    u = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps) + weight_decay * param
    param -= lr * u.norm() / param.norm() * u


@wrong("lamb_step", "trust ratio from the gradient's norm (that is LARS)")
def lamb_ratio_of_gradient(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["t"] = state.get("t", 0) + 1
    m = state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    v = state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    u = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps) + weight_decay * param
    param -= lr * (param.norm() / grad.norm()) * u


@wrong("lamb_step", "weight decay outside the trust ratio")
def lamb_decay_outside(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["t"] = state.get("t", 0) + 1
    m = state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    v = state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    r = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
    param -= lr * (param.norm() / r.norm() * r + weight_decay * param)


@wrong("lamb_step", "bias correction missing")
def lamb_uncorrected(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    m = state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * grad
    v = state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * grad**2
    u = m / (v.sqrt() + eps) + weight_decay * param
    param -= lr * param.norm() / u.norm() * u


@wrong("lamb_step", "state not kept between steps")
def lamb_forgets(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    m, v = (1 - beta1) * grad, (1 - beta2) * grad**2
    r = (m / (1 - beta1)) / ((v / (1 - beta2)).sqrt() + eps)
    u = r + weight_decay * param
    param -= lr * param.norm() / u.norm() * u
