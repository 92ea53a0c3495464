"""Wrong solutions, written the way learners write them: losses, gradients, loops, schedules, penalties, dropout, initializers, broken code."""

import math

import torch

from descent import regularization as course_regularization

from wrong_implementations.registry import wrong

# --- Functions ---------------------------------------------------------------------

@wrong("article_gradients", "the minus sign is missing (the source article's error)")
def gradients_as_in_the_article(w, b, x, y):
    residual = y - (x @ w + b)
    return (residual[:, None] * x).sum(dim=0), residual.sum()


@wrong("gradient_descent", "gradient sign flipped (gradient ascent)")
def gradient_ascent(grad, theta0, lr, steps):
    theta = theta0.clone()
    for _ in range(steps):
        theta = theta + lr * grad(theta)
    return theta


@wrong("gradient_descent", "input modified")
def gradient_descent_in_place(grad, theta0, lr, steps):
    theta = theta0
    for _ in range(steps):
        theta -= lr * grad(theta)    # also changes the caller's theta0
    return theta


@wrong("sgd_epoch", "gradient summed over the batch instead of averaged")
def sgd_epoch_summed(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        b = order[start:start + batch_size]
        w = w - lr * x[b].T @ (x[b] @ w - y[b])
    return w


@wrong("mse_loss", "summed instead of averaged")
def mse_summed(input, target):
    return ((input - target) ** 2).sum()


@wrong("cross_entropy", "not numerically stable")
def cross_entropy_naive(logits, target):
    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
    return -torch.log(p[range(len(target)), target]).mean()


@wrong("warmup_cosine", "warm-up off by one")
def warmup_off_by_one(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))


@wrong("l2_penalty", "the factor ½ is missing")
def l2_without_half(params, lam):
    return lam * sum((p**2).sum() for p in params)


@wrong("l1_penalty", "absolute value missing")
def l1_without_abs(params, lam):
    return lam * sum(p.sum() for p in params)


@wrong("dropout", "no inverted scaling")
def dropout_without_scaling(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) > p)


@wrong("dropout", "active in eval mode")
def dropout_always_on(x, p, training):
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand_like(x) > p) / (1 - p)


@wrong("dropout", "input modified")
def dropout_in_place(x, p, training):
    if not training:
        return x
    x[torch.rand_like(x) < p] = 0
    return x.div_(1 - p) if p < 1 else x


@wrong("kaiming_normal_", "the gain √2 for ReLU is missing")
def kaiming_without_gain(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    with torch.no_grad():
        return tensor.normal_(0, 1 / math.sqrt(fan_in))


@wrong("kaiming_normal_", "out of place")
def kaiming_out_of_place(tensor):
    fan_in = tensor.shape[1] * math.prod(tensor.shape[2:])
    return torch.randn(tensor.shape) * math.sqrt(2 / fan_in)


# --- Broken code, whatever the exercise -----------------------------------------------

@wrong("mse_loss", "exception")
def mse_with_a_typo(input, target):
    return ((input - target) ** 2).maen()


@wrong("mse_loss", "returned None")
def mse_without_return(input, target):
    ((input - target) ** 2).mean()


@wrong("mse_loss", "wrong shape")
def mse_per_row(input, target):
    return ((input - target) ** 2).mean(dim=1)


@wrong("mse_loss", "wrong dtype")
def mse_in_half_precision(input, target):
    return ((input - target) ** 2).mean().half()


@wrong("mse_loss", "not finite")
def mse_divided_by_zero(input, target):
    return ((input - target) ** 2).mean() / 0


@wrong("l2_penalty", "not differentiable")
def l2_as_a_float(params, lam):
    return torch.tensor(lam / 2 * sum((p**2).sum().item() for p in params),
                        dtype=params[0].dtype, device=params[0].device)


@wrong("gradient_descent", "time limit")
def gradient_descent_forever(grad, theta0, lr, steps):
    theta = theta0.clone()
    while steps > 0:                 # forgot to decrement
        theta = theta - lr * grad(theta)
    return theta


# --- Cases the first grader let through or misnamed (issue 13) ------------------------

@wrong("dropout", "same mask at every call")
def dropout_seeded_inside(x, p, training):
    if not training:
        return x
    torch.manual_seed(0)
    return x * (torch.rand_like(x) >= p) / (1 - p) if p < 1 else torch.zeros_like(x)


@wrong("dropout", "mask not drawn per element")
def dropout_one_number_per_row(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = torch.rand(len(x), dtype=x.dtype, device=x.device) >= p
    return x * keep.reshape(-1, *[1] * (x.dim() - 1)) / (1 - p)


@wrong("dropout", "forbidden call")
def dropout_from_torch(x, p, training):
    return torch.nn.functional.dropout(x, p, training)


@wrong("kaiming_normal_", "wrong std")
def kaiming_std_too_large(tensor):
    fan_in = tensor[0].numel()
    with torch.no_grad():
        return tensor.normal_(0, 2 * math.sqrt(2 / fan_in))


@wrong("kaiming_normal_", "returned None")
def kaiming_without_return(tensor):
    with torch.no_grad():
        tensor.normal_(0, math.sqrt(2 / tensor[0].numel()))


@wrong("kaiming_normal_", "forbidden call")
def kaiming_from_torch(tensor):
    return torch.nn.init.kaiming_normal_(tensor)


@wrong("article_gradients", "the residual is broadcast along the wrong axis")
def gradients_residual_times_x(w, b, x, y):
    residual = y - (x @ w + b)
    return -(residual * x).sum(dim=0), -residual.sum()


@wrong("sgd_epoch", "the last batch divided by batch_size instead of its own size")
def sgd_epoch_divides_by_batch_size(w, x, y, lr, batch_size, order):
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        w = w - lr * x[batch].T @ (x[batch] @ w - y[batch]) / batch_size
    return w


@wrong("warmup_cosine", "integer division")
def warmup_with_floor_division(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step // warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))


@wrong("gradient_descent", "the gradient is evaluated at θ₀ at every step")
def gradient_descent_frozen_gradient(grad, theta0, lr, steps):
    g = grad(theta0)
    theta = theta0.clone()
    for _ in range(steps):
        theta = theta - lr * g
    return theta


@wrong("l2_penalty", "absolute values instead of squares")
def l2_with_absolute_values(params, lam):
    return lam / 2 * sum(p.abs().sum() for p in params)


@wrong("cross_entropy", "the max is not added back in log-sum-exp")
def cross_entropy_forgets_the_max(logits, target):
    m = logits.max(dim=1, keepdim=True).values
    lse = torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(len(target)), target]).mean()


@wrong("cross_entropy", "forbidden call")
def cross_entropy_with_logsumexp(logits, target):
    return (torch.logsumexp(logits, dim=1) - logits.gather(1, target[:, None])[:, 0]).mean()


@wrong("cross_entropy", "forbidden call")
def cross_entropy_from_torch(logits, target):
    return torch.nn.functional.cross_entropy(logits, target)


@wrong("mse_loss", "forbidden call")
def mse_from_torch(input, target):
    return torch.nn.functional.mse_loss(input, target)


@wrong("l2_penalty", "forbidden call")
def l2_from_the_course(params, lam):
    return course_regularization.l2_penalty(params, lam)


@wrong("kaiming_normal_", "not inside torch.no_grad()")
def kaiming_without_no_grad(tensor):
    return tensor.normal_(0, math.sqrt(2 / tensor[0].numel()))


@wrong("rmsprop_step", "`alpha` (ρ, a decay rate) used as the learning rate")
def rmsprop_with_alpha_as_step(param, grad, state, *, lr, alpha, eps):
    v = state.get("v", torch.zeros_like(param))
    v = alpha * v + (1 - alpha) * grad**2
    state["v"] = v
    param -= alpha * grad / (v.sqrt() + eps)


@wrong("momentum_step", "param.data replaced")
def momentum_replacing_param_data(param, grad, state, *, lr, momentum, dampening):
    b = state.get("b")
    b = grad.clone() if b is None else momentum * b + (1 - dampening) * grad
    state["b"] = b
    param.data = param.data - lr * b


@wrong("tune_learning_rate", "no evaluation")
def tune_learning_rate_by_guessing(validation_loss):
    return 0.3


@wrong("tune_weight_decay", "no evaluation")
def tune_weight_decay_by_guessing(validation_loss):
    return 0.1


@wrong("tune_learning_rate", "wrong type")
def tune_learning_rate_as_text(validation_loss):
    losses = {lr: validation_loss(lr) for lr in (0.01, 0.1, 1.0)}
    return str(min(losses, key=losses.get))
