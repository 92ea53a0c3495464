"""Wrong solutions, written the way learners write them: the EMA of the weights, gradient
accumulation over uneven micro-batches, and the float16 prediction."""

import torch

from wrong_implementations.registry import wrong

# --- ema_update ----------------------------------------------------------------------


@wrong("ema_update", "β and 1 − β swapped")
def ema_swapped(state, params, decay):
    params = [p.detach() for p in params]
    if "averaged" not in state:
        state["averaged"] = [p.clone() for p in params]
    else:
        state["averaged"] = [(1 - decay) * a + decay * p
                             for a, p in zip(state["averaged"], params)]


@wrong("ema_update", "the average starts at zero")
def ema_from_zero(state, params, decay):
    with torch.no_grad():
        params = list(params)
        averaged = state.setdefault("averaged", [torch.zeros_like(p) for p in params])
        for a, p in zip(averaged, params):
            a.mul_(decay).add_((1 - decay) * p)


@wrong("ema_update", "the gradients averaged instead of the weights")
def ema_of_gradients(state, params, decay):
    grads = [p.grad.clone() for p in params]
    if "averaged" not in state:
        state["averaged"] = grads
    else:
        state["averaged"] = [decay * a + (1 - decay) * g for a, g in zip(state["averaged"], grads)]


@wrong("ema_update", "SWA's mean instead of the EMA")
def ema_swa(state, params, decay):
    params = [p.detach() for p in params]
    if "averaged" not in state:
        state["averaged"], state["n"] = [p.clone() for p in params], 1
        return
    n = state["n"]
    state["averaged"] = [(a * n + p) / (n + 1) for a, p in zip(state["averaged"], params)]
    state["n"] = n + 1


@wrong("ema_update", "no copy of the weights")
def ema_no_copy(state, params, decay):
    params = [p.detach() for p in params]
    if "averaged" not in state:
        state["averaged"] = params
    else:
        state["averaged"] = [decay * a + (1 - decay) * p for a, p in zip(state["averaged"], params)]


@wrong("ema_update", "the model's weights changed")
def ema_updates_the_model(state, params, decay):
    params = list(params)
    if "averaged" not in state:
        state["averaged"] = [p.detach().clone() for p in params]
        return
    for a, p in zip(state["averaged"], params):
        p.mul_(1 - decay).add_(decay * a)      # in place on the model: autograd refuses
        a.copy_(p)


@wrong("ema_update", "the model's weights changed")
def ema_updates_the_model_data(state, params, decay):
    params = list(params)
    if "averaged" not in state:
        state["averaged"] = [p.detach().clone() for p in params]
        return
    for a, p in zip(state["averaged"], params):
        p.data = decay * a + (1 - decay) * p.data
        a.copy_(p.data)


@wrong("ema_update", "keeps the autograd graph")
def ema_with_graph(state, params, decay):
    params = list(params)
    if "averaged" not in state:
        state["averaged"] = [p.clone() for p in params]
    else:
        state["averaged"] = [decay * a + (1 - decay) * p for a, p in zip(state["averaged"], params)]


@wrong("ema_update", "average not kept in state")
def ema_returns_it(state, params, decay):
    averaged = state.get("averaged")
    if averaged is None:
        return [p.detach().clone() for p in params]
    return [decay * a + (1 - decay) * p.detach() for a, p in zip(averaged, params)]


# --- accumulate_gradients ---------------------------------------------------------------

@wrong("accumulate_gradients", "the micro-batch losses not divided")
def accumulate_sum(model, loss_fn, micro_batches):
    total, count = 0.0, 0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        loss.backward()
        total, count = total + loss.item() * len(x), count + len(x)
    return total / count


@wrong("accumulate_gradients", "divided by k with an uneven last batch")
def accumulate_by_count(model, loss_fn, micro_batches):
    k = len(micro_batches)
    total = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y) / k
        loss.backward()
        total += loss.item()
    return total


@wrong("accumulate_gradients", "gradients cleared between micro-batches")
def accumulate_zeroing(model, loss_fn, micro_batches):
    n = sum(len(x) for x, _ in micro_batches)
    total = 0.0
    for x, y in micro_batches:
        model.zero_grad()
        loss = loss_fn(model(x), y) * len(x) / n
        loss.backward()
        total += loss.item()
    return total


@wrong("accumulate_gradients", "returns the mean of the micro-batch means")
def accumulate_mean_of_means(model, loss_fn, micro_batches):
    n = sum(len(x) for x, _ in micro_batches)
    losses = []
    for x, y in micro_batches:
        loss = loss_fn(model(x), y)
        (loss * len(x) / n).backward()
        losses.append(loss.item())
    return sum(losses) / len(losses)


@wrong("accumulate_gradients", "returned None")
def accumulate_no_return(model, loss_fn, micro_batches):
    n = sum(len(x) for x, _ in micro_batches)
    for x, y in micro_batches:
        (loss_fn(model(x), y) * len(x) / n).backward()


@wrong("accumulate_gradients", "parameters changed")
def accumulate_and_step(model, loss_fn, micro_batches):
    n = sum(len(x) for x, _ in micro_batches)
    total = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y) * len(x) / n
        loss.backward()
        total += loss.item()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    return total


# --- predict_scaled_gradients -------------------------------------------------------------

@wrong("predict_scaled_gradients", "wrong prediction")
def predict_scaled_small():
    return "small"


@wrong("predict_scaled_gradients", "wrong prediction")
def predict_scaled_none():
    return "None"


@wrong("predict_scaled_gradients", "invalid prediction")
def predict_scaled_number():
    return 65504
