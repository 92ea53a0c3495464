r"""Weight averaging: the average of the weights along the path, not the last point.

With θ_t the weights after step t, two averages are used:

- **EMA**, an exponential moving average: θ̄ ← β θ̄ + (1 − β) θ_t, starting
  from θ̄ = θ at the first update. β close to 1 averages over about
  1 / (1 − β) recent steps; see :func:`ema_average`. It is the usual form of
  Polyak averaging, which is the plain mean of all iterates (Polyak &
  Juditsky, 1992).
- **SWA**, stochastic weight averaging (Izmailov et al., 2018): the plain mean
  of the n + 1 weights collected so far, θ̄ ← θ̄ + (θ_t − θ̄) / (n + 1); see
  :func:`swa_average`. It is usually collected once per epoch late in
  training, with a constant or cyclic learning rate.

SGD with noise bounces around a minimum; the average sits nearer its middle,
which Izmailov et al. find flatter and better at generalizing. :class:`AveragedModel`
keeps the averaged copy of a model and gives the same numbers as
``torch.optim.swa_utils.AveragedModel`` (the tests check). A BatchNorm layer's
running statistics belong to the weights it was run with, not to the average:
:func:`update_bn` recomputes them with one pass over the training data.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor

__all__ = ["ema_average", "swa_average", "AveragedModel", "update_bn"]

AverageFn = Callable[[Tensor, Tensor, Tensor | int], Tensor]
MultiAverageFn = Callable[[list[Tensor], list[Tensor], Tensor], None]


def ema_average(decay: float = 0.999) -> AverageFn:
    """The EMA rule θ̄ ← β θ̄ + (1 − β) θ with β = ``decay`` (torch's ``get_ema_avg_fn``)."""
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] range.")

    def average(averaged: Tensor, current: Tensor, n_averaged: Tensor | int) -> Tensor:
        return decay * averaged + (1 - decay) * current
    return average


def swa_average() -> AverageFn:
    """The running mean θ̄ ← θ̄ + (θ − θ̄) / (n + 1), n = updates so far (torch's ``get_swa_avg_fn``)."""
    def average(averaged: Tensor, current: Tensor, n_averaged: Tensor | int) -> Tensor:
        return averaged + (current - averaged) / (n_averaged + 1)
    return average


class AveragedModel(torch.nn.Module):
    """A copy of ``model`` whose weights are an average of the weights it is shown.

    Call :meth:`update_parameters` with the trained model (for EMA after every
    step, for SWA once per epoch). The first call copies the weights; each
    later call applies ``avg_fn`` (default: the SWA mean; pass
    ``ema_average(decay)`` for an EMA). With ``use_buffers=True`` the buffers
    (BatchNorm's running statistics) are averaged too; otherwise they are
    copied from the model, and :func:`update_bn` recomputes them for the
    averaged weights. Calling the averaged model runs the copy.

    As in torch, ``multi_avg_fn`` may replace ``avg_fn``: a function that
    updates the list of averaged tensors in place from the list of the model's
    (e.g. torch's ``get_ema_multi_avg_fn(decay)``).
    """

    n_averaged: Tensor

    def __init__(self, model: torch.nn.Module, device: torch.device | str | None = None,
                 avg_fn: AverageFn | None = None, multi_avg_fn: MultiAverageFn | None = None,
                 use_buffers: bool = False) -> None:
        super().__init__()
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", torch.tensor(0, dtype=torch.long, device=device))
        self.avg_fn = swa_average() if avg_fn is None else avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def averaged_tensors(self, model: torch.nn.Module) -> Iterable[tuple[Tensor, Tensor]]:
        """Pairs (averaged tensor, model tensor): the parameters, and the buffers if averaged."""
        if self.use_buffers:
            return zip(itertools.chain(self.module.parameters(), self.module.buffers()),
                       itertools.chain(model.parameters(), model.buffers()))
        return zip(self.module.parameters(), model.parameters())

    @torch.no_grad()
    def update_parameters(self, model: torch.nn.Module) -> None:
        """Fold ``model``'s current weights into the average."""
        pairs = [(averaged, current.detach().to(averaged.device))
                 for averaged, current in self.averaged_tensors(model)]
        if self.n_averaged == 0:
            for averaged, current in pairs:
                averaged.copy_(current)
        elif self.multi_avg_fn is not None:
            groups: dict[tuple[torch.device, torch.dtype], list[tuple[Tensor, Tensor]]] = {}
            for averaged, current in pairs:   # one call per device and dtype, as torch does
                groups.setdefault((averaged.device, averaged.dtype), []).append((averaged, current))
            for (device, _), group in groups.items():
                self.multi_avg_fn([a for a, _ in group], [c for _, c in group], self.n_averaged.to(device))
        else:
            for averaged, current in pairs:
                averaged.copy_(self.avg_fn(averaged, current, self.n_averaged.to(averaged.device)))
        if not self.use_buffers:
            for mine, theirs in zip(self.module.buffers(), model.buffers(), strict=True):
                mine.copy_(theirs.detach().to(mine.device))
        self.n_averaged += 1


@torch.no_grad()
def update_bn(batches: Iterable[Tensor | tuple | list], model: torch.nn.Module,
              device: torch.device | str | None = None) -> None:
    """Recompute every BatchNorm layer's running mean and variance with one pass over ``batches``.

    Each batch is a tensor of inputs, or a tuple/list whose first element is.
    The statistics are the plain averages over all batches (momentum ``None``),
    as in torch's ``update_bn``; the model's train/eval mode is restored.
    """
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    momenta = {m: m.momentum for m in norms}
    for m in norms:
        m.reset_running_stats()
        m.momentum = None
    was_training = model.training
    model.train()
    for batch in batches:
        inputs = batch[0] if isinstance(batch, (tuple, list)) else batch
        model(inputs if device is None else inputs.to(device))
    for m, momentum in momenta.items():
        m.momentum = momentum
    model.train(was_training)
