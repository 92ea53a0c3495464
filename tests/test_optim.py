"""descent.optim against torch.optim, by hand, and against algebraic identities."""

from __future__ import annotations

import copy
import itertools

import pytest
import torch

from descent import optim

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
SHAPES = [(5, 3), (7,), (2, 3, 4)]


def grid(**options):
    """Every combination of the listed option values, as dicts."""
    names = list(options)
    return [dict(zip(names, values)) for values in itertools.product(*options.values())]


def sgd_grid():
    return [c for c in grid(lr=[0.1], momentum=[0, 0.9], dampening=[0, 0.5],
                            nesterov=[False, True], weight_decay=[0, 0.1])
            if not (c["nesterov"] and (c["momentum"] == 0 or c["dampening"] != 0))
            and not (c["momentum"] == 0 and c["dampening"] != 0)]


CASES = (
    [("SGD", c) for c in sgd_grid()]
    + [("Adagrad", c) for c in grid(lr=[0.1], lr_decay=[0, 0.01], weight_decay=[0, 0.1],
                                    initial_accumulator_value=[0, 0.5], eps=[1e-10, 1e-3])]
    + [("RMSprop", c) for c in grid(lr=[0.01], alpha=[0.99, 0.9], eps=[1e-8, 1e-3],
                                    weight_decay=[0, 0.1], momentum=[0, 0.9],
                                    centered=[False, True])]
    + [("Adam", c) for c in grid(lr=[0.01], betas=[(0.9, 0.999), (0.5, 0.9)], eps=[1e-8, 1e-3],
                                 weight_decay=[0, 0.1], amsgrad=[False, True])]
    + [("AdamW", c) for c in grid(lr=[0.01], betas=[(0.9, 0.999), (0.5, 0.9)], eps=[1e-8],
                                  weight_decay=[0, 1e-2, 0.1], amsgrad=[False, True])]
)


def case_id(case):
    name, options = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in options.items() if k != "lr")


def make_params(device, dtype=torch.float64, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=generator, dtype=dtype).to(device).requires_grad_()
            for shape in SHAPES]


def run(optimizer_class, options, params, steps, seed=1):
    """Apply `steps` updates with a fixed sequence of random gradients."""
    optimizer = optimizer_class(params, **options)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        for p in params:
            p.grad = torch.randn(p.shape, generator=generator, dtype=p.dtype).to(p.device)
        optimizer.step()
    return optimizer


def relative_error(a, b):
    return ((a - b).norm() / b.norm()).item()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_torch_optim_after_200_steps(case, device):
    name, options = case
    ours, theirs = make_params(device), make_params(device)
    run(getattr(optim, name), options, ours, steps=200)
    run(getattr(torch.optim, name), options, theirs, steps=200)
    for a, b in zip(ours, theirs):
        assert relative_error(a.detach(), b.detach()) <= 1e-10


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_defaults_match_torch(name):
    ours = getattr(optim, name)([torch.zeros(1, requires_grad=True)])
    theirs = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)])
    for key, value in ours.defaults.items():
        assert theirs.defaults[key] == value, key


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_training_a_model_lowers_the_loss(name):
    torch.manual_seed(0)
    x = torch.randn(64, 4)
    y = x @ torch.tensor([1.0, -2.0, 0.5, 3.0]) + 0.1 * torch.randn(64)
    model = torch.nn.Linear(4, 1)
    optimizer = getattr(optim, name)(model.parameters(), lr=0.1)

    def loss():
        return torch.nn.functional.mse_loss(model(x).squeeze(1), y)

    first = loss().item()
    for _ in range(100):
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
    assert loss().item() < 0.2 * first


# --- one and two steps by hand -------------------------------------------------

def two_steps(optimizer_class, options, gradients=(2.0, 1.0), theta0=1.0):
    theta = torch.tensor([theta0], dtype=torch.float64, requires_grad=True)
    optimizer = optimizer_class([theta], **options)
    values = []
    for g in gradients:
        theta.grad = torch.tensor([g], dtype=torch.float64)
        optimizer.step()
        values.append(theta.item())
    return values


HAND = [
    # θ0 = 1, g1 = 2, g2 = 1
    ("plain SGD", optim.SGD, dict(lr=0.1), [1 - 0.2, 0.8 - 0.1]),
    # b1 = g1 = 2; b2 = 0.9·2 + 1 = 2.8
    ("SGD momentum", optim.SGD, dict(lr=0.1, momentum=0.9), [0.8, 0.8 - 0.28]),
    # b2 = 0.9·2 + 0.5·1 = 2.3
    ("SGD dampening", optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.5), [0.8, 0.8 - 0.23]),
    # d1 = g1 + 0.9·b1 = 3.8; b2 = 2.8, d2 = 1 + 0.9·2.8 = 3.52
    ("SGD Nesterov", optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True),
     [1 - 0.38, 0.62 - 0.352]),
    # g1 ← 2 + 0.5·1 = 2.5
    ("SGD weight decay", optim.SGD, dict(lr=0.1, weight_decay=0.5), [0.75, 0.75 - 0.1 * (1 + 0.375)]),
    # s1 = 4, θ1 = 1 − 0.1·2/2; s2 = 5, θ2 = 0.9 − 0.1·1/√5
    ("Adagrad", optim.Adagrad, dict(lr=0.1, eps=0.0), [0.9, 0.9 - 0.1 / 5**0.5]),
    # v1 = 0.1·4 = 0.4; v2 = 0.9·0.4 + 0.1·1 = 0.46
    ("RMSprop", optim.RMSprop, dict(lr=0.1, alpha=0.9, eps=0.0),
     [1 - 0.1 * 2 / 0.4**0.5, 1 - 0.1 * 2 / 0.4**0.5 - 0.1 / 0.46**0.5]),
    # m̂1 = 2, v̂1 = 4 → step α; m2 = 0.9·0.2 + 0.1 = 0.28, v2 = 0.999·0.004 + 0.001 = 0.004996
    ("Adam", optim.Adam, dict(lr=0.1, eps=0.0),
     [0.9, 0.9 - 0.1 * (0.28 / (1 - 0.81)) / (0.004996 / (1 - 0.998001)) ** 0.5]),
    # θ ← (1 − 0.1·0.5)θ, then the Adam step of α
    ("AdamW", optim.AdamW, dict(lr=0.1, eps=0.0, weight_decay=0.5),
     [0.95 - 0.1, 0.85 * 0.95 - 0.1 * (0.28 / 0.19) / (0.004996 / 0.001999) ** 0.5]),
]


@pytest.mark.parametrize("label, optimizer_class, options, expected", HAND, ids=[h[0] for h in HAND])
def test_one_and_two_steps_by_hand(label, optimizer_class, options, expected):
    assert two_steps(optimizer_class, options) == pytest.approx(expected, rel=1e-12)


def test_adam_first_step_has_size_lr_whatever_the_gradient_scale():
    """With bias correction, m̂1/√v̂1 = g/|g|: the first step is α·sign(g)."""
    for g in [1e-6, 1.0, 1e6]:
        assert two_steps(optim.Adam, dict(lr=0.1, eps=0.0), gradients=(g,)) == pytest.approx([0.9])


# --- algebraic identities ------------------------------------------------------

def test_sgd_with_zero_momentum_is_plain_gradient_descent():
    params = make_params("cpu")
    start = [p.detach().clone() for p in params]
    run(optim.SGD, dict(lr=0.1, momentum=0.0), params, steps=1)
    generator = torch.Generator().manual_seed(1)
    for p, p0 in zip(params, start):
        g = torch.randn(p.shape, generator=generator, dtype=p.dtype)
        torch.testing.assert_close(p.detach(), p0 - 0.1 * g, rtol=0, atol=1e-15)


def test_sgd_weight_decay_equals_l2_penalty():
    """Under plain SGD, weight decay λ is the gradient of the penalty (λ/2)‖θ‖²."""
    torch.manual_seed(0)
    x, y = torch.randn(20, 3, dtype=torch.float64), torch.randn(20, dtype=torch.float64)
    w1 = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    w2 = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    decayed, penalized = optim.SGD([w1], lr=0.1, weight_decay=0.3), optim.SGD([w2], lr=0.1)
    for _ in range(50):
        for w, opt, penalty in [(w1, decayed, 0.0), (w2, penalized, 0.3)]:
            opt.zero_grad()
            loss = ((x @ w - y) ** 2).mean() + penalty / 2 * (w**2).sum()
            loss.backward()
            opt.step()
    torch.testing.assert_close(w1, w2, rtol=1e-12, atol=0)


def test_adam_with_beta1_zero_is_bias_corrected_rmsprop():
    """Adam(β1=0, β2=ρ) = RMSprop(ρ) with α√(1−ρᵗ) and ε√(1−ρᵗ) at step t:
    g/(√(v/c) + ε) = √c·g/(√v + ε√c) with c = 1 − ρᵗ."""
    rho, lr, eps = 0.9, 0.01, 1e-8
    theta_adam, theta_rms = make_params("cpu")[0], make_params("cpu")[0]
    adam_state, rms_state = {}, {}
    generator = torch.Generator().manual_seed(3)
    for t in range(1, 51):
        g = torch.randn(theta_adam.shape, generator=generator, dtype=torch.float64)
        optim.adam_step(theta_adam, g, adam_state, lr=lr, beta1=0.0, beta2=rho, eps=eps)
        c = 1 - rho**t
        optim.rmsprop_step(theta_rms, g, rms_state, lr=lr * c**0.5, alpha=rho, eps=eps * c**0.5)
    torch.testing.assert_close(theta_adam, theta_rms, rtol=1e-12, atol=0)


def test_adamw_without_weight_decay_is_adam():
    a, b = make_params("cpu"), make_params("cpu")
    run(optim.AdamW, dict(lr=0.01, weight_decay=0.0), a, steps=30)
    run(optim.Adam, dict(lr=0.01), b, steps=30)
    for x, y in zip(a, b):
        assert torch.equal(x, y)


def test_adam_weight_decay_is_not_adamw_weight_decay():
    """L2 inside Adam is divided by √v̂; decoupled decay is not: the results differ."""
    a, b = make_params("cpu"), make_params("cpu")
    run(optim.Adam, dict(lr=0.01, weight_decay=0.1), a, steps=30)
    run(optim.AdamW, dict(lr=0.01, weight_decay=0.1), b, steps=30)
    assert relative_error(a[0].detach(), b[0].detach()) > 1e-3


def test_full_batch_gradient_descent_is_sgd_on_the_whole_data_set():
    """The article's example: one SGD step on the full-batch gradient is θ − α∇J(θ)."""
    x = torch.tensor([[1.0, 1.0], [1.0, -1.0]], dtype=torch.float64)
    y = torch.tensor([2.0, -2.0], dtype=torch.float64)
    w = torch.tensor([0.1, -0.1], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    loss = 0.5 * ((y - (x @ w + b)) ** 2).sum()
    loss.backward()
    optim.SGD([w, b], lr=0.01).step()
    residual = y - (x @ torch.tensor([0.1, -0.1], dtype=torch.float64))
    grad_w = -(residual[:, None] * x).sum(0)   # ∂J/∂w = −Σ (y − ŷ) x  (note the minus sign)
    torch.testing.assert_close(w.detach(), torch.tensor([0.1, -0.1], dtype=torch.float64) - 0.01 * grad_w)
    torch.testing.assert_close(b.detach(), torch.tensor(0.0, dtype=torch.float64) + 0.01 * residual.sum())


# --- the torch.optim.Optimizer contract ----------------------------------------

@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_parameter_without_grad_is_untouched(name):
    used, unused = torch.ones(3, requires_grad=True), torch.ones(3, requires_grad=True)
    optimizer = getattr(optim, name)([used, unused], lr=0.1, **({"momentum": 0.9} if name == "SGD" else {}))
    for _ in range(3):
        used.grad = torch.ones(3)
        optimizer.step()
    assert torch.equal(unused, torch.ones(3))
    assert not torch.equal(used, torch.ones(3))
    assert len(optimizer.state[unused]) == 0


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_group_with_zero_lr_is_unchanged(name):
    moving, frozen = make_params("cpu")[:2]
    frozen_before = frozen.detach().clone()
    optimizer = getattr(optim, name)([{"params": [moving]}, {"params": [frozen], "lr": 0.0}], lr=0.1)
    for _ in range(5):
        moving.grad, frozen.grad = torch.ones_like(moving), torch.ones_like(frozen)
        optimizer.step()
    assert torch.equal(frozen.detach(), frozen_before)


@pytest.mark.parametrize("case", [c for c in CASES if c[1].get("weight_decay", 0) in (0, 0.1)][::5],
                         ids=[case_id(c) for c in CASES if c[1].get("weight_decay", 0) in (0, 0.1)][::5])
def test_state_dict_round_trip_in_the_middle_of_training(case):
    name, options = case
    cls = getattr(optim, name)
    straight = make_params("cpu")
    run(cls, options, straight, steps=20, seed=1)

    resumed = make_params("cpu")
    first_half = run(cls, options, resumed, steps=10, seed=1)
    saved = copy.deepcopy(first_half.state_dict())
    # A fresh optimizer, loaded from the saved state, continues where the first stopped.
    second = cls(resumed, **options)
    second.load_state_dict(saved)
    generator = torch.Generator().manual_seed(1)
    for _ in range(10):  # skip the gradients the first half already used
        for p in resumed:
            torch.randn(p.shape, generator=generator, dtype=p.dtype)
    for _ in range(10):
        for p in resumed:
            p.grad = torch.randn(p.shape, generator=generator, dtype=p.dtype)
        second.step()
    for a, b in zip(resumed, straight):
        assert torch.equal(a, b)


def test_closure_is_called_and_its_loss_returned():
    w = torch.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = (w**2).sum()
        loss.backward()
        return loss

    assert optimizer.step(closure).item() == 1.0
    assert w.item() == pytest.approx(0.8)


def test_works_with_torch_lr_schedulers():
    w = torch.tensor([1.0], requires_grad=True)
    optimizer = optim.Adam([w], lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        w.grad = torch.ones(1)
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    assert lrs == [0.1, 0.05, 0.05, 0.025, 0.025]


# --- bad input -----------------------------------------------------------------

INVALID = [
    ("SGD", dict(lr=-0.1)), ("SGD", dict(momentum=-0.5)), ("SGD", dict(weight_decay=-1)),
    ("SGD", dict(nesterov=True)), ("SGD", dict(nesterov=True, momentum=0.9, dampening=0.1)),
    ("Adagrad", dict(lr=-1)), ("Adagrad", dict(lr_decay=-1)), ("Adagrad", dict(weight_decay=-1)),
    ("Adagrad", dict(initial_accumulator_value=-1)), ("Adagrad", dict(eps=-1)),
    ("RMSprop", dict(lr=-1)), ("RMSprop", dict(eps=-1)), ("RMSprop", dict(momentum=-1)),
    ("RMSprop", dict(weight_decay=-1)), ("RMSprop", dict(alpha=-1)),
    ("Adam", dict(lr=-1)), ("Adam", dict(eps=-1)), ("Adam", dict(betas=(1.0, 0.999))),
    ("Adam", dict(betas=(0.9, -0.1))), ("Adam", dict(weight_decay=-1)),
    ("AdamW", dict(lr=-1)), ("AdamW", dict(betas=(0.9, 1.5))), ("AdamW", dict(weight_decay=-1)),
]


@pytest.mark.parametrize("name, options", INVALID, ids=[f"{n}-{o}" for n, o in INVALID])
def test_invalid_hyperparameter_raises_torchs_value_error(name, options):
    params = [torch.zeros(2, requires_grad=True)]
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)(params, **options)
    with pytest.raises(ValueError) as ours:
        getattr(optim, name)(params, **options)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name, typo", [("SGD", "momentun"), ("Adam", "beta"), ("AdamW", "weight_decy"),
                                        ("RMSprop", "foreach"), ("Adagrad", "lr_dcay")])
def test_misspelt_keyword_is_an_error(name, typo):
    with pytest.raises(TypeError, match=typo):
        getattr(optim, name)([torch.zeros(2, requires_grad=True)], **{typo: 0.5})


STEPS = [(optim.sgd_step, {}), (optim.adagrad_step, {}), (optim.rmsprop_step, {}),
         (optim.adam_step, {}), (optim.adamw_step, {})]


@pytest.mark.parametrize("step, _", STEPS, ids=[s.__name__ for s, _ in STEPS])
def test_step_function_rejects_mismatched_gradients(step, _):
    param = torch.zeros(3, 2)
    with pytest.raises(ValueError, match="shape"):
        step(param, torch.zeros(2, 3), {}, lr=0.1)
    with pytest.raises(ValueError, match="dtype"):
        step(param, torch.zeros(3, 2, dtype=torch.float64), {}, lr=0.1)
    with pytest.raises(ValueError, match="meta"):
        step(param, torch.zeros(3, 2, device="meta"), {}, lr=0.1)
    with pytest.raises(TypeError, match="Tensor"):
        step(param, [[0.0, 0.0]] * 3, {}, lr=0.1)
