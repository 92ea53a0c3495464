"""The training loop, in three layers a chapter can show one at a time.

- :func:`train_epoch`: one pass over the data in mini-batches: predict, score,
  gradient, update;
- :func:`evaluate`: loss (and accuracy) on a data set, without training;
- :func:`fit`: epochs of both, with a history, a learning-rate scheduler
  (stepped per epoch or per batch), early stopping (optionally restoring the
  best weights), gradient clipping, gradient accumulation, an EMA of the
  weights and an optional progress bar.

And two loops for a fixed objective rather than a data set:
:func:`minimize` (full-batch steps until a stopping criterion holds) and
:func:`trajectory` (the path of any optimizer on a 2-D test function).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import torch
from torch import Tensor
from torch.optim.lr_scheduler import LRScheduler, OneCycleLR, ReduceLROnPlateau

from descent.averaging import AveragedModel
from descent.clipping import clip_grad_norm_, clip_grad_value_
from descent.regularization import EarlyStopping

__all__ = ["train_epoch", "evaluate", "fit", "minimize", "MinimizeResult", "trajectory"]

Loss = Callable[[Tensor, Tensor], Tensor]
Data = tuple[Tensor, Tensor]


def train_epoch(model: torch.nn.Module, loss_fn: Loss, optimizer: torch.optim.Optimizer,
                x: Tensor, y: Tensor, batch_size: int | None = None,
                generator: torch.Generator | None = None, *, accumulation_steps: int = 1,
                clip_grad_norm: float | None = None, clip_grad_value: float | None = None,
                after_step: Callable[[Tensor], None] | None = None) -> float:
    r"""One epoch: a pass over (x, y) in mini-batches; returns the mean loss per example.

    ``batch_size=None`` uses the whole data set as one batch (full-batch
    gradient descent); ``batch_size=1`` is "pure" stochastic gradient descent.
    The order is shuffled (by ``generator``) unless the batch is the whole data set.

    The keyword options (used by :func:`fit`):

    - ``accumulation_steps=k``: gradient accumulation. One update per group of
      k mini-batches (the last group may be shorter). Mini-batch b of a group G
      adds the gradient of (|b| / |G|)·J_b to ``p.grad``, so for a loss that
      is a mean over examples the update uses
      :math:`g = \sum_b \frac{|b|}{|G|} \nabla J_b = \nabla J_G`, the gradient of the
      mean loss over the whole group, as one batch of |G| examples would;
    - ``clip_grad_norm``, ``clip_grad_value``: clip the (accumulated) gradient
      before the update (:mod:`descent.clipping`; by value first if both);
    - ``after_step(loss)``: called after every update with the mean loss of
      its examples (a 0-d tensor).
    """
    n = len(x)
    batch_size = n if batch_size is None else batch_size
    check_step_options(batch_size, accumulation_steps, clip_grad_norm, clip_grad_value)
    shuffle = batch_size < n
    order = (torch.randperm(n, generator=generator) if shuffle else torch.arange(n)).to(x.device)
    group_size = batch_size * accumulation_steps   # examples per update
    model.train()
    total = torch.zeros((), device=x.device)
    for start in range(0, n, group_size):
        group = order[start:start + group_size]
        optimizer.zero_grad()
        step_loss = 0.0
        for batch in group.split(batch_size):           # one batch unless accumulating
            loss = loss_fn(model(x[batch]), y[batch])   # 1. predict and 2. score
            share = len(batch) / len(group)
            (loss * share).backward()                   # 3. gradient (backpropagation), summed in p.grad
            step_loss += loss.detach() * share
            total += loss.detach() * len(batch)
        clip_gradients(model.parameters(), clip_grad_norm, clip_grad_value)
        optimizer.step()                                # 4. update the parameters
        if after_step is not None:
            after_step(step_loss)
    return (total / n).item()


def check_step_options(batch_size: int, accumulation_steps: int, clip_grad_norm: float | None,
                       clip_grad_value: float | None) -> None:
    """Raise ValueError for a batch size or accumulation count < 1, or a clipping cap ≤ 0."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size}")
    if isinstance(accumulation_steps, bool) or not isinstance(accumulation_steps, int) \
            or accumulation_steps < 1:
        raise ValueError(f"accumulation_steps must be a positive int (mini-batches per update), "
                         f"got {accumulation_steps!r}")
    for name, cap in [("clip_grad_norm", clip_grad_norm), ("clip_grad_value", clip_grad_value)]:
        if cap is not None and not cap > 0:
            raise ValueError(f"{name} must be None or a positive cap, got {cap!r}")


def clip_gradients(parameters: Iterable[Tensor], max_norm: float | None,
                   max_value: float | None) -> None:
    """Clip the gradients in place: each entry to [−max_value, max_value], then ‖g‖₂ to max_norm."""
    parameters = list(parameters)
    if max_value is not None:
        clip_grad_value_(parameters, max_value)
    if max_norm is not None:
        clip_grad_norm_(parameters, max_norm)


def evaluate(model: torch.nn.Module, loss_fn: Loss, x: Tensor, y: Tensor) -> dict[str, float]:
    """The loss on (x, y) and, when y holds class indices, the accuracy; no training.

    The model is put in evaluation mode (dropout off) and restored afterwards.
    """
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
        result = {"loss": loss_fn(output, y).item()}
        if not y.is_floating_point():
            result["accuracy"] = (output.argmax(dim=1) == y).float().mean().item()
    model.train(was_training)
    return result


def fit(model: torch.nn.Module, loss_fn: Loss, optimizer: torch.optim.Optimizer,
        train_data: Data, *, epochs: int, batch_size: int | None = None,
        eval_data: Mapping[str, Data] | None = None,
        scheduler: LRScheduler | None = None, scheduler_interval: str | None = None,
        early_stopping: EarlyStopping | None = None, monitor: str = "validation",
        clip_grad_norm: float | None = None, clip_grad_value: float | None = None,
        accumulation_steps: int = 1, ema: AveragedModel | None = None,
        seed: int = 0, device: torch.device | str | None = None,
        progress: bool = False) -> dict[str, list[float]]:
    """Train ``model`` for ``epochs`` epochs and return the history, a dict of lists.

    Per epoch: after every epoch each data set in ``eval_data`` (name → (x, y);
    by default ``{"train": train_data}``) is evaluated, and the history gets
    ``"{name}_loss"`` (and ``"{name}_accuracy"`` for class labels), plus
    ``"epoch"`` (1, 2, …) and ``"lr"``, the learning rate α of the epoch's
    first update. Per update: ``"step_loss"``, the mean loss of the examples
    the update was computed from, and ``"step_lr"``, the α it used.

    - ``scheduler`` (a ``torch.optim.lr_scheduler`` scheduler of ``optimizer``)
      steps once per epoch (``scheduler_interval="epoch"``; ReduceLROnPlateau
      is given the loss of ``monitor``) or after every update (``"batch"``).
      The interval has no default: a schedule's t counts one or the other.
    - ``early_stopping`` watches the loss of the data set named ``monitor``
      and ends training when it says so. With ``restore_best=True`` the
      model ends with the weights of the best epoch,
      ``history["epoch"][early_stopping.best_epoch]`` (also when the epochs
      run out or training diverges).
    - ``clip_grad_norm`` / ``clip_grad_value``: clip the gradient before every
      update (see :mod:`descent.clipping`).
    - ``accumulation_steps=k``: ``batch_size`` is the micro-batch; one update
      per k micro-batches, with the gradient of the mean loss over all their
      examples (see :func:`train_epoch`).
    - ``ema``: an :class:`~descent.averaging.AveragedModel` of ``model``,
      updated after every update; the history gets ``"ema_{name}_loss"``
      (and ``"ema_{name}_accuracy"``) for each data set. With
      ``use_buffers=False`` its buffers (BatchNorm's running statistics) are
      copies of the model's, not statistics of the averaged weights: run
      :func:`~descent.averaging.update_bn` on it for those.
    - ``progress=True`` shows a text progress bar over the epochs, with the
      latest training loss (and the loss of ``monitor``, if evaluated).

    Training also ends if the loss becomes infinite or NaN (the history then
    stops at the epoch that diverged). Shuffling is seeded by ``seed``.
    Everything runs on ``device`` (default: where the model's parameters are;
    the EMA stays on its own device).
    """
    if epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs}")
    eval_data = {"train": train_data} if eval_data is None else dict(eval_data)
    n = len(train_data[0])
    check_step_options(n if batch_size is None else batch_size, accumulation_steps,
                       clip_grad_norm, clip_grad_value)
    steps_per_epoch = math.ceil(n / ((n if batch_size is None else batch_size) * accumulation_steps))
    check_scheduler(scheduler, scheduler_interval, optimizer,
                    epochs * (steps_per_epoch if scheduler_interval == "batch" else 1))
    watchers = [name for name, used in [("early stopping", early_stopping is not None),
                                        ("ReduceLROnPlateau", isinstance(scheduler, ReduceLROnPlateau))]
                if used]
    if watchers and monitor not in eval_data:
        raise ValueError(f"{' and '.join(watchers)} monitor {monitor!r}, which is not in eval_data "
                         f"({sorted(eval_data)}): pass it there, or choose monitor")
    if ema is not None and not hasattr(ema, "update_parameters"):
        raise TypeError(f"ema must be a descent.averaging.AveragedModel, got {type(ema).__name__}")
    if device is None:
        device = next(model.parameters()).device
    model.to(device)
    x, y = (t.to(device) for t in train_data)
    eval_data = {name: (a.to(device), b.to(device)) for name, (a, b) in eval_data.items()}

    generator = torch.Generator().manual_seed(seed)
    history: dict[str, list[float]] = {"epoch": [], "lr": [], "step_loss": [], "step_lr": []}
    step_losses: list[Tensor] = []
    best_weights: dict[str, Tensor] | None = None

    def after_step(loss: Tensor) -> None:   # after every optimizer step
        step_losses.append(loss)
        history["step_lr"].append(optimizer.param_groups[0]["lr"])
        if ema is not None:
            ema.update_parameters(model)
        if scheduler_interval == "batch":
            scheduler.step()

    epoch_range = range(1, epochs + 1)
    if progress:
        from tqdm.std import tqdm  # plain text bar: works in terminals and notebooks
        epoch_range = tqdm(epoch_range, desc="epochs")
    for epoch in epoch_range:
        history["epoch"].append(epoch)
        history["lr"].append(optimizer.param_groups[0]["lr"])
        train_loss = train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator,
                                 accumulation_steps=accumulation_steps, clip_grad_norm=clip_grad_norm,
                                 clip_grad_value=clip_grad_value, after_step=after_step)
        history["step_loss"] += torch.stack(step_losses).tolist()
        step_losses.clear()
        record_evaluations(history, model, loss_fn, eval_data)
        if ema is not None:
            record_evaluations(history, ema, loss_fn, eval_data, prefix="ema_")
        if scheduler_interval == "epoch":
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(history[f"{monitor}_loss"][-1])
            else:
                scheduler.step()
        if progress:
            epoch_range.set_postfix(progress_postfix(train_loss, history, monitor))
        if not math.isfinite(train_loss):
            break
        if early_stopping is not None:
            stop = early_stopping.step(history[f"{monitor}_loss"][-1])
            if early_stopping.restore_best and early_stopping.improved:
                best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
            if stop:
                break
    if best_weights is not None:
        model.load_state_dict(best_weights)
    return history


def check_scheduler(scheduler: LRScheduler | None, interval: str | None,
                    optimizer: torch.optim.Optimizer, planned_steps: int) -> None:
    """Raise a clear error for a scheduler fit cannot step as asked (``planned_steps`` calls)."""
    if scheduler is None:
        if interval is not None:
            raise ValueError(f"scheduler_interval={interval!r} is given without a scheduler")
        return
    if interval not in ("epoch", "batch"):
        raise ValueError('with a scheduler, scheduler_interval must be "epoch" (step once per epoch) '
                         f'or "batch" (step after every optimizer step), got {interval!r}')
    if not isinstance(scheduler, LRScheduler):
        hint = (" A descent.schedules function gives a factor of α₀: wrap it as "
                "torch.optim.lr_scheduler.LambdaLR(optimizer, schedule).") if callable(scheduler) else ""
        raise TypeError("scheduler must be a torch.optim.lr_scheduler.LRScheduler, "
                        f"got {type(scheduler).__name__}.{hint}")
    if scheduler.optimizer is not optimizer:
        raise ValueError("the scheduler belongs to another optimizer: build it with the optimizer "
                         "given to fit")
    if isinstance(scheduler, ReduceLROnPlateau) and interval == "batch":
        raise ValueError("ReduceLROnPlateau reacts to the monitored loss, which fit measures once per "
                         'epoch: use scheduler_interval="epoch"')
    if isinstance(scheduler, OneCycleLR):
        left = scheduler.total_steps - scheduler.last_epoch
        if planned_steps > left:
            raise ValueError(f"the OneCycleLR has total_steps={scheduler.total_steps} ({left} left) but "
                             f"fit will step it {planned_steps} times (scheduler_interval={interval!r})")


def record_evaluations(history: dict[str, list[float]], model: torch.nn.Module, loss_fn: Loss,
                       eval_data: Mapping[str, Data], prefix: str = "") -> None:
    """Append ``model``'s metrics on each data set to ``history["{prefix}{name}_{metric}"]``."""
    device = next(model.parameters()).device
    for name, (x, y) in eval_data.items():
        for metric, value in evaluate(model, loss_fn, x.to(device), y.to(device)).items():
            history.setdefault(f"{prefix}{name}_{metric}", []).append(value)


def progress_postfix(train_loss: float, history: Mapping[str, list[float]],
                     monitor: str) -> dict[str, str]:
    """What the progress bar shows after an epoch: the training loss, and the monitored loss."""
    postfix = {"loss": f"{train_loss:.4g}"}
    if f"{monitor}_loss" in history:
        postfix[f"{monitor} loss"] = f"{history[f'{monitor}_loss'][-1]:.4g}"
    return postfix


@dataclass
class MinimizeResult:
    """What :func:`minimize` did: updates taken, why it stopped, and J and ‖∇J‖ before each update."""
    steps: int
    reason: str
    losses: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)


def minimize(objective: Callable[[], Tensor], optimizer: torch.optim.Optimizer, *,
             max_steps: int, loss_tol: float | None = None,
             grad_tol: float | None = None) -> MinimizeResult:
    """Step ``optimizer`` on ``objective()`` until one of the stopping criteria holds.

    Before each update, the loop evaluates J = ``objective()`` and its gradient
    and stops, without updating, when

    - J ≤ ``loss_tol`` (reason ``"loss_tol"``): good enough;
    - ‖∇J‖ ≤ ``grad_tol`` (reason ``"grad_tol"``): at a stationary point, as
      far as the gradient can tell;
    - J is infinite or NaN (reason ``"diverged"``);
    - ``max_steps`` updates have been made (reason ``"max_steps"``).
    """
    if max_steps < 0:
        raise ValueError(f"max_steps must be >= 0, got {max_steps}")
    params = [p for group in optimizer.param_groups for p in group["params"]]
    result = MinimizeResult(steps=0, reason="max_steps")
    while True:
        optimizer.zero_grad()
        loss = objective()
        loss.backward()
        grad_norm = math.sqrt(sum(float((p.grad**2).sum()) for p in params if p.grad is not None))
        result.losses.append(loss.item())
        result.grad_norms.append(grad_norm)
        if not math.isfinite(result.losses[-1]):
            result.reason = "diverged"
        elif loss_tol is not None and result.losses[-1] <= loss_tol:
            result.reason = "loss_tol"
        elif grad_tol is not None and grad_norm <= grad_tol:
            result.reason = "grad_tol"
        elif result.steps == max_steps:
            result.reason = "max_steps"
        else:
            optimizer.step()
            result.steps += 1
            continue
        return result


def trajectory(f: Callable[[Tensor], Tensor], start: tuple[float, float],
               make_optimizer: Callable[[list[Tensor]], torch.optim.Optimizer],
               steps: int) -> Tensor:
    """Minimize a 2-D function ``f`` from ``start``; return the path, shape (steps + 1, 2).

    ``make_optimizer`` builds the optimizer from the parameter list, e.g.
    ``lambda params: descent.optim.Adam(params, lr=0.1)``. The path is
    computed in float64 and stops early if it leaves the finite numbers.
    """
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([theta])
    path = [theta.detach().clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(theta).backward()
        optimizer.step()
        path.append(theta.detach().clone())
        if not torch.isfinite(path[-1]).all():
            break
    return torch.stack(path)


def dead_units(hidden: torch.nn.Module, x: Tensor) -> int:
    """Count the hidden units that output 0 for every example in ``x``.

    ``hidden`` maps the inputs to a ReLU layer's outputs, of shape (examples,
    units), e.g. ``model[:2]`` for ``Sequential(Linear, ReLU, ...)``. A unit
    that is 0 on every example gets no gradient from any of them, so gradient
    descent cannot revive it: it is *dead*.

    >>> layer = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU())
    >>> with torch.no_grad():
    ...     _ = layer[0].weight.copy_(torch.tensor([[1.0], [-1.0]])), layer[0].bias.zero_()
    >>> dead_units(layer, torch.tensor([[1.0], [2.0]]))  # the second unit is -x < 0
    1
    """
    with torch.no_grad():
        outputs = hidden(x)
    return int((outputs.amax(dim=0) == 0).sum())
