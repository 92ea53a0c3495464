"""descent.optim after Adam: Muon, Adafactor, Lion, Schedule-Free AdamW, LARS, LAMB.

Where torch.optim has the optimizer (Muon, Adafactor) ours is compared with
it; elsewhere with an independent, deliberately plain transcription of the
paper's algorithm written here, and with a few steps worked out by hand.
"""

from __future__ import annotations

import copy
import math

import pytest
import torch

from descent import optim
from test_optim import DEVICES, SHAPES, grid

F64 = torch.float64

# test_optim's make_params has fixed shapes and its run() draws the gradients
# as it goes; here the same gradients must reach torch's optimizer, ours and a
# transcription of the paper, and Muon needs matrices: hence these two.


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


def options_id(options):
    return "-".join(f"{k}={v}" for k, v in options.items()) or "defaults"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("options", MUON_CASES, ids=[options_id(c) for c in MUON_CASES])
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


# --- Adafactor -------------------------------------------------------------------

ADAFACTOR_SHAPES = [(7,), (5, 3), (2, 3, 4), ()]
ADAFACTOR_CASES = (
    grid(lr=[1e-2, 0.1], weight_decay=[0.0, 0.1], d=[1.0, 2.0], eps=[(None, 1e-3), (1e-3, 1e-2)])
    + [dict(beta2_decay=-0.5), dict(maximize=True), dict(eps=(0.0, 0.0))]
)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("options", ADAFACTOR_CASES, ids=[options_id(c) for c in ADAFACTOR_CASES])
def test_adafactor_matches_torch_after_25_steps(options, dtype, device):
    ours, theirs = make(ADAFACTOR_SHAPES, device, dtype), make(ADAFACTOR_SHAPES, device, dtype)
    gradients = random_gradients(ADAFACTOR_SHAPES, 25, device, dtype)
    our_optimizer = optim.Adafactor(ours, **options)
    their_optimizer = torch.optim.Adafactor(theirs, **options)
    train(our_optimizer, ours, gradients)
    train(their_optimizer, theirs, gradients)
    # Same formulas, written differently (torch: ‖g‖²/n along a dim, rsqrt(V)·g and
    # add_(alpha=); ours: mean(g²), g/√V, sub_): a few roundings per step, each
    # relative 2⁻²⁴ ≈ 6e-8 in float32 and 2⁻⁵³ ≈ 1e-16 in float64, over 25 steps.
    # Observed on CPU: at most 2.1e-7 and 3.3e-16 (relative to |θ| + 1); the
    # bounds, 2e-6 and 1e-14, leave a margin of 10 and 30 for other devices.
    tolerance = 2e-6 if dtype == torch.float32 else 1e-14
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a.detach(), b.detach(), rtol=tolerance, atol=tolerance)
        for key, value in their_optimizer.state[b].items():
            mine = our_optimizer.state[a][key]
            if key == "step":
                assert mine == value.item() == 25
            else:
                torch.testing.assert_close(mine, value, rtol=tolerance, atol=tolerance)
        assert set(our_optimizer.state[a]) == set(their_optimizer.state[b])


def test_adafactor_defaults_match_torch():
    ours = optim.Adafactor([torch.zeros(2, requires_grad=True)])
    theirs = torch.optim.Adafactor([torch.zeros(2, requires_grad=True)])
    for key, value in ours.defaults.items():
        assert theirs.defaults[key] == value, key


@pytest.mark.parametrize("shape", [(1024, 4096), (64, 3), (4, 5, 6), (10,), ()])
def test_adafactor_keeps_rows_plus_columns_not_rows_times_columns(shape):
    param = torch.zeros(shape, requires_grad=True)
    param.grad = torch.ones(shape)
    optimizer = optim.Adafactor([param])
    optimizer.step()
    kept = sum(v.numel() for v in optimizer.state[param].values() if isinstance(v, torch.Tensor))
    assert kept == optim.adafactor_state_numel(shape)
    if len(shape) >= 2:
        rows, cols = shape[-2:]
        assert kept == param.numel() // (rows * cols) * (rows + cols)
    if shape == (1024, 4096):   # 5 120 numbers instead of Adam's 8 388 608 (m and v)
        assert kept / (2 * param.numel()) < 1e-3


def test_adafactor_first_step_by_hand():
    """t = 1: β̂2 = 0, so R and C are the row and column means of g², V̂ = R C / mean(R);
    κ = min(0.1, 1) = 0.1; α = max(ε2, RMS(θ)) κ; the update is clipped to RMS d = 1."""
    theta = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=F64)
    g = torch.tensor([[1.0, 1.0], [2.0, 2.0]], dtype=F64)
    R = torch.tensor([[1.0], [4.0]], dtype=F64)        # row means of g²
    C = torch.tensor([[2.5, 2.5]], dtype=F64)          # column means of g²
    V = R @ C / 2.5                                    # [[1, 1], [4, 4]]: exactly g² here
    U = g / V.sqrt()                                   # all ones: RMS 1, no clipping
    alpha = (30 / 4) ** 0.5 * 0.1                      # RMS(θ) = √(30/4)
    expected = theta - alpha * U
    state = {}
    optim.adafactor_step(theta, g, state, lr=0.1)
    torch.testing.assert_close(theta, expected, rtol=1e-15, atol=0)
    torch.testing.assert_close(state["row_var"], R)
    torch.testing.assert_close(state["col_var"], C)


ADAFACTOR_INVALID = [dict(lr=-1.0), dict(beta2_decay=0.5), dict(eps=(-1.0, 1e-3)),
                     dict(eps=(None, -1.0)), dict(d=0.5), dict(weight_decay=-0.1)]


@pytest.mark.parametrize("options", ADAFACTOR_INVALID, ids=str)
def test_adafactor_invalid_hyperparameter_raises_torchs_value_error(options):
    params = [torch.zeros(2, requires_grad=True)]
    with pytest.raises(ValueError) as theirs:
        torch.optim.Adafactor(params, **options)
    with pytest.raises(ValueError) as ours:
        optim.Adafactor(params, **options)
    assert str(ours.value) == str(theirs.value)


# --- Lion ------------------------------------------------------------------------

def lion_paper(weights, gradients, lr, beta1, beta2, wd):
    """The program the paper's search found (interp, sign, …), transcribed with plain tensors."""
    def interp(x, y, beta):
        return x * (1 - beta) + y * beta

    momenta = [torch.zeros_like(w) for w in weights]
    for step_gradients in gradients:
        for i, (w, g) in enumerate(zip(weights, step_gradients)):
            update = torch.sign(interp(g, momenta[i], beta1))
            momenta[i] = interp(g, momenta[i], beta2)
            update = (update + w * wd) * lr
            weights[i] = w - update
    return weights


LION_CASES = grid(lr=[1e-4, 1e-2], betas=[(0.9, 0.99), (0.5, 0.9)], weight_decay=[0.0, 0.3])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("options", LION_CASES, ids=[options_id(c) for c in LION_CASES])
def test_lion_matches_the_papers_algorithm(options, device):
    params = make(SHAPES, device)
    start = [p.detach().clone() for p in params]
    gradients = random_gradients(SHAPES, 30, device, F64)
    train(optim.Lion(params, **options), params, gradients)
    beta1, beta2 = options["betas"]
    expected = lion_paper(start, gradients, options["lr"], beta1, beta2, options["weight_decay"])
    for a, b in zip(params, expected):
        # The same signs; θ differs only in how α(sign + λθ) is rounded.
        torch.testing.assert_close(a.detach(), b, rtol=1e-14, atol=1e-14)


def test_lion_first_two_steps_by_hand():
    """θ0 = (1, −2, ½), α = 0.1, λ = ½. m0 = 0, so c1 = 0.1 g1 and sign(c1) = sign(g1):
    θ1 = 0.95 θ0 − 0.1 (1, −1, 0). Then m1 = 0.01 g1 and
    c2 = 0.9 m1 + 0.1 g2 = (0.0027 − 0.05, −0.0009 + 0.02, 0.1): signs (−1, 1, 1)."""
    theta = torch.tensor([1.0, -2.0, 0.5], dtype=F64)
    g1, g2 = torch.tensor([0.3, -0.1, 0.0], dtype=F64), torch.tensor([-0.5, 0.2, 1.0], dtype=F64)
    state = {}
    optim.lion_step(theta, g1, state, lr=0.1, weight_decay=0.5)
    torch.testing.assert_close(theta, torch.tensor([0.85, -1.8, 0.475], dtype=F64))
    torch.testing.assert_close(state["exp_avg"], 0.01 * g1)
    optim.lion_step(theta, g2, state, lr=0.1, weight_decay=0.5)
    torch.testing.assert_close(theta, torch.tensor([0.9075, -1.81, 0.35125], dtype=F64))


def test_lion_moves_every_coordinate_by_exactly_lr_whatever_the_gradient_scale():
    for scale in [1e-8, 1.0, 1e8]:
        theta = torch.zeros(4, dtype=F64)
        optim.lion_step(theta, scale * torch.tensor([1.0, -2.0, 3.0, -4.0], dtype=F64), {}, lr=1e-3)
        assert torch.equal(theta, torch.tensor([-1e-3, 1e-3, -1e-3, 1e-3], dtype=F64))


# --- Schedule-Free AdamW -----------------------------------------------------------

def quadratic(shape, dtype=F64, seed=0):
    """Curvatures h and minimiser θ* of f(θ) = ½ Σ h_i (θ_i − θ*_i)²."""
    h = torch.linspace(0.1, 10, math.prod(shape), dtype=dtype).reshape(shape)
    target = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)
    return h, target


def noisy_quadratic_gradient(point, t, seed=0):
    """∇f at `point` plus standard normal noise, fixed by (seed, t)."""
    h, target = quadratic(point.shape, point.dtype, seed)
    noise = torch.randn(point.shape, generator=torch.Generator().manual_seed(1000 * seed + t),
                        dtype=point.dtype)
    return h.to(point.device) * (point - target.to(point.device)) + noise.to(point.device)


def schedule_free_paper(theta0, steps, lr, beta1, beta2, eps, wd, warmup):
    """Defazio et al. (2024), Algorithm 1, line by line; returns (x_{T+1}, y_{T+1})."""
    x, z, v = theta0.clone(), theta0.clone(), torch.zeros_like(theta0)
    sum_of_squares = 0.0
    for t in range(1, steps + 1):
        y = (1 - beta1) * z + beta1 * x
        g = noisy_quadratic_gradient(y, t)
        v = beta2 * v + (1 - beta2) * g**2
        gamma = lr * math.sqrt(1 - beta2**t) * (min(1, t / warmup) if warmup else 1)
        z = z - gamma * g / (torch.sqrt(v) + eps) - gamma * wd * y
        sum_of_squares += gamma**2
        c = gamma**2 / sum_of_squares
        x = (1 - c) * x + c * z
    return x, (1 - beta1) * z + beta1 * x


SF_CASES = [dict(), dict(warmup_steps=5), dict(weight_decay=0.1), dict(warmup_steps=30, weight_decay=0.5),
            dict(lr=0.1, betas=(0.5, 0.9), eps=1e-3)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("options", SF_CASES, ids=[options_id(c) for c in SF_CASES])
def test_schedule_free_matches_the_papers_algorithm_1(options, device):
    theta = make([(4, 5)], device)[0]
    start = theta.detach().clone()
    optimizer = optim.ScheduleFreeAdamW([theta], **options)
    optimizer.train()
    for t in range(1, 41):
        theta.grad = noisy_quadratic_gradient(theta.detach(), t)
        optimizer.step()
    beta1, beta2 = options.get("betas", (0.9, 0.999))
    x, y = schedule_free_paper(start, 40, options.get("lr", 0.0025), beta1, beta2,
                               options.get("eps", 1e-8), options.get("weight_decay", 0.0),
                               options.get("warmup_steps", 0))
    torch.testing.assert_close(theta.detach(), y, rtol=1e-13, atol=1e-13)
    optimizer.eval()
    torch.testing.assert_close(theta.detach(), x, rtol=1e-13, atol=1e-13)


def test_schedule_free_first_step_by_hand():
    """y_1 = x_1 = z_1 = θ0; with ε = 0, γ_1 g/√v_1 = α√(1−β2) g/(√(1−β2)|g|) = α sign(g);
    c_2 = γ_1²/γ_1² = 1, so x_2 = z_2 = y_2 = θ0 − α sign(g)."""
    theta = torch.tensor([1.0, -1.0, 0.5], dtype=F64)
    optim.schedule_free_adamw_step(theta, torch.tensor([3.0, -1e-3, 2.0], dtype=F64), {}, lr=0.1, eps=0.0)
    torch.testing.assert_close(theta, torch.tensor([0.9, -0.9, 0.4], dtype=F64), rtol=1e-15, atol=0)


def test_schedule_free_eval_and_train_swap_x_and_y_and_round_trip_exactly():
    theta = make([(3, 4)], "cpu")[0]
    optimizer = optim.ScheduleFreeAdamW([theta], lr=0.05)
    optimizer.train()                              # before any step: nothing to swap
    for t in range(1, 11):
        theta.grad = noisy_quadratic_gradient(theta.detach(), t)
        optimizer.step()
    y = theta.detach().clone()
    state = optimizer.state[theta]
    optimizer.eval()
    assert torch.equal(theta.detach(), state["x"]) and not torch.equal(theta.detach(), y)
    optimizer.eval()                               # twice is once
    assert torch.equal(theta.detach(), state["x"])
    optimizer.train()
    assert torch.equal(theta.detach(), y)
    optimizer.train()
    assert torch.equal(theta.detach(), y)


def test_schedule_free_step_in_eval_mode_is_an_error():
    theta = torch.zeros(2, requires_grad=True)
    optimizer = optim.ScheduleFreeAdamW([theta])
    theta.grad = torch.ones(2)
    with pytest.raises(RuntimeError, match="train()"):
        optimizer.step()                           # starts in eval mode, as the reference does
    optimizer.train()
    optimizer.step()
    optimizer.eval()
    with pytest.raises(RuntimeError, match="eval mode"):
        optimizer.step()


def test_schedule_free_converges_on_a_noisy_quadratic_without_a_schedule():
    """A constant-α AdamW stalls at a noise floor; the Schedule-Free average keeps improving."""
    def excess_loss(optimizer_class, steps, **options):
        theta = torch.zeros(20, dtype=F64, requires_grad=True)
        h, target = quadratic((20,))
        optimizer = optimizer_class([theta], lr=0.05, **options)
        schedule_free = isinstance(optimizer, optim.ScheduleFreeAdamW)
        losses = {}
        for t in range(1, steps + 1):
            if schedule_free:
                optimizer.train()
            theta.grad = noisy_quadratic_gradient(theta.detach(), t)
            optimizer.step()
            if t % 250 == 0:
                if schedule_free:
                    optimizer.eval()                # measure at x
                losses[t] = (0.5 * h * (theta.detach() - target) ** 2).sum().item()
        return losses

    schedule_free = excess_loss(optim.ScheduleFreeAdamW, 2000)
    adamw = excess_loss(optim.AdamW, 2000, weight_decay=0.0)
    # Observed: Schedule-Free 0.050 at step 250, 0.016 at 2000 (0.0075 at 3000);
    # AdamW between 0.13 and 0.30 at every multiple of 250 from 1000 to 2000.
    assert schedule_free[2000] < 0.5 * schedule_free[250]
    assert schedule_free[2000] < 0.25 * min(adamw[t] for t in range(1000, 2001, 250))


# --- LARS and LAMB ------------------------------------------------------------------

def lars_paper(weights, gradients, lrs, m, beta, eta):
    """You et al. (2017), Algorithm 1 with the η of their eq. (6); β is weight decay.
    The one convention the paper leaves open: local LR 1 for a zero weight or gradient."""
    velocities = [torch.zeros_like(w) for w in weights]
    for gamma, step_gradients in zip(lrs, gradients):
        for l, (w, g) in enumerate(zip(weights, step_gradients)):
            w_norm, g_norm = torch.linalg.norm(w), torch.linalg.norm(g)
            local_lr = eta * w_norm / (g_norm + beta * w_norm) if w_norm > 0 and g_norm > 0 else 1.0
            velocities[l] = m * velocities[l] + gamma * local_lr * (g + beta * w)
            weights[l] = w - velocities[l]
    return weights


def lamb_paper(xs, gradients, eta, beta1, beta2, eps, lam):
    """You et al. (2020), Algorithm 2, with φ the identity."""
    ms, vs = [torch.zeros_like(x) for x in xs], [torch.zeros_like(x) for x in xs]
    for t, step_gradients in enumerate(gradients, start=1):
        for i, (x, g) in enumerate(zip(xs, step_gradients)):
            ms[i] = beta1 * ms[i] + (1 - beta1) * g
            vs[i] = beta2 * vs[i] + (1 - beta2) * g * g
            m_hat, v_hat = ms[i] / (1 - beta1**t), vs[i] / (1 - beta2**t)
            r = m_hat / (torch.sqrt(v_hat) + eps)
            x_norm, u_norm = torch.linalg.norm(x), torch.linalg.norm(r + lam * x)
            ratio = x_norm / u_norm if x_norm > 0 and u_norm > 0 else 1.0
            xs[i] = x - eta * ratio * (r + lam * x)
    return xs


LARS_CASES = grid(momentum=[0.0, 0.9], weight_decay=[0.0, 5e-4, 0.1], eta=[0.001, 0.02])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("options", LARS_CASES, ids=[options_id(c) for c in LARS_CASES])
def test_lars_matches_the_papers_algorithm_with_a_polynomial_schedule(options, device):
    """The paper's γ_t = γ0 (1 − t/T)² set through param_groups, as a scheduler would:
    α multiplies each new term of the momentum, not the whole buffer."""
    steps = 20
    params = make(SHAPES, device)
    start = [p.detach().clone() for p in params]
    gradients = random_gradients(SHAPES, steps, device, F64)
    lrs = [2.0 * (1 - t / steps) ** 2 for t in range(steps)]
    optimizer = optim.LARS(params, **options)
    for lr, step_gradients in zip(lrs, gradients):
        optimizer.param_groups[0]["lr"] = lr
        train(optimizer, params, [step_gradients])
    expected = lars_paper(start, gradients, lrs, options["momentum"], options["weight_decay"], options["eta"])
    for a, b in zip(params, expected):
        torch.testing.assert_close(a.detach(), b, rtol=1e-13, atol=1e-13)


LAMB_CASES = grid(lr=[1e-3, 0.05], betas=[(0.9, 0.999), (0.5, 0.9)], eps=[1e-6, 1e-2], weight_decay=[0.0, 0.01, 0.3])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("options", LAMB_CASES, ids=[options_id(c) for c in LAMB_CASES])
def test_lamb_matches_the_papers_algorithm(options, device):
    params = make(SHAPES, device)
    start = [p.detach().clone() for p in params]
    gradients = random_gradients(SHAPES, 30, device, F64)
    train(optim.LAMB(params, **options), params, gradients)
    beta1, beta2 = options["betas"]
    expected = lamb_paper(start, gradients, options["lr"], beta1, beta2, options["eps"],
                          options["weight_decay"])
    for a, b in zip(params, expected):
        torch.testing.assert_close(a.detach(), b, rtol=1e-13, atol=1e-13)


def test_lars_first_two_steps_by_hand():
    """θ0 = (3, 4), ‖θ0‖ = 5; g1 = (0.6, 0.8), ‖g1‖ = 1; α = 1, η = 0.01, λ = 0.1, β = 0.9.
    λ^l_1 = 0.01·5/(1 + 0.5) = 1/30; b1 = (g1 + 0.1 θ0)/30 = (0.9, 1.2)/30 = (0.03, 0.04).
    θ1 = (2.97, 3.96), ‖θ1‖ = 4.95; g2 = (0, 1): λ^l_2 = 0.0495/1.495;
    b2 = 0.9 b1 + λ^l_2 (0.297, 1.396)."""
    theta = torch.tensor([3.0, 4.0], dtype=F64)
    state = {}
    options = dict(lr=1.0, momentum=0.9, weight_decay=0.1, eta=0.01)
    optim.lars_step(theta, torch.tensor([0.6, 0.8], dtype=F64), state, **options)
    torch.testing.assert_close(theta, torch.tensor([2.97, 3.96], dtype=F64), rtol=1e-15, atol=0)
    optim.lars_step(theta, torch.tensor([0.0, 1.0], dtype=F64), state, **options)
    b2 = [0.9 * 0.03 + 0.0495 / 1.495 * 0.297, 0.9 * 0.04 + 0.0495 / 1.495 * 1.396]
    torch.testing.assert_close(theta, torch.tensor([2.97 - b2[0], 3.96 - b2[1]], dtype=F64),
                               rtol=1e-14, atol=0)


def test_lamb_first_step_by_hand():
    """t = 1, ε = 0, λ = 0: r1 = m̂/√v̂ = sign(g) = (1, −1), ‖r1‖ = √2; ‖θ0‖ = 5.
    θ1 = θ0 − α·(5/√2)·(1, −1); then with λ = 0.5, u = r + λθ0 = (2.5, 1), ‖u‖ = √7.25."""
    theta = torch.tensor([3.0, 4.0], dtype=F64)
    optim.lamb_step(theta, torch.tensor([1.0, -2.0], dtype=F64), {}, lr=0.1, eps=0.0, weight_decay=0.0)
    step = 0.1 * 5 / 2**0.5
    torch.testing.assert_close(theta, torch.tensor([3 - step, 4 + step], dtype=F64), rtol=1e-15, atol=0)
    theta = torch.tensor([3.0, 4.0], dtype=F64)
    optim.lamb_step(theta, torch.tensor([1.0, -2.0], dtype=F64), {}, lr=0.1, eps=0.0, weight_decay=0.5)
    step = 0.1 * 5 / 7.25**0.5
    torch.testing.assert_close(theta, torch.tensor([3 - 2.5 * step, 4 - step], dtype=F64),
                               rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", ["LARS", "LAMB"])
def test_trust_ratio_is_one_for_zero_norms(name):
    """A zero tensor (or, for LARS, a zero gradient) is stepped with ratio 1, not 0."""
    theta = torch.zeros(3, dtype=F64, requires_grad=True)
    g = torch.tensor([0.5, -2.0, 1.0], dtype=F64)
    optimizer = getattr(optim, name)([theta], lr=0.1, **({"eps": 0.0} if name == "LAMB" else {}))
    theta.grad = g
    optimizer.step()
    expected = -0.1 * g if name == "LARS" else -0.1 * g.sign()   # LAMB: r1 = sign(g)
    torch.testing.assert_close(theta.detach(), expected, rtol=1e-15, atol=0)
    # LARS with a zero gradient: ratio 1, the weight-decay term alone, (α λ) θ.
    theta = torch.tensor([3.0, 4.0], dtype=F64)
    optim.lars_step(theta, torch.zeros(2, dtype=F64), {}, lr=0.1, weight_decay=0.5, eta=0.001)
    torch.testing.assert_close(theta, torch.tensor([2.85, 3.8], dtype=F64), rtol=1e-15, atol=0)


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_layer_wise_step_is_lr_times_the_norm_whatever_the_gradient_scale(scale):
    """Without weight decay or momentum, LARS moves θ by α η ‖θ‖ and LAMB by α ‖θ‖."""
    g = scale * torch.tensor([1.0, -2.0, 0.5, 3.0], dtype=F64)
    for step, options, length in [(optim.lars_step, dict(momentum=0.0, eta=0.01), 0.1 * 0.01),
                                  (optim.lamb_step, dict(weight_decay=0.0), 0.1)]:
        theta = torch.tensor([1.0, 2.0, -2.0, 4.0], dtype=F64)   # ‖θ‖ = 5
        before = theta.clone()
        step(theta, g, {}, lr=0.1, **options)
        assert (theta - before).norm().item() == pytest.approx(length * 5, rel=1e-12)


# --- every optimizer: the torch.optim contract -------------------------------------

NAMES = ["Muon", "Adafactor", "Lion", "ScheduleFreeAdamW", "LARS", "LAMB"]

# Optimizers that torch.optim lacks: the file's "Invalid ... value: x" messages.
INVALID = [
    ("Lion", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("Lion", dict(betas=(1.0, 0.99)), "Invalid beta parameter at index 0: 1.0"),
    ("Lion", dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    ("Lion", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    ("ScheduleFreeAdamW", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("ScheduleFreeAdamW", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    ("ScheduleFreeAdamW", dict(betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    ("ScheduleFreeAdamW", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    ("ScheduleFreeAdamW", dict(warmup_steps=-1), "Invalid warmup_steps value: -1"),
    ("LARS", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("LARS", dict(momentum=-0.5), "Invalid momentum value: -0.5"),
    ("LARS", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    ("LARS", dict(eta=-0.001), "Invalid eta value: -0.001"),
    ("LAMB", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("LAMB", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    ("LAMB", dict(betas=(1.5, 0.999)), "Invalid beta parameter at index 0: 1.5"),
    ("LAMB", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
]


@pytest.mark.parametrize("name, options, message", INVALID, ids=[f"{n}-{o}" for n, o, _ in INVALID])
def test_invalid_hyperparameter_is_a_value_error(name, options, message):
    with pytest.raises(ValueError) as error:
        getattr(optim, name)([torch.zeros(2, 2, requires_grad=True)], **options)
    assert str(error.value) == message


@pytest.mark.parametrize("name, typo", [("Muon", "nesterow"), ("Muon", "foreach"),
                                        ("Adafactor", "beta2"), ("Adafactor", "foreach"),
                                        ("Lion", "beta"), ("Lion", "eps"),
                                        ("ScheduleFreeAdamW", "warmup"), ("ScheduleFreeAdamW", "r"),
                                        ("LARS", "trust_coefficient"), ("LARS", "nesterov"),
                                        ("LAMB", "amsgrad"), ("LAMB", "beta1")])
def test_misspelt_keyword_is_a_type_error(name, typo):
    with pytest.raises(TypeError, match=typo):
        getattr(optim, name)([torch.zeros(2, 2, requires_grad=True)], **{typo: 0.5})


@pytest.mark.parametrize("name", NAMES)
def test_parameter_without_grad_is_untouched(name):
    shape = (3, 2)
    used, unused = torch.ones(shape, requires_grad=True), torch.ones(shape, requires_grad=True)
    optimizer = getattr(optim, name)([used, unused], lr=0.1)
    if name == "ScheduleFreeAdamW":
        optimizer.train()
    for _ in range(3):
        used.grad = torch.arange(6.0).reshape(shape) - 2
        optimizer.step()
    assert torch.equal(unused, torch.ones(shape))
    assert not torch.equal(used, torch.ones(shape))
    assert len(optimizer.state[unused]) == 0


def shapes_for(name):
    return MUON_SHAPES if name == "Muon" else SHAPES


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_round_trip_in_the_middle_of_training(name):
    shapes = shapes_for(name)
    gradients = random_gradients(shapes, 20, "cpu", F64)

    def start(params):
        optimizer = getattr(optim, name)(params, lr=0.01)
        if name == "ScheduleFreeAdamW":
            optimizer.train()
        return optimizer

    straight = make(shapes, "cpu")
    train(start(straight), straight, gradients)
    resumed = make(shapes, "cpu")
    first = start(resumed)
    train(first, resumed, gradients[:10])
    saved = copy.deepcopy(first.state_dict())
    second = getattr(optim, name)(resumed, lr=0.01)
    second.load_state_dict(saved)            # train mode, for Schedule-Free, comes back too
    train(second, resumed, gradients[10:])
    for a, b in zip(resumed, straight):
        assert torch.equal(a, b)


@pytest.mark.parametrize("name, lr", [("Muon", 0.02), ("Adafactor", 0.1), ("Lion", 0.01),
                                      ("ScheduleFreeAdamW", 0.05), ("LARS", 5.0), ("LAMB", 0.05)])
def test_training_a_small_network_lowers_the_loss(name, lr):
    """Muon takes the hidden matrix only, AdamW the rest, as its docstring says."""
    torch.manual_seed(0)
    x = torch.randn(128, 4)
    y = torch.sin(x @ torch.tensor([1.0, -2.0, 0.5, 3.0]))
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16),
                                torch.nn.Tanh(), torch.nn.Linear(16, 1))
    if name == "Muon":
        hidden = [model[2].weight]
        rest = [p for p in model.parameters() if all(p is not h for h in hidden)]
        optimizers = [optim.Muon(hidden, lr=lr), optim.AdamW(rest, lr=0.01)]
    else:
        optimizers = [getattr(optim, name)(model.parameters(), lr=lr)]
    for optimizer in optimizers:
        if isinstance(optimizer, optim.ScheduleFreeAdamW):
            optimizer.train()

    def loss():
        return torch.nn.functional.mse_loss(model(x).squeeze(1), y)

    first = loss().item()
    for _ in range(100):
        for optimizer in optimizers:
            optimizer.zero_grad()
        loss().backward()
        for optimizer in optimizers:
            optimizer.step()
    for optimizer in optimizers:
        if isinstance(optimizer, optim.ScheduleFreeAdamW):
            optimizer.eval()
    assert loss().item() < 0.5 * first    # observed 0.07–0.34 of the first loss


STEPS = [optim.muon_step, optim.adafactor_step, optim.lion_step, optim.schedule_free_adamw_step,
         optim.lars_step, optim.lamb_step]


@pytest.mark.parametrize("step", STEPS, ids=[s.__name__ for s in STEPS])
def test_step_function_rejects_mismatched_gradients(step):
    param = torch.zeros(3, 2)
    with pytest.raises(ValueError, match="shape"):
        step(param, torch.zeros(2, 3), {}, lr=0.1)
    with pytest.raises(ValueError, match="dtype"):
        step(param, torch.zeros(3, 2, dtype=torch.float64), {}, lr=0.1)
    with pytest.raises(TypeError, match="Tensor"):
        step(param, [[0.0, 0.0]] * 3, {}, lr=0.1)
