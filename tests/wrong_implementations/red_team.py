"""Wrong solutions from an independent red-team catalogue (issue 13), written before reading
the grader's mistake lists; each is registered with the diagnosis the grader gives it."""

import math

import torch

from wrong_implementations.registry import wrong


def _adam(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    """A correct Adam step, which the AdamW entries below call."""
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# sum instead of mean
@wrong('mse_loss', 'summed instead of averaged')
def mse_loss_1(input, target):
    return ((input - target) ** 2).sum()


# mean over dim 0 only (returns a vector for 2-D inputs)
@wrong('mse_loss', 'wrong shape')
def mse_loss_2(input, target):
    return ((input - target) ** 2).mean(dim=0)


# absolute error (MAE) instead of square
@wrong('mse_loss', 'absolute error instead of squared error')
def mse_loss_3(input, target):
    return (input - target).abs().mean()


# RMSE: square root of the mean
@wrong('mse_loss', 'square root taken (that is RMSE)')
def mse_loss_4(input, target):
    return torch.sqrt(((input - target) ** 2).mean())


# divides by len(input) (rows) instead of numel
@wrong('mse_loss', 'divided by the number of rows, not the number of elements')
def mse_loss_5(input, target):
    return ((input - target) ** 2).sum() / len(input)


# extra factor 1/2
@wrong('mse_loss', 'an extra factor ½')
def mse_loss_6(input, target):
    return 0.5 * ((input - target) ** 2).mean()


# square of the mean error
@wrong('mse_loss', 'squared the mean error instead of averaging the squared errors')
def mse_loss_7(input, target):
    return ((input - target).mean()) ** 2


# .item(): a Python float, autograd lost
@wrong('mse_loss', 'wrong type')
def mse_loss_8(input, target):
    return ((input - target) ** 2).mean().item()


# detach(): no gradient flows
@wrong('mse_loss', 'not differentiable')
def mse_loss_9(input, target):
    return ((input.detach() - target) ** 2).mean()


# unbiased n-1 denominator
@wrong('mse_loss', 'divided by n − 1')
def mse_loss_10(input, target):
    return ((input - target) ** 2).sum() / (input.numel() - 1)


# modifies input in place (input -= target)
@wrong('mse_loss', 'exception')
def mse_loss_11(input, target):
    input -= target
    return (input ** 2).mean()


# no max subtraction: overflows for large logits
@wrong('cross_entropy', 'not numerically stable')
def cross_entropy_1(logits, target):
    lse = torch.log(torch.exp(logits).sum(dim=1))
    return (lse - logits[torch.arange(len(target)), target]).mean()


# max subtracted but not added back
@wrong('cross_entropy', 'the max is not added back in log-sum-exp')
def cross_entropy_2(logits, target):
    m = logits.max(dim=1, keepdim=True).values
    lse = torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(len(target)), target]).mean()


# global max instead of per-row max (underflow: log 0)
@wrong('cross_entropy', 'one max for the whole batch instead of one per row')
def cross_entropy_3(logits, target):
    m = logits.max()
    lse = m + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(len(target)), target]).mean()


# sums exp over dim 0 (classes axis wrong)
@wrong('cross_entropy', 'exception')
def cross_entropy_4(logits, target):
    m = logits.max(dim=0, keepdim=True).values
    lse = m.squeeze(0) + torch.log(torch.exp(logits - m).sum(dim=0))
    return (lse - logits[torch.arange(len(target)), target]).mean()


# sum over the batch instead of mean
@wrong('cross_entropy', 'summed over the batch instead of averaged')
def cross_entropy_5(logits, target):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(len(target)), target]).sum()


# logits[:, target] picks an N x N block
@wrong('cross_entropy', 'logits[:, target] picks an N×N block')
def cross_entropy_6(logits, target):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[:, target]).mean()


# sign flipped: z_k - logsumexp
@wrong('cross_entropy', 'minus sign missing')
def cross_entropy_7(logits, target):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return (logits[torch.arange(len(target)), target] - lse).mean()


# max without keepdim (broadcast on the wrong axis)
@wrong('cross_entropy', 'exception')
def cross_entropy_8(logits, target):
    m = logits.max(dim=1).values
    lse = m + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(len(target)), target]).mean()


# log of torch.softmax: -log(0) = inf for large logits
@wrong('cross_entropy', 'not numerically stable')
def cross_entropy_9(logits, target):
    probs = torch.softmax(logits, dim=1)
    return -torch.log(probs[torch.arange(len(target)), target]).mean()


# forbidden: torch.logsumexp
@wrong('cross_entropy', 'forbidden call')
def cross_entropy_10(logits, target):
    lse = torch.logsumexp(logits, dim=1)
    return (lse - logits[torch.arange(len(target)), target]).mean()


# forbidden: F.cross_entropy
@wrong('cross_entropy', 'forbidden call')
def cross_entropy_11(logits, target):
    import torch.nn.functional as F
    return F.cross_entropy(logits, target)


# forbidden: torch.log_softmax
@wrong('cross_entropy', 'forbidden call')
def cross_entropy_12(logits, target):
    return -torch.log_softmax(logits, dim=1)[torch.arange(len(target)), target].mean()


# forbidden: F.nll_loss(F.log_softmax) via the functional module
@wrong('cross_entropy', 'forbidden call')
def cross_entropy_13(logits, target):
    import torch.nn.functional as F
    return F.nll_loss(F.log_softmax(logits, dim=1), target)


# sign error on both gradients
@wrong('article_gradients', "the minus sign is missing (the source article's error)")
def article_gradients_1(w, b, x, y):
    r = y - (x @ w + b)
    return (r[:, None] * x).sum(dim=0), r.sum()


# sign error on dJ/db only
@wrong('article_gradients', 'the minus sign is missing in ∂J/∂b')
def article_gradients_2(w, b, x, y):
    r = y - (x @ w + b)
    return -(r[:, None] * x).sum(dim=0), r.sum()


# mean instead of sum (1/n)
@wrong('article_gradients', 'averaged instead of summed')
def article_gradients_3(w, b, x, y):
    r = y - (x @ w + b)
    return -(r[:, None] * x).mean(dim=0), -r.mean()


# sum over the wrong axis (shape (N,))
@wrong('article_gradients', 'summed over the features instead of the samples')
def article_gradients_4(w, b, x, y):
    r = y - (x @ w + b)
    return -(r[:, None] * x).sum(dim=1), -r.sum()


# bias forgotten in the prediction
@wrong('article_gradients', 'b is left out of the prediction')
def article_gradients_5(w, b, x, y):
    r = y - x @ w
    return -(r[:, None] * x).sum(dim=0), -r.sum()


# dJ/db with shape (1,) instead of 0-dim
@wrong('article_gradients', 'wrong shape')
def article_gradients_6(w, b, x, y):
    r = y - (x @ w + b)
    return -(r[:, None] * x).sum(dim=0), -r.sum(dim=0, keepdim=True)


# factor 2 (derivative of the square without the 1/2)
@wrong('article_gradients', 'extra factor 2')
def article_gradients_7(w, b, x, y):
    r = y - (x @ w + b)
    return -2 * (r[:, None] * x).sum(dim=0), -2 * r.sum()


# uses autograd (forbidden by the statement)
@wrong('article_gradients', 'forbidden call')
def article_gradients_8(w, b, x, y):
    w = w.detach().clone().requires_grad_(True)
    b = torch.as_tensor(b).detach().clone().requires_grad_(True)
    J = 0.5 * ((y - (x @ w + b)) ** 2).sum()
    gw, gb = torch.autograd.grad(J, (w, b))
    return gw, gb


# returns (dJ/db, dJ/dw): swapped
@wrong('article_gradients', 'wrong shape')
def article_gradients_9(w, b, x, y):
    r = y - (x @ w + b)
    return -r.sum(), -(r[:, None] * x).sum(dim=0)


# residual times x transposed summed over the wrong axis
@wrong('article_gradients', 'summed over the features instead of the samples')
def article_gradients_10(w, b, x, y):
    r = y - (x @ w + b)
    return -(r * x.T).sum(dim=0), -r.sum()


# modifies theta0 in place (no clone)
@wrong('gradient_descent', 'input modified')
def gradient_descent_1(grad, theta0, lr, steps):
    theta = theta0
    for _ in range(steps):
        theta -= lr * grad(theta)
    return theta


# detach() aliases theta0, then in-place update
@wrong('gradient_descent', 'input modified')
def gradient_descent_2(grad, theta0, lr, steps):
    theta = theta0.detach()
    for _ in range(steps):
        theta -= lr * grad(theta)
    return theta


# one step too few: range(steps - 1)
@wrong('gradient_descent', 'one step too few')
def gradient_descent_3(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps - 1):
        theta = theta - lr * grad(theta)
    return theta


# one step too many: range(steps + 1)
@wrong('gradient_descent', 'one step too many')
def gradient_descent_4(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps + 1):
        theta = theta - lr * grad(theta)
    return theta


# gradient ascent (+ instead of -)
@wrong('gradient_descent', 'gradient sign flipped (gradient ascent)')
def gradient_descent_5(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps):
        theta = theta + lr * grad(theta)
    return theta


# gradient always evaluated at theta0
@wrong('gradient_descent', 'the gradient is evaluated at θ₀ at every step')
def gradient_descent_6(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps):
        theta = theta - lr * grad(theta0)
    return theta


# result not assigned: returns theta0's copy
@wrong('gradient_descent', 'the starting point was returned unchanged')
def gradient_descent_7(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps):
        theta - lr * grad(theta)
    return theta


# divides by lr
@wrong('gradient_descent', 'divided by the learning rate')
def gradient_descent_8(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps):
        theta = theta - grad(theta) / lr
    return theta


# returns the whole trajectory
@wrong('gradient_descent', 'wrong shape')
def gradient_descent_9(grad, theta0, lr, steps):
    theta = theta0.clone()
    history = [theta]
    for _ in range(steps):
        theta = theta - lr * grad(theta)
        history.append(theta)
    return torch.stack(history)


# ignores order (consecutive rows of x)
@wrong('sgd_epoch', 'the given order is ignored')
def sgd_epoch_1(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        xb, yb = x[start:start + batch_size], y[start:start + batch_size]
        w = w - lr * xb.T @ (xb @ w - yb) / len(xb)
    return w


# drops the last, smaller batch
@wrong('sgd_epoch', 'the last, smaller mini-batch is skipped')
def sgd_epoch_2(w, x, y, lr, batch_size, order):
    for start in range(0, len(x) - batch_size + 1, batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w = w - lr * xb.T @ (xb @ w - yb) / len(batch)
    return w


# last batch divided by batch_size instead of its size
@wrong('sgd_epoch', 'the last batch divided by batch_size instead of its own size')
def sgd_epoch_3(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w = w - lr * xb.T @ (xb @ w - yb) / batch_size
    return w


# no 1/|B| (sum of gradients)
@wrong('sgd_epoch', 'gradient summed over the batch instead of averaged')
def sgd_epoch_4(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w = w - lr * xb.T @ (xb @ w - yb)
    return w


# gradient sign: X^T (y - Xw)
@wrong('sgd_epoch', 'gradient sign flipped (gradient ascent)')
def sgd_epoch_5(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w = w - lr * xb.T @ (yb - xb @ w) / len(batch)
    return w


# one full-batch step instead of an epoch of mini-batches
@wrong('sgd_epoch', 'a single step on the whole data set (that is one step of batch gradient descent)')
def sgd_epoch_6(w, x, y, lr, batch_size, order):
    return w - lr * x.T @ (x @ w - y) / len(x)


# updates w in place (modifies the caller's w)
@wrong('sgd_epoch', 'input modified')
def sgd_epoch_7(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w -= lr * xb.T @ (xb @ w - yb) / len(batch)
    return w


# inverse permutation (argsort(order))
@wrong('sgd_epoch', 'the order is inverted')
def sgd_epoch_8(w, x, y, lr, batch_size, order):
    inv = torch.argsort(order)
    for start in range(0, len(x), batch_size):
        batch = inv[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w = w - lr * xb.T @ (xb @ w - yb) / len(batch)
    return w


# integer (floor) division // by |B|
@wrong('sgd_epoch', 'integer division')
def sgd_epoch_9(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w = w - lr * (xb.T @ (xb @ w - yb)) // len(batch)
    return w


# slice one short: order[start:start + batch_size - 1]
@wrong('sgd_epoch', 'each batch misses its last example')
def sgd_epoch_10(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size - 1]
        if len(batch) == 0:
            continue
        xb, yb = x[batch], y[batch]
        w = w - lr * xb.T @ (xb @ w - yb) / len(batch)
    return w


# all batch gradients taken at the starting w (accumulated)
@wrong('sgd_epoch', 'every gradient is taken at the starting w')
def sgd_epoch_11(w, x, y, lr, batch_size, order):
    w0 = w
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w = w - lr * xb.T @ (xb @ w0 - yb) / len(batch)
    return w


# dampening applied on the first step (b_1 = (1-tau) g)
@wrong('momentum_step', 'dampening misapplied')
def momentum_step_1(param, grad, state, *, lr, momentum, dampening):
    b = state.get("b", torch.zeros_like(param))
    b = momentum * b + (1 - dampening) * grad
    state["b"] = b
    param -= lr * b


# buffer aliases grad; in-place mul_/add_ corrupts grad
@wrong('momentum_step', 'state aliases grad')
def momentum_step_2(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad
    else:
        state["b"].mul_(momentum).add_(grad, alpha=1 - dampening)
    param -= lr * state["b"]


# buffer stores grad without clone (out-of-place later)
@wrong('momentum_step', 'state aliases grad')
def momentum_step_3(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad
    else:
        state["b"] = momentum * state["b"] + (1 - dampening) * grad
    param -= lr * state["b"]


# dampening instead of (1 - dampening)
@wrong('momentum_step', 'dampening misapplied')
def momentum_step_4(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + dampening * grad
    param -= lr * state["b"]


# dampening ignored
@wrong('momentum_step', 'dampening ignored')
def momentum_step_5(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + grad
    param -= lr * state["b"]


# not in place: param = param - lr * b
@wrong('momentum_step', 'out of place')
def momentum_step_6(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + (1 - dampening) * grad
    param = param - lr * state["b"]


# beta and (1 - tau) swapped
@wrong('momentum_step', 'β and (1 − τ) swapped')
def momentum_step_7(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = (1 - dampening) * state["b"] + momentum * grad
    param -= lr * state["b"]


# state never stored (plain SGD)
@wrong('momentum_step', 'state not kept between steps: this is plain SGD')
def momentum_step_8(param, grad, state, *, lr, momentum, dampening):
    b = state.get("b", grad.clone())
    b = momentum * b + (1 - dampening) * grad if "b" in state else b
    param -= lr * b


# Nesterov update instead of plain momentum
@wrong('momentum_step', "this is Nesterov's step, not plain momentum")
def momentum_step_9(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + (1 - dampening) * grad
    param -= lr * (grad + momentum * state["b"])


# float32 buffer (precision lost for float64 params)
@wrong('momentum_step', 'float32 precision')
def momentum_step_10(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.clone().float()
    else:
        state["b"] = momentum * state["b"] + (1 - dampening) * grad.float()
    param -= lr * state["b"]


# plain momentum: steps along b
@wrong('nesterov_step', 'this is plain momentum, not Nesterov')
def nesterov_step_1(param, grad, state, *, lr, momentum):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + grad
    param -= lr * state["b"]


# steps with the old buffer b_{t-1}
@wrong('nesterov_step', 'this is plain momentum, not Nesterov')
def nesterov_step_2(param, grad, state, *, lr, momentum):
    b_old = state.get("b", torch.zeros_like(param))
    param -= lr * (grad + momentum * b_old)
    state["b"] = momentum * b_old + grad


# dampened buffer: b = beta b + (1 - beta) g
@wrong('nesterov_step', 'the buffer is averaged with (1 − β)')
def nesterov_step_3(param, grad, state, *, lr, momentum):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + (1 - momentum) * grad
    param -= lr * (grad + momentum * state["b"])


# forgets g in the step: lr * beta * b
@wrong('nesterov_step', 'g_t is missing from the look-ahead')
def nesterov_step_4(param, grad, state, *, lr, momentum):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + grad
    param -= lr * momentum * state["b"]


# forgets beta in the step: g + b
@wrong('nesterov_step', 'β is missing from the look-ahead')
def nesterov_step_5(param, grad, state, *, lr, momentum):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + grad
    param -= lr * (grad + state["b"])


# buffer aliases grad; in-place update corrupts grad
@wrong('nesterov_step', 'state aliases grad')
def nesterov_step_6(param, grad, state, *, lr, momentum):
    if "b" not in state:
        state["b"] = grad
    else:
        state["b"].mul_(momentum).add_(grad)
    param -= lr * (grad + momentum * state["b"])


# state never stored
@wrong('nesterov_step', 'state not kept between steps')
def nesterov_step_7(param, grad, state, *, lr, momentum):
    b = grad.clone()
    param -= lr * (grad + momentum * b)


# beta on g instead of b: beta g + b
@wrong('nesterov_step', 'β multiplies the gradient instead of the buffer')
def nesterov_step_8(param, grad, state, *, lr, momentum):
    if "b" not in state:
        state["b"] = grad.clone()
    else:
        state["b"] = momentum * state["b"] + grad
    param -= lr * (momentum * grad + state["b"])


# eps inside the square root
@wrong('rmsprop_step', 'ε inside the square root')
def rmsprop_step_1(param, grad, state, *, lr, alpha, eps):
    v = alpha * state.get("v", torch.zeros_like(param)) + (1 - alpha) * grad**2
    state["v"] = v
    param -= lr * grad / torch.sqrt(v + eps)


# rho and 1 - rho swapped
@wrong('rmsprop_step', 'ρ and 1 − ρ swapped')
def rmsprop_step_2(param, grad, state, *, lr, alpha, eps):
    v = (1 - alpha) * state.get("v", torch.zeros_like(param)) + alpha * grad**2
    state["v"] = v
    param -= lr * grad / (v.sqrt() + eps)


# no square root
@wrong('rmsprop_step', 'square root missing')
def rmsprop_step_3(param, grad, state, *, lr, alpha, eps):
    v = alpha * state.get("v", torch.zeros_like(param)) + (1 - alpha) * grad**2
    state["v"] = v
    param -= lr * grad / (v + eps)


# Adam-style bias correction added
@wrong('rmsprop_step', 'bias correction added (RMSprop has none)')
def rmsprop_step_4(param, grad, state, *, lr, alpha, eps):
    t = state["t"] = state.get("t", 0) + 1
    v = alpha * state.get("v", torch.zeros_like(param)) + (1 - alpha) * grad**2
    state["v"] = v
    param -= lr * grad / ((v / (1 - alpha**t)).sqrt() + eps)


# v initialised to g^2 instead of 0
@wrong('rmsprop_step', 'v starts at g₁² instead of 0')
def rmsprop_step_5(param, grad, state, *, lr, alpha, eps):
    v = state.get("v", grad**2)
    v = alpha * v + (1 - alpha) * grad**2
    state["v"] = v
    param -= lr * grad / (v.sqrt() + eps)


# alpha used as the learning rate
@wrong('rmsprop_step', 'learning rate and decay rate swapped')
def rmsprop_step_6(param, grad, state, *, lr, alpha, eps):
    v = lr * state.get("v", torch.zeros_like(param)) + (1 - lr) * grad**2
    state["v"] = v
    param -= alpha * grad / (v.sqrt() + eps)


# state never stored (v always (1-rho) g^2)
@wrong('rmsprop_step', 'state not kept between steps')
def rmsprop_step_7(param, grad, state, *, lr, alpha, eps):
    v = alpha * torch.zeros_like(param) + (1 - alpha) * grad**2
    param -= lr * grad / (v.sqrt() + eps)


# float32 buffer from torch.zeros(param.shape)
@wrong('rmsprop_step', 'float32 precision')
def rmsprop_step_8(param, grad, state, *, lr, alpha, eps):
    v = state.get("v", torch.zeros(param.shape))
    v = alpha * v + (1 - alpha) * (grad**2).float()
    state["v"] = v
    param -= lr * grad / (v.sqrt() + eps)


# g not squared in the average (sqrt of negatives -> NaN)
@wrong('rmsprop_step', 'the gradient is not squared')
def rmsprop_step_9(param, grad, state, *, lr, alpha, eps):
    v = alpha * state.get("v", torch.zeros_like(param)) + (1 - alpha) * grad
    state["v"] = v
    param -= lr * grad / (v.sqrt() + eps)


# no bias correction
@wrong('adam_step', 'bias correction missing')
def adam_step_1(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * m / (v.sqrt() + eps)


# t starts at 0 (1 - beta^0 = 0)
@wrong('adam_step', 'step count t starts at 0')
def adam_step_2(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state.get("step", 0)
    state["step"] = t + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# eps inside the square root
@wrong('adam_step', 'ε inside the square root')
def adam_step_3(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / torch.sqrt(v / (1 - beta2**t) + eps)


# bias correction on m only
@wrong('adam_step', 'bias correction applied to only one average')
def adam_step_4(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / (v.sqrt() + eps)


# beta1 and beta2 swapped
@wrong('adam_step', 'β₁ and β₂ swapped')
def adam_step_5(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta2 * state.get("m", torch.zeros_like(param)) + (1 - beta2) * grad
    v = beta1 * state.get("v", torch.zeros_like(param)) + (1 - beta1) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta2**t)) / ((v / (1 - beta1**t)).sqrt() + eps)


# weight decay ignored
@wrong('adam_step', 'weight decay missing')
def adam_step_6(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# decoupled (AdamW) decay in Adam
@wrong('adam_step', 'weight decay decoupled, but Adam couples it')
def adam_step_7(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - lr * weight_decay
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# L2 term only in m, raw g in v
@wrong('adam_step', 'the L2 term is added for m but not for v')
def adam_step_8(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * (grad + weight_decay * param)
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# step counter never stored (t = 1 always)
@wrong('adam_step', 'step count t not kept between steps')
def adam_step_9(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# grad += weight_decay * param modifies the caller's grad
@wrong('adam_step', 'input modified')
def adam_step_10(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad += weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# float32 moments: torch.zeros(param.shape)
@wrong('adam_step', 'float32 precision')
def adam_step_11(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros(param.shape)) + (1 - beta1) * grad.float()
    v = beta2 * state.get("v", torch.zeros(param.shape)) + (1 - beta2) * grad.float() ** 2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# precedence: m_hat / sqrt(v_hat) + eps
@wrong('adam_step', 'ε added to the step instead of the denominator')
def adam_step_12(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / (v / (1 - beta2**t)).sqrt() + eps


# forbidden: torch.optim.Adam inside the step
@wrong('adam_step', 'forbidden call')
def adam_step_13(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if "opt" not in state:
        state["p"] = torch.nn.Parameter(param.detach().clone())
        state["opt"] = torch.optim.Adam([state["p"]], lr=lr, betas=(beta1, beta2), eps=eps,
                                        weight_decay=weight_decay)
    p = state["p"]
    with torch.no_grad():
        p.copy_(param)
    p.grad = grad.clone()
    state["opt"].step()
    with torch.no_grad():
        param.copy_(p)


# L2 in the gradient (plain Adam), not decoupled
@wrong('adamw_step', 'weight decay coupled where it should be decoupled')
def adamw_step_1(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    _adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)


# decay without lr: (1 - lambda) theta
@wrong('adamw_step', 'weight decay not scaled by the learning rate')
def adamw_step_2(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - weight_decay
    _adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=0)


# decay after the Adam step
@wrong('adamw_step', 'weight decay applied after the Adam step')
def adamw_step_3(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    _adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=0)
    param *= 1 - lr * weight_decay


# both decoupled decay and L2 in the gradient
@wrong('adamw_step', 'both decoupled decay and L2 applied')
def adamw_step_4(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - lr * weight_decay
    _adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)


# decay not in place: param = param * (...) (caller's param untouched)
@wrong('adamw_step', 'out of place')
def adamw_step_5(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param = param * (1 - lr * weight_decay)
    _adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=0)


# sign: (1 + lr lambda) theta
@wrong('adamw_step', 'the weights grow instead of decaying')
def adamw_step_6(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 + lr * weight_decay
    _adam(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=0)


# own Adam without bias correction
@wrong('adamw_step', 'bias correction missing')
def adamw_step_7(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - lr * weight_decay
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * m / (v.sqrt() + eps)


# own Adam with t from 0
@wrong('adamw_step', 'step count t starts at 0')
def adamw_step_8(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param *= 1 - lr * weight_decay
    t = state.get("t", 0)
    state["t"] = t + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)


# forbidden: torch.optim.AdamW
@wrong('adamw_step', 'forbidden call')
def adamw_step_9(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if "opt" not in state:
        state["p"] = torch.nn.Parameter(param.detach().clone())
        state["opt"] = torch.optim.AdamW([state["p"]], lr=lr, betas=(beta1, beta2), eps=eps,
                                         weight_decay=weight_decay)
    p = state["p"]
    with torch.no_grad():
        p.copy_(param)
    p.grad = grad.clone()
    state["opt"].step()
    with torch.no_grad():
        param.copy_(p)


# warm-up (t + 1) / W
@wrong('warmup_cosine', 'warm-up off by one')
def warmup_cosine_1(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))


# no min(1, ...): cosine rises again after T
@wrong('warmup_cosine', 'the cosine rises again after T')
def warmup_cosine_2(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * (1 + math.cos(math.pi * progress))


# progress denominator T instead of T - W
@wrong('warmup_cosine', 'cosine spans all the steps, not the steps after warm-up')
def warmup_cosine_3(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    progress = min(1.0, (step - warmup_steps) / total_steps)
    return 0.5 * (1 + math.cos(math.pi * progress))


# progress t / T (warm-up not subtracted)
@wrong('warmup_cosine', 'progress counted from step 0, not from the end of warm-up')
def warmup_cosine_4(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    progress = min(1.0, step / total_steps)
    return 0.5 * (1 + math.cos(math.pi * progress))


# missing 1/2: 1 + cos
@wrong('warmup_cosine', 'the factor ½ is missing')
def warmup_cosine_5(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 1 + math.cos(math.pi * progress)


# integer division step // W
@wrong('warmup_cosine', 'integer division')
def warmup_cosine_6(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step // warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))


# no pi inside the cosine
@wrong('warmup_cosine', 'π is missing in the cosine')
def warmup_cosine_7(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(progress))


# returns a torch tensor, not a float
@wrong('warmup_cosine', 'wrong type')
def warmup_cosine_8(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return torch.tensor(step / warmup_steps)
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + torch.cos(torch.tensor(math.pi * progress)))


# clamps the factor at 0 instead of the progress at 1
@wrong('warmup_cosine', 'the cosine rises again after T')
def warmup_cosine_9(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return max(0.0, 0.5 * (1 + math.cos(math.pi * progress)))


# linear decay instead of cosine
@wrong('warmup_cosine', 'linear decay instead of cosine')
def warmup_cosine_10(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    return 1.0 - min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))


# no absolute value
@wrong('l1_penalty', 'absolute value missing')
def l1_penalty_1(params, lam):
    return lam * sum(p.sum() for p in params)


# squares instead of abs (L2)
@wrong('l1_penalty', 'this is the L2 penalty')
def l1_penalty_2(params, lam):
    return lam * sum((p**2).sum() for p in params)


# lambda / 2
@wrong('l1_penalty', 'a factor ½ that L1 does not have')
def l1_penalty_3(params, lam):
    return lam / 2 * sum(p.abs().sum() for p in params)


# mean instead of sum
@wrong('l1_penalty', 'averaged instead of summed')
def l1_penalty_4(params, lam):
    return lam * sum(p.abs().mean() for p in params)


# only the first tensor
@wrong('l1_penalty', 'only the first tensor is penalized')
def l1_penalty_5(params, lam):
    return lam * params[0].abs().sum()


# only the last tensor (loop overwrites)
@wrong('l1_penalty', 'only the last tensor is penalized')
def l1_penalty_6(params, lam):
    for p in params:
        total = p.abs().sum()
    return lam * total


# .item(): not differentiable
@wrong('l1_penalty', 'wrong type')
def l1_penalty_7(params, lam):
    return lam * sum(p.abs().sum().item() for p in params)


# Euclidean norm p.norm() instead of L1
@wrong('l1_penalty', 'the Euclidean norm instead of the sum of absolute values')
def l1_penalty_8(params, lam):
    return lam * sum(p.norm() for p in params)


# abs of the sum instead of sum of abs
@wrong('l1_penalty', 'absolute value missing')
def l1_penalty_9(params, lam):
    return lam * abs(sum(p.sum() for p in params))


# adds the tensors elementwise first (broadcasting)
@wrong('l1_penalty', 'exception')
def l1_penalty_10(params, lam):
    return lam * sum(p.abs() for p in params).sum()


# missing 1/2
@wrong('l2_penalty', 'the factor ½ is missing')
def l2_penalty_1(params, lam):
    return lam * sum((p**2).sum() for p in params)


# norm not squared
@wrong('l2_penalty', "each tensor's norm is not squared")
def l2_penalty_2(params, lam):
    return lam / 2 * sum(p.norm() for p in params)


# abs instead of squares (L1)
@wrong('l2_penalty', 'absolute values instead of squares')
def l2_penalty_3(params, lam):
    return lam / 2 * sum(p.abs().sum() for p in params)


# mean instead of sum
@wrong('l2_penalty', 'averaged instead of summed')
def l2_penalty_4(params, lam):
    return lam / 2 * sum((p**2).mean() for p in params)


# square of the sum
@wrong('l2_penalty', 'the square of the sum instead of the sum of squares')
def l2_penalty_5(params, lam):
    return lam / 2 * sum(p.sum() ** 2 for p in params)


# lam // 2: floor division
@wrong('l2_penalty', 'integer division')
def l2_penalty_6(params, lam):
    return lam // 2 * sum((p**2).sum() for p in params)


# only the last tensor (loop overwrites)
@wrong('l2_penalty', 'only the last tensor is penalized')
def l2_penalty_7(params, lam):
    for p in params:
        total = (p**2).sum()
    return lam / 2 * total


# lambda squared: (lam * w)^2 / 2
@wrong('l2_penalty', 'λ is squared')
def l2_penalty_8(params, lam):
    return sum(((lam * p) ** 2).sum() for p in params) / 2


# detached under no_grad
@wrong('l2_penalty', 'not differentiable')
def l2_penalty_9(params, lam):
    with torch.no_grad():
        return lam / 2 * sum((p**2).sum() for p in params)


# no 1/(1-p) scaling
@wrong('dropout', 'no inverted scaling')
def dropout_1(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p)


# multiplies by (1-p) instead of dividing
@wrong('dropout', 'wrong scaling')
def dropout_2(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p) * (1 - p)


# keeps with probability p (rand < p)
@wrong('dropout', 'p inverted')
def dropout_3(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand_like(x) < p) / (1 - p)


# torch.manual_seed inside: same mask every call
@wrong('dropout', 'same mask at every call')
def dropout_4(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    torch.manual_seed(0)
    return x * (torch.rand_like(x) >= p) / (1 - p)


# one draw per row (mask of shape (N, 1))
@wrong('dropout', 'mask not drawn per element')
def dropout_5(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape[0], *([1] * (x.dim() - 1)), dtype=x.dtype, device=x.device) >= p
    return x * keep / (1 - p)


# ignores training: drops in evaluation too
@wrong('dropout', 'active in eval mode')
def dropout_6(x, p, training):
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand_like(x) >= p) / (1 - p)


# old-style: no scaling in training, x * (1-p) in eval
@wrong('dropout', 'active in eval mode')
def dropout_7(x, p, training):
    if not training:
        return x * (1 - p)
    return x * (torch.rand_like(x) >= p)


# forbidden: F.dropout
@wrong('dropout', 'forbidden call')
def dropout_8(x, p, training):
    import torch.nn.functional as F
    return F.dropout(x, p, training)


# no p = 1 special case: 0/0 = NaN
@wrong('dropout', 'p = 1')
def dropout_9(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p) / (1 - p)


# modifies x in place
@wrong('dropout', 'input modified')
def dropout_10(x, p, training):
    if not training:
        return x
    if p == 1:
        return x.zero_()
    return x.mul_(torch.rand_like(x) >= p).div_(1 - p)


# mask ignores p: rand_like(x).round()
@wrong('dropout', 'mask')
def dropout_11(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * torch.rand_like(x).round() / (1 - p)


# exact count dropped via randperm (not independent)
@wrong('dropout', 'exactly p·n dropped')
def dropout_12(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    n = x.numel()
    keep = torch.ones(n, dtype=x.dtype, device=x.device)
    keep[torch.randperm(n, device=x.device)[: int(round(p * n))]] = 0
    return x * keep.view_as(x) / (1 - p)


# same mask cached in a default argument across calls
@wrong('dropout', 'same mask at every call')
def dropout_13(x, p, training, _cache={}):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    key = (tuple(x.shape), p)
    if key not in _cache:
        _cache[key] = (torch.rand_like(x) >= p).to(x.dtype)
    return x * _cache[key] / (1 - p)


# p = 0 handled as eval but p = 1 returns x
@wrong('dropout', 'p = 1')
def dropout_14(x, p, training):
    if not training or p == 0 or p == 1:
        return x
    return x * (torch.rand_like(x) >= p) / (1 - p)


# fan-out (shape[0]) instead of fan-in
@wrong('kaiming_normal_', 'fan_out used instead of fan_in')
def kaiming_normal_1(tensor):
    fan = tensor.shape[0] * math.prod(tensor.shape[2:])
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / fan))


# variance passed as std
@wrong('kaiming_normal_', 'variance used as the standard deviation')
def kaiming_normal_2(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    with torch.no_grad():
        return tensor.normal_(0.0, 2.0 / fan_in)


# LeCun 1/fan_in (factor 2 missing)
@wrong('kaiming_normal_', 'the gain √2 for ReLU is missing')
def kaiming_normal_3(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(1.0 / fan_in))


# kernel size ignored for conv weights
@wrong('kaiming_normal_', 'the kernel size is missing from fan_in')
def kaiming_normal_4(tensor):
    fan_in = tensor.shape[1]
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / fan_in))


# not in place: returns a new tensor
@wrong('kaiming_normal_', 'out of place')
def kaiming_normal_5(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    return torch.randn_like(tensor) * math.sqrt(2.0 / fan_in)


# returns None
@wrong('kaiming_normal_', 'returned None')
def kaiming_normal_6(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    with torch.no_grad():
        tensor.normal_(0.0, math.sqrt(2.0 / fan_in))


# forbidden: nn.init.kaiming_normal_
@wrong('kaiming_normal_', 'forbidden call')
def kaiming_normal_7(tensor):
    return torch.nn.init.kaiming_normal_(tensor, nonlinearity="relu")


# fan_in = numel
@wrong('kaiming_normal_', 'fan_in counts every weight of the tensor')
def kaiming_normal_8(tensor):
    fan_in = tensor.numel()
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / fan_in))


# Xavier: 2 / (fan_in + fan_out)
@wrong('kaiming_normal_', "this is Xavier's variance")
def kaiming_normal_9(tensor):
    rf = math.prod(tensor.shape[2:])
    fan_in, fan_out = tensor.shape[1] * rf, tensor.shape[0] * rf
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)))


# fan_in = shape[-1] (kernel width for conv)
@wrong('kaiming_normal_', 'fan_in taken from the last dimension')
def kaiming_normal_10(tensor):
    fan_in = tensor.shape[-1]
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / fan_in))


# uniform with the right std instead of normal
@wrong('kaiming_normal_', 'uniform')
def kaiming_normal_11(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    a = math.sqrt(3.0) * math.sqrt(2.0 / fan_in)
    with torch.no_grad():
        return tensor.uniform_(-a, a)


# mean = std (arguments of normal_ swapped/duplicated)
@wrong('kaiming_normal_', 'mean')
def kaiming_normal_12(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    std = math.sqrt(2.0 / fan_in)
    with torch.no_grad():
        return tensor.normal_(std, std)


# seeds the global RNG inside (same weights every call)
@wrong('kaiming_normal_', 'the same numbers on every call')
def kaiming_normal_13(tensor):
    torch.manual_seed(0)
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    with torch.no_grad():
        return tensor.normal_(0.0, math.sqrt(2.0 / fan_in))


# returns a float64 0-dim tensor, not a Python float
@wrong('warmup_cosine', 'wrong type')
def warmup_cosine_11(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return torch.tensor(step / warmup_steps, dtype=torch.float64)
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + torch.cos(torch.tensor(math.pi * progress, dtype=torch.float64)))


# eps added to the ratio: lr * (m_hat / sqrt(v_hat) + eps)
@wrong('adam_step', 'ε added to the ratio instead of the denominator')
def adam_step_14(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if weight_decay != 0:
        grad = grad + weight_decay * param
    t = state["step"] = state.get("step", 0) + 1
    m = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    state["m"], state["v"] = m, v
    param -= lr * ((m / (1 - beta1**t)) / (v / (1 - beta2**t)).sqrt() + eps)


# precedence: grad / sqrt(v) + eps
@wrong('rmsprop_step', 'ε added to the step instead of the denominator')
def rmsprop_step_10(param, grad, state, *, lr, alpha, eps):
    v = alpha * state.get("v", torch.zeros_like(param)) + (1 - alpha) * grad**2
    state["v"] = v
    param -= lr * grad / v.sqrt() + eps


# buffer = grad.detach() (detach does not copy)
@wrong('momentum_step', 'state aliases grad')
def momentum_step_11(param, grad, state, *, lr, momentum, dampening):
    if "b" not in state:
        state["b"] = grad.detach()
    else:
        state["b"] = momentum * state["b"] + (1 - dampening) * grad
    param -= lr * state["b"]


# buffer = grad.detach() (detach does not copy)
@wrong('nesterov_step', 'state aliases grad')
def nesterov_step_9(param, grad, state, *, lr, momentum):
    if "b" not in state:
        state["b"] = grad.detach()
    else:
        state["b"] = momentum * state["b"] + grad
    param -= lr * (grad + momentum * state["b"])


# dJ/db returned as a Python float (.item())
@wrong('article_gradients', 'wrong type')
def article_gradients_11(w, b, x, y):
    r = y - (x @ w + b)
    return -(r[:, None] * x).sum(dim=0), -r.sum().item()


# casts to float32 (.float())
@wrong('mse_loss', 'wrong dtype')
def mse_loss_12(input, target):
    return ((input.float() - target.float()) ** 2).mean()


# one draw per column (mask of shape (1, C))
@wrong('dropout', 'mask not drawn per element')
def dropout_15(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    shape = (1,) * (x.dim() - 1) + (x.shape[-1],)
    keep = torch.rand(shape, dtype=x.dtype, device=x.device) >= p
    return x * keep / (1 - p)


# float32 copy of theta0 (theta0.float())
@wrong('gradient_descent', 'float32 precision')
def gradient_descent_10(grad, theta0, lr, steps):
    theta = theta0.float()
    for _ in range(steps):
        theta = theta - lr * grad(theta)
    return theta


# w = w.detach(); w -= ... (modifies caller's w)
@wrong('sgd_epoch', 'input modified')
def sgd_epoch_12(w, x, y, lr, batch_size, order):
    w = w.detach()
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        xb, yb = x[batch], y[batch]
        w -= lr * xb.T @ (xb @ w - yb) / len(batch)
    return w


# divides by input.shape[-1] (right only for 1-D inputs)
@wrong('mse_loss', 'divided by the size of the last dimension, not the number of elements')
def mse_loss_13(input, target):
    return ((input - target) ** 2).sum() / input.shape[-1]


# clamps logits at 50 to avoid overflow (wrong for large logits)
@wrong('cross_entropy', 'not numerically stable')
def cross_entropy_14(logits, target):
    z = logits.clamp(max=50.0)
    lse = torch.log(torch.exp(z).sum(dim=1))
    return (lse - z[torch.arange(len(target)), target]).mean()


# hard-codes two tensors: params[0] and params[1] (weight and bias)
@wrong('l2_penalty', 'only the first two tensors are penalized')
def l2_penalty_10(params, lam):
    w, b = params[0], params[1]
    return lam / 2 * ((w**2).sum() + (b**2).sum())


# hard-codes two tensors: params[0] and params[1] (weight and bias)
@wrong('l1_penalty', 'only the first two tensors are penalized')
def l1_penalty_11(params, lam):
    w, b = params[0], params[1]
    return lam * (w.abs().sum() + b.abs().sum())
