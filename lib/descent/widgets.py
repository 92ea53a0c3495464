"""Interactive figures that work on the static website, with no running kernel.

:func:`trajectory_explorer` draws the path of gradient descent with momentum
on the contour map of a 2-D function, with two sliders (learning rate and
momentum) that change the path as the reader drags them.

How it works: Python computes *every* path the sliders can ask for (one per
pair of grid values) and the contour lines, and writes them into one piece of
HTML: an SVG picture, two ``<input type="range">`` sliders, the data as JSON
and about twenty lines of plain JavaScript that redraw the path when a slider
moves. Nothing is loaded from the network and nothing runs in Python after the
cell has run, so the figure works in the built book, in JupyterLab and in
Colab. Where scripts do not run (an untrusted notebook, GitHub's preview) the
picture still shows the first setting.

With ``rates=True`` (gradient descent with heavy-ball momentum on a
:class:`descent.data.Quadratic`) the figure also ties the sliders to
:mod:`descent.analysis`: a small map of the (α, β) plane marks the slider
grid, the stability boundary α = 2(1 + β)/L and the optimal (α*, β*), a ring
shows the current setting, and a line gives the predicted rate ρ(α, β) beside
the rate measured on the drawn path.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import contourpy  # matplotlib's contouring engine
import numpy as np
import torch
from IPython.display import HTML
from matplotlib.ticker import MaxNLocator
from torch import Tensor

from descent import analysis, optim
from descent.train import trajectory

__all__ = ["OPTIMIZERS", "trajectory_explorer"]

MakeOptimizer = Callable[[list[Tensor], float, float], torch.optim.Optimizer]

#: The optimizers the explorer can run: name → (params, lr, momentum) → optimizer.
OPTIMIZERS: dict[str, MakeOptimizer] = {
    "SGD": lambda params, lr, momentum: optim.SGD(params, lr=lr, momentum=momentum),
    "Nesterov": lambda params, lr, momentum: optim.SGD(params, lr=lr, momentum=momentum,
                                                       nesterov=momentum > 0),
    "RMSprop": lambda params, lr, momentum: optim.RMSprop(params, lr=lr, momentum=momentum),
}

# Okabe & Ito (2008) colours, as in descent.plot.PALETTE.
PATH_COLOUR, START_COLOUR, END_COLOUR, WARNING_COLOUR = "#0072B2", "#E69F00", "#009E73", "#D55E00"

# The size of the picture, in SVG units (it is scaled to the page's width).
PLOT_SIZE = 400                                    # the longer side of the plotting area
MARGIN = {"left": 48, "right": 14, "top": 28, "bottom": 42}
FONT_SIZE = 15
BOX_FACTOR = 10   # a path "diverged" once it is this many plot widths away from the plot


@dataclass(frozen=True)
class View:
    """Where the plotted rectangle xlim × ylim lies in the SVG (equal scales on both axes)."""
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    @property
    def scale(self) -> float:
        """SVG units per unit of θ."""
        return PLOT_SIZE / max(self.xlim[1] - self.xlim[0], self.ylim[1] - self.ylim[0])

    @property
    def plot_width(self) -> float:
        return (self.xlim[1] - self.xlim[0]) * self.scale

    @property
    def plot_height(self) -> float:
        return (self.ylim[1] - self.ylim[0]) * self.scale

    @property
    def width(self) -> float:
        return MARGIN["left"] + self.plot_width + MARGIN["right"]

    @property
    def height(self) -> float:
        return MARGIN["top"] + self.plot_height + MARGIN["bottom"]

    def x(self, theta1: float) -> float:
        return MARGIN["left"] + (theta1 - self.xlim[0]) * self.scale

    def y(self, theta2: float) -> float:
        return MARGIN["top"] + (self.ylim[1] - theta2) * self.scale   # SVG's y points down

    def point(self, theta1: float, theta2: float) -> str:
        return f"{self.x(theta1):.1f},{self.y(theta2):.1f}"

    def decimals(self) -> int:
        """Decimals that keep θ to 1/2000 of the plot: far below a pixel."""
        span = max(self.xlim[1] - self.xlim[0], self.ylim[1] - self.ylim[0])
        return max(0, math.ceil(math.log10(2000 / span)))

    def in_box(self, theta1: float, theta2: float) -> bool:
        """Is θ finite and within BOX_FACTOR plot sizes of the plot?"""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        dx, dy = BOX_FACTOR * (x1 - x0), BOX_FACTOR * (y1 - y0)
        return x0 - dx <= theta1 <= x1 + dx and y0 - dy <= theta2 <= y1 + dy   # False for NaN


# ---------------------------------------------------------------------------
# Python: every path the sliders can ask for.
# ---------------------------------------------------------------------------

def check_grid(name: str, values: Sequence[float]) -> list[float]:
    """A slider's values: a non-empty, increasing list of finite numbers."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError(f"{name} must not be empty")
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{name} must be finite numbers, got {values}")
    if any(a >= b for a, b in zip(values, values[1:])):
        raise ValueError(f"{name} must be increasing (it is a slider), got {values}")
    return values


def check_settings(start: tuple[float, float], steps: int, xlim: tuple[float, float],
                   ylim: tuple[float, float], optimizer: str,
                   levels: int | Sequence[float]) -> None:
    """Raise ValueError for settings that cannot make a figure."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    for name, limits in (("xlim", xlim), ("ylim", ylim)):
        if len(limits) != 2 or not all(map(math.isfinite, limits)) or not limits[0] < limits[1]:
            raise ValueError(f"{name} must be two finite numbers (low, high), got {limits!r}")
    if len(start) != 2 or not all(map(math.isfinite, start)):
        raise ValueError(f"start must be a finite point (θ1, θ2), got {start!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {optimizer!r}")
    number_of_levels = levels if isinstance(levels, int) else len(levels)
    if number_of_levels < 1:
        raise ValueError(f"levels must be a positive int or a non-empty list, got {levels!r}")


def run(f: Callable[[Tensor], Tensor], start: tuple[float, float], make: MakeOptimizer,
        lr: float, momentum: float, steps: int, view: View,
        curvatures: tuple[float, ...] | None = None) -> dict:
    """One path, cut where it diverges, and a sentence about where it ended.

    With ``curvatures`` (the Hessian's eigenvalues), also the predicted and the
    measured rate of the heavy ball, and a sentence comparing them.
    """
    path = trajectory(f, start, lambda params: make(params, lr, momentum), steps)
    points = path.tolist()
    kept = 0
    while kept < len(points) and view.in_box(*points[kept]):
        kept += 1
    diverged = kept < steps + 1        # it left the box, or trajectory stopped at inf/NaN
    if diverged:
        text = f"Diverged at step {kept}: the path runs off to infinity."
    else:
        text = f"After {steps} steps, f(θ) = {float(f(path[-1])):.3g}."
    digits = view.decimals()
    result = {"path": [[round(a, digits), round(b, digits)] for a, b in points[:kept]],
              "text": text, "diverged": diverged}
    if curvatures is not None:
        result.update(rates(path, lr, momentum, curvatures, steps, diverged))
    return result


def rates(path: Tensor, lr: float, momentum: float, curvatures: tuple[float, ...], steps: int,
          diverged: bool) -> dict:
    """The predicted rate ρ(α, β) of :func:`descent.analysis.convergence_rate`, the rate
    measured on ``path`` from step ``steps // 5`` on, and a sentence with both."""
    predicted = analysis.convergence_rate(curvatures, lr, momentum)
    start = steps // 5
    measured = None
    if not diverged and start < steps and float(path[start].norm()) > 0:
        measured = analysis.measured_rate(path, start=start, end=steps)
    stable = analysis.is_stable(max(curvatures), lr, momentum)
    if not stable:
        text = (f"Predicted rate ρ = {predicted:.3f} per step: beyond the stability boundary "
                "α = 2(1 + β)/L, so the distance to the minimum grows.")
    elif measured is None:
        text = f"Predicted rate ρ = {predicted:.3f} per step."
    else:
        text = (f"Predicted rate ρ = {predicted:.3f} per step; measured on this path "
                f"{measured:.3f} (‖θ‖ from step {start} to {steps}).")
    return {"predicted": round(predicted, 4),
            "measured": None if measured is None else round(measured, 4),
            "stable": stable, "rate": text}


# ---------------------------------------------------------------------------
# The static picture: contour lines, axes, start and minimum, as SVG.
# ---------------------------------------------------------------------------

def contour_paths(f: Callable[[Tensor], Tensor], view: View, levels: int | Sequence[float]) -> str:
    """SVG ``<path>`` elements for the contour lines of f over the view.

    An int asks for that many levels, evenly spaced in √(f − min f) over the
    view: a bowl gets evenly spaced rings. A list gives the levels themselves.
    """
    nx = 120
    ny = max(2, round(nx * view.plot_height / view.plot_width))
    xs = torch.linspace(*view.xlim, nx, dtype=torch.float64)
    ys = torch.linspace(*view.ylim, ny, dtype=torch.float64)
    grid_x, grid_y = torch.meshgrid(xs, ys, indexing="xy")
    with torch.no_grad():
        z = f(torch.stack([grid_x, grid_y], dim=-1)).numpy()
    if isinstance(levels, int):
        low, high = np.nanmin(z), np.nanmax(z)
        levels = low + (high - low) * (np.arange(1, levels + 1) / (levels + 1)) ** 2
    generator = contourpy.contour_generator(xs.numpy(), ys.numpy(), z)
    elements = []
    for level in levels:
        d = " ".join(svg_polyline(line, view) for line in generator.lines(float(level)))
        if d:
            elements.append(f'<path d="{d}"/>')
    return "\n".join(elements)


def svg_polyline(line: np.ndarray, view: View, min_step: float = 2.0) -> str:
    """``M x,y L x,y ...`` for one contour line, skipping points closer than ``min_step``."""
    kept = [line[0]]
    for point in line[1:-1]:
        if math.dist(view_xy(point, view), view_xy(kept[-1], view)) >= min_step:
            kept.append(point)
    kept.append(line[-1])
    return "M" + " L".join(view.point(*p) for p in kept)


def view_xy(point: np.ndarray, view: View) -> tuple[float, float]:
    return view.x(point[0]), view.y(point[1])


def axes(view: View) -> str:
    """A frame, ticks with labels, and the axis names θ₁ and θ₂."""
    left, top = MARGIN["left"], MARGIN["top"]
    bottom = top + view.plot_height
    parts = [f'<rect x="{left}" y="{top}" width="{view.plot_width:.1f}" '
             f'height="{view.plot_height:.1f}" fill="none" stroke="#444"/>']
    for tick in ticks(view.xlim, 6):
        x = view.x(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 5:.1f}" '
                     f'stroke="#444"/><text x="{x:.1f}" y="{bottom + 19:.1f}" '
                     f'text-anchor="middle">{number(tick)}</text>')
    for tick in ticks(view.ylim, 5):
        y = view.y(tick)
        parts.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#444"/>'
                     f'<text x="{left - 8}" y="{y + 5:.1f}" '
                     f'text-anchor="end">{number(tick)}</text>')
    parts.append(f'<text x="{left + view.plot_width / 2:.1f}" y="{view.height - 4:.1f}" '
                 f'text-anchor="middle">θ₁</text>')
    parts.append(f'<text x="{left}" y="{top - 9}" text-anchor="middle">θ₂</text>')
    return "\n".join(parts)


def ticks(limits: tuple[float, float], n: int) -> list[float]:
    """Round tick values inside ``limits`` (matplotlib's choice)."""
    values = MaxNLocator(nbins=n, steps=[1, 2, 2.5, 5, 10]).tick_values(*limits)
    span = limits[1] - limits[0]
    return [round(float(v), 10) + 0.0 for v in values
            if limits[0] - 1e-9 * span <= v <= limits[1] + 1e-9 * span]


def number(value: float) -> str:
    """A tick label, with a true minus sign."""
    return f"{value:g}".replace("-", "\N{MINUS SIGN}")


def star(x: float, y: float, radius: float = 9.0) -> str:
    """The points of a five-pointed star centred at (x, y), for the minimum."""
    corners = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.45
        angle = math.pi * k / 5 - math.pi / 2
        corners.append(f"{x + r * math.cos(angle):.1f},{y + r * math.sin(angle):.1f}")
    return " ".join(corners)


# ---------------------------------------------------------------------------
# The browser: sliders, and a script that redraws the path.
# ---------------------------------------------------------------------------

# Called with the figure's root element; reads the JSON next to it.
SCRIPT = """(function (root) {
  if (!root) return;
  var data = JSON.parse(root.querySelector("script.explorer-data").textContent);
  var lr = root.querySelector("input.explorer-lr");
  var momentum = root.querySelector("input.explorer-momentum");
  var path = root.querySelector("polyline.explorer-path");
  var view = data.view;
  function draw() {
    var i = Number(lr.value), j = Number(momentum.value), result = data.runs[i][j];
    path.setAttribute("points", result.path.map(function (p) {
      return (view.left + (p[0] - view.x0) * view.scale).toFixed(1) + "," +
             (view.top + (view.y1 - p[1]) * view.scale).toFixed(1);
    }).join(" "));
    lr.setAttribute("aria-valuetext", data.lr[i]);
    momentum.setAttribute("aria-valuetext", data.momentum[j]);
    root.querySelector("output.explorer-lr").textContent = data.lr[i];
    root.querySelector("output.explorer-momentum").textContent = data.momentum[j];
    var status = root.querySelector(".explorer-status");
    status.textContent = result.text;
    status.style.color = result.diverged ? "#D55E00" : "";
    status.style.fontWeight = result.diverged ? "bold" : "";
  }
  lr.addEventListener("input", draw);
  momentum.addEventListener("input", draw);
  draw();
})"""


def slider(uid: str, name: str, label: str, labels: list[str], index: int) -> str:
    """A labelled range input over the indices of a grid, with its value shown next to it."""
    return (f'<div style="flex:1 1 14em;min-width:0">'
            f'<label for="{uid}-{name}">{label}</label> '
            f'<output class="explorer-{name}" for="{uid}-{name}" style="font-weight:bold">'
            f'{labels[index]}</output><br>'
            f'<input type="range" id="{uid}-{name}" class="explorer-{name}" min="0" '
            f'max="{len(labels) - 1}" step="1" value="{index}" aria-valuetext="{labels[index]}" '
            f'style="width:100%;max-width:24em;box-sizing:border-box;margin:0.3em 0">'
            f'</div>')


def legend() -> str:
    """What the marks mean, as a line of text under the picture."""
    entries = [f'<span style="color:{START_COLOUR}">●</span> start',
               f'<span style="color:{PATH_COLOUR}">–•–•–</span> path, one dot per step',
               f'<span style="color:{END_COLOUR}">●</span> last step',
               '★ minimum']
    return ('<div style="font-size:0.85em;display:flex;flex-wrap:wrap;gap:0 1.2em">'
            + "".join(f'<span style="white-space:nowrap">{entry}</span>' for entry in entries)
            + '</div>')


# ---------------------------------------------------------------------------
# With rates=True: the (α, β) plane, tied to descent.analysis.
# ---------------------------------------------------------------------------

# Moves the ring on the (α, β) map and writes the rates; runs beside SCRIPT.
RATE_SCRIPT = """(function (root) {
  if (!root) return;
  var data = JSON.parse(root.querySelector("script.explorer-data").textContent);
  var lr = root.querySelector("input.explorer-lr");
  var momentum = root.querySelector("input.explorer-momentum");
  var ring = root.querySelector("circle.explorer-current");
  var rate = root.querySelector(".explorer-rate");
  function mark() {
    var i = Number(lr.value), j = Number(momentum.value);
    ring.setAttribute("cx", data.analysis.x[i]);
    ring.setAttribute("cy", data.analysis.y[j]);
    rate.textContent = data.runs[i][j].rate;
  }
  lr.addEventListener("input", mark);
  momentum.addEventListener("input", mark);
  mark();
})"""

MAP = {"width": 300, "height": 190, "left": 46, "right": 12, "top": 12, "bottom": 40}


def quadratic_curvatures(f: Callable[[Tensor], Tensor], optimizer: str) -> tuple[float, ...]:
    """The curvatures of a :class:`descent.data.Quadratic`; ValueError for anything else."""
    curvatures = getattr(f, "curvatures", None)
    if optimizer != "SGD" or curvatures is None:
        raise ValueError("rates=True needs optimizer='SGD' (the heavy ball) on a quadratic with "
                         "known curvatures, such as descent.data.Quadratic")
    return tuple(float(h) for h in curvatures)


def rate_analysis(learning_rates: list[float], momenta: list[float],
                  curvatures: tuple[float, ...]) -> dict:
    """What the (α, β) map needs: the optimum, the boundary and where each grid value lies."""
    mu, L = min(curvatures), max(curvatures)
    best_lr, best_momentum, best_rate = analysis.optimal_heavy_ball(mu, L)
    x_max = 1.12 * max(max(learning_rates), best_lr)
    plot_w = MAP["width"] - MAP["left"] - MAP["right"]
    plot_h = MAP["height"] - MAP["top"] - MAP["bottom"]

    def x(lr: float) -> float:
        return round(MAP["left"] + lr / x_max * plot_w, 1)

    def y(beta: float) -> float:
        return round(MAP["top"] + (1 - beta) * plot_h, 1)

    return {"optimal": {"lr": round(best_lr, 6), "momentum": round(best_momentum, 6),
                        "rate": round(best_rate, 6)},
            "L": L, "mu": mu, "x_max": x_max,
            "boundary": [[round(2 * (1 + b) / L, 6), b] for b in (0.0, 0.25, 0.5, 0.75, 1.0)],
            "x": [x(v) for v in learning_rates], "y": [y(v) for v in momenta],
            "star": [x(best_lr), y(best_momentum)]}


def rate_map(data: dict, uid: str, initial: tuple[int, int]) -> str:
    """An SVG map of the (α, β) plane: the slider grid, the unstable region beyond the
    boundary, the optimum, and a ring on the current setting."""
    info = data["analysis"]
    left, top = MAP["left"], MAP["top"]
    right, bottom = MAP["width"] - MAP["right"], MAP["height"] - MAP["bottom"]
    span = right - left

    def x(lr: float) -> float:
        return left + lr / info["x_max"] * span

    def y(beta: float) -> float:
        return top + (1 - beta) * (bottom - top)

    edge = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in info["boundary"])
    unstable = f"{edge} {right},{top} {right},{bottom}"
    dots = []
    for i, lr in enumerate(data["lr"]):
        for j, beta in enumerate(data["momentum"]):
            stable = data["runs"][i][j]["stable"]
            fill = "#555" if stable else "#fff"
            stroke = "#555" if stable else WARNING_COLOUR
            dots.append(f'<circle cx="{info["x"][i]}" cy="{info["y"][j]}" r="3" fill="{fill}" '
                        f'stroke="{stroke}" stroke-width="1.2"><title>α = {lr}, β = {beta}: '
                        f'{"stable" if stable else "diverges"}</title></circle>')
    ticks_x = []
    for tick in ticks((0.0, info["x_max"]), 4):
        ticks_x.append(f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" '
                       f'y2="{bottom + 4}" stroke="#444"/><text x="{x(tick):.1f}" '
                       f'y="{bottom + 16}" text-anchor="middle">{number(tick)}</text>')
    ticks_y = [f'<line x1="{left - 4}" y1="{y(b):.1f}" x2="{left}" y2="{y(b):.1f}" stroke="#444"/>'
               f'<text x="{left - 7}" y="{y(b) + 4:.1f}" text-anchor="end">{number(b)}</text>'
               for b in (0.0, 0.5, 1.0)]
    best = info["optimal"]
    i, j = initial
    description = (f"The plane of learning rate α and momentum β: the slider settings as dots, "
                   f"the region beyond the stability boundary α = 2(1 + β)/L shaded, the "
                   f"optimal α = {best['lr']:.3g}, β = {best['momentum']:.3g} as a star, and "
                   "a ring on the current setting.")
    return f"""<svg viewBox="0 0 {MAP['width']} {MAP['height']}" role="img"
     aria-labelledby="{uid}-map-title" font-family="sans-serif" font-size="11" fill="#222"
     style="display:block;width:100%;max-width:{MAP['width'] * 1.3:.0f}px;height:auto;
            background:#fff;margin-top:0.4em">
<title id="{uid}-map-title">{description}</title>
<defs><clipPath id="{uid}-map-clip">
  <rect x="{left}" y="{top}" width="{span}" height="{bottom - top}"/>
</clipPath></defs>
<g clip-path="url(#{uid}-map-clip)">
<polygon points="{unstable}" fill="{WARNING_COLOUR}" fill-opacity="0.15"/>
<polyline points="{edge}" fill="none" stroke="{WARNING_COLOUR}" stroke-width="1.6"/>
</g>
<rect x="{left}" y="{top}" width="{span}" height="{bottom - top}" fill="none" stroke="#444"/>
{"".join(dots)}
<polygon points="{star(*info['star'], radius=7.0)}" fill="#000"/>
<circle class="explorer-current" cx="{info['x'][i]}" cy="{info['y'][j]}" r="7" fill="none"
        stroke="{PATH_COLOUR}" stroke-width="2.2"/>
{"".join(ticks_x)}{"".join(ticks_y)}
<text x="{(left + right) / 2:.1f}" y="{MAP['height'] - 4}" text-anchor="middle">learning rate α</text>
<text x="12" y="{(top + bottom) / 2:.1f}" text-anchor="middle"
      transform="rotate(-90 12 {(top + bottom) / 2:.1f})">momentum β</text>
</svg>"""


def rate_legend(data: dict) -> str:
    best = data["analysis"]["optimal"]
    entries = [f'★ optimal α = {best["lr"]:.3g}, β = {best["momentum"]:.3g} '
               f'(ρ = {best["rate"]:.3f})',
               f'<span style="color:{WARNING_COLOUR}">—</span> stability boundary α = 2(1 + β)/L',
               f'<span style="color:{PATH_COLOUR}">○</span> current setting',
               '● stable, ○ diverges']
    return ('<div style="font-size:0.85em;display:flex;flex-wrap:wrap;gap:0 1.2em">'
            + "".join(f'<span style="white-space:nowrap">{entry}</span>' for entry in entries)
            + '</div>')


# ---------------------------------------------------------------------------
# Everything together.
# ---------------------------------------------------------------------------

def trajectory_explorer(f: Callable[[Tensor], Tensor], start: tuple[float, float], *,
                        learning_rates: Sequence[float], momenta: Sequence[float], steps: int,
                        xlim: tuple[float, float], ylim: tuple[float, float],
                        minimum: tuple[float, float] | None = None, optimizer: str = "SGD",
                        levels: int | Sequence[float] = 20,
                        initial: tuple[float, float] | None = None,
                        rates: bool = False) -> HTML:
    """A contour map of ``f`` with the optimizer's path and sliders for α and β.

    Shows the path of ``steps`` steps of ``optimizer`` (a name in
    :data:`OPTIMIZERS`; ``"SGD"`` is gradient descent with heavy-ball momentum
    in PyTorch's form) from ``start``, on ``levels`` contour lines of ``f``
    over ``xlim`` × ``ylim`` (equal scales on both axes), with ``minimum``
    marked by a star. One slider picks the learning rate α from
    ``learning_rates``, the other the momentum β from ``momenta``; below them a
    line says where the path ended, f at its last point, or that it diverged.

    Every path is computed here, with :func:`descent.train.trajectory` in
    float64, one per pair (α, β); a path is cut at its first point that is
    not finite or lies more than ten plot sizes away from the plot, and
    called diverged. The browser only looks up and draws the chosen path, so
    the figure works without a kernel. Same inputs, same HTML: element ids
    come from a hash of the figure's content, not from chance.

    ``f`` takes θ of shape (..., 2) (as :class:`descent.data.Quadratic`
    does); ``initial`` = (α, β) is the setting shown first (default: the
    middle learning rate and the first momentum). The grids must be
    non-empty and increasing, ``steps`` positive, else ``ValueError``.

    ``rates=True`` (only for ``optimizer="SGD"`` on a quadratic with
    ``curvatures``, such as :class:`descent.data.Quadratic`) adds the analysis
    of :mod:`descent.analysis`: each setting's predicted rate ρ(α, β) and the
    rate measured on its path (from step ``steps // 5`` on), shown under the
    sliders, and a map of the (α, β) plane with the grid, the stability
    boundary α = 2(1 + β)/L, the optimal (α*, β*) and a ring on the current
    setting. Without it the figure is exactly as before.

    >>> from descent.data import Quadratic
    >>> bowl = Quadratic((1.0, 10.0))
    >>> figure = trajectory_explorer(bowl, bowl.start, learning_rates=[0.05, 0.1],
    ...                              momenta=[0.0, 0.9], steps=10, xlim=(-4.5, 4.5),
    ...                              ylim=(-2.2, 2.2), minimum=bowl.minimum)
    >>> "<svg" in figure.data and 'type="range"' in figure.data
    True
    """
    learning_rates = check_grid("learning_rates", learning_rates)
    momenta = check_grid("momenta", momenta)
    check_settings(start, steps, xlim, ylim, optimizer, levels)
    if initial is None:
        initial = (learning_rates[len(learning_rates) // 2], momenta[0])
    if initial[0] not in learning_rates or initial[1] not in momenta:
        raise ValueError(f"initial {initial!r} must be a pair of values on the grids")

    view = View((float(xlim[0]), float(xlim[1])), (float(ylim[0]), float(ylim[1])))
    start = (float(start[0]), float(start[1]))
    make = OPTIMIZERS[optimizer]
    curvatures = quadratic_curvatures(f, optimizer) if rates else None
    runs = [[run(f, start, make, lr, mu, steps, view, curvatures) for mu in momenta]
            for lr in learning_rates]
    data = {
        "optimizer": optimizer, "start": start, "steps": steps,
        "lr": [f"{v:g}" for v in learning_rates], "momentum": [f"{v:g}" for v in momenta],
        "view": {"x0": view.xlim[0], "y1": view.ylim[1], "scale": view.scale,
                 "left": MARGIN["left"], "top": MARGIN["top"]},
        "runs": runs,
    }
    if curvatures is not None:
        data["analysis"] = rate_analysis(learning_rates, momenta, curvatures)
    contours = contour_paths(f, view, levels)
    sliders = (learning_rates.index(initial[0]), momenta.index(initial[1]))
    # Ids unique to the figure, yet the same every time it is made: a hash of its HTML.
    draft = render(data, contours, view, minimum, sliders, uid="descent-explorer")
    uid = "descent-explorer-" + hashlib.sha256(draft.encode()).hexdigest()[:12]
    return HTML(render(data, contours, view, minimum, sliders, uid))


def render(data: dict, contours: str, view: View, minimum: tuple[float, float] | None,
           initial: tuple[int, int], uid: str) -> str:
    """The figure's HTML; ``initial`` holds the slider positions shown first, ``uid`` the id."""
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")  # safe in <script>
    i, j = initial
    first = data["runs"][i][j]
    status_style = f"color:{WARNING_COLOUR};font-weight:bold" if first["diverged"] else ""
    return f"""<div id="{uid}" class="descent-explorer"
     style="max-width:100%;box-sizing:border-box;font-family:inherit">
{picture(data, contours, view, minimum, first["path"], uid)}
{legend()}
<div style="display:flex;flex-wrap:wrap;gap:0.3em 1.5em;margin-top:0.6em">
{slider(uid, "lr", "learning rate α", data["lr"], i)}
{slider(uid, "momentum", "momentum β", data["momentum"], j)}
</div>
<p class="explorer-status" aria-live="polite"
   style="margin:0.3em 0;{status_style}">{first["text"]}</p>{rate_parts(data, uid, initial)}
<script type="application/json" class="explorer-data">{payload}</script>
<script>{SCRIPT}(document.getElementById("{uid}"));</script>{rate_script(data, uid)}
</div>"""


def rate_parts(data: dict, uid: str, initial: tuple[int, int]) -> str:
    """With an analysis: the rates line, the (α, β) map and its legend; else nothing."""
    if "analysis" not in data:
        return ""
    i, j = initial
    return (f'\n<p class="explorer-rate" aria-live="polite" style="margin:0.3em 0">'
            f'{data["runs"][i][j]["rate"]}</p>\n{rate_map(data, uid, initial)}\n'
            f'{rate_legend(data)}')


def rate_script(data: dict, uid: str) -> str:
    if "analysis" not in data:
        return ""
    return f'\n<script>{RATE_SCRIPT}(document.getElementById("{uid}"));</script>'


def picture(data: dict, contours: str, view: View, minimum: tuple[float, float] | None,
            path: list[list[float]], uid: str) -> str:
    """The SVG: contours, minimum, start, ``path`` (a polyline with a dot at each step), axes."""
    points = " ".join(view.point(*p) for p in path)
    x, y = view.x(data["start"][0]), view.y(data["start"][1])
    mark = "" if minimum is None else (
        f'<polygon points="{star(view.x(minimum[0]), view.y(minimum[1]))}" fill="#000"/>')
    description = (f"Contour lines of the function and the path of {data['optimizer']} over "
                   f"{data['steps']} steps from θ = ({data['start'][0]:g}, {data['start'][1]:g}), "
                   "for the learning rate and momentum chosen with the sliders below.")
    return f"""<svg viewBox="0 0 {view.width:.1f} {view.height:.1f}" role="img"
     aria-labelledby="{uid}-title" font-family="sans-serif" font-size="{FONT_SIZE}" fill="#222"
     style="display:block;width:100%;max-width:{view.width * 1.2:.0f}px;height:auto;
            background:#fff">
<title id="{uid}-title">{description}</title>
<defs>
<clipPath id="{uid}-clip">
  <rect x="{MARGIN['left']}" y="{MARGIN['top']}"
        width="{view.plot_width:.1f}" height="{view.plot_height:.1f}"/>
</clipPath>
<marker id="{uid}-dot" viewBox="0 0 6 6" refX="3" refY="3" markerWidth="6" markerHeight="6"
        markerUnits="userSpaceOnUse">
  <circle cx="3" cy="3" r="2.2" fill="{PATH_COLOUR}"/>
</marker>
<marker id="{uid}-end" viewBox="0 0 12 12" refX="6" refY="6" markerWidth="12" markerHeight="12"
        markerUnits="userSpaceOnUse">
  <circle cx="6" cy="6" r="4.5" fill="{END_COLOUR}" stroke="#fff" stroke-width="1"/>
</marker>
</defs>
<g clip-path="url(#{uid}-clip)">
<g fill="none" stroke="#aaa" stroke-width="0.8">
{contours}
</g>
{mark}
<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{START_COLOUR}" stroke="#fff" stroke-width="1"/>
<polyline class="explorer-path" points="{points}" fill="none" stroke="{PATH_COLOUR}"
          stroke-width="1.6" stroke-linejoin="round"
          marker-mid="url(#{uid}-dot)" marker-end="url(#{uid}-end)"/>
</g>
{axes(view)}
</svg>"""
