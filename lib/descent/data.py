"""Data sets and test problems used in the chapters. Nothing is downloaded.

- :func:`article_example`: the source article's two-sample linear regression (§4);
- :func:`regression`, :func:`two_class`: synthetic problems of any size;
- :func:`digits`: a real data set (8×8 handwritten digits) that ships inside scikit-learn;
- :func:`validation_split`: hold out part of a training set for validation;
- :class:`Quadratic`, :class:`Rosenbrock`: 2-D functions for optimizer trajectories.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor

__all__ = ["ArticleExample", "article_example", "regression", "two_class", "digits",
           "validation_split", "Quadratic", "Rosenbrock"]


class ArticleExample(NamedTuple):
    """The worked example of the source article (§4.1)."""
    x: Tensor          # (2, 2): row i is the sample (x1_i, x2_i)
    y: Tensor          # (2,)
    w: Tensor          # (2,): the initial (w1, w2)
    b: Tensor          # (): the initial b
    lr: float          # α
    iterations: int


def article_example(dtype: torch.dtype = torch.float64,
                    device: torch.device | str = "cpu") -> ArticleExample:
    r"""The article's data, start and settings, exactly as it gives them.

    Model ŷ = w1·x1 + w2·x2 + b, loss J = ½ Σ_i (y_i − ŷ_i)², samples
    x1 = [1, 1], x2 = [1, −1], y = [2, −2]; start w1 = 0.1, w2 = −0.1, b = 0;
    α = 0.01; 1000 iterations.
    """
    options = dict(dtype=dtype, device=device)
    return ArticleExample(
        x=torch.tensor([[1.0, 1.0], [1.0, -1.0]], **options),
        y=torch.tensor([2.0, -2.0], **options),
        w=torch.tensor([0.1, -0.1], **options),
        b=torch.tensor(0.0, **options),
        lr=0.01,
        iterations=1000,
    )


def check_size(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def regression(n: int, d: int, noise: float = 0.1, seed: int = 0,
               dtype: torch.dtype = torch.float32,
               device: torch.device | str = "cpu") -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Linear regression data y = x·w + b + noise, with x and w standard normal.

    Returns ``(x, y, w, b)``: inputs (n, d), targets (n,), the true weights (d,)
    and bias ().
    """
    check_size("n", n)
    check_size("d", d)
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=generator, dtype=dtype)
    w = torch.randn(d, generator=generator, dtype=dtype)
    b = torch.randn((), generator=generator, dtype=dtype)
    y = x @ w + b + noise * torch.randn(n, generator=generator, dtype=dtype)
    return x.to(device), y.to(device), w.to(device), b.to(device)


def two_class(n: int, separation: float = 2.0, seed: int = 0, dtype: torch.dtype = torch.float32,
              device: torch.device | str = "cpu") -> tuple[Tensor, Tensor]:
    """Two Gaussian clouds in 2-D, centred at ±(separation/2, separation/2).

    Returns ``(x, y)``: points (n, 2) and labels (n,) as floats 0.0 / 1.0
    (the first n//2 points are class 0).
    """
    check_size("n", n)
    generator = torch.Generator().manual_seed(seed)
    y = (torch.arange(n) >= n // 2).to(dtype)
    centres = (2 * y - 1)[:, None] * (separation / 2) * torch.ones(2, dtype=dtype)
    x = centres + torch.randn(n, 2, generator=generator, dtype=dtype)
    return x.to(device), y.to(device)


def digits(test_size: int = 500, seed: int = 0, dtype: torch.dtype = torch.float32,
           device: torch.device | str = "cpu") -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """The 1797 handwritten digits (8×8 pixels) that ship with scikit-learn.

    Pixels are scaled from 0..16 to [0, 1] and flattened to 64 features;
    labels are class indices 0..9. ``test_size`` randomly chosen images
    (fixed by ``seed``) are held out. Returns ``(x_train, y_train, x_test, y_test)``.
    Source: Alpaydin & Kaynak (1998), UCI Machine Learning Repository.
    """
    from sklearn.datasets import load_digits  # imported here: only this function needs it

    data = load_digits()
    x = torch.tensor(data.data, dtype=dtype) / 16.0
    y = torch.tensor(data.target, dtype=torch.long)
    if not 0 < test_size < len(x):
        raise ValueError(f"test_size must be between 1 and {len(x) - 1}, got {test_size}")
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    test, train = order[:test_size], order[test_size:]
    return x[train].to(device), y[train].to(device), x[test].to(device), y[test].to(device)


def validation_split(x: Tensor, y: Tensor, fraction: float = 0.2, seed: int = 0,
                     stratify: bool = True) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    r"""Hold out a random ``fraction`` of (x, y) for validation: ``((x_train, y_train), (x_val, y_val))``.

    The validation set gets m = round(fraction · n) of the n examples, chosen
    at random (fixed by ``seed``). With ``stratify=True`` and class indices in
    ``y`` (an integer tensor), each class c with n_c examples gives
    ⌊fraction · n_c⌋ or one more (the largest remainders get the extra ones),
    so every class keeps its share on both sides; float targets (regression)
    are split plainly. Both sides keep the original order of the examples and
    stay on the device of ``x`` and ``y``. The test set is a different
    thing: it is not touched until the very end.
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be between 0 and 1 (exclusive), got {fraction!r}")
    n = len(x)
    n_val = round(fraction * n)
    if not 0 < n_val < n:
        raise ValueError(f"a fraction of {fraction} of {n} examples leaves {n_val} for validation and "
                         f"{n - n_val} for training: both need at least one")
    generator = torch.Generator().manual_seed(seed)
    labels = y.cpu()
    if stratify and not labels.is_floating_point():
        classes, counts = labels.unique(return_counts=True)
        shares = fraction * counts.double()
        quotas = shares.floor().long()                    # each class's whole share...
        extra = torch.argsort(shares - quotas, descending=True, stable=True)[:n_val - int(quotas.sum())]
        quotas[extra] += 1                                # ...and the rest to the largest remainders
        members = [torch.nonzero(labels == c).flatten() for c in classes]
        val = torch.cat([m[torch.randperm(len(m), generator=generator)[:q]]
                         for m, q in zip(members, quotas.tolist())])
    else:
        val = torch.randperm(n, generator=generator)[:n_val]
    is_val = torch.zeros(n, dtype=torch.bool)
    is_val[val] = True
    train_index, val_index = (torch.nonzero(mask).flatten().to(x.device) for mask in (~is_val, is_val))
    return ((x[train_index], y[train_index.to(y.device)]),
            (x[val_index], y[val_index.to(y.device)]))


class Quadratic:
    r"""f(θ) = ½ (λ₁ u₁² + λ₂ u₂²): a quadratic bowl with curvatures λ₁ and λ₂.

    u = Rᵀθ are the coordinates along the bowl's principal axes, which are
    the coordinate axes rotated by ``angle`` (radians; 0: u = θ). The Hessian
    has eigenvalues λ₁, λ₂; the largest, L = max(λ₁, λ₂), sets gradient
    descent's stability bound α < 2/L, and the condition number
    κ = L / min(λ₁, λ₂) says how elongated the valley is. Minimum: f(0, 0) = 0.
    """

    def __init__(self, curvatures: tuple[float, float] = (1.0, 10.0), angle: float = 0.0) -> None:
        if len(curvatures) != 2 or not all(c > 0 for c in curvatures):
            raise ValueError(f"curvatures must be two positive numbers, got {curvatures!r}")
        self.curvatures = tuple(float(c) for c in curvatures)
        self.angle = float(angle)
        self.minimum = (0.0, 0.0)
        # A standard start, (−4, 1) in the bowl's own axes: the same problem at any angle.
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        self.start = (-4.0 * cos - 1.0 * sin, -4.0 * sin + 1.0 * cos)

    @property
    def smoothness(self) -> float:
        """L, the largest curvature."""
        return max(self.curvatures)

    @property
    def condition_number(self) -> float:
        return max(self.curvatures) / min(self.curvatures)

    def __call__(self, theta: Tensor) -> Tensor:
        """f at θ; ``theta`` has shape (..., 2)."""
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        u1 = cos * theta[..., 0] + sin * theta[..., 1]
        u2 = -sin * theta[..., 0] + cos * theta[..., 1]
        return 0.5 * (self.curvatures[0] * u1**2 + self.curvatures[1] * u2**2)

    def __repr__(self) -> str:
        return f"Quadratic(curvatures={self.curvatures}, angle={self.angle})"


class Rosenbrock:
    r"""f(θ) = (a − θ₁)² + b (θ₂ − θ₁²)²: a curved, narrow valley.

    Minimum f(a, a²) = 0. With a = 1, b = 100 the valley floor is easy to
    reach and very slow to follow (Rosenbrock 1960).
    """

    def __init__(self, a: float = 1.0, b: float = 100.0) -> None:
        self.a, self.b = float(a), float(b)
        self.minimum = (self.a, self.a**2)
        self.start = (-1.5, 2.0)

    def __call__(self, theta: Tensor) -> Tensor:
        x, y = theta[..., 0], theta[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def __repr__(self) -> str:
        return f"Rosenbrock(a={self.a}, b={self.b})"
