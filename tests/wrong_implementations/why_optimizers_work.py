"""Wrong solutions, written the way learners write them: the heavy ball's rate, the optimal and
the critical momentum, and the condition number after Jacobi's preconditioner."""

import math

import torch

from wrong_implementations.registry import wrong


def matrix(lr, momentum, h, sign=-1.0, dtype=torch.float64):
    return torch.tensor([[1 + momentum - lr * h, sign * momentum], [1.0, 0.0]], dtype=dtype)


# --- heavy_ball_rate -------------------------------------------------------------------

@wrong("heavy_ball_rate", "momentum left out: that is gradient descent's rate max |1 − αh|")
def rate_without_momentum(lr, momentum, curvatures):
    return max(abs(1 - lr * h) for h in curvatures.tolist())


@wrong("heavy_ball_rate", "only the largest curvature")
def rate_at_l_only(lr, momentum, curvatures):
    L = curvatures.max().item()
    return torch.linalg.eigvals(matrix(lr, momentum, L)).abs().max().item()


@wrong("heavy_ball_rate", "only the smallest curvature")
def rate_at_mu_only(lr, momentum, curvatures):
    mu = curvatures.min().item()
    return torch.linalg.eigvals(matrix(lr, momentum, mu)).abs().max().item()


@wrong("heavy_ball_rate", "√β for every direction: that holds only where the direction is "
                          "under-damped")
def rate_is_sqrt_beta(lr, momentum, curvatures):
    return momentum ** 0.5


@wrong("heavy_ball_rate", "the real part of the eigenvalues instead of their modulus")
def rate_from_real_parts(lr, momentum, curvatures):
    return max(torch.linalg.eigvals(matrix(lr, momentum, h)).real.abs().max().item()
               for h in curvatures.tolist())


@wrong("heavy_ball_rate", "+β in the matrix: the momentum term has the wrong sign")
def rate_with_plus_beta(lr, momentum, curvatures):
    return max(torch.linalg.eigvals(matrix(lr, momentum, h, sign=1.0)).abs().max().item()
               for h in curvatures.tolist())


@wrong("heavy_ball_rate", "the average over the curvatures instead of the largest")
def rate_averaged(lr, momentum, curvatures):
    rates = [torch.linalg.eigvals(matrix(lr, momentum, h)).abs().max().item()
             for h in curvatures.tolist()]
    return sum(rates) / len(rates)


@wrong("heavy_ball_rate", "float32 precision")
def rate_in_float32(lr, momentum, curvatures):
    return max(torch.linalg.eigvals(matrix(lr, momentum, h, dtype=torch.float32)).abs().max().item()
               for h in curvatures.tolist())


# --- optimal_momentum ------------------------------------------------------------------

@wrong("optimal_momentum", "κ instead of √κ")
def beta_with_kappa(kappa):
    return ((kappa - 1) / (kappa + 1)) ** 2


@wrong("optimal_momentum", "the square on β is missing: that is the rate √β*")
def beta_without_square(kappa):
    return (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)


@wrong("optimal_momentum", "κ instead of √κ, and no square: that is gradient descent's best rate")
def beta_is_gradient_descent_rate(kappa):
    return (kappa - 1) / (kappa + 1)


@wrong("optimal_momentum", "upside down: (√κ + 1)/(√κ − 1)")
def beta_upside_down(kappa):
    return ((kappa ** 0.5 + 1) / (kappa ** 0.5 - 1)) ** 2


@wrong("optimal_momentum", "(1 − 1/√κ)²: an approximation for large κ, not the optimum")
def beta_approximated(kappa):
    return (1 - 1 / math.sqrt(kappa)) ** 2


# --- critical_momentum -----------------------------------------------------------------

@wrong("critical_momentum", "the square root of αh is missing: (1 − αh)²")
def critical_without_root(lr, h):
    return (1 - lr * h) ** 2


@wrong("critical_momentum", "the square is missing: 1 − √(αh) is √β, not β")
def critical_without_square(lr, h):
    return 1 - math.sqrt(lr * h)


@wrong("critical_momentum", "the other sign: (1 + √(αh))² is above 1")
def critical_other_root(lr, h):
    return (1 + (lr * h) ** 0.5) ** 2


# --- jacobi_condition_number -----------------------------------------------------------

@wrong("jacobi_condition_number", "the condition number of H itself: the preconditioner is not "
                                  "applied")
def jacobi_forgotten(H):
    eigenvalues = torch.linalg.eigvalsh(H)
    return (eigenvalues.max() / eigenvalues.min()).item()


@wrong("jacobi_condition_number", "divided by D on both sides: D⁻¹HD⁻¹ instead of "
                                  "D^(−1/2)HD^(−1/2)")
def jacobi_full_inverse(H):
    D_inv = torch.diag(1 / torch.diagonal(H))
    eigenvalues = torch.linalg.eigvalsh(D_inv @ H @ D_inv)
    return (eigenvalues[-1] / eigenvalues[0]).item()


@wrong("jacobi_condition_number", "the ratio of the diagonal entries, not of the eigenvalues")
def jacobi_diagonal_ratio(H):
    d = torch.diagonal(H)
    return (d.max() / d.min()).item()


@wrong("jacobi_condition_number", "upside down: λ_min/λ_max")
def jacobi_upside_down(H):
    d = torch.diagonal(H).rsqrt()
    eigenvalues = torch.linalg.eigvalsh(d[:, None] * H * d[None, :])
    return (eigenvalues[0] / eigenvalues[-1]).item()


@wrong("jacobi_condition_number", "float32 precision")
def jacobi_in_float32(H):
    H = H.float()
    d = torch.diagonal(H).rsqrt()
    eigenvalues = torch.linalg.eigvalsh(d[:, None] * H * d[None, :])
    return (eigenvalues[-1] / eigenvalues[0]).item()
