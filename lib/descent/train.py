"""The training loop, in three layers a chapter can show one at a time.

- :func:`train_epoch`: one pass over the data in mini-batches: predict, score,
  gradient, update;
- :func:`evaluate`: loss (and accuracy) on a data set, without training;
- :func:`fit`: epochs of both, with a history, a learning-rate scheduler,
  early stopping and an optional progress bar.

And two loops for a fixed objective rather than a data set:
:func:`minimize` (full-batch steps until a stopping criterion holds) and
:func:`trajectory` (the path of any optimizer on a 2-D test function).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import torch
from torch import Tensor

from descent.regularization import EarlyStopping

__all__ = ["train_epoch", "evaluate", "fit", "minimize", "MinimizeResult", "trajectory"]

Loss = Callable[[Tensor, Tensor], Tensor]
Data = tuple[Tensor, Tensor]


def train_epoch(model: torch.nn.Module, loss_fn: Loss, optimizer: torch.optim.Optimizer,
                x: Tensor, y: Tensor, batch_size: int | None = None,
                generator: torch.Generator | None = None) -> float:
    """One epoch: a pass over (x, y) in mini-batches; returns the mean mini-batch loss.

    ``batch_size=None`` uses the whole data set as one batch (full-batch
    gradient descent); ``batch_size=1`` is "pure" stochastic gradient descent.
    The order is shuffled (by ``generator``) unless the batch is the whole data set.
    """
    n = len(x)
    batch_size = n if batch_size is None else batch_size
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size}")
    shuffle = batch_size < n
    order = (torch.randperm(n, generator=generator) if shuffle else torch.arange(n)).to(x.device)
    model.train()
    total = torch.zeros((), device=x.device)
    for start in range(0, n, batch_size):
        batch = order[start:start + batch_size]
        loss = loss_fn(model(x[batch]), y[batch])   # 1. predict and 2. score
        optimizer.zero_grad()
        loss.backward()                              # 3. gradient (backpropagation)
        optimizer.step()                             # 4. update the parameters
        total += loss.detach() * len(batch)
    return (total / n).item()


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
        scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
        early_stopping: EarlyStopping | None = None, monitor: str = "validation",
        seed: int = 0, device: torch.device | str | None = None,
        progress: bool = False) -> dict[str, list[float]]:
    """Train ``model`` for ``epochs`` epochs and return the history.

    After every epoch each data set in ``eval_data`` (name → (x, y); by
    default ``{"train": train_data}``) is evaluated, and the history gets
    ``"{name}_loss"`` (and ``"{name}_accuracy"`` for class labels), plus
    ``"epoch"`` and the learning rate ``"lr"`` used in that epoch.

    ``scheduler`` steps once per epoch. ``early_stopping`` watches the loss
    of the data set named ``monitor`` and ends training when it says so.
    Training also ends if the loss becomes infinite or NaN (the history then
    stops at the epoch that diverged). Shuffling is seeded by ``seed``.
    Everything runs on ``device`` (default: where the model's parameters are).
    """
    if epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs}")
    eval_data = {"train": train_data} if eval_data is None else dict(eval_data)
    if early_stopping is not None and monitor not in eval_data:
        raise ValueError(f"early stopping monitors {monitor!r}, which is not in eval_data "
                         f"({sorted(eval_data)})")
    if device is None:
        device = next(model.parameters()).device
    model.to(device)
    x, y = (t.to(device) for t in train_data)
    eval_data = {name: (a.to(device), b.to(device)) for name, (a, b) in eval_data.items()}

    generator = torch.Generator().manual_seed(seed)
    history: dict[str, list[float]] = {"epoch": [], "lr": []}
    epoch_range = range(1, epochs + 1)
    if progress:
        from tqdm.std import tqdm  # plain text bar: works in terminals and notebooks
        epoch_range = tqdm(epoch_range, desc="epochs")
    for epoch in epoch_range:
        history["epoch"].append(epoch)
        history["lr"].append(optimizer.param_groups[0]["lr"])
        mean_batch_loss = train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator)
        for name, (xe, ye) in eval_data.items():
            for metric, value in evaluate(model, loss_fn, xe, ye).items():
                history.setdefault(f"{name}_{metric}", []).append(value)
        if scheduler is not None:
            scheduler.step()
        if not torch.isfinite(torch.tensor(mean_batch_loss)):
            break
        if early_stopping is not None and early_stopping.step(history[f"{monitor}_loss"][-1]):
            break
    return history


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
