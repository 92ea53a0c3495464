"""Wrong solutions, written the way learners write them: clipping by global norm, the range
test's choice of α, and the accumulation loop still carrying some of its bugs."""

import math

import numpy as np
import torch

from wrong_implementations.registry import wrong

# --- clip_grad_norm ------------------------------------------------------------------


@wrong("clip_grad_norm", "per-tensor norms instead of the global norm")
def clip_each_tensor(params, max_norm):
    total = 0.0
    for p in params:
        if p.grad is None:
            continue
        norm = p.grad.norm()
        total += norm.item() ** 2
        if norm > max_norm:
            p.grad.mul_(max_norm / (norm + 1e-6))
    return math.sqrt(total)


@wrong("clip_grad_norm", "scales up when the norm is below the cap")
def clip_always(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_(max_norm / (norm + 1e-6))
    return norm


@wrong("clip_grad_norm", "max instead of min")
def clip_max(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads]))
    factor = torch.clamp(max_norm / (norm + 1e-6), min=1.0)
    for g in grads:
        g.mul_(factor)
    return norm


@wrong("clip_grad_norm", "the 10⁻⁶ is missing")
def clip_no_epsilon(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = sum(g.pow(2).sum() for g in grads).sqrt()
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return norm


@wrong("clip_grad_norm", "the squared norm")
def clip_squared(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = sum((g * g).sum() for g in grads)
    for g in grads:
        g.mul_(min(1.0, max_norm / (norm.item() + 1e-6)))
    return norm


@wrong("clip_grad_norm", "clipped by value instead of by norm")
def clip_values(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.clamp_(-max_norm, max_norm)
    return norm


@wrong("clip_grad_norm", "the parameters are iterated twice")
def clip_generator_twice(params, max_norm):
    norm = math.sqrt(sum(p.grad.pow(2).sum().item() for p in params if p.grad is not None))
    for p in params:
        if p.grad is not None:
            p.grad.mul_(min(1.0, max_norm / (norm + 1e-6)))
    return norm


@wrong("clip_grad_norm", "gradients not modified in place")
def clip_out_of_place(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.sqrt(sum((g**2).sum() for g in grads))
    factor = min(1.0, max_norm / (norm.item() + 1e-6))
    grads = [g * factor for g in grads]
    return norm


@wrong("clip_grad_norm", "gradient replaced, not modified in place")
def clip_new_grad(params, max_norm):
    params = list(params)
    norm = torch.sqrt(sum((p.grad**2).sum() for p in params if p.grad is not None))
    for p in params:
        if p.grad is not None:
            p.grad = p.grad * min(1.0, max_norm / (norm.item() + 1e-6))
    return norm


@wrong("clip_grad_norm", "parameter without gradient not skipped")
def clip_every_grad(params, max_norm):
    params = list(params)
    norm = torch.sqrt(sum(p.grad.pow(2).sum() for p in params))
    for p in params:
        p.grad.mul_(min(1.0, max_norm / (norm.item() + 1e-6)))
    return norm


@wrong("clip_grad_norm", "gradient created for a parameter without one")
def clip_none_as_zeros(params, max_norm):
    params = list(params)
    for p in params:
        if p.grad is None:
            p.grad = torch.zeros_like(p)
    norm = torch.sqrt(sum(p.grad.pow(2).sum() for p in params))
    for p in params:
        p.grad.mul_(min(1.0, max_norm / (norm.item() + 1e-6)))
    return norm


@wrong("clip_grad_norm", "returns the norm after clipping")
def clip_returns_after(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_(min(1.0, max_norm / (norm.item() + 1e-6)))
    return torch.sqrt(sum((g**2).sum() for g in grads))


@wrong("clip_grad_norm", "returned None")
def clip_returns_nothing(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_(torch.clamp(max_norm / (norm + 1e-6), max=1.0))


# --- suggest_lr ----------------------------------------------------------------------

def smoothed_losses(losses, beta, correct=True):
    average, out = 0.0, []
    for i, loss in enumerate(losses):
        average = beta * average + (1 - beta) * loss
        out.append(average / (1 - beta ** (i + 1)) if correct else average)
    return out


@wrong("suggest_lr", "α at the minimum itself")
def suggest_minimum(lrs, losses, beta=0.98):
    smoothed = np.array(smoothed_losses(losses, beta))
    return lrs[int(np.nanargmin(smoothed))]


@wrong("suggest_lr", "the minimum divided by 10, not the steepest slope")
def suggest_minimum_over_10(lrs, losses, beta=0.98):
    smoothed = smoothed_losses(losses, beta)
    best = min((s, lr) for s, lr in zip(smoothed, lrs) if not math.isnan(s))
    return best[1] / 10


@wrong("suggest_lr", "the raw losses, not the smoothed ones")
def suggest_raw(lrs, losses, beta=0.98):
    losses = np.array(losses)
    end = int(np.nanargmin(losses))
    k = math.ceil(len(lrs) / 10)
    slopes = np.diff(losses[k:end + 1]) / np.diff(np.log(lrs[k:end + 1]))
    return lrs[k + int(np.argmin(slopes))]


@wrong("suggest_lr", "no bias correction in the smoothing")
def suggest_uncorrected(lrs, losses, beta=0.98):
    smoothed, average = [], 0.0
    for loss in losses:
        average = beta * average + (1 - beta) * loss
        smoothed.append(average)
    smoothed = np.array(smoothed)
    end = int(np.nanargmin(smoothed))
    k = math.ceil(len(lrs) / 10)
    slopes = np.diff(smoothed[k:end + 1]) / np.diff(np.log(lrs[k:end + 1]))
    return lrs[k + int(np.argmin(slopes))]


@wrong("suggest_lr", "the last point, where the test diverged")
def suggest_last(lrs, losses, beta=0.98):
    return lrs[-1]


@wrong("suggest_lr", "slope against α instead of ln α")
def suggest_slope_in_lr(lrs, losses, beta=0.98):
    smoothed = smoothed_losses(losses, beta)
    end = min((i for i in range(len(smoothed)) if math.isfinite(smoothed[i])),
              key=lambda i: smoothed[i])
    k = math.ceil(0.1 * len(lrs))
    slopes = [(smoothed[i + 1] - smoothed[i]) / (lrs[i + 1] - lrs[i]) for i in range(k, end)]
    return lrs[k + slopes.index(min(slopes))]


@wrong("suggest_lr", "the rate at the end of the steepest segment")
def suggest_end_of_segment(lrs, losses, beta=0.98):
    smoothed = smoothed_losses(losses, beta)
    end = min((i for i in range(len(smoothed)) if math.isfinite(smoothed[i])),
              key=lambda i: smoothed[i])
    k = math.ceil(0.1 * len(lrs))
    slopes = [(smoothed[i + 1] - smoothed[i]) / math.log(lrs[i + 1] / lrs[i])
              for i in range(k, end)]
    return lrs[k + slopes.index(min(slopes)) + 1]


@wrong("suggest_lr", "slopes past the minimum, into the diverged end")
def suggest_whole_curve(lrs, losses, beta=0.98):
    smoothed = np.array(smoothed_losses(losses, beta))
    k = -(-len(lrs) // 10)
    slopes = np.diff(smoothed[k:]) / np.diff(np.log(lrs[k:]))
    return lrs[k + int(np.argmin(slopes))]


@wrong("suggest_lr", "the noisy start is not skipped")
def suggest_from_the_start(lrs, losses, beta=0.98):
    smoothed = np.array(smoothed_losses(losses, beta))
    end = int(np.nanargmin(smoothed))
    slopes = np.diff(smoothed[:end + 1]) / np.diff(np.log(lrs[:end + 1]))
    return lrs[int(np.argmin(slopes))]


@wrong("suggest_lr", "the first losses dropped before smoothing")
def suggest_drop_then_smooth(lrs, losses, beta=0.98):
    k = math.ceil(len(lrs) / 10)
    lrs, smoothed = lrs[k:], smoothed_losses(losses[k:], beta)
    end = min((i for i in range(len(smoothed)) if math.isfinite(smoothed[i])),
              key=lambda i: smoothed[i])
    slopes = [(smoothed[i + 1] - smoothed[i]) / math.log(lrs[i + 1] / lrs[i]) for i in range(end)]
    return lrs[slopes.index(min(slopes))]


@wrong("suggest_lr", "the raw losses, not the smoothed ones")
def suggest_raw_from_the_start(lrs, losses, beta=0.98):
    losses = np.array(losses)
    end = int(np.nanargmin(losses))
    slopes = np.diff(losses[:end + 1]) / np.diff(np.log(lrs[:end + 1]))
    return lrs[int(np.argmin(slopes))]


@wrong("suggest_lr", "wrong type")
def suggest_both(lrs, losses, beta=0.98):
    return lrs[0], lrs[-1]


# --- train_accumulated -----------------------------------------------------------------

@wrong("train_accumulated", "zero_grad inside the accumulation loop; clipping before backward; "
       "the loss not divided by the number of micro-batches; scheduler stepped per micro-batch")
def accumulated_untouched(model, optimizer, scheduler, micro_batches, accumulation_steps,
                          max_norm):
    for i, (x, y) in enumerate(micro_batches):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        loss.backward()
        if (i + 1) % accumulation_steps == 0:
            optimizer.step()
        scheduler.step()


@wrong("train_accumulated", "scheduler stepped per micro-batch")
def accumulated_scheduler_left(model, optimizer, scheduler, micro_batches, accumulation_steps,
                               max_norm):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()
        if (i + 1) % accumulation_steps == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
            optimizer.zero_grad()
        scheduler.step()


@wrong("train_accumulated", "the loss not divided by the number of micro-batches")
def accumulated_not_divided(model, optimizer, scheduler, micro_batches, accumulation_steps,
                            max_norm):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        torch.nn.functional.mse_loss(model(x), y).backward()
        if (i + 1) % accumulation_steps == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()


@wrong("train_accumulated", "zero_grad inside the accumulation loop")
def accumulated_zero_grad_left(model, optimizer, scheduler, micro_batches, accumulation_steps,
                               max_norm):
    for i, (x, y) in enumerate(micro_batches):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()
        if (i + 1) % accumulation_steps == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
            scheduler.step()


@wrong("train_accumulated", "clipping before backward; scheduler stepped per micro-batch")
def accumulated_two_left(model, optimizer, scheduler, micro_batches, accumulation_steps,
                         max_norm):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        loss.backward()
        if (i + 1) % accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
        scheduler.step()


@wrong("train_accumulated", "no clipping (or clipping after optimizer.step())")
def accumulated_clip_after_step(model, optimizer, scheduler, micro_batches, accumulation_steps,
                                max_norm):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(micro_batches):
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()
        if (i + 1) % accumulation_steps == 0:
            optimizer.step()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            scheduler.step()
            optimizer.zero_grad()


@wrong("train_accumulated", "optimizer.step() after every micro-batch")
def accumulated_no_accumulation(model, optimizer, scheduler, micro_batches, accumulation_steps,
                                max_norm):
    for x, y in micro_batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        scheduler.step()
