"""Solutions: L1 and L2 penalties, dropout, the proximal step for L1, early stopping,
tuning weight decay, and evaluation mode."""

import copy

import torch


def l1_penalty(params, lam):
    return lam * sum(p.abs().sum() for p in params)


def l2_penalty(params, lam):
    return lam / 2 * sum((p**2).sum() for p in params)


def dropout(x, p, training):
    if not training:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = (torch.rand_like(x) >= p).to(x.dtype)   # 1 with probability 1 - p
    return x * keep / (1 - p)


def proximal_l1_step(param, grad, *, lr, lam):
    w = param - lr * grad                                  # gradient step on the loss
    shrunk = (w.abs() - lr * lam).clamp(min=0)             # max(|w| - lr*lam, 0)
    param.copy_(w.sign() * shrunk)                         # in place; exact zeros


def early_stopping(train_one_epoch, validation_loss, model, patience, max_epochs):
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:                               # strictly lower: an improvement
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())  # a copy, not references
        elif epoch - best_epoch >= patience:               # `patience` epochs without one
            break
    model.load_state_dict(best_state)
    return best_epoch


def tune_weight_decay(validation_loss):
    # A coarse sweep over decades, then the two midpoints (in log scale) around the best.
    coarse = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]
    losses = {lam: validation_loss(lam) for lam in coarse}
    best = min(losses, key=losses.get)
    for lam in (best / 10**0.5, best * 10**0.5):
        losses[lam] = validation_loss(lam)
    return min(losses, key=losses.get)


def evaluate_fixed(model, x, y):
    was_training = model.training
    model.eval()                                           # dropout off
    try:
        with torch.no_grad():                              # no graph for backpropagation
            output = model(x)
            loss = torch.nn.functional.cross_entropy(output, y)
            accuracy = (output.argmax(dim=1) == y).double().mean()
    finally:
        model.train(was_training)                          # the mode it was in, even on an error
    return loss.item(), accuracy.item()
