"""Wrong solutions, written the way learners write them: BCE with logits, Huber, the
cross-entropy's gradient, and the classifier loop with the softmax applied twice."""

import torch
import torch.nn.functional as F

from wrong_implementations.registry import wrong

# --- bce_with_logits ----------------------------------------------------------------

@wrong("bce_with_logits", "not numerically stable")
def bce_as_written_in_the_chapter(logits, target):
    return (torch.log(1 + torch.exp(logits)) - target * logits).mean()


@wrong("bce_with_logits", "not numerically stable")
def bce_through_the_sigmoid(logits, target):
    p = torch.sigmoid(logits)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()


@wrong("bce_with_logits", "not numerically stable")
def bce_on_probabilities(logits, target):
    return F.binary_cross_entropy(torch.sigmoid(logits), target)


@wrong("bce_with_logits", "not numerically stable")
def bce_with_two_branches(logits, target):
    z = logits
    softplus = torch.where(z > 0, z + torch.log1p(torch.exp(-z)), torch.log1p(torch.exp(z)))
    return (softplus - target * z).mean()


@wrong("bce_with_logits", "the sign of y·z is flipped")
def bce_plus_yz(logits, target):
    z = logits
    return (torch.clamp(z, min=0) + target * z + torch.log1p(torch.exp(-torch.abs(z)))).mean()


@wrong("bce_with_logits", "max(z, 0) is missing")
def bce_without_max(logits, target):
    return (torch.log1p(torch.exp(-logits.abs())) - target * logits).mean()


@wrong("bce_with_logits", "|z| where the formula has max(z, 0), or e^{−z} where it has e^{−|z|}")
def bce_with_abs(logits, target):
    z = logits.abs()
    return (z - target * logits + torch.log1p(torch.exp(-z))).mean()


@wrong("bce_with_logits", "summed instead of averaged")
def bce_summed(logits, target):
    z = logits
    return (z.clamp(min=0) - target * z + torch.log1p(torch.exp(-z.abs()))).sum()


@wrong("bce_with_logits", "divided by the number of rows instead of the number of elements")
def bce_divided_by_rows(logits, target):
    z = logits
    return (z.clamp(min=0) - target * z + torch.log1p(torch.exp(-z.abs()))).sum() / len(z)


@wrong("bce_with_logits", "targets flipped (y and 1 − y swapped)")
def bce_labels_flipped(logits, target):
    z = logits
    return -((1 - target) * F.logsigmoid(z) + target * F.logsigmoid(-z)).mean()


@wrong("bce_with_logits", "forbidden call")
def bce_by_torch(logits, target):
    return F.binary_cross_entropy_with_logits(logits, target)


# --- huber_loss --------------------------------------------------------------------

@wrong("huber_loss", "the ½ is missing in the quadratic part")
def huber_without_half(input, target, delta):
    e = (input - target).abs()
    return torch.where(e < delta, e**2, delta * (e - delta / 2)).mean()


@wrong("huber_loss", "the branches are swapped")
def huber_swapped(input, target, delta):
    e = (input - target).abs()
    return torch.where(e > delta, 0.5 * e**2, delta * (e - 0.5 * delta)).mean()


@wrong("huber_loss", "δ does not scale the linear part")
def huber_unit_slope(input, target, delta):
    e = torch.abs(input - target)
    return torch.where(e <= delta, 0.5 * e * e, e - 0.5 * delta).mean()


@wrong("huber_loss", "this is the smooth L1 loss (the Huber loss divided by δ)")
def huber_as_smooth_l1(input, target, delta):
    e = (input - target).abs()
    return torch.where(e < delta, 0.5 * e**2 / delta, e - 0.5 * delta).mean()


@wrong("huber_loss", "δ is ignored (δ = 1 is used)")
def huber_default_delta(input, target, delta):
    return F.smooth_l1_loss(input, target)


@wrong("huber_loss", "the absolute value of the error is missing")
def huber_signed(input, target, delta):
    e = input - target
    return torch.where(e < delta, 0.5 * e**2, delta * (e - 0.5 * delta)).mean()


@wrong("huber_loss", "forbidden call")
def huber_by_torch(input, target, delta):
    return torch.nn.HuberLoss(delta=delta)(input, target)


# --- cross_entropy_gradient ----------------------------------------------------------

@wrong("cross_entropy_gradient", "not divided by N")
def ce_gradient_of_the_sum(logits, target):
    return torch.softmax(logits, dim=1) - F.one_hot(target, logits.shape[1])


@wrong("cross_entropy_gradient", "sign flipped (one-hot − softmax)")
def ce_gradient_flipped(logits, target):
    y = torch.zeros_like(logits)
    y[torch.arange(len(target)), target] = 1
    return (y - logits.softmax(1)) / len(target)


@wrong("cross_entropy_gradient", "the softmax is missing (z − one-hot)")
def ce_gradient_without_softmax(logits, target):
    y = F.one_hot(target, num_classes=logits.shape[1]).to(logits.dtype)
    return (logits - y) / logits.shape[0]


@wrong("cross_entropy_gradient", "divided by N·C instead of N")
def ce_gradient_mean_over_all(logits, target):
    y = F.one_hot(target, num_classes=logits.shape[1]).to(logits.dtype)
    return (torch.softmax(logits, 1) - y) / logits.numel()


@wrong("cross_entropy_gradient", "only the right class's logit gets a gradient")
def ce_gradient_right_class_only(logits, target):
    g = torch.zeros_like(logits)
    rows = torch.arange(len(target))
    g[rows, target] = logits.softmax(dim=1)[rows, target] - 1
    return g / len(target)


@wrong("cross_entropy_gradient", "forbidden call")
def ce_gradient_by_autograd(logits, target):
    z = logits.clone().requires_grad_()
    F.cross_entropy(z, target).backward()
    return z.grad


# --- train_classifier_fixed ---------------------------------------------------------

@wrong("train_classifier_fixed", "softmax applied before cross_entropy")
def train_unchanged(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        probabilities = torch.softmax(model(x), dim=1)
        loss = F.cross_entropy(probabilities, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@wrong("train_classifier_fixed", "NLL loss on raw logits")
def train_with_nll_on_logits(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        loss = F.nll_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@wrong("train_classifier_fixed", "MSE on the logits")
def train_with_mse(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    targets = F.one_hot(y).double()
    for epoch in range(epochs):
        loss = F.mse_loss(model(x), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@wrong("train_classifier_fixed", "NLL loss on probabilities (the log is missing)")
def train_with_nll_on_probabilities(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        loss = F.nll_loss(F.softmax(model(x), dim=1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@wrong("train_classifier_fixed", "zero_grad missing: gradients accumulate")
def train_without_zero_grad(model, x, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
