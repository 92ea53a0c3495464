"""Plot helpers: one style for every figure, loss curves, and optimizer paths on a contour map."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import torch
from torch import Tensor

__all__ = ["PALETTE", "use_style", "loss_curves", "contour_paths"]

# Okabe & Ito (2008): distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def use_style() -> None:
    """The book's figure style: colour-blind-safe colours, sharp on high-DPI screens.

    In a notebook, figures are stored as "retina" PNGs (twice the pixels,
    shown at the same size).
    """
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "figure.figsize": (7, 4),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 11,
        "legend.frameon": False,
        "lines.linewidth": 2,
    })
    from IPython import get_ipython  # a dependency of descent (widgets)

    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        set_matplotlib_formats("retina")


def moving_average(values: Sequence[float], width: int = 10) -> list[float]:
    """The average of each ``width`` consecutive values: a curve smoothed over ``width`` epochs.

    The result has ``len(values) - width + 1`` entries; entry ``i`` averages
    ``values[i:i + width]``, so it belongs at epoch ``i + width``.

    >>> moving_average([1, 2, 3, 4], width=2)
    [1.5, 2.5, 3.5]
    """
    values = [float(v) for v in values]
    return [sum(values[i:i + width]) / width for i in range(len(values) - width + 1)]


def loss_curves(curves: Mapping[str, Sequence[float]], ax: plt.Axes | None = None, *,
                xlabel: str = "epoch", ylabel: str = "loss", log: bool = True,
                title: str | None = None) -> plt.Axes:
    """Plot each named sequence of losses against 1, 2, 3, ...; log scale by default."""
    ax = ax if ax is not None else plt.gca()
    for label, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel, yscale="log" if log else "linear")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def contour_paths(f: Callable[[Tensor], Tensor], paths: Mapping[str, Tensor], *,
                  xlim: tuple[float, float], ylim: tuple[float, float],
                  minimum: tuple[float, float] | None = None, levels: int = 30,
                  log_levels: bool = False, ax: plt.Axes | None = None,
                  title: str | None = None) -> plt.Axes:
    """Draw the contours of a 2-D function and the paths (each (steps, 2)) of optimizers on it."""
    ax = ax if ax is not None else plt.gca()
    xs = torch.linspace(*xlim, 300, dtype=torch.float64)
    ys = torch.linspace(*ylim, 300, dtype=torch.float64)
    grid_x, grid_y = torch.meshgrid(xs, ys, indexing="xy")
    values = f(torch.stack([grid_x, grid_y], dim=-1))
    if log_levels:
        values = torch.log10(values - values.min() + 1e-3)
    ax.contour(grid_x.numpy(), grid_y.numpy(), values.numpy(), levels=levels, cmap="Greys",
               linewidths=0.7)
    for label, path in paths.items():
        path = path.detach().cpu()
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=2.5, linewidth=1.2, label=label)
    if minimum is not None:
        ax.plot(*minimum, marker="*", markersize=14, color="black", linestyle="none", label="minimum")
    ax.set(xlim=xlim, ylim=ylim, xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    ax.set_aspect("equal", adjustable="box")
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=9)
    return ax
