"""Checks for the exercises of the chapter "Where the field is going": the Lion step, and the
memory an optimizer's state takes."""

from __future__ import annotations

from collections.abc import Callable

import torch

from descent.check.feedback import Feedback
from descent.check.functions import Case
from descent.check.kinds import check_formula
from descent.check.mistakes import Mistake, sign_flipped, state_not_kept
from descent.check.steps import check_step_function

__all__ = ["lion_step", "optimizer_state_bytes"]


# ---------------------------------------------------------------------------
# Lion (Chen et al., 2023): the sign of an interpolation, one state buffer
# ---------------------------------------------------------------------------

def lion_reference(param, grad, state, *, lr, beta1, beta2, weight_decay):
    r"""One Lion step (Chen et al., 2023, "Symbolic discovery of optimization algorithms"):

    .. math::

        c_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        \theta_t &= \theta_{t-1}(1 - \alpha\lambda) - \alpha\,\mathrm{sign}(c_t) \\
        m_t &= \beta_2 m_{t-1} + (1 - \beta_2) g_t, \qquad m_0 = 0
    """
    m = state.setdefault("exp_avg", torch.zeros_like(param))
    c = beta1 * m + (1 - beta1) * grad                 # the interpolation c_t
    param.mul_(1 - lr * weight_decay)                  # decoupled weight decay
    param.sub_(lr * torch.sign(c))                     # every coordinate moves by α
    m.mul_(beta2).add_((1 - beta2) * grad)             # the momentum, for the next step


def lion_variant(*, momentum_first=False, sign=True, swap=False, decay=lambda lr, wd: lr * wd,
                 decay_after=False, coupled=False, direction="c", first_m=None,
                 mix_swapped=False, momentum_from_c=False) -> Callable:
    """Lion with one part changed, for the catalogue of mistakes."""
    def step(param, grad, state, *, lr, beta1, beta2, weight_decay):
        b1, b2 = (beta2, beta1) if swap else (beta1, beta2)
        if coupled:
            grad = grad + weight_decay * param
        if "exp_avg" not in state:
            state["exp_avg"] = torch.zeros_like(param) if first_m is None else first_m(grad)
        m = state["exp_avg"]
        if momentum_first:
            m.mul_(b2).add_((1 - b2) * grad)
        c = (1 - b1) * m + b1 * grad if mix_swapped else b1 * m + (1 - b1) * grad
        update = {"c": c, "m": m, "g": grad}[direction]
        update = torch.sign(update) if sign else update
        if not decay_after and not coupled:
            param.mul_(1 - decay(lr, weight_decay))
        param.sub_(lr * update)
        if decay_after:
            param.mul_(1 - decay(lr, weight_decay))
        if not momentum_first:
            m.mul_(b2).add_((1 - b2) * (c if momentum_from_c else grad))
    return step


LION_EQUATION = ("c = β₁·m + (1 − β₁)·g;  θ ← θ·(1 − αλ) − α·sign(c);  "
                 "m ← β₂·m + (1 − β₂)·g")
LION_MISTAKES = [
    Mistake("momentum updated before the interpolation", "Compute c = β₁·m + (1 − β₁)·g with "
            "the OLD momentum m; update m ← β₂·m + (1 − β₂)·g only after the step.",
            lion_variant(momentum_first=True)),
    Mistake("steps along sign(m) instead of sign(c)", "Lion steps along the sign of the "
            "interpolation c = β₁·m + (1 − β₁)·g (with β₁), not of the momentum m (with β₂).",
            lion_variant(momentum_first=True, direction="m")),
    Mistake("sign missing", "Lion steps by α·sign(c): every coordinate moves by exactly α.",
            lion_variant(sign=False)),
    Mistake("β₁ and β₂ swapped", "β₁ (beta1) mixes the interpolation c = β₁·m + (1 − β₁)·g; "
            "β₂ (beta2) updates the momentum m ← β₂·m + (1 − β₂)·g.", lion_variant(swap=True)),
    Mistake("β₁ and 1 − β₁ swapped in the interpolation", "c = β₁·m + (1 − β₁)·g: β₁ weights "
            "the momentum.", lion_variant(mix_swapped=True)),
    Mistake("weight decay not scaled by the learning rate", "The decay is decoupled, as in "
            "AdamW: θ ← θ·(1 − αλ), with α = lr; not θ·(1 − λ).",
            lion_variant(decay=lambda lr, wd: wd)),
    Mistake("weight decay added to the gradient (coupled)", "Lion's weight decay is "
            "decoupled: multiply θ by (1 − αλ); do not add λθ to the gradient.",
            lion_variant(coupled=True)),
    Mistake("weight decay applied after the sign step", "Decay the old weights, then step: "
            "θ ← θ·(1 − αλ) − α·sign(c).", lion_variant(decay_after=True)),
    Mistake("weight decay missing", "Multiply the weights by (1 − αλ) at every step: "
            "θ ← θ·(1 − αλ) − α·sign(c).", lion_variant(decay=lambda lr, wd: 0.0)),
    Mistake("momentum updated with c instead of g", "The momentum averages the gradients: "
            "m ← β₂·m + (1 − β₂)·g, with the new gradient g, not the interpolation c.",
            lion_variant(momentum_from_c=True)),
    Mistake("momentum starts at the first gradient", "m starts at zero (m₀ = 0), as in the "
            "paper; on the first step c = (1 − β₁)·g₁.",
            lion_variant(first_m=lambda grad: grad.clone())),
    # A momentum that is not kept, or kept but never used: both step along sign(g).
    Mistake("momentum not kept between steps, or not used: this steps along sign(g)",
            "Keep m in `state` (e.g. `state['m']`) so that it carries over to the next call, "
            "and step along the sign of c = β₁·m + (1 − β₁)·g.",
            state_not_kept(lion_reference).step),
    sign_flipped(lion_reference),
]
LION_SETTINGS = [dict(lr=0.1, beta1=0.9, beta2=0.99, weight_decay=0.5),
                 dict(lr=0.03, beta1=0.5, beta2=0.8, weight_decay=0.1)]


def lion_step(learner: Callable) -> Feedback:
    """Check ``lion_step(param, grad, state, *, lr, beta1, beta2, weight_decay)``."""
    return check_step_function(learner, name="lion_step", reference=lion_reference,
                               settings=LION_SETTINGS, mistakes=LION_MISTAKES,
                               equation=LION_EQUATION)


# ---------------------------------------------------------------------------
# optimizer_state_bytes (derive): the memory of an optimizer's state
# ---------------------------------------------------------------------------

# Tensors of the parameters' shape that each optimizer keeps between steps (one step
# counter, a single number, does not count).
STATE_BUFFERS = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1,
                 "adam": 2, "adamw": 2, "lion": 1}


def state_bytes_reference(n_params, optimizer, bytes_per_value):
    """Bytes of optimizer state: (buffers of the parameters' size) × n × bytes per value."""
    return float(STATE_BUFFERS[optimizer] * n_params * bytes_per_value)


def state_bytes_with(buffers: dict[str, int], scale: float = 1.0, extra: int = 0) -> Callable:
    """A wrong formula: other buffer counts, a wrong unit (scale), or `extra` tensors more."""
    def formula(n_params, optimizer, bytes_per_value):
        count = {**STATE_BUFFERS, **buffers}[optimizer] + extra
        return float(count * n_params * bytes_per_value * scale)
    return formula


def state_values(n_params, optimizer, bytes_per_value):
    """The number of values of state, not their bytes."""
    return float(STATE_BUFFERS[optimizer] * n_params)


def state_bytes_per_step_traffic(n_params, optimizer, bytes_per_value):
    """The bytes one step moves: read θ, g and the state, write θ and the state."""
    return float((3 + 2 * STATE_BUFFERS[optimizer]) * n_params * bytes_per_value)


STATE_BYTES_MISTAKES = [
    Mistake("Nesterov counted with two buffers", "Nesterov keeps one momentum buffer, like "
            "plain momentum; the look-ahead g + β·b is computed at each step, not stored.",
            state_bytes_with({"nesterov": 2})),
    Mistake("AdamW counted with an extra buffer", "AdamW keeps the same m and v as Adam; its "
            "decoupled decay shrinks θ directly and stores nothing.",
            state_bytes_with({"adamw": 3})),
    Mistake("Adagrad counted with no state", "Adagrad keeps the running sum of squared "
            "gradients, one buffer of the parameters' size.", state_bytes_with({"adagrad": 0})),
    Mistake("RMSprop counted with two buffers", "Plain RMSprop (no momentum, not centered) "
            "keeps one buffer, the running average of g².", state_bytes_with({"rmsprop": 2})),
    Mistake("parameters and gradients counted too", "Count the optimizer's state only: the "
            "tensors it keeps between steps. The parameters and their gradients exist with "
            "any optimizer.", state_bytes_with({}, extra=2)),
    Mistake("parameters counted too", "Count the optimizer's state only: the parameters "
            "themselves are the model, not the optimizer's state.", state_bytes_with({}, extra=1)),
    Mistake("bits instead of bytes", "bytes_per_value is already in bytes (4 for float32); do "
            "not multiply by 8.", state_bytes_with({}, scale=8)),
    Mistake("bytes_per_value ignored (this counts values, not bytes)", "Multiply the number "
            "of values by the bytes each takes.", state_values),
    Mistake("bytes_per_value ignored: always 4 bytes (float32)", "Use the bytes_per_value "
            "you are given: 2 for float16 or bfloat16, 8 for float64.",
            lambda n, optimizer, b: float(STATE_BUFFERS[optimizer] * n * 4)),
    Mistake("Adam counted as one buffer", "Adam and AdamW keep two tensors per parameter "
            "tensor: the first moment m and the second moment v.",
            state_bytes_with({"adam": 1, "adamw": 1})),
    Mistake("AdamW counted differently from Adam", "AdamW keeps exactly Adam's state (m and "
            "v); only its weight decay differs.", state_bytes_with({"adamw": 1})),
    Mistake("Lion counted as two buffers", "Lion keeps one buffer, the momentum m: that is "
            "its saving over Adam.", state_bytes_with({"lion": 2})),
    Mistake("plain SGD counted with a buffer", "Plain SGD keeps nothing between steps: "
            "θ ← θ − α·g needs only the current gradient.", state_bytes_with({"sgd": 1})),
    Mistake("momentum counted as stateless", "SGD with momentum (and Nesterov) keeps the "
            "velocity b, one tensor of the parameters' size.",
            state_bytes_with({"momentum": 0, "nesterov": 0})),
    Mistake("Adagrad or RMSprop counted as stateless", "Adagrad keeps the running sum of "
            "squared gradients and RMSprop their running average: one tensor each.",
            state_bytes_with({"adagrad": 0, "rmsprop": 0})),
    Mistake("Adagrad or RMSprop counted as two buffers", "Adagrad and RMSprop keep one "
            "tensor (squared gradients), not Adam's two.",
            state_bytes_with({"adagrad": 2, "rmsprop": 2})),
    Mistake("this is the memory traffic of one step, not the state", "A step READS θ, g and "
            "the state and WRITES θ and the state (28 bytes per parameter for fp32 Adam); the "
            "question is what is STORED between steps.", state_bytes_per_step_traffic),
    Mistake("Adam counted as three buffers", "Adam keeps m and v; its step count t is a "
            "single number, and AMSGrad's extra maximum is not part of Adam.",
            state_bytes_with({"adam": 3, "adamw": 3})),
    Mistake("momentum counted as two buffers", "Momentum keeps only the velocity, "
            "b ← β·b + g: the gradient of the previous step is not needed.",
            state_bytes_with({"momentum": 2, "nesterov": 2})),
    *[Mistake("a larger unit (kB, MB or GB), not bytes", "Return the number of bytes.",
              state_bytes_with({}, scale=1 / unit))
      for unit in (1e3, 2**10, 1e6, 2**20, 1e9, 2**30)],
]

STATE_BYTES_CASES = [
    Case((124_439_808, "adam", 4), label="GPT-2 small, Adam, float32"),
    Case((124_439_808, "adamw", 2), label="GPT-2 small, AdamW, 2-byte values"),
    Case((1_000_000, "sgd", 4), label="10⁶ parameters, SGD, float32"),
    Case((7_000_000, "momentum", 4), label="7·10⁶ parameters, momentum, float32"),
    Case((3_500, "nesterov", 8), label="3 500 parameters, Nesterov, float64"),
    Case((50_000, "adagrad", 8), label="50 000 parameters, Adagrad, float64"),
    Case((25_557_032, "rmsprop", 4), label="ResNet-50, RMSprop, float32"),
    Case((1_000_000_000, "lion", 2), label="10⁹ parameters, Lion, 2-byte values"),
    Case((12_345, "adam", 8), label="12 345 parameters, Adam, float64"),
]


def optimizer_state_bytes(learner: Callable) -> Feedback:
    """Check ``optimizer_state_bytes(n_params, optimizer, bytes_per_value)``: the bytes of
    state the optimizer keeps between steps."""
    return check_formula(learner, name="optimizer_state_bytes", reference=state_bytes_reference,
                         cases=STATE_BYTES_CASES, mistakes=STATE_BYTES_MISTAKES,
                         equation="bytes = (tensors of the parameters' size kept between "
                                  "steps) × n_params × bytes_per_value")
