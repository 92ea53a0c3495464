"""Solutions: the article's gradients, and a gradient-descent loop."""


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
