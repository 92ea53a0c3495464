"""Solutions: the heavy ball's rate, the optimal and the critical momentum, and the condition
number left after Jacobi's diagonal preconditioner."""

import math

import torch


def heavy_ball_rate(lr, momentum, curvatures):
    """max over the curvatures h of the spectral radius of T(h) = [[1 + beta - lr h, -beta], [1, 0]]."""
    rate = 0.0
    for h in curvatures.tolist():
        T = torch.tensor([[1 + momentum - lr * h, -momentum], [1.0, 0.0]], dtype=torch.float64)
        rate = max(rate, torch.linalg.eigvals(T).abs().max().item())   # |r| of complex r too
    return rate


def optimal_momentum(kappa):
    """beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1)) ** 2: both ends critically damped."""
    root = math.sqrt(kappa)
    return ((root - 1) / (root + 1)) ** 2


def critical_momentum(lr, h):
    """The discriminant (1 + beta - lr h)^2 - 4 beta is 0 where lr h = (1 - sqrt(beta))^2."""
    return (1 - math.sqrt(lr * h)) ** 2


def jacobi_condition_number(H):
    """kappa of S = D^(-1/2) H D^(-1/2) with D = diag(H)."""
    d = torch.diagonal(H).rsqrt()              # 1 / sqrt(H_ii)
    S = d[:, None] * H * d[None, :]            # S_ij = H_ij / sqrt(H_ii H_jj)
    eigenvalues = torch.linalg.eigvalsh(S)     # in ascending order
    return (eigenvalues[-1] / eigenvalues[0]).item()
