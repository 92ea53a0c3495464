r"""Why the optimizers work: momentum and preconditioning on a quadratic, in closed form.

On a quadratic f(θ) = ½ θᵀHθ the gradient is Hθ. In the eigenvectors of H
the coordinates do not interact, so every optimizer of the book that is
linear in the gradient (gradient descent, heavy-ball momentum, Nesterov)
acts on each eigen-direction separately, with that direction's curvature h
(one eigenvalue of H, between μ = λ_min and L = λ_max). For momentum one
direction is a 2×2 linear iteration

.. math::

    \begin{pmatrix} \theta_{t+1} \\ \theta_t \end{pmatrix}
    = T(h) \begin{pmatrix} \theta_t \\ \theta_{t-1} \end{pmatrix},

and how fast it converges is the spectral radius of T(h), the largest
modulus of its two eigenvalues; the whole problem converges at the rate of
its slowest direction, the maximum over h. This module computes those
matrices, their eigenvalues, the rates, the optimal settings and the damping
regimes, and, for the second half of the chapter, condition numbers before
and after a (diagonal) preconditioner.

References: Polyak (1964), "Some methods of speeding up the convergence of
iteration methods"; Nesterov (1983; *Introductory Lectures on Convex
Optimization*, 2004, §2.2); Goh (2017), "Why Momentum Really Works", Distill;
Lessard, Recht & Packard (2016), "Analysis and design of optimization
algorithms via integral quadratic constraints"; Forsythe & Straus (1955) for
the best diagonal scaling of a 2×2 matrix.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Sequence

import torch
from torch import Tensor

__all__ = ["iteration_matrix", "iteration_eigenvalues", "spectral_radius", "convergence_rate",
           "gradient_descent_rate", "optimal_gradient_descent", "optimal_heavy_ball",
           "largest_stable_lr", "is_stable", "damping", "critical_momentum", "measured_rate",
           "hessian", "condition_number", "scaled", "jacobi_scaling",
           "diagonal_preconditioned_condition_number"]

Curvatures = Sequence[float] | Tensor


def as_curvatures(curvatures: Curvatures | float) -> list[float]:
    """The curvatures h (eigenvalues of H) as a list of floats; each must be positive."""
    if isinstance(curvatures, Tensor):
        values = [float(h) for h in curvatures.flatten()]
    elif isinstance(curvatures, (int, float)):
        values = [float(curvatures)]
    else:
        values = [float(h) for h in curvatures]
    if not values or not all(h > 0 and math.isfinite(h) for h in values):
        raise ValueError(f"curvatures must be positive numbers, got {curvatures!r}")
    return values


def iteration_matrix(h: float, lr: float, momentum: float, nesterov: bool = False) -> Tensor:
    r"""The 2×2 matrix T(h) that maps (θ_t, θ_{t−1}) to (θ_{t+1}, θ_t) along one eigen-direction.

    Heavy ball (Polyak 1964), θ_{t+1} = θ_t − αhθ_t + β(θ_t − θ_{t−1}):

    .. math::

        T(h) = \begin{pmatrix} 1 + \beta - \alpha h & -\beta \\ 1 & 0 \end{pmatrix}.

    PyTorch's form, b_t = βb_{t−1} + g_t, θ_t = θ_{t−1} − αb_t, is the same
    iteration (θ_t − θ_{t−1} = −αb_t = −αg_t + β(θ_{t−1} − θ_{t−2})), from the
    second step on. Nesterov in PyTorch's form, θ_t = θ_{t−1} − α(g_t + βb_t),
    gives θ_{t+1} = (1 + β)(1 − αh)θ_t − β(1 − αh)θ_{t−1}:

    .. math::

        T(h) = \begin{pmatrix} (1 + \beta)(1 - \alpha h) & -\beta(1 - \alpha h) \\
                               1 & 0 \end{pmatrix}.

    With β = 0 both are gradient descent, θ_{t+1} = (1 − αh)θ_t. Float64.
    """
    a, b = float(lr) * float(h), float(momentum)
    if nesterov:
        top = [(1 + b) * (1 - a), -b * (1 - a)]
    else:
        top = [1 + b - a, -b]
    return torch.tensor([top, [1.0, 0.0]], dtype=torch.float64)


def iteration_eigenvalues(h: float, lr: float, momentum: float,
                          nesterov: bool = False) -> tuple[complex, complex]:
    r"""The two eigenvalues of :func:`iteration_matrix`, the roots of r² − (trace) r + det = 0.

    Heavy ball: trace 1 + β − αh, determinant β, so

    .. math::

        r_{1,2} = \frac{1 + \beta - \alpha h \pm \sqrt{(1 + \beta - \alpha h)^2 - 4\beta}}{2},
        \qquad r_1 r_2 = \beta.

    Nesterov: trace (1 + β)(1 − αh), determinant β(1 − αh). Returned as
    complex numbers, the one of larger modulus first.
    """
    a, b = float(lr) * float(h), float(momentum)
    trace, det = ((1 + b) * (1 - a), b * (1 - a)) if nesterov else (1 + b - a, b)
    root = cmath.sqrt(trace * trace - 4 * det)
    pair = ((trace + root) / 2, (trace - root) / 2)
    return tuple(sorted(pair, key=abs, reverse=True))


def spectral_radius(h: float, lr: float, momentum: float, nesterov: bool = False) -> float:
    """max |r| over the two eigenvalues of T(h): the factor by which the error along this
    eigen-direction shrinks per step, in the long run."""
    return abs(iteration_eigenvalues(h, lr, momentum, nesterov)[0])


def convergence_rate(curvatures: Curvatures | float, lr: float, momentum: float = 0.0,
                     nesterov: bool = False) -> float:
    r"""The rate of the whole quadratic: ρ = max over the curvatures h of the spectral radius of T(h).

    ‖θ_t‖ shrinks like ρᵗ (up to a factor that does not grow exponentially);
    ρ < 1 converges, ρ ≥ 1 does not. Because the spectral radius is largest at
    the ends of [μ, L] (Goh 2017; Lessard, Recht & Packard 2016), passing
    just (μ, L) gives the rate for every H with its eigenvalues in [μ, L].
    """
    return max(spectral_radius(h, lr, momentum, nesterov) for h in as_curvatures(curvatures))


def gradient_descent_rate(curvatures: Curvatures | float, lr: float) -> float:
    """Gradient descent's rate, max |1 − αh| over the curvatures (β = 0 in :func:`convergence_rate`)."""
    return max(abs(1 - lr * h) for h in as_curvatures(curvatures))


def optimal_gradient_descent(mu: float, L: float) -> tuple[float, float]:
    r"""The learning rate that minimizes gradient descent's rate on [μ, L], and that rate.

    max(|1 − αμ|, |1 − αL|) is smallest where 1 − αμ = αL − 1:

    .. math::

        \alpha^\star = \frac{2}{\mu + L}, \qquad
        \rho^\star = \frac{L - \mu}{L + \mu} = \frac{\kappa - 1}{\kappa + 1}, \quad \kappa = L/\mu.
    """
    check_interval(mu, L)
    return 2 / (mu + L), (L - mu) / (L + mu)


def optimal_heavy_ball(mu: float, L: float) -> tuple[float, float, float]:
    r"""The heavy ball's optimal (α, β) on [μ, L], and its rate (Polyak 1964):

    .. math::

        \alpha^\star = \frac{4}{(\sqrt L + \sqrt\mu)^2}, \qquad
        \beta^\star = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2, \qquad
        \rho^\star = \sqrt{\beta^\star} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}.

    At (α*, β*) both ends h = μ and h = L are critically damped, and every
    curvature in between has complex eigenvalues of modulus √β*.
    """
    check_interval(mu, L)
    s = math.sqrt(L / mu)
    rate = (s - 1) / (s + 1)
    return 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2, rate**2, rate


def check_interval(mu: float, L: float) -> None:
    if not 0 < mu <= L < math.inf:
        raise ValueError(f"need 0 < mu <= L, got mu={mu!r}, L={L!r}")


def largest_stable_lr(h: float, momentum: float = 0.0, nesterov: bool = False) -> float:
    r"""The largest α for which the direction h converges: 2(1 + β)/h for the heavy ball.

    The heavy ball converges along h exactly when 0 ≤ β < 1 and
    0 < αh < 2(1 + β) (both roots inside the unit circle: the Jury
    conditions |det| < 1 and |trace| < 1 + det). Nesterov: αh < 2(1 + β)/(1 + 2β).
    """
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    if nesterov:
        return 2 * (1 + momentum) / ((1 + 2 * momentum) * h)
    return 2 * (1 + momentum) / h


def is_stable(h: float, lr: float, momentum: float) -> bool:
    """Does the heavy ball converge along h from every start? 0 ≤ β < 1 and 0 < αh < 2(1 + β)."""
    return 0 <= momentum < 1 and 0 < lr * h < 2 * (1 + momentum)


def damping(h: float, lr: float, momentum: float, tolerance: float = 1e-12) -> str:
    r"""The heavy ball's regime along h: ``"under-damped"``, ``"critically damped"`` or ``"over-damped"``.

    The sign of the discriminant Δ = (1 + β − αh)² − 4β decides:

    - Δ < 0, **under-damped**: complex eigenvalues r = √β e^{±iω}; the
      coordinate oscillates (a spiral in (θ_t, θ_{t−1})), and its envelope
      shrinks like (√β)ᵗ whatever α is;
    - Δ = 0, **critically damped**: a repeated eigenvalue, the fastest decay
      for this αh (``tolerance`` is relative, for rounding);
    - Δ > 0, **over-damped**: two real eigenvalues, the larger one sets a
      slow, non-oscillating decay (or, when αh > (1 + √β)², a sign flip at
      every step).
    """
    trace = 1 + momentum - lr * h
    discriminant = trace * trace - 4 * momentum
    if abs(discriminant) <= tolerance * max(1.0, trace * trace, 4 * momentum):
        return "critically damped"
    return "under-damped" if discriminant < 0 else "over-damped"


def critical_momentum(h: float, lr: float) -> float:
    r"""The β at which the direction h is critically damped, for 0 < αh < 4:

    .. math::

        \beta_c = \left(1 - \sqrt{\alpha h}\right)^2,

    from Δ = 0 ⇔ 1 + β − αh = ±2√β ⇔ αh = (1 ∓ √β)². Below β_c the
    direction is over-damped, above it under-damped.
    """
    a = lr * h
    if not 0 < a < 4:
        raise ValueError(f"need 0 < lr * h < 4, got {a!r}")
    return (1 - math.sqrt(a)) ** 2


def measured_rate(path: Tensor, start: int = 0, end: int | None = None,
                  minimum: Sequence[float] | Tensor | None = None) -> float:
    r"""The average factor per step by which the distance to the minimum shrank along ``path``:

    .. math::

        \hat\rho = \left(\frac{\lVert\theta_{\text{end}} - \theta^\star\rVert}
                               {\lVert\theta_{\text{start}} - \theta^\star\rVert}\right)^{1/(\text{end} - \text{start})}.

    ``path`` has shape (steps + 1, d), as :func:`descent.train.trajectory`
    returns; the minimum θ* is 0 unless given. Start after the first steps so
    that the slowest direction dominates, and end before rounding does.
    """
    end = len(path) - 1 if end is None else end
    if not 0 <= start < end < len(path):
        raise ValueError(f"need 0 <= start < end < len(path), got {start}, {end}, {len(path)}")
    centre = torch.zeros(path.shape[1:], dtype=path.dtype) if minimum is None \
        else torch.as_tensor(minimum, dtype=path.dtype)
    first, last = (path[start] - centre).norm().item(), (path[end] - centre).norm().item()
    return (last / first) ** (1 / (end - start))


def hessian(f: Callable[[Tensor], Tensor], theta: Sequence[float] | Tensor) -> Tensor:
    """The Hessian of ``f`` at ``theta``, by automatic differentiation, in float64."""
    point = torch.as_tensor(theta, dtype=torch.float64)
    return torch.autograd.functional.hessian(f, point)


def condition_number(H: Tensor) -> float:
    """κ = λ_max / λ_min of a symmetric positive definite matrix."""
    eigenvalues = torch.linalg.eigvalsh(H.double())
    if eigenvalues[0] <= 0:
        raise ValueError("the matrix must be positive definite")
    return (eigenvalues[-1] / eigenvalues[0]).item()


def scaled(H: Tensor, d: Sequence[float] | Tensor) -> Tensor:
    r"""D^{−1/2} H D^{−1/2} with D = diag(d): the Hessian seen by gradient descent preconditioned
    by P = D, θ ← θ − αD⁻¹g (in the variables φ = D^{1/2}θ it is plain gradient descent)."""
    root = torch.as_tensor(d, dtype=torch.float64).rsqrt()
    return root[:, None] * H.double() * root[None, :]


def jacobi_scaling(H: Tensor) -> Tensor:
    """:func:`scaled` with D = diag(H) (Jacobi's preconditioner): a matrix with unit diagonal."""
    return scaled(H, torch.diagonal(H))


def diagonal_preconditioned_condition_number(H: Tensor,
                                             d: Sequence[float] | Tensor | None = None) -> float:
    """κ of D^{−1/2} H D^{−1/2}; without ``d``, with Jacobi's D = diag(H).

    For a 2×2 matrix Jacobi's scaling is the best diagonal one (Forsythe &
    Straus 1955): the result is then (1 + |c|)/(1 − |c|), with c = H₁₂/√(H₁₁H₂₂),
    and no diagonal preconditioner does better. An axis-aligned H becomes the
    identity (κ = 1); a rotated one keeps the correlation c.
    """
    return condition_number(jacobi_scaling(H) if d is None else scaled(H, d))
