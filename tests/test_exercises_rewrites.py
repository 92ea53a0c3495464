"""Correct solutions written differently from the reference (an independent red-team
catalogue, issue 13): every one must pass its check."""

import math

import pytest
import torch

from descent import check

REWRITES = []


def rewrite(check_name):
    def register(function):
        REWRITES.append((check_name, function))
        return function
    return register


# torch.square + torch.mean
@rewrite('mse_loss')
def mse_loss_1(input, target):
    return torch.mean(torch.square(input - target))


# d*d summed / numel
@rewrite('mse_loss')
def mse_loss_2(input, target):
    d = input - target
    return (d * d).sum() / d.numel()


# dot of flattened differences / numel
@rewrite('mse_loss')
def mse_loss_3(input, target):
    d = (input - target).reshape(-1)
    return torch.dot(d, d) / d.numel()



# shifted logits throughout (max cancels), gather
@rewrite('cross_entropy')
def cross_entropy_1(logits, target):
    z = logits - logits.max(dim=1, keepdim=True).values
    lse = z.exp().sum(dim=1).log()
    return (lse - z.gather(1, target[:, None]).squeeze(1)).mean()


# detached max, one-hot via torch.where
@rewrite('cross_entropy')
def cross_entropy_2(logits, target):
    m = logits.detach().amax(dim=1)
    lse = m + torch.log(torch.sum(torch.exp(logits - m[:, None]), dim=1))
    classes = torch.arange(logits.shape[1], device=logits.device)
    onehot = target[:, None] == classes[None, :]
    correct = torch.where(onehot, logits, torch.zeros_like(logits)).sum(dim=1)
    return torch.mean(lse - correct)


# einsum with a one-hot matrix, explicit loop-free mean
@rewrite('cross_entropy')
def cross_entropy_3(logits, target):
    m, _ = torch.max(logits, dim=1, keepdim=True)
    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    onehot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
    return -torch.einsum("nc,nc->", log_probs, onehot) / logits.shape[0]


# x.T @ (y_hat - y)
@rewrite('article_gradients')
def article_gradients_1(w, b, x, y):
    e = x @ w + b - y
    return x.T @ e, e.sum()


# einsum
@rewrite('article_gradients')
def article_gradients_2(w, b, x, y):
    r = y - torch.einsum("nd,d->n", x, w) - b
    return -torch.einsum("n,nd->d", r, x), -torch.sum(r)


# (r * x.T).sum(1) and r @ x
@rewrite('article_gradients')
def article_gradients_3(w, b, x, y):
    r = y - (x @ w + b)
    gw = -(r * x.T).sum(dim=1)
    return gw, -(r @ torch.ones_like(r))


# in-place sub_ on a clone
@rewrite('gradient_descent')
def gradient_descent_1(grad, theta0, lr, steps):
    theta = theta0.detach().clone()
    for _ in range(steps):
        theta.sub_(lr * grad(theta))
    return theta


# while loop, torch.clone, add with alpha
@rewrite('gradient_descent')
def gradient_descent_2(grad, theta0, lr, steps):
    theta = torch.clone(theta0)
    k = 0
    while k < steps:
        theta = torch.add(theta, grad(theta), alpha=-lr)
        k += 1
    return theta


# x[order] first, then consecutive slices; residual @ xb
@rewrite('sgd_epoch')
def sgd_epoch_1(w, x, y, lr, batch_size, order):
    xs, ys = x[order], y[order]
    for start in range(0, len(xs), batch_size):
        xb, yb = xs[start:start + batch_size], ys[start:start + batch_size]
        w = w - lr * ((xb @ w - yb) @ xb) / xb.shape[0]
    return w


# torch.split(order), in-place on a clone
@rewrite('sgd_epoch')
def sgd_epoch_2(w, x, y, lr, batch_size, order):
    w = w.clone()
    for batch in torch.split(order, batch_size):
        xb, yb = x[batch], y[batch]
        w -= lr / len(batch) * (xb.T @ (xb @ w - yb))
    return w


# velocity form: lr folded into the buffer (constant lr)
@rewrite('momentum_step')
def momentum_step_1(param, grad, state, *, lr, momentum, dampening):
    if "v" not in state:
        state["v"] = lr * grad
    else:
        state["v"] = momentum * state["v"] + (1 - dampening) * lr * grad
    param.sub_(state["v"])


# in-place mul_/add_ on a cloned buffer, different key
@rewrite('momentum_step')
def momentum_step_2(param, grad, state, *, lr, momentum, dampening):
    buf = state.get("buf")
    if buf is None:
        buf = state["buf"] = torch.clone(grad).detach()
    else:
        buf.mul_(momentum).add_(grad, alpha=1 - dampening)
    param.add_(buf, alpha=-lr)


# b_0 = 0 (then b_1 = g_1 automatically)
@rewrite('nesterov_step')
def nesterov_step_1(param, grad, state, *, lr, momentum):
    b = state.get("b", torch.zeros_like(param))
    b = momentum * b + grad
    state["b"] = b
    param -= lr * (grad + momentum * b)


# in-place add_ chain with alpha
@rewrite('nesterov_step')
def nesterov_step_2(param, grad, state, *, lr, momentum):
    if "buf" in state:
        state["buf"].mul_(momentum).add_(grad)
    else:
        state["buf"] = grad.detach().clone()
    param.add_(grad, alpha=-lr).add_(state["buf"], alpha=-lr * momentum)


# addcmul_ and addcdiv_
@rewrite('rmsprop_step')
def rmsprop_step_1(param, grad, state, *, lr, alpha, eps):
    v = state.setdefault("square_avg", torch.zeros_like(param))
    v.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    param.addcdiv_(grad, v.sqrt().add_(eps), value=-lr)


# lerp_ toward g^2
@rewrite('rmsprop_step')
def rmsprop_step_2(param, grad, state, *, lr, alpha, eps):
    if "v" not in state:
        state["v"] = torch.zeros_like(param)
    state["v"].lerp_(grad * grad, 1 - alpha)
    param -= lr * grad / (torch.sqrt(state["v"]) + eps)


# lerp_ moments, PyTorch's step_size / denom form
@rewrite('adam_step')
def adam_step_1(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    if not state:
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(param)
        state["exp_avg_sq"] = torch.zeros_like(param)
    if weight_decay:
        grad = grad.add(param, alpha=weight_decay)
    state["step"] += 1
    t = state["step"]
    state["exp_avg"].lerp_(grad, 1 - beta1)
    state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad.conj(), value=1 - beta2)
    bc1, bc2 = 1 - beta1**t, 1 - beta2**t
    denom = (state["exp_avg_sq"].sqrt() / math.sqrt(bc2)).add_(eps)
    param.addcdiv_(state["exp_avg"], denom, value=-lr / bc1)


# tensor step counter, torch.pow
@rewrite('adam_step')
def adam_step_2(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    g = grad + weight_decay * param
    state["t"] = state.get("t", torch.tensor(0.0, dtype=torch.float64)) + 1
    t = state["t"]
    state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * g
    state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * g * g
    m_hat = state["m"] / (1 - torch.pow(beta1, t)).item()
    v_hat = state["v"] / (1 - torch.pow(beta2, t)).item()
    param -= lr * m_hat / (torch.sqrt(v_hat) + eps)


# decay folded into the update: lr * (u + lambda theta)
@rewrite('adamw_step')
def adamw_step_1(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    t = state["step"] = state.get("step", 0) + 1
    m = state["m"] = beta1 * state.get("m", torch.zeros_like(param)) + (1 - beta1) * grad
    v = state["v"] = beta2 * state.get("v", torch.zeros_like(param)) + (1 - beta2) * grad**2
    u = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
    param -= lr * (u + weight_decay * param)


# mul_ then inline Adam with lerp_
@rewrite('adamw_step')
def adamw_step_2(param, grad, state, *, lr, beta1, beta2, eps, weight_decay):
    param.mul_(1 - lr * weight_decay)
    if "step" not in state:
        state.update(step=0, m=torch.zeros_like(param), v=torch.zeros_like(param))
    state["step"] += 1
    t = state["step"]
    state["m"].lerp_(grad, 1 - beta1)
    state["v"].lerp_(grad.square(), 1 - beta2)
    param.sub_(lr * (state["m"] / (1 - beta1**t)) / ((state["v"] / (1 - beta2**t)).sqrt() + eps))


# <= W in the warm-up branch (same value at t = W)
@rewrite('warmup_cosine')
def warmup_cosine_1(step, warmup_steps, total_steps):
    if step <= warmup_steps and warmup_steps > 0:
        return step / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))


# explicit past-T branch, cos^2 identity
@rewrite('warmup_cosine')
def warmup_cosine_2(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return float(step) / float(warmup_steps)
    if step >= total_steps:
        return 0.0
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return math.cos(math.pi * progress / 2) ** 2


# torch.cat of flattened tensors
@rewrite('l1_penalty')
def l1_penalty_1(params, lam):
    return lam * torch.cat([p.reshape(-1) for p in params]).abs().sum()


# vector_norm(ord=1), torch.stack
@rewrite('l1_penalty')
def l1_penalty_2(params, lam):
    return lam * torch.stack([torch.linalg.vector_norm(p, ord=1) for p in params]).sum()


# explicit loop accumulator starting at 0
@rewrite('l1_penalty')
def l1_penalty_3(params, lam):
    total = 0.0
    for p in params:
        total = total + torch.sum(torch.abs(p))
    return lam * total


# norm squared
@rewrite('l2_penalty')
def l2_penalty_1(params, lam):
    return 0.5 * lam * sum(p.norm() ** 2 for p in params)


# dot of concatenated flattened tensors
@rewrite('l2_penalty')
def l2_penalty_2(params, lam):
    flat = torch.cat([p.flatten() for p in params])
    return lam * torch.dot(flat, flat) / 2


# p.pow(2) in a loop
@rewrite('l2_penalty')
def l2_penalty_3(params, lam):
    total = 0
    for p in params:
        total += p.pow(2).sum()
    return lam * total * 0.5


# torch.bernoulli with keep probability 1 - p
@rewrite('dropout')
def dropout_1(x, p, training):
    if not training:
        return x
    if p >= 1:
        return x * 0
    mask = torch.bernoulli(torch.full_like(x, 1 - p))
    return mask * x / (1 - p)


# torch.where with precomputed scale
@rewrite('dropout')
def dropout_2(x, p, training):
    if not training:
        return x
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    keep = torch.rand(x.shape, device=x.device) > p
    return torch.where(keep, x * scale, torch.zeros_like(x))


# empty_like().uniform_() comparison, x.clone() then mul_
@rewrite('dropout')
def dropout_3(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    y = x.clone()
    y.mul_((torch.empty_like(x).uniform_(0, 1) >= p).to(x.dtype)).div_(1 - p)
    return y


# fan_in = tensor[0].numel()
@rewrite('kaiming_normal_')
def kaiming_normal_1(tensor):
    fan_in = tensor[0].numel()
    with torch.no_grad():
        tensor.normal_(mean=0, std=(2 / fan_in) ** 0.5)
    return tensor


# math.prod(shape[1:]), normal_ keyword std only
@rewrite('kaiming_normal_')
def kaiming_normal_2(tensor):
    std = math.sqrt(2.0 / math.prod(tensor.shape[1:]))
    with torch.no_grad():
        return tensor.normal_(std=std)


# normal_() then mul_(std)
@rewrite('kaiming_normal_')
def kaiming_normal_3(tensor):
    fan_in = tensor.size(1)
    for k in tensor.shape[2:]:
        fan_in *= k
    with torch.no_grad():
        tensor.normal_().mul_(math.sqrt(2.0 / fan_in))
    return tensor


# theta0 + 0 as the copy
@rewrite('gradient_descent')
def gradient_descent_3(grad, theta0, lr, steps):
    theta = theta0 + 0
    for _ in range(steps):
        theta = theta - lr * grad(theta)
    return theta


# clone, boolean-index zeroing, in-place divide
@rewrite('dropout')
def dropout_4(x, p, training):
    if not training:
        return x
    y = x.clone()
    y[torch.rand_like(x) < p] = 0
    if p < 1:
        y /= 1 - p
    return y


# tensor.data.normal_ without no_grad
@rewrite('kaiming_normal_')
def kaiming_normal_4(tensor):
    fan_in = tensor.shape[1] * (tensor[0, 0].numel() if tensor.dim() > 2 else 1)
    tensor.data.normal_(0, math.sqrt(2 / fan_in))
    return tensor


# numpy cos, converted with float()
@rewrite('warmup_cosine')
def warmup_cosine_3(step, warmup_steps, total_steps):
    import numpy as np
    if step < warmup_steps:
        return step / warmup_steps
    progress = np.clip((step - warmup_steps) / (total_steps - warmup_steps), 0, 1)
    return float(0.5 * (1 + np.cos(np.pi * progress)))


# gradient of J_B by autograd (not forbidden in this exercise)
@rewrite('sgd_epoch')
def sgd_epoch_3(w, x, y, lr, batch_size, order):
    w = w.detach().clone()
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        wg = w.clone().requires_grad_(True)
        J = 0.5 * ((x[batch] @ wg - y[batch]) ** 2).mean()
        (g,) = torch.autograd.grad(J, wg)
        w = w - lr * g
    return w


# param.data in place, buffer copied with grad + 0
@rewrite('momentum_step')
def momentum_step_3(param, grad, state, *, lr, momentum, dampening):
    if "momentum_buffer" in state:
        state["momentum_buffer"] = momentum * state["momentum_buffer"] + (1 - dampening) * grad
    else:
        state["momentum_buffer"] = grad + 0
    param.data -= lr * state["momentum_buffer"]


# v *= rho; v += (1 - rho) g^2 in place on a setdefault buffer
@rewrite('rmsprop_step')
def rmsprop_step_3(param, grad, state, *, lr, alpha, eps):
    v = state.setdefault("v", torch.zeros_like(param))
    v *= alpha
    v += (1 - alpha) * grad * grad
    param -= lr * grad / (v.sqrt() + eps)


@pytest.mark.parametrize("check_name, function", REWRITES,
                         ids=[f.__name__ for _, f in REWRITES])
def test_a_correct_rewrite_passes(check_name, function):
    result = getattr(check, check_name)(function)
    assert result.passed, result.message
