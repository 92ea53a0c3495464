"""descent: exact, readable reference code for the course on how neural networks are trained.

Every chapter of the book imports this package, and every formula in the book
has a function here and a test that checks it against PyTorch.

Modules: :mod:`~descent.optim` (optimizers), :mod:`~descent.losses`,
:mod:`~descent.schedules` (learning-rate schedules),
:mod:`~descent.regularization`, :mod:`~descent.init` (initializers),
:mod:`~descent.clipping` (gradient clipping), :mod:`~descent.averaging`
(EMA and SWA weight averaging), :mod:`~descent.models` (an MLP builder),
:mod:`~descent.normalization` (BatchNorm and LayerNorm written out),
:mod:`~descent.precision` (float formats, underflow, loss scaling, memory),
:mod:`~descent.tuning` (the LR range test), :mod:`~descent.experiments`
(one setup over several seeds),
:mod:`~descent.data` (data sets and test functions), :mod:`~descent.train`
(the training loop), :mod:`~descent.parts` (Adam built from parts),
:mod:`~descent.plot`, :mod:`~descent.widgets` (interactive figures),
:mod:`~descent.check` (the exercises' grader), :mod:`~descent.fast` (the
same optimizers on flat buffers, for speed), :mod:`~descent.kernels` (its
CPU loops, compiled by Numba) and :mod:`~descent.distributed` (training on
several processes: a launcher, gradient averaging, a ZeRO-sharded
optimizer). The last five are imported on demand: ``from descent import fast``.
"""

from descent import (averaging, clipping, data, experiments, init, losses, models, normalization, optim,
                     parts, plot, precision, regularization, schedules, train, tuning)
from descent.device import default_device, seed_everything

__all__ = ["default_device", "seed_everything", "averaging", "clipping", "data", "experiments", "init",
           "losses", "models", "normalization", "optim", "parts", "plot", "precision", "regularization",
           "schedules", "train", "tuning"]
__version__ = "0.1.0"
