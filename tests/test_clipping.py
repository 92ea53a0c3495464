"""descent.clipping against torch.nn.utils.clip_grad_norm_ and clip_grad_value_ on many random inputs."""

from __future__ import annotations

import math
import random
import warnings

import pytest
import torch

from descent import clipping

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
NORM_TYPES = [1, 2, 2.0, 3, 0.5, math.inf, float("inf"), -math.inf, 0]
CAPS = [1e-12, 1e-6, 1e-3, 0.1, 1, 2.5, 10, 1e3, 1e12]
CASES = 120


def random_parameters(rng: random.Random, device: str, *, dtype: torch.dtype | None = None,
                      nonfinite: str | None = None) -> list[torch.Tensor]:
    """1 to 5 tensors of random shapes (some without a gradient), gradients of random scales.

    ``dtype=None`` mixes float32 and float64 across the tensors. ``nonfinite`` puts an
    inf, a -inf or a NaN into one gradient.
    """
    generator = torch.Generator().manual_seed(rng.randrange(2**31))
    parameters = []
    for _ in range(rng.randint(1, 5)):
        shape = tuple(rng.randint(1, 6) for _ in range(rng.randint(0, 3)))
        kind = dtype or rng.choice([torch.float32, torch.float64])
        p = torch.zeros(shape, dtype=kind, device=device, requires_grad=True)
        if rng.random() < 0.8:
            scale = 10 ** rng.uniform(-4, 4)
            p.grad = (scale * torch.randn(shape, generator=generator, dtype=kind)).to(device)
        parameters.append(p)
    with_grad = [p for p in parameters if p.grad is not None]
    if nonfinite and with_grad:
        grad = rng.choice(with_grad).grad
        grad.view(-1)[rng.randrange(grad.numel())] = float(nonfinite)
    return parameters


def twins(parameters: list[torch.Tensor]) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Two independent copies of the parameters and their gradients."""
    def copy():
        out = []
        for p in parameters:
            q = p.detach().clone().requires_grad_(True)
            q.grad = None if p.grad is None else p.grad.clone()
            out.append(q)
        return out
    return copy(), copy()


def assert_same_grads(ours: list[torch.Tensor], theirs: list[torch.Tensor], exact: bool = True) -> None:
    """The same gradients; to the bit when ``exact`` and on the CPU (CUDA: torch's fused kernels)."""
    for a, b in zip(ours, theirs, strict=True):
        assert (a.grad is None) == (b.grad is None)
        if a.grad is not None:
            assert a.grad.dtype == b.grad.dtype and a.grad.device == b.grad.device
            tolerance = {"rtol": 0, "atol": 0} if exact and a.grad.device.type == "cpu" else {}
            torch.testing.assert_close(a.grad, b.grad, equal_nan=True, **tolerance)


def assert_same_norm(ours: torch.Tensor, theirs: torch.Tensor, exact: bool = True) -> None:
    assert ours.dtype == theirs.dtype and ours.device == theirs.device and ours.shape == theirs.shape
    tolerance = {"rtol": 0, "atol": 0} if exact and ours.device.type == "cpu" else {}
    torch.testing.assert_close(ours, theirs, equal_nan=True, **tolerance)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16, None],
                         ids=["float32", "float64", "float16", "bfloat16", "mixed"])
def test_clip_grad_norm_equals_torch_on_random_inputs(device, dtype):
    rng = random.Random(f"norm {dtype}")
    for _ in range(CASES):
        parameters = random_parameters(rng, device, dtype=dtype)
        norm_type, cap = rng.choice(NORM_TYPES), rng.choice(CAPS)
        ours, theirs = twins(parameters)
        got = clipping.clip_grad_norm_(ours, cap, norm_type)
        expected = torch.nn.utils.clip_grad_norm_(theirs, cap, norm_type)
        # one dtype on the CPU: the same numbers to the bit; mixed dtypes: torch groups the
        # per-tensor norms by dtype (in an order of its own) before the total, so the last bit
        # may differ; CUDA: torch's fused _foreach_norm may round differently
        exact = dtype is not None
        assert_same_norm(got, expected, exact)
        assert_same_grads(ours, theirs, exact)


@pytest.mark.parametrize("device", DEVICES)
def test_grad_norm_is_the_norm_before_clipping(device):
    rng = random.Random("grad_norm")
    for _ in range(CASES):
        parameters = random_parameters(rng, device, dtype=torch.float64)
        norm_type = rng.choice(NORM_TYPES)
        grads = [p.grad for p in parameters if p.grad is not None]
        expected = torch.nn.utils.get_total_norm(grads, norm_type) if grads else torch.tensor(0.0)
        assert_same_norm(clipping.grad_norm(parameters, norm_type), expected)
        if grads and norm_type != 0:  # p = 0 counts the non-zero per-tensor norms
            flat = torch.cat([g.flatten() for g in grads])
            torch.testing.assert_close(clipping.grad_norm(parameters, norm_type),
                                       torch.linalg.vector_norm(flat, norm_type))


@pytest.mark.parametrize("device", DEVICES)
def test_clipped_norm_is_the_cap_and_small_gradients_are_untouched(device):
    rng = random.Random("cap")
    for _ in range(CASES):
        parameters = random_parameters(rng, device, dtype=torch.float64)
        if all(p.grad is None for p in parameters):
            continue
        norm_type = rng.choice([1, 2, 3, 0.5, math.inf])
        before = clipping.grad_norm(parameters, norm_type).item()
        cap = before * rng.choice([0.01, 0.5, 2.0])
        grads = [None if p.grad is None else p.grad.clone() for p in parameters]
        clipping.clip_grad_norm_(parameters, cap, norm_type)
        after = clipping.grad_norm(parameters, norm_type).item()
        if cap < before:  # the norm becomes cap · ‖g‖ / (‖g‖ + 10⁻⁶)
            assert after == pytest.approx(cap * before / (before + 1e-6), rel=1e-9)
        else:  # below the cap: the scale is clamped to exactly 1
            assert all(g is None or torch.equal(g, p.grad) for g, p in zip(grads, parameters))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
@pytest.mark.parametrize("error_if_nonfinite", [False, True])
def test_non_finite_gradient_as_torch(device, value, error_if_nonfinite):
    rng = random.Random(f"nonfinite {value}")
    for _ in range(20):
        parameters = random_parameters(rng, device, dtype=rng.choice([torch.float32, torch.float64]),
                                       nonfinite=value)
        norm_type, cap = rng.choice(NORM_TYPES), rng.choice(CAPS)
        ours, theirs = twins(parameters)
        try:
            expected = torch.nn.utils.clip_grad_norm_(theirs, cap, norm_type,
                                                      error_if_nonfinite=error_if_nonfinite)
        except RuntimeError as error:
            with pytest.raises(RuntimeError) as raised:
                clipping.clip_grad_norm_(ours, cap, norm_type, error_if_nonfinite=error_if_nonfinite)
            assert str(raised.value) == str(error)
            assert error_if_nonfinite
        else:
            got = clipping.clip_grad_norm_(ours, cap, norm_type, error_if_nonfinite=error_if_nonfinite)
            assert_same_norm(got, expected)
        assert_same_grads(ours, theirs)  # unchanged by both when raising


def test_non_finite_norm_raises_with_torch_message_and_leaves_gradients():
    p = torch.zeros(3, requires_grad=True)
    p.grad = torch.tensor([1.0, float("inf"), 2.0])
    with pytest.raises(RuntimeError, match="non-finite") as error:
        clipping.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    assert "order 2.0" in str(error.value)
    assert torch.equal(p.grad, torch.tensor([1.0, float("inf"), 2.0]))
    clipping.clip_grad_norm_([p], 1.0)  # without the error: scaled by 1/inf = 0, and 0·inf is NaN
    assert torch.equal(p.grad.isnan(), torch.tensor([False, True, False]))
    assert p.grad[0] == 0 and p.grad[2] == 0


@pytest.mark.parametrize("device", DEVICES)
def test_clip_grad_value_equals_torch_on_random_inputs(device):
    rng = random.Random("value")
    for i in range(CASES):
        parameters = random_parameters(rng, device, dtype=None if i % 3 else rng.choice(
            [torch.float32, torch.float64]), nonfinite=rng.choice([None, None, "inf", "-inf", "nan"]))
        cap = rng.choice(CAPS)
        ours, theirs = twins(parameters)
        assert clipping.clip_grad_value_(ours, cap) is None
        if any(q.grad is not None for q in theirs):  # torch 2.13 fails on no gradients at all
            torch.nn.utils.clip_grad_value_(theirs, cap)
        assert_same_grads(ours, theirs)


def test_a_single_tensor_and_a_generator_are_accepted():
    rng = random.Random("single")
    for _ in range(20):
        p = random_parameters(rng, "cpu", dtype=torch.float64)[0]
        if p.grad is None:
            p.grad = torch.randn(p.shape, dtype=torch.float64)
        for norm_type in (2, 1, math.inf):
            ours, theirs = twins([p])
            assert_same_norm(clipping.clip_grad_norm_(ours[0], 0.1, norm_type),
                             torch.nn.utils.clip_grad_norm_(theirs[0], 0.1, norm_type))
            assert_same_grads(ours, theirs)
            assert_same_norm(clipping.grad_norm(ours[0], norm_type),
                             torch.nn.utils.get_total_norm(theirs[0].grad, norm_type))
        ours, theirs = twins([p])
        clipping.clip_grad_value_(ours[0], 0.1)
        torch.nn.utils.clip_grad_value_(theirs[0], 0.1)
        assert_same_grads(ours, theirs)

    parameters = random_parameters(random.Random(1), "cpu", dtype=torch.float32)
    ours, theirs = twins(parameters)
    assert_same_norm(clipping.clip_grad_norm_((q for q in ours), 0.01),
                     torch.nn.utils.clip_grad_norm_((q for q in theirs), 0.01))
    assert_same_grads(ours, theirs)
    clipping.clip_grad_value_((q for q in ours), 1e-3)
    torch.nn.utils.clip_grad_value_((q for q in theirs), 1e-3)
    assert_same_grads(ours, theirs)


def test_a_model_s_parameters_are_clipped_as_torch():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Tanh(), torch.nn.Linear(7, 2))
    model(torch.randn(4, 5)).pow(2).sum().mul(100).backward()
    model[2].bias.grad = None
    grads = [None if p.grad is None else p.grad.clone() for p in model.parameters()]
    expected = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    clipped = [None if p.grad is None else p.grad.clone() for p in model.parameters()]
    for p, g in zip(model.parameters(), grads):
        p.grad = g
    assert_same_norm(clipping.clip_grad_norm_(model.parameters(), 0.5), expected)
    for p, g in zip(model.parameters(), clipped):
        assert (p.grad is None and g is None) or torch.equal(p.grad, g)


def test_no_gradients_at_all():
    parameters = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    assert_same_norm(clipping.clip_grad_norm_(parameters, 1.0), torch.nn.utils.clip_grad_norm_(parameters, 1.0))
    assert_same_norm(clipping.clip_grad_norm_([], 1.0), torch.nn.utils.clip_grad_norm_([], 1.0))
    clipping.clip_grad_value_(parameters, 1.0)
    assert all(p.grad is None for p in parameters)
    with pytest.warns(UserWarning, match="empty generator"):
        assert clipping.clip_grad_norm_((p for p in []), 1.0).item() == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clipping.clip_grad_norm_([], 1.0)  # an empty list is no mistake


@pytest.mark.parametrize("cap", [0, 0.0, -1.0, -1e-9, float("nan")])
def test_a_cap_that_is_not_positive_is_a_value_error(cap):
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.ones(2)
    with pytest.raises(ValueError, match="max_norm"):
        clipping.clip_grad_norm_([p], cap)
    with pytest.raises(ValueError, match="clip_value"):
        clipping.clip_grad_value_([p], cap)
    assert torch.equal(p.grad, torch.ones(2))
