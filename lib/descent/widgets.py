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

from descent import optim
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
        lr: float, momentum: float, steps: int, view: View) -> dict:
    """One path, cut where it diverges, and a sentence about where it ended."""
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
    points = [[round(a, digits), round(b, digits)] for a, b in points[:kept]]
    return {"path": points, "text": text, "diverged": diverged}


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
# Everything together.
# ---------------------------------------------------------------------------

def trajectory_explorer(f: Callable[[Tensor], Tensor], start: tuple[float, float], *,
                        learning_rates: Sequence[float], momenta: Sequence[float], steps: int,
                        xlim: tuple[float, float], ylim: tuple[float, float],
                        minimum: tuple[float, float] | None = None, optimizer: str = "SGD",
                        levels: int | Sequence[float] = 20,
                        initial: tuple[float, float] | None = None) -> HTML:
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
    runs = [[run(f, start, make, lr, mu, steps, view) for mu in momenta] for lr in learning_rates]
    data = {
        "optimizer": optimizer, "start": start, "steps": steps,
        "lr": [f"{v:g}" for v in learning_rates], "momentum": [f"{v:g}" for v in momenta],
        "view": {"x0": view.xlim[0], "y1": view.ylim[1], "scale": view.scale,
                 "left": MARGIN["left"], "top": MARGIN["top"]},
        "runs": runs,
    }
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
   style="margin:0.3em 0;{status_style}">{first["text"]}</p>
<script type="application/json" class="explorer-data">{payload}</script>
<script>{SCRIPT}(document.getElementById("{uid}"));</script>
</div>"""


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
