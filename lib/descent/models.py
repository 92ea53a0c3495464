"""Small models the chapters train: a multilayer perceptron with optional normalization.

Building them here keeps every chapter's "deep plain MLP" the same network,
so a comparison between chapters compares like with like.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

__all__ = ["mlp"]

NORMS = {"batch": torch.nn.BatchNorm1d, "layer": torch.nn.LayerNorm}


def mlp(in_features: int, hidden: Sequence[int], out_features: int, *, norm: str | None = None,
        activation: type[torch.nn.Module] = torch.nn.ReLU, dropout: float = 0.0) -> torch.nn.Sequential:
    """Linear → [norm] → activation → [dropout], once per hidden width, then a last Linear.

    ``norm`` is ``None`` (a plain network), ``"batch"`` (BatchNorm, Ioffe &
    Szegedy 2015: normalize each unit over the batch) or ``"layer"``
    (LayerNorm, Ba et al. 2016: normalize each example over its units). The
    normalization sits between the linear map and the nonlinearity, as in the
    BatchNorm paper. PyTorch's default initialization is used; seed before calling.

    >>> mlp(64, [32, 32], 10, norm="layer")[:3]
    Sequential(
      (0): Linear(in_features=64, out_features=32, bias=True)
      (1): LayerNorm((32,), eps=1e-05, elementwise_affine=True, bias=True)
      (2): ReLU()
    )
    """
    if norm not in (None, *NORMS):
        raise ValueError(f"norm must be None, 'batch' or 'layer', got {norm!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {dropout}")
    layers: list[torch.nn.Module] = []
    width = in_features
    for size in hidden:
        layers.append(torch.nn.Linear(width, size))
        if norm is not None:
            layers.append(NORMS[norm](size))
        layers.append(activation())
        if dropout > 0:
            layers.append(torch.nn.Dropout(dropout))
        width = size
    layers.append(torch.nn.Linear(width, out_features))
    return torch.nn.Sequential(*layers)
