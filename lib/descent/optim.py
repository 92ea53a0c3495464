"""Reference optimizers: one plain step function per algorithm, and a thin
``torch.optim.Optimizer`` around each.

Each ``*_step`` function updates **one** parameter tensor in place, given its
gradient and its per-parameter ``state`` (a dict that the function fills on
the first call), and reads line for line like the book's equations. The
symbols are the book's (see the preface's notation table):

=========  =============================  ===========================
book       meaning                        here (and in torch.optim)
=========  =============================  ===========================
θ          the parameter                  ``param``
g_t        its gradient at step t         ``grad``
α          learning rate                  ``lr``
β          momentum coefficient           ``momentum``
b_t        momentum buffer                ``state["momentum_buffer"]``
ρ          RMSprop decay rate             ``alpha``
β1, β2     Adam (and Lion) decay rates    ``beta1, beta2`` (``betas``)
m_t, v_t   averages of g and g²           ``state["exp_avg"]``, ``state["exp_avg_sq"]``
ε          stability constant             ``eps``
λ          weight decay                   ``weight_decay``
O_t        orthogonalised update (Muon)   ``newton_schulz(...)``
a, b, c    Newton–Schulz coefficients     ``ns_coefficients``
k          Newton–Schulz iterations       ``ns_steps``
R_t, C_t   row, column means of g²        ``state["row_var"]``, ``state["col_var"]``
τ          Adafactor's β̂2 exponent        ``beta2_decay``
κ_t        relative step size             min(α, 1/√t) (Adafactor)
d          update clipping threshold      ``d``
ε1, ε2     Adafactor's two constants      ``eps`` = (ε1, ε2)
x, y, z    Schedule-Free sequences        ``state["x"]``, ``param``, ``state["z"]``
c_t        averaging weight               γ_t² / Σ γ_i² (Schedule-Free)
η          LARS trust coefficient         ``eta``
φ          LAMB trust-ratio scaling       the identity
=========  =============================  ===========================

State keys use torch.optim's names, so the two can be compared key by key.

The optimizer classes have torch.optim's names, constructor arguments,
defaults and ``ValueError`` messages for the options they support; anything
else (a misspelt keyword, ``foreach=``) is a ``TypeError``. Optimizers that
torch.optim lacks (Lion, Schedule-Free AdamW, LARS, LAMB) take their papers'
defaults and raise ``ValueError("Invalid ... value: x")`` in the same style.
There are no speed branches here: the fast path is :mod:`descent.fast`.

After Adam: :class:`Muon` orthogonalises the momentum of each weight matrix
(Jordan et al. 2024; Liu et al. 2025), :class:`Adafactor` stores Adam's
second moment as a row and a column (Shazeer & Stern 2018), :class:`Lion`
keeps only the sign (Chen et al. 2023), :class:`ScheduleFreeAdamW` replaces
the learning-rate schedule by an average (Defazio et al. 2024), and
:class:`LARS` and :class:`LAMB` scale each layer's step to the size of its
weights for very large batches (You et al. 2017; You et al. 2020). Not here:
Shampoo (Gupta et al. 2018) and SOAP (Vyas et al. 2024), which precondition
with full matrices per dimension. How much any of these gains over a
well-tuned AdamW is measured in Dahl et al. (2023) and Wen et al. (2025).

Full-batch gradient descent, θ ← θ − α∇J(θ), is not a separate class: it is
:class:`SGD` (momentum 0) stepped on the gradient of the loss over the whole
training set.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor

__all__ = [
    "sgd_step", "adagrad_step", "rmsprop_step", "adam_step", "adamw_step",
    "SGD", "Adagrad", "RMSprop", "Adam", "AdamW",
    "newton_schulz", "muon_adjusted_lr", "muon_step", "Muon",
    "adafactor_step", "adafactor_state_numel", "Adafactor",
    "lion_step", "Lion",
    "schedule_free_adamw_step", "ScheduleFreeAdamW",
    "lars_step", "LARS", "lamb_step", "LAMB",
]


def check_gradient(param: Tensor, grad: Tensor) -> None:
    """Raise a clear error unless ``grad`` can be the gradient of ``param``."""
    if not isinstance(grad, Tensor):
        raise TypeError(f"grad must be a Tensor, got {type(grad).__name__}")
    if grad.is_sparse:
        raise RuntimeError("descent's reference optimizers do not support sparse gradients")
    if grad.shape != param.shape:
        raise ValueError(f"grad has shape {tuple(grad.shape)} but param has shape {tuple(param.shape)}")
    if grad.dtype != param.dtype:
        raise ValueError(f"grad has dtype {grad.dtype} but param has dtype {param.dtype}")
    if grad.device != param.device:
        raise ValueError(f"grad is on {grad.device} but param is on {param.device}")


# ---------------------------------------------------------------------------
# Step functions: one tensor, one step, the equations of the book.
# ---------------------------------------------------------------------------

@torch.no_grad()
def sgd_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
             momentum: float = 0.0, dampening: float = 0.0, nesterov: bool = False,
             weight_decay: float = 0.0) -> None:
    r"""One step of stochastic gradient descent, with optional momentum.

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1}                   && \text{(if } \lambda \ne 0\text{: L2 penalty)} \\
        b_t &= \beta b_{t-1} + (1 - \tau) g_t,\quad b_1 = g_1          && \text{(if } \beta \ne 0\text{)} \\
        d_t &= g_t + \beta b_t \text{ (Nesterov), else } b_t \\
        \theta_t &= \theta_{t-1} - \alpha d_t

    With β = 0 the update is plain SGD, θ ← θ − α g. ``dampening`` (τ) scales
    the new gradient in the buffer; the first buffer is the gradient itself.

    References: Robbins & Monro (1951); Polyak (1964); Sutskever et al. (2013)
    for the Nesterov form; ``torch.optim.SGD``.
    """
    check_gradient(param, grad)
    if weight_decay != 0:
        grad = grad + weight_decay * param
    if momentum != 0:
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = grad.clone()                  # b_1 = g_1
        else:
            b = state["momentum_buffer"]
            b.mul_(momentum).add_((1 - dampening) * grad)            # b_t = β b_{t-1} + (1-τ) g_t
        b = state["momentum_buffer"]
        grad = grad + momentum * b if nesterov else b                # d_t
    param.sub_(lr * grad)                                            # θ_t = θ_{t-1} - α d_t


@torch.no_grad()
def adagrad_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
                 lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10) -> None:
    r"""One Adagrad step: divide by the root of the sum of all past squared gradients.

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1}        && \text{(if } \lambda \ne 0\text{)} \\
        s_t &= s_{t-1} + g_t^2,\quad s_0 = \text{initial\_accumulator\_value} \\
        \alpha_t &= \alpha / (1 + (t - 1)\,\eta)           && (\eta = \text{lr\_decay}) \\
        \theta_t &= \theta_{t-1} - \alpha_t\, g_t / (\sqrt{s_t} + \varepsilon)

    Reference: Duchi, Hazan & Singer (2011); ``torch.optim.Adagrad``.
    """
    check_gradient(param, grad)
    if not state:
        state["step"] = 0
        state["sum"] = torch.full_like(param, initial_accumulator_value)
    state["step"] += 1
    t, s = state["step"], state["sum"]
    if weight_decay != 0:
        grad = grad + weight_decay * param
    s.add_(grad * grad)                                              # s_t = s_{t-1} + g_t²
    lr_t = lr / (1 + (t - 1) * lr_decay)                             # α_t
    param.sub_(lr_t * grad / (s.sqrt() + eps))                       # θ_t


@torch.no_grad()
def rmsprop_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
                 alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0.0,
                 momentum: float = 0.0, centered: bool = False) -> None:
    r"""One RMSprop step: divide by the root of a running average of squared gradients.

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1}               && \text{(if } \lambda \ne 0\text{)} \\
        v_t &= \rho v_{t-1} + (1 - \rho) g_t^2,\quad v_0 = 0 \\
        \bar g_t &= \rho \bar g_{t-1} + (1 - \rho) g_t             && \text{(centered only)} \\
        \sigma_t &= \sqrt{v_t} \text{, or } \sqrt{v_t - \bar g_t^2} \text{ (centered)} \\
        \theta_t &= \theta_{t-1} - \alpha\, g_t / (\sigma_t + \varepsilon)   && \text{(momentum } \beta = 0\text{)} \\
        b_t &= \beta b_{t-1} + g_t / (\sigma_t + \varepsilon),\quad
        \theta_t = \theta_{t-1} - \alpha b_t                        && \text{(momentum } \beta > 0\text{)}

    ρ is torch's ``alpha`` (a decay rate, not a learning rate). ε is added
    *outside* the square root, as in PyTorch.

    Reference: Tieleman & Hinton (2012); Graves (2013) for the centered form;
    ``torch.optim.RMSprop``.
    """
    check_gradient(param, grad)
    rho = alpha
    if not state:
        state["step"] = 0
        state["square_avg"] = torch.zeros_like(param)
        if momentum > 0:
            state["momentum_buffer"] = torch.zeros_like(param)
        if centered:
            state["grad_avg"] = torch.zeros_like(param)
    state["step"] += 1
    if weight_decay != 0:
        grad = grad + weight_decay * param
    v = state["square_avg"]
    v.mul_(rho).add_((1 - rho) * grad * grad)                        # v_t
    if centered:
        g_bar = state["grad_avg"]
        g_bar.mul_(rho).add_((1 - rho) * grad)                       # ḡ_t
        sigma = (v - g_bar * g_bar).sqrt()
    else:
        sigma = v.sqrt()
    if momentum > 0:
        b = state["momentum_buffer"]
        b.mul_(momentum).add_(grad / (sigma + eps))                  # b_t
        param.sub_(lr * b)
    else:
        param.sub_(lr * grad / (sigma + eps))                        # θ_t


@torch.no_grad()
def adam_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
              beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
              weight_decay: float = 0.0, amsgrad: bool = False) -> None:
    r"""One Adam step, with bias correction (Kingma & Ba 2015, Algorithm 1).

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1}      && \text{(if } \lambda \ne 0\text{: L2 inside the gradient)} \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t,\quad m_0 = 0 \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,\quad v_0 = 0 \\
        \hat m_t &= m_t / (1 - \beta_1^t) \\
        \hat v_t &= v_t / (1 - \beta_2^t)
            \quad\text{(AMSGrad: } \max(v_1, \dots, v_t) / (1 - \beta_2^t)\text{)} \\
        \theta_t &= \theta_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \varepsilon)

    ε is added *outside* the square root, as in PyTorch and the paper.

    References: Kingma & Ba (2015); Reddi et al. (2018) for AMSGrad;
    ``torch.optim.Adam``.
    """
    check_gradient(param, grad)
    if not state:
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(param)
        state["exp_avg_sq"] = torch.zeros_like(param)
        if amsgrad:
            state["max_exp_avg_sq"] = torch.zeros_like(param)
    state["step"] += 1
    t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
    if weight_decay != 0:
        grad = grad + weight_decay * param
    m.mul_(beta1).add_((1 - beta1) * grad)                           # m_t
    v.mul_(beta2).add_((1 - beta2) * grad * grad)                    # v_t
    if amsgrad:
        torch.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        v = state["max_exp_avg_sq"]
    m_hat = m / (1 - beta1**t)                                       # m̂_t
    v_hat = v / (1 - beta2**t)                                       # v̂_t
    param.sub_(lr * m_hat / (v_hat.sqrt() + eps))                    # θ_t


@torch.no_grad()
def adamw_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
               beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
               weight_decay: float = 1e-2, amsgrad: bool = False) -> None:
    r"""One AdamW step: decay the weights directly, then an Adam step on the raw gradient.

    .. math::

        \theta_{t-1} &\leftarrow (1 - \alpha \lambda)\, \theta_{t-1} \\
        \theta_t &= \text{Adam step on } g_t \text{ (no } \lambda \text{ in the gradient)}

    Unlike L2 inside Adam, the decay is not divided by √v̂, so every weight
    shrinks at the same rate (Loshchilov & Hutter 2019). PyTorch multiplies
    λ by the learning rate α; the paper uses a separate schedule multiplier.

    Reference: Loshchilov & Hutter (2019); ``torch.optim.AdamW``.
    """
    check_gradient(param, grad)
    param.mul_(1 - lr * weight_decay)                                # decoupled decay
    adam_step(param, grad, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
              weight_decay=0.0, amsgrad=amsgrad)


# ---------------------------------------------------------------------------
# After Adam: Muon, Adafactor, Lion, Schedule-Free AdamW, LARS, LAMB.
# ---------------------------------------------------------------------------

MUON_COEFFICIENTS = (3.4445, -4.775, 2.0315)  # Jordan et al. (2024), as in torch.optim.Muon


@torch.no_grad()
def newton_schulz(G: Tensor, coefficients: tuple[float, float, float] = MUON_COEFFICIENTS,
                  steps: int = 5, eps: float = 1e-7, dtype: torch.dtype = torch.bfloat16) -> Tensor:
    r"""Push every singular value of the matrix ``G`` towards 1, by ``steps`` matrix products.

    Write G = U S Vᵀ (its SVD). The polar factor U Vᵀ is the orthogonal matrix
    nearest to G: the same singular vectors, every singular value set to 1. It
    can be approached without an SVD, with matrix products only, because an odd
    polynomial in X acts on the singular values alone: with A = X Xᵀ,

    .. math::

        X_0 &= G / \max(\lVert G \rVert_F, \varepsilon)
            && \text{(every singular value now in } [0, 1]\text{)} \\
        A_j &= X_j X_j^\top, \qquad
        X_{j+1} = a X_j + (b A_j + c A_j^2)\, X_j
            = U\, p(S_j)\, V^\top, \qquad p(x) = a x + b x^3 + c x^5

    since X Xᵀ X = U S³ Vᵀ. After k steps each singular value σ has become
    p(p(…p(σ))). The classical cubic (a, b, c) = (1.5, −0.5, 0) has the fixed
    point p(1) = 1 with p′(1) = 0, so it converges to U Vᵀ, but its slope at 0
    is only 1.5: a singular value of 10⁻³ needs about 17 steps to grow to order 1.
    Muon's quintic (3.4445, −4.775, 2.0315) instead makes the slope at zero,
    p′(0) = a, as large as possible while the iterates still settle in a band
    around 1 (Jordan et al. tuned them numerically for five steps): small
    singular values grow 3.4× per step, so five steps suffice, at the price of
    no longer converging to exactly 1 (p(1) ≈ 0.70: the iterates keep
    oscillating inside the band). The result is U S′ Vᵀ, not exactly U Vᵀ, with
    S′ roughly in (0.5, 1.5) for singular values that are not tiny (one below
    about 10⁻³ of the norm is still below the band after five steps); that is
    empirically as good for training.

    The iteration runs in ``dtype`` (bfloat16 by default, as torch.optim.Muon:
    the products are the whole cost and the band is coarse anyway) and the
    result is returned in ``dtype``; pass torch.float64 to see the exact
    arithmetic. A tall G is transposed first, so that A is the smaller Gram
    matrix, and transposed back at the end. ``torch.addmm(C, M, N, beta=β,
    alpha=γ)`` is β C + γ M N rounded once: in bfloat16, writing the sums out
    would round three or four times, and the steep polynomial amplifies those
    errors to several per cent of the result (up to 10 % of its largest entry
    on the small matrices of the tests).

    Reference: Jordan et al. (2024); ``torch.optim.Muon``.

    Singular values 3 and 0.01, after five steps of the quintic and of the cubic:

    >>> G = torch.tensor([[3.0, 0.0], [0.0, 0.01]], dtype=torch.float64)
    >>> torch.linalg.svdvals(newton_schulz(G, dtype=torch.float64))
    tensor([1.1582, 0.6964], dtype=torch.float64)
    >>> torch.linalg.svdvals(newton_schulz(G, (1.5, -0.5, 0.0), dtype=torch.float64))
    tensor([1.0000, 0.0253], dtype=torch.float64)
    """
    if steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if G.ndim != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = coefficients
    tall = G.size(0) > G.size(1)
    X = G.to(dtype)
    if tall:
        X = X.T
    X = X / X.norm().clamp(min=eps)                                  # X_0: spectral norm ≤ 1
    for _ in range(steps):
        A = X @ X.T                                                  # A = X Xᵀ
        B = torch.addmm(A, A, A, beta=b, alpha=c)                    # B = b A + c A²
        X = torch.addmm(X, B, X, beta=a)                             # X ← a X + B X = U p(S) Vᵀ
    return X.T if tall else X


def muon_adjusted_lr(lr: float, adjust_lr_fn: str | None, shape: torch.Size) -> float:
    r"""Muon's learning rate for an A × B matrix, so that one α suits every shape.

    An orthogonal A × B update has RMS entry 1/√max(A, B). ``"original"`` (the
    default, ``None``) multiplies α by √max(1, A/B) (Jordan et al. 2024);
    ``"match_rms_adamw"`` by 0.2·√max(A, B), which gives the update the RMS
    ≈ 0.2 of a typical AdamW update so that AdamW's α and λ can be reused
    (Liu et al. 2025).
    """
    A, B = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        return lr * math.sqrt(max(1, A / B))
    if adjust_lr_fn == "match_rms_adamw":
        return lr * 0.2 * math.sqrt(max(A, B))
    raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")


@torch.no_grad()
def muon_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
              weight_decay: float = 0.1, momentum: float = 0.95, nesterov: bool = True,
              ns_coefficients: tuple[float, float, float] = MUON_COEFFICIENTS,
              eps: float = 1e-7, ns_steps: int = 5, adjust_lr_fn: str | None = None,
              ns_dtype: torch.dtype = torch.bfloat16) -> None:
    r"""One Muon step: momentum, then orthogonalise the update matrix (MomentUm Orthogonalized by Newton–Schulz).

    .. math::

        b_t &= \beta b_{t-1} + (1 - \beta) g_t,\quad b_0 = 0 \\
        d_t &= (1 - \beta) g_t + \beta b_t \text{ (Nesterov), else } b_t \\
        O_t &= \mathrm{NS}^{(a,b,c)}_k(d_t) \;\approx\; U V^\top
              \text{ where } d_t = U S V^\top \\
        \theta_t &= (1 - \alpha\lambda)\, \theta_{t-1} - \alpha'\, O_t,
            \qquad \alpha' = \alpha \sqrt{\max(1, A/B)}
            \text{ or } 0.2\, \alpha \sqrt{\max(A, B)}

    for an A × B weight matrix. The buffer is an exponential average (torch
    writes it ``lerp``), and weight decay is decoupled and uses the unadjusted
    α, as in torch. Orthogonalising replaces the singular values of the
    momentum by (about) 1: every direction of the update matrix gets the same
    step, so rare directions are not drowned by the dominant ones. See
    :func:`newton_schulz` and :func:`muon_adjusted_lr`; ``ns_dtype`` is the
    precision of the Newton–Schulz products (bfloat16 in torch).

    Muon is meant for the 2-D weight matrices of hidden layers. Embeddings,
    biases, norm gains and the output layer are trained with AdamW alongside
    (two optimizers, or two parameter groups of a combined one).

    References: Jordan et al. (2024); Liu et al. (2025); ``torch.optim.Muon``.
    """
    check_gradient(param, grad)
    if grad.ndim != 2:
        raise ValueError("Param gradient must be a 2D matrix")
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = torch.zeros_like(param)
    b = state["momentum_buffer"]
    b.lerp_(grad, 1 - momentum)                                      # b_t = β b_{t-1} + (1-β) g_t
    d = grad.lerp(b, momentum) if nesterov else b                    # d_t
    O = newton_schulz(d, ns_coefficients, ns_steps, eps, ns_dtype).to(param.dtype)  # O_t
    param.mul_(1 - lr * weight_decay)                                # decoupled decay
    param.sub_(muon_adjusted_lr(lr, adjust_lr_fn, param.shape) * O)  # θ_t = θ - α' O_t


def rms(x: Tensor) -> float:
    """Root mean square of the entries of ``x``, ‖x‖₂/√n, as a Python float."""
    return (x.norm() / math.sqrt(x.numel())).item()


@torch.no_grad()
def adafactor_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float = 1e-2,
                   beta2_decay: float = -0.8, eps1: float | None = None, eps2: float = 1e-3,
                   d: float = 1.0, weight_decay: float = 0.0, maximize: bool = False) -> None:
    r"""One Adafactor step: Adam's second moment stored as one row and one column.

    For a matrix G (m × n; for more dimensions, the last two, batched over the
    rest), with τ = ``beta2_decay`` and G negated if ``maximize``:

    .. math::

        \hat\beta_{2,t} &= 1 - t^{\tau}
            && \text{(}0 \text{ at } t = 1\text{, then slowly} \to 1\text{)} \\
        \kappa_t &= \min(\alpha, 1/\sqrt{t}),\qquad
        \alpha_t = \max(\varepsilon_2, \mathrm{RMS}(\theta_{t-1}))\, \kappa_t
            && \text{(a step relative to the size of } \theta\text{)} \\
        \theta_{t-1} &\leftarrow (1 - \alpha\lambda)\, \theta_{t-1} \\
        R_t &= \hat\beta_{2,t} R_{t-1} + (1 - \hat\beta_{2,t})\, \mathrm{mean}_j\, G_{ij}^2
            && (m \times 1) \\
        C_t &= \hat\beta_{2,t} C_{t-1} + (1 - \hat\beta_{2,t})\, \mathrm{mean}_i\, G_{ij}^2
            && (1 \times n) \\
        \hat V_t &= R_t C_t / \max(\mathrm{mean}_i R_{t,i}, \varepsilon_1)
            && \text{(rank one; for vectors } \hat V_t \text{ is the plain average of } g^2\text{)} \\
        U_t &= G_t / \sqrt{\max(\hat V_t, \varepsilon_1^2)},\qquad
        \hat U_t = U_t / \max(1, \mathrm{RMS}(U_t)/d) \\
        \theta_t &= \theta_{t-1} - \alpha_t \hat U_t

    R C/mean(R) is the best rank-one fit of the matrix of E[g²] (in the
    I-divergence of Shazeer & Stern): m + n numbers stored instead of m·n
    (:func:`adafactor_state_numel`). There is no first moment (the paper's
    optional β1 is left out, as in torch): the update clipping by d stands in
    for it; the decay rate β̂2 grows with t
    instead of a bias correction. ``eps1=None`` means the machine epsilon of
    ``param``'s dtype.

    As in torch (and not in the paper): ``lr`` caps the relative step κ_t (the
    paper's cap is 0.01, torch's default ``lr``), weight decay is decoupled
    and multiplied by ``lr``, and ε1 is applied to V̂ and to the denominator
    instead of being added to g².

    Reference: Shazeer & Stern (2018); ``torch.optim.Adafactor``.
    """
    check_gradient(param, grad)
    if maximize:
        grad = -grad
    if not state:
        state["step"] = 0
        if grad.ndim > 1:
            state["row_var"] = grad.new_zeros(grad.shape[:-1] + (1,))                  # R: m × 1
            state["col_var"] = grad.new_zeros(grad.shape[:-2] + (1, grad.shape[-1]))  # C: 1 × n
        else:
            state["variance"] = torch.zeros_like(grad)
    state["step"] += 1
    t = state["step"]
    if eps1 is None:
        eps1 = torch.finfo(param.dtype).eps
    beta2_t = 1 - t**beta2_decay                                     # β̂2_t
    kappa = min(lr, 1 / math.sqrt(t))                                # κ_t
    alpha_t = max(eps2, rms(param)) * kappa                          # α_t
    if weight_decay != 0:
        param.mul_(1 - lr * weight_decay)                            # decoupled decay
    g2 = grad * grad
    if grad.ndim > 1:
        R, C = state["row_var"], state["col_var"]
        R.lerp_(g2.mean(dim=-1, keepdim=True), 1 - beta2_t)          # R_t
        C.lerp_(g2.mean(dim=-2, keepdim=True), 1 - beta2_t)          # C_t
        V = R @ C / R.mean(dim=-2, keepdim=True).clamp(min=eps1)     # V̂_t = R C / mean(R)
    else:
        V = state["variance"]
        V.lerp_(g2, 1 - beta2_t)                                     # V̂_t
    U = grad / V.clamp(min=eps1 * eps1).sqrt()                       # U_t
    U_hat = U / max(1.0, rms(U) / d)                                 # Û_t: clip the RMS to d
    param.sub_(alpha_t * U_hat)                                      # θ_t


def adafactor_state_numel(shape: tuple[int, ...]) -> int:
    """How many numbers Adafactor keeps per parameter of this ``shape`` (besides the step count).

    A matrix m × n keeps m + n (a row and a column of second moments), where
    Adam keeps 2·m·n (m and v). Tensors with more dimensions are factored in
    their last two, vectors and scalars keep a full second moment.

    >>> adafactor_state_numel((1024, 4096)), 2 * 1024 * 4096
    (5120, 8388608)
    >>> adafactor_state_numel((8, 16, 32)), adafactor_state_numel((10,))
    (384, 10)
    """
    if len(shape) < 2:
        return math.prod(shape)
    return math.prod(shape[:-2]) * (shape[-2] + shape[-1])


@torch.no_grad()
def lion_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float,
              beta1: float = 0.9, beta2: float = 0.99, weight_decay: float = 0.0) -> None:
    r"""One Lion step (EvoLved Sign Momentum): move every coordinate by exactly ±α.

    .. math::

        c_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t
            && \text{(interpolate: the direction of this step)} \\
        \theta_t &= \theta_{t-1} - \alpha\, (\mathrm{sign}(c_t) + \lambda \theta_{t-1}) \\
        m_t &= \beta_2 m_{t-1} + (1 - \beta_2) g_t,\quad m_0 = 0
            && \text{(the momentum kept, with a longer memory)}

    Only the sign of c_t is used, so every coordinate moves by exactly α
    (0 where c is 0): the update has norm α√n, larger than Adam's, whose
    m̂/√v̂ entries are mostly well below 1 in size because noise in g inflates v̂.
    Hence the paper's advice: α 3–10× smaller than AdamW's, and λ 3–10× larger
    so that the decay α λ stays the same. One buffer instead of Adam's two.
    Found by a program search; the default β2 = 0.99 > β1 = 0.9.

    Reference: Chen et al. (2023), Algorithm 2.
    """
    check_gradient(param, grad)
    if not state:
        state["exp_avg"] = torch.zeros_like(param)
    m = state["exp_avg"]
    c = beta1 * m + (1 - beta1) * grad                               # c_t
    param.sub_(lr * (c.sign() + weight_decay * param))               # θ_t
    m.mul_(beta2).add_((1 - beta2) * grad)                           # m_t


@torch.no_grad()
def schedule_free_adamw_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float = 0.0025,
                             beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                             weight_decay: float = 0.0, warmup_steps: int = 0) -> None:
    r"""One Schedule-Free AdamW step: ``param`` holds y_t, the point where ``grad`` was taken.

    Three sequences: z takes the (Adam-normalised) gradient steps, x is a
    weighted running average of the z's, and the gradient is taken at y, in
    between:

    .. math::

        y_t &= (1 - \beta_1) z_t + \beta_1 x_t,\quad x_1 = z_1 = \theta_0,\quad
            g_t = \nabla f(y_t) \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,\quad v_0 = 0 \\
        \gamma_t &= \alpha \sqrt{1 - \beta_2^t}\, \min(1, t / T_\text{warmup})
            && \text{(bias correction and warmup in the step size)} \\
        z_{t+1} &= z_t - \gamma_t\, g_t / (\sqrt{v_t} + \varepsilon) - \gamma_t \lambda\, y_t
            && \text{(weight decay at } y\text{)} \\
        c_{t+1} &= \gamma_t^2 / \textstyle\sum_{i=1}^{t} \gamma_i^2 \\
        x_{t+1} &= (1 - c_{t+1})\, x_t + c_{t+1} z_{t+1}

    Were γ_t constant, c_{t+1} would be 1/t and x the plain average of the
    z's; the γ² weights give the small early steps (warmup, and the factor
    √(1 − β2ᵗ)) little say. The average does what a decaying schedule would
    do, without knowing the length of the run in advance: any x_t is a good
    stopping point. β1 plays the part of momentum: β1 = 0 takes the gradient
    at z (x is then a plain Polyak–Ruppert average), β1 → 1 takes it at the
    average x itself. ``state`` keeps z, x, v and
    Σγ² (``"weight_sum"``); on return ``param`` holds y_{t+1}.

    This is the paper's Algorithm 1 exactly (the facebookresearch package's
    ``AdamWScheduleFreePaper``). Their default ``AdamWScheduleFree`` differs a
    little: it divides by √(v/(1 − β2ᵗ)) + ε, and leaves the bias correction
    out of the weights (c uses α² min(1, t/T)²), which they find more stable.

    Reference: Defazio et al. (2024).
    """
    check_gradient(param, grad)
    if not state:
        state["step"] = 0
        state["z"] = param.clone()                                   # z_1 = θ_0
        state["x"] = param.clone()                                   # x_1 = θ_0
        state["exp_avg_sq"] = torch.zeros_like(param)
        state["weight_sum"] = 0.0                                    # Σ γ_i²
    state["step"] += 1
    t, x, z, v = state["step"], state["x"], state["z"], state["exp_avg_sq"]
    y = param
    v.mul_(beta2).add_((1 - beta2) * grad * grad)                    # v_t
    warmup = min(1.0, t / warmup_steps) if warmup_steps > 0 else 1.0
    gamma = lr * math.sqrt(1 - beta2**t) * warmup                    # γ_t
    z.sub_(gamma * (grad / (v.sqrt() + eps) + weight_decay * y))     # z_{t+1}
    state["weight_sum"] += gamma**2
    c = gamma**2 / state["weight_sum"] if state["weight_sum"] > 0 else 0.0   # c_{t+1}
    x.lerp_(z, c)                                                    # x_{t+1} = (1-c) x_t + c z_{t+1}
    param.copy_(torch.lerp(x, z, 1 - beta1))                         # y_{t+1} = (1-β1) z + β1 x


@torch.no_grad()
def lars_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float = 1.0,
              momentum: float = 0.9, weight_decay: float = 0.0, eta: float = 0.001) -> None:
    r"""One LARS step: SGD with momentum, each tensor's step scaled to the size of the tensor.

    .. math::

        \ell_t &= \eta\, \frac{\lVert \theta_{t-1} \rVert}{\lVert g_t \rVert + \lambda \lVert \theta_{t-1} \rVert}
            && \text{(the layer's local rate; 1 if } \lVert\theta\rVert \text{ or } \lVert g \rVert = 0\text{)} \\
        b_t &= \beta b_{t-1} + \alpha\, \ell_t\, (g_t + \lambda \theta_{t-1}),\quad b_0 = 0 \\
        \theta_t &= \theta_{t-1} - b_t

    (ℓ_t is the paper's "local LR" λ^l, η the trust coefficient; the paper
    writes β for the weight decay λ.)
    The step of each layer (each tensor) is about α η ‖θ‖ whatever the size of
    its gradient, so layers whose gradients are large relative to their
    weights cannot diverge, which is what goes wrong first when a huge batch
    calls for a huge α. As in the paper, α sits inside the momentum buffer.
    A zero-norm tensor (an all-zero initialisation) would never move with
    ratio 0, so the usual convention takes ratio 1 there. Implementations
    usually leave biases and normalisation gains out of the adaptation (their
    own parameter group, or plain SGD).

    Reference: You et al. (2017), Algorithm 1.
    """
    check_gradient(param, grad)
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = torch.zeros_like(param)
    w_norm, g_norm = param.norm().item(), grad.norm().item()
    if w_norm > 0 and g_norm > 0:
        local_lr = eta * w_norm / (g_norm + weight_decay * w_norm)   # ℓ_t
    else:
        local_lr = 1.0
    b = state["momentum_buffer"]
    b.mul_(momentum).add_(lr * local_lr * (grad + weight_decay * param))  # b_t
    param.sub_(b)                                                    # θ_t


@torch.no_grad()
def lamb_step(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float = 1e-3,
              beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-6,
              weight_decay: float = 0.01) -> None:
    r"""One LAMB step: the AdamW direction, its length set per tensor to α times the tensor's norm.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t,\quad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        r_t &= \hat m_t / (\sqrt{\hat v_t} + \varepsilon),\qquad
            \hat m_t = m_t / (1 - \beta_1^t),\ \hat v_t = v_t / (1 - \beta_2^t) \\
        u_t &= r_t + \lambda \theta_{t-1} \\
        \theta_t &= \theta_{t-1} - \alpha\, \frac{\phi(\lVert \theta_{t-1} \rVert)}{\lVert u_t \rVert}\, u_t
            && \text{(ratio 1 if either norm is 0; } \phi(x) = x\text{)}

    The trust ratio makes the step of every tensor α‖θ‖ long: the same
    relative change for every layer, the idea of LARS applied to Adam's
    direction, which let You et al. train BERT with batches of 32k–64k.
    Bias correction is always on; ε = 1e-6 as in the paper's experiments.

    Reference: You et al. (2020), Algorithm 2.
    """
    check_gradient(param, grad)
    if not state:
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(param)
        state["exp_avg_sq"] = torch.zeros_like(param)
    state["step"] += 1
    t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
    m.mul_(beta1).add_((1 - beta1) * grad)                           # m_t
    v.mul_(beta2).add_((1 - beta2) * grad * grad)                    # v_t
    r = (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)   # r_t = m̂/(√v̂ + ε)
    u = r + weight_decay * param                                     # u_t
    w_norm, u_norm = param.norm().item(), u.norm().item()
    ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0   # φ(‖θ‖)/‖u‖
    param.sub_(lr * ratio * u)                                       # θ_t


# ---------------------------------------------------------------------------
# Optimizer classes: torch.optim's interface around the step functions.
# ---------------------------------------------------------------------------

def _check_at_least(value: float, minimum: float, message: str) -> None:
    if not minimum <= value:
        raise ValueError(message)


def _check_lr(lr: float) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    _check_at_least(lr, 0.0, f"Invalid learning rate: {lr}")


def _check_betas(betas: tuple[float, float]) -> None:
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


class ReferenceOptimizer(torch.optim.Optimizer):
    """A ``torch.optim.Optimizer`` that applies ``step_function`` to every parameter with a gradient.

    Subclasses set ``step_function`` and ``hyperparameters`` (the names of the
    group entries that ``step_function`` takes as keywords).
    """

    step_function: Callable[..., None]  # a staticmethod in each subclass
    hyperparameters: tuple[str, ...]

    def hyperparameters_of(self, group: dict[str, Any]) -> dict[str, Any]:
        return {name: group[name] for name in self.hyperparameters}

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Apply one update to every parameter whose ``.grad`` is not None."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            options = self.hyperparameters_of(group)
            for param in group["params"]:
                if param.grad is None:
                    continue
                self.step_function(param, param.grad, self.state[param], **options)
        return loss


class SGD(ReferenceOptimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum; see :func:`sgd_step`."""

    step_function = staticmethod(sgd_step)
    hyperparameters = ("lr", "momentum", "dampening", "nesterov", "weight_decay")

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False) -> None:
        _check_lr(lr)
        _check_at_least(momentum, 0.0, f"Invalid momentum value: {momentum}")
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov)
        super().__init__(params, defaults)


class Adagrad(ReferenceOptimizer):
    """Adagrad; see :func:`adagrad_step`."""

    step_function = staticmethod(adagrad_step)
    hyperparameters = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def __init__(self, params: Iterable, lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10) -> None:
        _check_lr(lr)
        _check_at_least(lr_decay, 0.0, f"Invalid lr_decay value: {lr_decay}")
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check_at_least(initial_accumulator_value, 0.0,
                        f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        _check_at_least(eps, 0.0, f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, defaults)


class RMSprop(ReferenceOptimizer):
    """RMSprop (``alpha`` is the decay rate ρ); see :func:`rmsprop_step`."""

    step_function = staticmethod(rmsprop_step)
    hyperparameters = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")

    def __init__(self, params: Iterable, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False) -> None:
        _check_lr(lr)
        _check_at_least(eps, 0.0, f"Invalid epsilon value: {eps}")
        _check_at_least(momentum, 0.0, f"Invalid momentum value: {momentum}")
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check_at_least(alpha, 0.0, f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered)
        super().__init__(params, defaults)


class Adam(ReferenceOptimizer):
    """Adam with bias correction, optionally AMSGrad; see :func:`adam_step`."""

    step_function = staticmethod(adam_step)
    hyperparameters = ("lr", "betas", "eps", "weight_decay", "amsgrad")

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False) -> None:
        _check_lr(lr)
        _check_at_least(eps, 0.0, f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad)
        super().__init__(params, defaults)

    def hyperparameters_of(self, group: dict[str, Any]) -> dict[str, Any]:
        beta1, beta2 = group["betas"]
        return dict(lr=group["lr"], beta1=beta1, beta2=beta2, eps=group["eps"],
                    weight_decay=group["weight_decay"], amsgrad=group["amsgrad"])


class AdamW(Adam):
    """Adam with decoupled weight decay; see :func:`adamw_step`."""

    step_function = staticmethod(adamw_step)

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad)


class Muon(ReferenceOptimizer):
    """Muon, for 2-D hidden-layer weights only (train the rest with :class:`AdamW`); see :func:`muon_step`.

    Like ``torch.optim.Muon``, the constructor rejects any parameter that is
    not a matrix, and Newton–Schulz runs in bfloat16.
    """

    step_function = staticmethod(muon_step)
    hyperparameters = ("lr", "weight_decay", "momentum", "nesterov", "ns_coefficients",
                       "eps", "ns_steps", "adjust_lr_fn")

    def __init__(self, params: Iterable, lr: float = 1e-3, weight_decay: float = 0.1,
                 momentum: float = 0.95, nesterov: bool = True,
                 ns_coefficients: tuple[float, float, float] = MUON_COEFFICIENTS,
                 eps: float = 1e-7, ns_steps: int = 5, adjust_lr_fn: str | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        _check_at_least(lr, 0.0, f"Learning rate should be >= 0 but is: {lr}")
        _check_at_least(momentum, 0.0, f"momentum should be >= 0 but is: {momentum}")
        _check_at_least(weight_decay, 0.0, f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn not in (None, "original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = dict(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                        ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps,
                        adjust_lr_fn=adjust_lr_fn)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError("Muon only supports 2D parameters whereas we found "
                                     f"a parameter with size: {p.size()}")


class Adafactor(ReferenceOptimizer):
    """Adafactor with factored second moments; see :func:`adafactor_step`.

    ``maximize`` is supported, keyword-only, as in torch; ``foreach`` is not.
    Two torch details are not mirrored: with ``eps=(None, ε2)`` torch takes ε1
    from the dtype of the first parameter of a group and keeps it for the
    rest, where each parameter here uses its own dtype's (they differ only in
    a group that mixes dtypes); and ``state["step"]`` is an int here, as in
    the other classes, not a float tensor.
    """

    step_function = staticmethod(adafactor_step)
    hyperparameters = ("lr", "beta2_decay", "eps", "d", "weight_decay", "maximize")

    def __init__(self, params: Iterable, lr: float = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0,
                 weight_decay: float = 0.0, *, maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        _check_at_least(lr, 0.0, f"Learning rate should be >= 0 but is: {lr}")
        if not beta2_decay <= 0.0:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None:
            _check_at_least(eps[0], 0.0, f"epsilon1 should be >= 0 but is: {eps[0]}")
        _check_at_least(eps[1], 0.0, f"epsilon2 should be >= 0 but is: {eps[1]}")
        _check_at_least(d, 1.0, f"Clipping threshold d should be >= 1 but is: {d}")
        _check_at_least(weight_decay, 0.0, f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                        weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def hyperparameters_of(self, group: dict[str, Any]) -> dict[str, Any]:
        eps1, eps2 = group["eps"]
        return dict(lr=group["lr"], beta2_decay=group["beta2_decay"], eps1=eps1, eps2=eps2,
                    d=group["d"], weight_decay=group["weight_decay"], maximize=group["maximize"])


class Lion(ReferenceOptimizer):
    """Lion, the sign of an interpolated momentum; see :func:`lion_step`.

    torch.optim has no Lion: the defaults are the paper's (α = 1e-4, the
    β's (0.9, 0.99), λ = 0), the messages those of the classes above.
    """

    step_function = staticmethod(lion_step)
    hyperparameters = ("lr", "betas", "weight_decay")

    def __init__(self, params: Iterable, lr: float = 1e-4,
                 betas: tuple[float, float] = (0.9, 0.99), weight_decay: float = 0.0) -> None:
        _check_lr(lr)
        _check_betas(betas)
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), weight_decay=weight_decay))

    def hyperparameters_of(self, group: dict[str, Any]) -> dict[str, Any]:
        beta1, beta2 = group["betas"]
        return dict(lr=group["lr"], beta1=beta1, beta2=beta2, weight_decay=group["weight_decay"])


class ScheduleFreeAdamW(ReferenceOptimizer):
    """Schedule-Free AdamW (no learning-rate schedule needed); see :func:`schedule_free_adamw_step`.

    The parameters hold y (the point where gradients are taken) while
    training and must hold x (the average, the point with the guarantees and
    usually the lower loss) when the model is evaluated or saved. So, as in
    the facebookresearch implementation, call ``optimizer.train()`` before
    training and ``optimizer.eval()`` before evaluating or checkpointing:
    ``eval()`` copies x into the parameters, ``train()`` puts back
    y = (1 − β1) z + β1 x. The optimizer starts in eval mode, and ``step()``
    in eval mode is an error. (BatchNorm statistics gathered at y are not
    those of x: recompute them after ``eval()`` if the model has any.)

    torch.optim has no such class: the defaults are the reference
    implementation's (α = 0.0025, the β's (0.9, 0.999), ε = 1e-8, λ = 0, no
    warmup); it also has ``r`` and ``weight_lr_power``, which are left out
    here (fixed at 0 and 2, the paper's choice).
    """

    step_function = staticmethod(schedule_free_adamw_step)
    hyperparameters = ("lr", "betas", "eps", "weight_decay", "warmup_steps")

    def __init__(self, params: Iterable, lr: float = 0.0025,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, warmup_steps: int = 0) -> None:
        _check_lr(lr)
        _check_at_least(eps, 0.0, f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check_at_least(warmup_steps, 0, f"Invalid warmup_steps value: {warmup_steps}")
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        warmup_steps=warmup_steps, train_mode=False)
        super().__init__(params, defaults)

    def hyperparameters_of(self, group: dict[str, Any]) -> dict[str, Any]:
        beta1, beta2 = group["betas"]
        return dict(lr=group["lr"], beta1=beta1, beta2=beta2, eps=group["eps"],
                    weight_decay=group["weight_decay"], warmup_steps=group["warmup_steps"])

    @torch.no_grad()
    def train(self) -> None:
        """Put y = (1 − β1) z + β1 x back into the parameters, to take gradients there."""
        for group in self.param_groups:
            if not group["train_mode"]:
                beta1 = group["betas"][0]
                for p in group["params"]:
                    if "x" in self.state[p]:
                        state = self.state[p]
                        p.copy_(torch.lerp(state["x"], state["z"], 1 - beta1))
                group["train_mode"] = True

    @torch.no_grad()
    def eval(self) -> None:
        """Put the average x into the parameters, to evaluate or save the model."""
        for group in self.param_groups:
            if group["train_mode"]:
                for p in group["params"]:
                    if "x" in self.state[p]:
                        p.copy_(self.state[p]["x"])
                group["train_mode"] = False

    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """One update of every parameter with a gradient; only in train mode."""
        if not all(group["train_mode"] for group in self.param_groups):
            raise RuntimeError("ScheduleFreeAdamW.step() in eval mode: call optimizer.train() "
                               "before training (and optimizer.eval() before evaluating)")
        return super().step(closure)


class LARS(ReferenceOptimizer):
    """LARS, layer-wise adaptive rate scaling on SGD with momentum; see :func:`lars_step`.

    torch.optim has no LARS: α = 1 and η = 0.001 as in timm's ``Lars``, the
    paper's momentum 0.9, and λ = 0 as in torch's SGD.
    """

    step_function = staticmethod(lars_step)
    hyperparameters = ("lr", "momentum", "weight_decay", "eta")

    def __init__(self, params: Iterable, lr: float = 1.0, momentum: float = 0.9,
                 weight_decay: float = 0.0, eta: float = 0.001) -> None:
        _check_lr(lr)
        _check_at_least(momentum, 0.0, f"Invalid momentum value: {momentum}")
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check_at_least(eta, 0.0, f"Invalid eta value: {eta}")
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, eta=eta))


class LAMB(ReferenceOptimizer):
    """LAMB, layer-wise adaptive moments for large batches; see :func:`lamb_step`.

    torch.optim has no LAMB: the defaults are the paper's (α = 1e-3 for a
    start, the β's (0.9, 0.999), ε = 1e-6, λ = 0.01).
    """

    step_function = staticmethod(lamb_step)
    hyperparameters = ("lr", "betas", "eps", "weight_decay")

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-6,
                 weight_decay: float = 0.01) -> None:
        _check_lr(lr)
        _check_at_least(eps, 0.0, f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        _check_at_least(weight_decay, 0.0, f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay))

    def hyperparameters_of(self, group: dict[str, Any]) -> dict[str, Any]:
        beta1, beta2 = group["betas"]
        return dict(lr=group["lr"], beta1=beta1, beta2=beta2, eps=group["eps"],
                    weight_decay=group["weight_decay"])
