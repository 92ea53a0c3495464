"""Solutions: the article's gradients, a gradient-descent loop, the largest stable learning
rate, where gradient descent ends, and what happens just above 2/L."""

import torch


def article_gradients(w, b, x, y):
    """dJ/dw and dJ/db for J = 1/2 * sum_i (y_i - (x_i . w + b)) ** 2."""
    residual = y - (x @ w + b)                 # y_i - y_hat_i
    grad_w = -(residual[:, None] * x).sum(dim=0)  # note the minus sign
    grad_b = -residual.sum()
    return grad_w, grad_b


def gradient_descent(grad, theta0, lr, steps):
    """Take `steps` gradient-descent steps from theta0; return the final theta."""
    theta = theta0.clone()                     # do not modify the caller's tensor
    for _ in range(steps):
        theta = theta - lr * grad(theta)
    return theta


def largest_stable_lr(curvatures):
    """The largest learning rate for which gradient descent converges on
    f(theta) = 1/2 sum_j curvatures[j] * theta_j ** 2: converge iff alpha < 2 / max_j lambda_j."""
    return 2 / curvatures.max()      # each theta_j is multiplied by 1 - alpha * lambda_j


def gradient_descent_limit(x, y, theta0):
    """Where gradient descent on J = 1/2 ||x theta - y||^2 (fewer rows than columns) ends from theta0."""
    # theta - theta0 stays in the span of the rows of x, and x theta = y at the limit
    return theta0 + torch.linalg.pinv(x) @ (y - x @ theta0)


def predict_just_above_2_over_L():
    """Each step multiplies theta by 1 - alpha L = -(1 + epsilon L): its size is over 1."""
    return "diverges"
