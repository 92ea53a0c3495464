"""Solutions: classify a stationary point from its Hessian; predict how gradient descent
leaves a saddle point."""

import torch


def classify_stationary_point(hessian):
    """'minimum', 'maximum', 'saddle' or 'inconclusive', from the signs of H's eigenvalues."""
    eigenvalues = torch.linalg.eigvalsh(hessian)      # real: H is symmetric
    positive = (eigenvalues > 1e-9).any()
    negative = (eigenvalues < -1e-9).any()
    zero = (eigenvalues.abs() <= 1e-9).any()
    if positive and negative:
        return "saddle"            # curves up along one direction, down along another
    if zero:
        return "inconclusive"      # flat in some direction: higher derivatives decide
    return "minimum" if positive else "maximum"


def predict_start_on_saddle():
    """Gradient descent from (1, 1e-6) on x^2 + y^4/4 - y^2/2 with lr 0.1."""
    # Near the saddle y <- (1 + lr) y: 1e-6 * 1.1**k reaches 0.5 after about 138 steps.
    return "escapes slowly"
