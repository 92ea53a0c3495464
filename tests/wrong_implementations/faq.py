"""Wrong solutions, written the way learners write them: the FAQ exercises
(classify_stationary_point, predict_start_on_saddle)."""

import numpy as np
import torch

from wrong_implementations.registry import wrong

# --- classify_stationary_point ---------------------------------------------------------------

@wrong("classify_stationary_point", "the diagonal read instead of the eigenvalues")
def classify_by_the_diagonal(hessian):
    d = torch.diagonal(hessian)
    if (d > 1e-9).all():
        return "minimum"
    if (d < -1e-9).all():
        return "maximum"
    if (d > 1e-9).any() and (d < -1e-9).any():
        return "saddle"
    return "inconclusive"


@wrong("classify_stationary_point", "the 2×2 determinant test used for a larger matrix")
def classify_by_determinant(hessian):
    det = torch.linalg.det(hessian)
    if abs(det) < 1e-9:
        return "inconclusive"
    if det < 0:
        return "saddle"
    return "minimum" if hessian.trace() > 0 else "maximum"


@wrong("classify_stationary_point", "a zero eigenvalue counted as a minimum's or a maximum's")
def classify_semidefinite_as_definite(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    if (ev >= -1e-9).all():
        return "minimum"
    if (ev <= 1e-9).all():
        return "maximum"
    return "saddle"


@wrong("classify_stationary_point", "a zero eigenvalue called a saddle")
def classify_without_inconclusive(hessian):
    ev = np.linalg.eigvalsh(hessian.numpy())
    if np.all(ev > 0):
        return "minimum"
    elif np.all(ev < 0):
        return "maximum"
    else:
        return "saddle"


@wrong("classify_stationary_point", "any zero eigenvalue called inconclusive")
def classify_zero_first(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    if (ev.abs() < 1e-9).any():
        return "inconclusive"
    if (ev > 0).all():
        return "minimum"
    if (ev < 0).all():
        return "maximum"
    return "saddle"


@wrong("classify_stationary_point", "minimum and maximum swapped")
def classify_swapped(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    if (ev > 1e-9).any() and (ev < -1e-9).any():
        return "saddle"
    if (ev.abs() <= 1e-9).any():
        return "inconclusive"
    return "maximum" if (ev > 0).all() else "minimum"


@wrong("classify_stationary_point", "eigenvalues compared with exactly 0")
def classify_exact_zero(hessian):
    ev = torch.linalg.eigvalsh(hessian).tolist()
    pos = sum(v > 0 for v in ev)
    neg = sum(v < 0 for v in ev)
    if pos and neg:
        return "saddle"
    if pos == len(ev):
        return "minimum"
    if neg == len(ev):
        return "maximum"
    return "inconclusive"


@wrong("classify_stationary_point", "tolerance too large: a small eigenvalue counted as zero")
def classify_loose_tolerance(hessian):
    ev = torch.linalg.eigvalsh(hessian)
    tol = 1e-3
    if (ev > tol).any() and (ev < -tol).any():
        return "saddle"
    if (ev.abs() <= tol).any():
        return "inconclusive"
    return "minimum" if (ev > 0).all() else "maximum"


@wrong("classify_stationary_point", "invalid answer")
def classify_with_booleans(hessian):
    return bool((torch.linalg.eigvalsh(hessian) > 0).all())


# --- predict_start_on_saddle ---------------------------------------------------------------

@wrong("predict_start_on_saddle", "wrong prediction")
def predict_stays():
    return "stays"


@wrong("predict_start_on_saddle", "wrong prediction")
def predict_escapes_quickly():
    return "escapes quickly"


@wrong("predict_start_on_saddle", "invalid prediction")
def predict_escapes():
    return "escapes"
