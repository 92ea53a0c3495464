"""descent.optim after Adam: Muon, Adafactor, Lion, Schedule-Free AdamW, LARS, LAMB.

Where torch.optim has the optimizer (Muon, Adafactor) ours is compared with
it; elsewhere with an independent, deliberately plain transcription of the
paper's algorithm written here, and with a few steps worked out by hand.
"""

from __future__ import annotations

import math

import pytest
import torch

from descent import optim
from test_optim import DEVICES, grid

F64 = torch.float64


def random_gradients(shapes, steps, device, dtype, seed=1):
    """A fixed sequence of random gradients: `steps` lists, one tensor per shape."""
    generator = torch.Generator().manual_seed(seed)
    return [[torch.randn(shape, generator=generator, dtype=dtype).to(device) for shape in shapes]
            for _ in range(steps)]


def make(shapes, device, dtype=F64, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=generator, dtype=dtype).to(device).requires_grad_()
            for shape in shapes]


def train(optimizer, params, gradients):
    for step_gradients in gradients:
        for p, g in zip(params, step_gradients):
            p.grad = g.clone()
        optimizer.step()


# --- Muon ------------------------------------------------------------------------

MUON_SHAPES = [(12, 5), (5, 12), (8, 8)]  # tall, wide, square
MUON_CASES = (
    grid(momentum=[0.0, 0.95], nesterov=[True, False], weight_decay=[0.0, 0.1],
         adjust_lr_fn=[None, "match_rms_adamw"])
    + grid(adjust_lr_fn=["original"], ns_steps=[1, 3, 8])
    + [dict(ns_coefficients=(1.5, -0.5, 0.0), ns_steps=10), dict(eps=1e-3, weight_decay=0.0)]
)


def muon_case_id(options):
    return "-".join(f"{k}={v}" for k, v in options.items()) or "defaults"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("options", MUON_CASES, ids=[muon_case_id(c) for c in MUON_CASES])
def test_muon_matches_torch(options, dtype, device):
    steps, lr = 10, 0.02
    ours, theirs = make(MUON_SHAPES, device, dtype), make(MUON_SHAPES, device, dtype)
    start = [p.detach().clone() for p in ours]
    gradients = random_gradients(MUON_SHAPES, steps, device, dtype)
    our_optimizer = optim.Muon(ours, lr=lr, **options)
    their_optimizer = torch.optim.Muon(theirs, lr=lr, **options)
    train(our_optimizer, ours, gradients)
    train(their_optimizer, theirs, gradients)
    for a, b, a0 in zip(ours, theirs, start):
        # The momentum buffers do not depend on the parameters and are the same
        # lerp in the same precision: equal to the last bit.
        assert torch.equal(our_optimizer.state[a]["momentum_buffer"],
                           their_optimizer.state[b]["momentum_buffer"])
        # Newton–Schulz runs in bfloat16 with the same operations as torch's
        # (addmm included), so O_t is the same to the last bit. What is left is the
        # last line: torch adds O with alpha=−α' in one kernel, we subtract α'·O,
        # which can round differently by an ulp of θ per step; O_t does not depend
        # on θ, so those differences only add up: ≤ steps · 2 ulp(max |θ|).
        # (Writing b·A + c·A² out in bfloat16 instead of addmm already moves
        # O_t by up to 10 % of its largest entry: no tolerance in between.)
        atol = steps * 2 * torch.finfo(dtype).eps * b.detach().abs().max().item()
        torch.testing.assert_close(a.detach(), b.detach(), rtol=0, atol=atol)
        assert not torch.equal(a.detach(), a0)


def test_muon_defaults_match_torch():
    ours = optim.Muon([torch.zeros(2, 2, requires_grad=True)])
    theirs = torch.optim.Muon([torch.zeros(2, 2, requires_grad=True)])
    assert ours.defaults == theirs.defaults


def polynomial(coefficients, x):
    a, b, c = coefficients
    return a * x + b * x**3 + c * x**5


@pytest.mark.parametrize("shape", MUON_SHAPES)
def test_newton_schulz_applies_the_polynomial_to_the_singular_values(shape):
    """NS(G) = U p(p(…p(S/‖G‖_F))) Vᵀ exactly, in float64: the docstring's claim."""
    G = torch.randn(shape, generator=torch.Generator().manual_seed(0), dtype=F64)
    U, S, Vh = torch.linalg.svd(G, full_matrices=False)
    sigma = S / G.norm()
    for _ in range(5):
        sigma = polynomial(optim.MUON_COEFFICIENTS, sigma)
    expected = U @ torch.diag(sigma) @ Vh
    torch.testing.assert_close(optim.newton_schulz(G, dtype=F64), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("shape", MUON_SHAPES + [(64, 16), (16, 64)])
@pytest.mark.parametrize("steps", [5, 10])
def test_newton_schulz_singular_values_land_in_a_band_around_one(shape, steps):
    G = torch.randn(shape, generator=torch.Generator().manual_seed(1), dtype=F64)
    sigma = torch.linalg.svdvals(optim.newton_schulz(G, steps=steps, dtype=F64))
    assert sigma.min() > 0.5 and sigma.max() < 1.5
    # ...but not at 1: the quintic trades exactness for speed (p(1) ≈ 0.70).
    assert (sigma - 1).abs().max() > 0.05


@pytest.mark.parametrize("shape", MUON_SHAPES)
def test_newton_schulz_with_the_cubic_converges_to_the_polar_factor(shape):
    G = torch.randn(shape, generator=torch.Generator().manual_seed(2), dtype=F64)
    U, _, Vh = torch.linalg.svd(G, full_matrices=False)
    O = optim.newton_schulz(G, coefficients=(1.5, -0.5, 0.0), steps=60, dtype=F64)
    torch.testing.assert_close(O, U @ Vh, rtol=0, atol=1e-12)
    assert optim.newton_schulz(G, (1.5, -0.5, 0.0), 60, 1e-7, F64).dtype == F64


def test_newton_schulz_default_is_bfloat16_like_torch():
    G = torch.randn(6, 4, generator=torch.Generator().manual_seed(3))
    assert optim.newton_schulz(G).dtype == torch.bfloat16


@pytest.mark.parametrize("adjust_lr_fn, shape, factor", [
    (None, (12, 5), math.sqrt(12 / 5)), ("original", (5, 12), 1.0),
    ("match_rms_adamw", (12, 5), 0.2 * math.sqrt(12)), ("match_rms_adamw", (5, 12), 0.2 * math.sqrt(12)),
])
def test_muon_adjusted_lr(adjust_lr_fn, shape, factor):
    assert optim.muon_adjusted_lr(0.1, adjust_lr_fn, torch.Size(shape)) == pytest.approx(0.1 * factor)


def test_muon_step_with_float64_newton_schulz_is_exact_arithmetic():
    """The step function's ns_dtype lets the same step run in float64: θ − α'·NS(b)."""
    theta = make([(6, 4)], "cpu")[0].detach()
    g = torch.randn(6, 4, generator=torch.Generator().manual_seed(5), dtype=F64)
    expected = theta * (1 - 0.1 * 0.1) - 0.1 * math.sqrt(6 / 4) * optim.newton_schulz(
        g.lerp(0.05 * g, 0.95), dtype=F64)   # b_1 = 0.05 g, d_1 = 0.05 g + 0.95 b_1
    optim.muon_step(theta, g, {}, lr=0.1, ns_dtype=F64)
    torch.testing.assert_close(theta, expected, rtol=0, atol=1e-14)


MUON_INVALID = [dict(lr=-1.0), dict(momentum=-0.1), dict(weight_decay=-1.0),
                dict(adjust_lr_fn="spectral")]


@pytest.mark.parametrize("options", MUON_INVALID, ids=str)
def test_muon_invalid_hyperparameter_raises_torchs_value_error(options):
    params = [torch.zeros(2, 2, requires_grad=True)]
    with pytest.raises(ValueError) as theirs:
        torch.optim.Muon(params, **options)
    with pytest.raises(ValueError) as ours:
        optim.Muon(params, **options)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("shape", [(3,), (2, 3, 4), ()])
def test_muon_rejects_non_matrices_when_constructed_like_torch(shape):
    params = [torch.zeros(2, 2, requires_grad=True), torch.zeros(shape, requires_grad=True)]
    with pytest.raises(ValueError) as theirs:
        torch.optim.Muon(params)
    with pytest.raises(ValueError) as ours:
        optim.Muon(params)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("options", [dict(ns_steps=100), dict(ns_coefficients=(1.5, -0.5))], ids=str)
def test_muon_rejects_newton_schulz_options_at_the_first_step_like_torch(options):
    """torch accepts these in the constructor and raises in step(); so do we."""
    messages = []
    for cls in (torch.optim.Muon, optim.Muon):
        w = torch.zeros(2, 2, requires_grad=True)
        optimizer = cls([w], **options)
        w.grad = torch.ones(2, 2)
        with pytest.raises(ValueError) as error:
            optimizer.step()
        messages.append(str(error.value))
    assert messages[0] == messages[1]


# --- every optimizer: the torch.optim contract -------------------------------------

MATRIX_ONLY = {"Muon"}
NAMES = ["Muon"]


@pytest.mark.parametrize("name, typo", [("Muon", "nesterow"), ("Muon", "foreach")])
def test_misspelt_keyword_is_a_type_error(name, typo):
    with pytest.raises(TypeError, match=typo):
        getattr(optim, name)([torch.zeros(2, 2, requires_grad=True)], **{typo: 0.5})


@pytest.mark.parametrize("name", NAMES)
def test_parameter_without_grad_is_untouched(name):
    shape = (3, 2) if name in MATRIX_ONLY else (3,)
    used, unused = torch.ones(shape, requires_grad=True), torch.ones(shape, requires_grad=True)
    optimizer = getattr(optim, name)([used, unused], lr=0.1)
    if hasattr(optimizer, "train"):
        optimizer.train()
    for _ in range(3):
        used.grad = torch.arange(6.0).reshape(shape) - 2
        optimizer.step()
    assert torch.equal(unused, torch.ones(shape))
    assert not torch.equal(used, torch.ones(shape))
    assert len(optimizer.state[unused]) == 0
