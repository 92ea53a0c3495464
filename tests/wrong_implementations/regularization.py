"""Wrong solutions, written the way learners write them: the proximal step for L1, early
stopping, tuning weight decay, and the evaluation function (debug)."""

import copy
import math

import torch

from wrong_implementations.registry import wrong

# --- proximal_l1_step ----------------------------------------------------------------

@wrong("proximal_l1_step", "subgradient step instead of the proximal step (no exact zeros)")
def prox_subgradient(param, grad, *, lr, lam):
    param -= lr * (grad + lam * torch.sign(param))


@wrong("proximal_l1_step", "threshold λ instead of αλ")
def prox_threshold_lam(param, grad, *, lr, lam):
    w = param - lr * grad
    param.copy_(torch.sign(w) * torch.clamp(w.abs() - lam, min=0))


@wrong("proximal_l1_step", "hard threshold: small weights zeroed, the others not shrunk")
def prox_hard_threshold(param, grad, *, lr, lam):
    param -= lr * grad
    param[param.abs() <= lr * lam] = 0


@wrong("proximal_l1_step", "shrink before the gradient step")
def prox_shrink_first(param, grad, *, lr, lam):
    shrunk = torch.sign(param) * torch.relu(param.abs() - lr * lam)
    param.copy_(shrunk - lr * grad)


@wrong("proximal_l1_step", "shrunk past zero: the max(·, 0) is missing")
def prox_no_clip(param, grad, *, lr, lam):
    param -= lr * grad
    param -= lr * lam * param.sign()


@wrong("proximal_l1_step", "sign(w) missing: negative weights set to zero")
def prox_relu(param, grad, *, lr, lam):
    param.copy_(torch.relu(param - lr * grad - lr * lam))


@wrong("proximal_l1_step", "this is weight decay (L2), not the L1 proximal step")
def prox_weight_decay(param, grad, *, lr, lam):
    param.mul_(1 - lr * lam)
    param.sub_(lr * grad)


@wrong("proximal_l1_step", "the L1 penalty applied twice")
def prox_twice(param, grad, *, lr, lam):
    w = param - lr * (grad + lam * param.sign())
    param.copy_(w.sign() * (w.abs() - lr * lam).clamp(min=0))


@wrong("proximal_l1_step", "out of place")
def prox_returns_new_tensor(param, grad, *, lr, lam):
    w = param - lr * grad
    param = torch.sign(w) * torch.clamp(w.abs() - lr * lam, min=0)
    return param


@wrong("proximal_l1_step", "input modified")
def prox_changes_grad(param, grad, *, lr, lam):
    grad.mul_(lr)
    w = param - grad
    param.copy_(w.sign() * (w.abs() - lr * lam).clamp(min=0))


# --- early_stopping -----------------------------------------------------------------

@wrong("early_stopping", "best weights not restored")
def stopping_without_restore(train_one_epoch, validation_loss, model, patience, max_epochs):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch


@wrong("early_stopping", "best weights stored by reference (so \"best\" is the last)")
def stopping_state_dict_reference(train_one_epoch, validation_loss, model, patience,
                                  max_epochs):
    best, best_epoch, best_state, waited = float("inf"), 0, None, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
            best_state = model.state_dict()            # references, not a copy
        else:
            waited += 1
            if waited >= patience:
                break
    model.load_state_dict(best_state)
    return best_epoch


@wrong("early_stopping", "best weights stored by reference (so \"best\" is the last)")
def stopping_parameter_references(train_one_epoch, validation_loss, model, patience,
                                  max_epochs):
    best, best_epoch, best_params, waited = float("inf"), 0, None, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
            best_params = [p.data for p in model.parameters()]
        else:
            waited += 1
            if waited >= patience:
                break
    with torch.no_grad():
        for p, saved in zip(model.parameters(), best_params):
            p.copy_(saved)
    return best_epoch


@wrong("early_stopping", "patience off by one (one epoch too late)")
def stopping_late(train_one_epoch, validation_loss, model, patience, max_epochs):
    best, best_epoch, best_state, waited = math.inf, 0, None, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            waited += 1
        if waited > patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@wrong("early_stopping", "stops at the first epoch without improvement (patience ignored)")
def stopping_at_first_increase(train_one_epoch, validation_loss, model, patience, max_epochs):
    best, best_epoch, best_state = math.inf, 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss >= best:
            break
        best, best_epoch, best_state = loss, epoch, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return best_epoch


@wrong("early_stopping", "a tie counted as an improvement (`<=` instead of `<`)")
def stopping_tie_improves(train_one_epoch, validation_loss, model, patience, max_epochs):
    best, best_epoch, best_state = math.inf, 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss <= best:
            best, best_epoch, best_state = loss, epoch, copy.deepcopy(model.state_dict())
        if epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@wrong("early_stopping", "best epoch numbered from 0")
def stopping_zero_based(train_one_epoch, validation_loss, model, patience, max_epochs):
    best, best_epoch, best_state = math.inf, -1, None
    for epoch in range(max_epochs):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, best_state = loss, epoch, copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_epoch


@wrong("early_stopping", "patience counter not reset after an improvement")
def stopping_counter_never_reset(train_one_epoch, validation_loss, model, patience,
                                 max_epochs):
    best, best_epoch, best_state, bad_epochs = math.inf, 0, None, 0
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, best_state = loss, epoch, copy.deepcopy(model.state_dict())
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                break
    model.load_state_dict(best_state)
    return best_epoch


@wrong("early_stopping", "trained past max_epochs")
def stopping_without_max(train_one_epoch, validation_loss, model, patience, max_epochs):
    best, best_epoch, best_state, epoch = math.inf, 0, None, 0
    while epoch - best_epoch < patience:
        epoch += 1
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, best_state = loss, epoch, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return best_epoch


@wrong("early_stopping", "returned the last epoch, not the best")
def stopping_returns_last(train_one_epoch, validation_loss, model, patience, max_epochs):
    best, best_epoch, best_state = math.inf, 0, None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best:
            best, best_epoch, best_state = loss, epoch, copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return epoch


@wrong("early_stopping", "exception")
def stopping_without_model_argument(train_one_epoch, validation_loss, model, patience,
                                    max_epochs):
    best_state = copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return model.best_epoch


# --- tune_weight_decay ---------------------------------------------------------------

@wrong("tune_weight_decay", "search range too low")
def tune_tiny_values(validation_loss):
    candidates = [0.0, 1e-6, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3]
    return min(candidates, key=validation_loss)


@wrong("tune_weight_decay", "search too coarse")
def tune_linear_grid(validation_loss):
    candidates = [0, 1, 2, 3, 4, 5, 6, 7]
    losses = [validation_loss(lam) for lam in candidates]
    return candidates[losses.index(min(losses))]


@wrong("tune_weight_decay", "picked the highest loss")
def tune_max_instead_of_min(validation_loss):
    losses = {lam: validation_loss(lam) for lam in [1e-4, 1e-3, 1e-2, 1e-1, 1, 10]}
    return max(losses, key=losses.get)


@wrong("tune_weight_decay", "returned the last λ tried")
def tune_returns_last(validation_loss):
    for lam in [0.0001, 0.1, 1.0, 0.01]:
        loss = validation_loss(lam)
    return lam


@wrong("tune_weight_decay", "returned a loss, not λ")
def tune_returns_loss(validation_loss):
    return min(validation_loss(lam) for lam in [1e-3, 1e-2, 1e-1, 1.0])


@wrong("tune_weight_decay", "over budget")
def tune_too_many(validation_loss):
    candidates = [10 ** (k / 2) for k in range(-8, 3)]   # 11 values
    return min(candidates, key=validation_loss)


@wrong("tune_weight_decay", "returned an index, not λ")
def tune_returns_index(validation_loss):
    candidates = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]
    losses = [validation_loss(lam) for lam in candidates]
    return losses.index(min(losses))


@wrong("tune_weight_decay", "no evaluation")
def tune_no_weight_decay(validation_loss):
    return 0.0


@wrong("tune_weight_decay", "returned None")
def tune_forgets_return(validation_loss):
    best = min([1e-3, 1e-2, 1e-1, 1.0], key=validation_loss)


# --- evaluate_fixed (debug) ---------------------------------------------------------

@wrong("evaluate_fixed", "model.eval() missing (dropout active during evaluation)")
def evaluate_unchanged(model, x, y):
    output = model(x)
    loss = torch.nn.functional.cross_entropy(output, y)
    accuracy = (output.argmax(dim=1) == y).float().mean()
    return loss.item(), accuracy.item()


@wrong("evaluate_fixed", "model.eval() missing (dropout active during evaluation)")
def evaluate_no_grad_only(model, x, y):
    with torch.no_grad():                      # no_grad does not switch dropout off
        output = model(x)
        loss = torch.nn.functional.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    return loss.item(), accuracy.item()


@wrong("evaluate_fixed", "training mode not restored")
def evaluate_left_in_eval(model, x, y):
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = torch.nn.functional.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    return loss.item(), accuracy.item()


@wrong("evaluate_fixed", "evaluation mode not restored")
def evaluate_always_back_to_train(model, x, y):
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = torch.nn.functional.cross_entropy(output, y)
        accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train()
    return loss.item(), accuracy.item()


@wrong("evaluate_fixed", "torch.no_grad() missing")
def evaluate_with_graph(model, x, y):
    was_training = model.training
    model.eval()
    output = model(x)
    loss = torch.nn.functional.cross_entropy(output, y)
    accuracy = (output.argmax(dim=1) == y).double().mean()
    model.train(was_training)
    return loss.item(), accuracy.item()


@wrong("evaluate_fixed", "training mode not restored")
def evaluate_top_level_flag(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = torch.nn.functional.cross_entropy(output, y).item()
        accuracy = (output.argmax(dim=1) == y).double().mean().item()
    model.training = was_training                # only the top module, not its layers
    return loss, accuracy


@wrong("evaluate_fixed", "softmax applied before the cross-entropy")
def evaluate_softmax_first(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        probabilities = torch.softmax(model(x), dim=1)
        loss = torch.nn.functional.cross_entropy(probabilities, y).item()
        accuracy = (probabilities.argmax(dim=1) == y).double().mean().item()
    model.train(was_training)
    return loss, accuracy


@wrong("evaluate_fixed", "number of correct predictions, not the accuracy")
def evaluate_counts_correct(model, x, y):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = torch.nn.functional.cross_entropy(output, y).item()
        correct = (output.argmax(dim=1) == y).sum().item()
    model.train(was_training)
    return loss, correct
