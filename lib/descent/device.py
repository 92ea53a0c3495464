"""Choosing where tensors live, and making runs repeatable."""

from __future__ import annotations

import random

import numpy as np
import torch


def default_device() -> torch.device:
    """Return ``cuda`` when a CUDA GPU is available, otherwise ``cpu``.

    Every function in ``descent`` that creates tensors takes a ``device``
    argument; pass this value to run on the GPU when there is one.
    """
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and PyTorch (CPU and every CUDA device).

    Returns ``None`` on purpose: ``torch.manual_seed`` returns a generator whose
    printed form contains a memory address, which would change a notebook's
    output on every run.

    >>> seed_everything(0); a = torch.rand(2)
    >>> seed_everything(0); b = torch.rand(2)
    >>> bool(torch.equal(a, b))
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
