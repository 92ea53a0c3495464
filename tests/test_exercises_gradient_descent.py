"""Correct rewrites of the gradient-descent exercises added after the first two (the largest
stable learning rate, where gradient descent ends, just above 2/L): different code, the same
answer. Each must pass; and the derived limit is where gradient descent really goes."""

import pytest
import torch

from descent import check
from descent.check.gradient_descent import gradient_descent_limit_reference, limit_cases


# --- largest_stable_lr ----------------------------------------------------------------

def lr_python_max(curvatures):
    return 2 / max(curvatures.tolist())


def lr_smallest_bound(curvatures):
    return min(2 / lam for lam in curvatures)          # every coordinate's own bound


def lr_spectral_norm(curvatures):
    hessian = torch.diag(curvatures)
    return 2 / torch.linalg.matrix_norm(hessian, ord=2)


@pytest.mark.parametrize("function", [lr_python_max, lr_smallest_bound, lr_spectral_norm])
def test_largest_stable_lr_rewrites_pass(function):
    result = check.largest_stable_lr(function)
    assert result.passed, result.message


# --- gradient_descent_limit -----------------------------------------------------------

def limit_by_lstsq(x, y, theta0):
    step = torch.linalg.lstsq(x, (y - x @ theta0).unsqueeze(1)).solution.squeeze(1)
    return theta0 + step


def limit_along_the_rows(x, y, theta0):
    c = torch.linalg.solve(x @ x.T, y - x @ theta0)     # theta = theta0 + x^T c
    return theta0 + x.T @ c


def limit_by_projection(x, y, theta0):
    x_plus = torch.linalg.pinv(x)
    null_space_part = theta0 - x_plus @ (x @ theta0)   # (I - X+X) theta0: never changes
    return null_space_part + x_plus @ y


@pytest.mark.parametrize("function", [limit_by_lstsq, limit_along_the_rows, limit_by_projection])
def test_gradient_descent_limit_rewrites_pass(function):
    result = check.gradient_descent_limit(function)
    assert result.passed, result.message


def test_the_limit_is_where_gradient_descent_goes():
    for case in limit_cases():
        x, y, theta = case.args
        lr = 1 / torch.linalg.matrix_norm(x, ord=2) ** 2    # below 2/L, L = ||X||²
        for _ in range(5000):
            theta = theta - lr * x.T @ (x @ theta - y)
        assert torch.allclose(theta, gradient_descent_limit_reference(*case.args), atol=1e-9)


# --- predict_just_above_2_over_L ------------------------------------------------------

@pytest.mark.parametrize("answer", ["diverges", " Diverges "])
def test_the_right_prediction_passes_in_any_case(answer):
    result = check.predict_just_above_2_over_L(lambda: answer)
    assert result.passed, result.message
    assert "19957" in result.message           # the evidence: |θ_500| = 1.02^500
