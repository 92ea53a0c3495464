"""Correct rewrites of the why-optimizers-work exercises: different code, the same answer. Each
must pass; and the references agree with descent.analysis and with runs of descent.optim.SGD."""

import math

import numpy as np
import pytest
import torch

from descent import analysis, check, data, optim, train
from descent.check import why_optimizers_work as module


# --- heavy_ball_rate -------------------------------------------------------------------

def rate_closed_form(lr, momentum, curvatures):
    worst = 0.0
    for h in curvatures.tolist():
        trace = 1 + momentum - lr * h
        discriminant = trace**2 - 4 * momentum
        if discriminant < 0:
            worst = max(worst, math.sqrt(momentum))          # complex pair, |r|² = β
        else:
            worst = max(worst, (abs(trace) + math.sqrt(discriminant)) / 2)
    return worst


def rate_with_numpy(lr, momentum, curvatures):
    matrices = [np.array([[1 + momentum - lr * h, -momentum], [1, 0]]) for h in curvatures.numpy()]
    return float(max(np.abs(np.linalg.eigvals(m)).max() for m in matrices))


def rate_buffer_form(lr, momentum, curvatures):
    # PyTorch's form on the state (theta, b): b <- beta b + h theta, theta <- theta - lr b
    rates = []
    for h in curvatures:
        T = torch.stack([torch.stack([1 - lr * h, -lr * momentum * torch.ones_like(h)]),
                         torch.stack([h, momentum * torch.ones_like(h)])])
        rates.append(torch.linalg.eigvals(T).abs().max())
    return torch.stack(rates).max()


@pytest.mark.parametrize("function", [rate_closed_form, rate_with_numpy, rate_buffer_form])
def test_heavy_ball_rate_rewrites_pass(function):
    result = check.heavy_ball_rate(function)
    assert result.passed, result.message


def test_heavy_ball_rate_reference_is_the_measured_rate():
    bowl = data.Quadratic((1.0, 100.0), angle=0.3)
    path = train.trajectory(bowl, bowl.start, lambda p: optim.SGD(p, lr=0.02, momentum=0.5), 400)
    predicted = module.heavy_ball_rate_reference(0.02, 0.5, torch.tensor([1.0, 100.0]))
    assert analysis.measured_rate(path, 100, 400) == pytest.approx(predicted, rel=0.01)


def test_calling_the_library_is_not_the_exercise():
    result = check.heavy_ball_rate(
        lambda lr, momentum, curvatures: analysis.convergence_rate(curvatures, lr, momentum))
    assert not result.passed and "descent.analysis" in result.message


# --- optimal_momentum ------------------------------------------------------------------

def beta_from_the_rate(kappa):
    rate = 1 - 2 / (math.sqrt(kappa) + 1)
    return rate * rate


def beta_from_mu_and_l(kappa):
    mu, L = 1.0, float(kappa)
    lr = 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    return (1 - math.sqrt(lr * mu)) ** 2                 # the smallest curvature, critical


def beta_as_tensor(kappa):
    root = torch.tensor(kappa, dtype=torch.float64).sqrt()
    return ((root - 1) / (root + 1)) ** 2


@pytest.mark.parametrize("function", [beta_from_the_rate, beta_from_mu_and_l, beta_as_tensor])
def test_optimal_momentum_rewrites_pass(function):
    result = check.optimal_momentum(function)
    assert result.passed, result.message


def test_optimal_momentum_reference_is_the_library_optimum():
    for kappa in (4.0, 100.0, 1e4):
        assert module.optimal_momentum_reference(kappa) == pytest.approx(
            analysis.optimal_heavy_ball(1.0, kappa)[1], rel=1e-12)


# --- critical_momentum -----------------------------------------------------------------

def critical_from_the_other_root(lr, h):
    return (math.sqrt(lr * h) - 1) ** 2


def critical_expanded(lr, h):
    return 1 - 2 * math.sqrt(lr * h) + lr * h


@pytest.mark.parametrize("function", [critical_from_the_other_root, critical_expanded])
def test_critical_momentum_rewrites_pass(function):
    result = check.critical_momentum(function)
    assert result.passed, result.message


def test_critical_momentum_makes_the_discriminant_zero():
    for case in module.critical_cases():
        lr, h = case.args
        beta = module.critical_momentum_reference(lr, h)
        assert (1 + beta - lr * h) ** 2 - 4 * beta == pytest.approx(0.0, abs=1e-12)


# --- jacobi_condition_number -----------------------------------------------------------

def jacobi_one_sided(H):
    # D^-1 H is similar to D^-1/2 H D^-1/2: the same eigenvalues
    eigenvalues = torch.linalg.eigvals(H / torch.diagonal(H)[:, None]).real
    return (eigenvalues.max() / eigenvalues.min()).item()


def jacobi_with_numpy_cond(H):
    root = np.sqrt(np.diag(H.numpy()))
    return float(np.linalg.cond(H.numpy() / np.outer(root, root)))


def jacobi_with_matrices(H):
    D_half_inv = torch.diag(torch.diagonal(H) ** -0.5)
    S = D_half_inv @ H @ D_half_inv
    return torch.linalg.cond(S)


@pytest.mark.parametrize("function", [jacobi_one_sided, jacobi_with_numpy_cond,
                                      jacobi_with_matrices])
def test_jacobi_condition_number_rewrites_pass(function):
    result = check.jacobi_condition_number(function)
    assert result.passed, result.message


def test_jacobi_reference_is_the_library_function():
    for case in module.jacobi_cases():
        assert module.jacobi_condition_number_reference(*case.args) == pytest.approx(
            analysis.diagonal_preconditioned_condition_number(*case.args), rel=1e-10)
