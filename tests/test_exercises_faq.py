"""Correct rewrites of the FAQ exercises: different code, the same answer; the checks must
accept every one."""

import numpy as np
import pytest
import torch

from descent import check


def classify_with_numpy(hessian):
    eigenvalues = np.linalg.eigvalsh(hessian.numpy())
    signs = {int(np.sign(v)) if abs(v) > 1e-10 else 0 for v in eigenvalues}
    if {1, -1} <= signs:
        return "saddle"
    if 0 in signs:
        return "inconclusive"
    return "minimum" if signs == {1} else "maximum"


def classify_by_extremes(hessian):
    eigenvalues = torch.linalg.eigvalsh(hessian)    # ascending
    low, high = eigenvalues[0].item(), eigenvalues[-1].item()
    tol = 1e-8 * max(1.0, abs(low), abs(high))
    if low < -tol and high > tol:
        return "saddle"
    if low > tol:
        return "minimum"
    if high < -tol:
        return "maximum"
    return "inconclusive"


def classify_by_counting(hessian):
    ev = torch.linalg.eigvals(hessian).real          # general solver, real parts
    n_pos = int((ev > 1e-9).sum())
    n_neg = int((ev < -1e-9).sum())
    n = hessian.shape[0]
    if n_pos == n:
        return "Minimum"
    if n_neg == n:
        return "Maximum"
    return "saddle" if n_pos and n_neg else "inconclusive"


@pytest.mark.parametrize("classify", [classify_with_numpy, classify_by_extremes,
                                      classify_by_counting])
def test_correct_rewrites_of_classify_stationary_point_pass(classify):
    result = check.classify_stationary_point(classify)
    assert result.passed, result.message


@pytest.mark.parametrize("answer", ["escapes slowly", " Escapes slowly"])
def test_the_right_prediction_passes_however_written(answer):
    assert check.predict_start_on_saddle(lambda: answer).passed
