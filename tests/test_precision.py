"""descent.precision: formats from torch.finfo, underflow, LossScaler against torch.amp.GradScaler, memory."""

from __future__ import annotations

import math

import pytest
import torch

from descent import models, precision


@pytest.mark.parametrize("dtype, exponent, mantissa", [
    (torch.float32, 8, 23), (torch.float16, 5, 10), (torch.bfloat16, 8, 7), (torch.float64, 11, 52)])
def test_format_info(dtype, exponent, mantissa):
    info = precision.format_info(dtype)
    assert (info.exponent_bits, info.mantissa_bits) == (exponent, mantissa)
    assert info.eps == 2.0**-mantissa
    assert info.smallest_normal == 2.0 ** (2 - 2 ** (exponent - 1))
    assert info.largest == (2 - 2.0**-mantissa) * 2.0 ** (2 ** (exponent - 1) - 1)
    tiny = torch.tensor(info.smallest_subnormal, dtype=dtype)
    assert tiny.item() == info.smallest_subnormal > 0
    assert (tiny / 2).item() == 0.0  # halfway rounds to even: zero
    assert torch.tensor(info.largest, dtype=dtype).mul(2).isinf()


def test_underflow_fraction():
    t = torch.tensor([1e-3, 1e-9, 0.0, 1e-6, 1e-13], dtype=torch.float32)
    assert precision.underflow_fraction([t]) == 0.5                    # 1e-9 and 1e-13 of four nonzero
    assert precision.underflow_fraction([t], scale=2.0**16) == 0.25    # 1e-13 · 65536 is still too small
    assert precision.underflow_fraction([t], scale=2.0**24) == 0.0
    assert precision.underflow_fraction([t], dtype=torch.bfloat16) == 0.0
    with pytest.raises(ValueError, match="nonzero"):
        precision.underflow_fraction([torch.zeros(3)])


def scaled_run(scaler, steps=12, inf_at=(2, 3, 8), seed=0):
    """Train a small MLP under float16 autocast with scaler; overflow forced at inf_at."""
    torch.manual_seed(seed)
    model = models.mlp(8, [16], 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(seed)
    scales, stepped = [], []
    for t in range(steps):
        x, y = torch.randn(32, 8, generator=g), torch.randint(0, 3, (32,), generator=g)
        with torch.autocast("cpu", dtype=torch.float16):
            loss = torch.nn.functional.cross_entropy(model(x), y)
        if t in inf_at:
            loss = loss * math.inf
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        before = model[0].weight.detach().clone()
        scaler.step(optimizer)
        stepped.append(not torch.equal(before, model[0].weight))
        scaler.update()
        scales.append(scaler.get_scale())
    return scales, stepped, [p.detach() for p in model.parameters()]


@pytest.mark.parametrize("kwargs", [dict(growth_interval=3),
                                    dict(init_scale=1000.0, growth_factor=3.0, backoff_factor=0.25,
                                         growth_interval=2)])
def test_loss_scaler_equals_grad_scaler(kwargs):
    mine = scaled_run(precision.LossScaler(**kwargs))
    theirs = scaled_run(torch.amp.GradScaler("cpu", **kwargs))
    assert mine[0] == theirs[0]
    assert mine[1] == theirs[1]
    assert mine[1].count(False) == 3
    for a, b in zip(mine[2], theirs[2]):
        assert torch.equal(a, b)


def test_loss_scaler_grows_and_backs_off():
    scales, stepped, _ = scaled_run(precision.LossScaler(init_scale=8.0, growth_interval=3),
                                    steps=8, inf_at=(4,))
    assert scales == [8.0, 8.0, 16.0, 16.0, 8.0, 8.0, 8.0, 16.0]
    assert stepped == [True] * 4 + [False] + [True] * 3


def test_loss_scaler_rejects_bad_settings_and_misuse():
    with pytest.raises(ValueError, match="growth_factor"):
        precision.LossScaler(growth_factor=1.0)
    with pytest.raises(ValueError, match="backoff_factor"):
        precision.LossScaler(backoff_factor=1.0)
    with pytest.raises(ValueError, match="growth_interval"):
        precision.LossScaler(growth_interval=0)
    with pytest.raises(RuntimeError, match="step"):
        precision.LossScaler().update()


def test_memory_formula():
    assert precision.memory_per_parameter("float32", "adam") == {
        "weights": 4, "gradients": 4, "master weights": 0, "optimizer state": 8, "total": 16}
    assert precision.memory_per_parameter("mixed", "adam")["total"] == 16   # 2 + 2 + 4 + 8
    assert precision.memory_per_parameter("mixed", "sgd")["total"] == 8
    assert precision.memory_per_parameter("bfloat16", "adam")["total"] == 8
    with pytest.raises(ValueError, match="precision"):
        precision.memory_per_parameter("float8")
    with pytest.raises(ValueError, match="optimizer"):
        precision.memory_per_parameter("float32", "lamb")


@pytest.mark.parametrize("dtype, name", [(torch.float32, "float32"), (torch.bfloat16, "bfloat16")])
@pytest.mark.parametrize("kind, make", [
    ("adam", lambda p: torch.optim.Adam(p)), ("momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1))])
def test_measured_bytes_match_the_formula(dtype, name, kind, make):
    torch.manual_seed(0)
    model = models.mlp(8, [16, 16], 3).to(dtype)
    optimizer = make(model.parameters())
    model(torch.randn(4, 8, dtype=dtype)).sum().backward()
    optimizer.step()
    measured = precision.measured_bytes_per_parameter(model, optimizer)
    formula = precision.memory_per_parameter(name, kind)
    assert measured == {k: formula[k] for k in measured}


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_autocast_runs_the_forward_pass_in_low_precision_and_returns_float32(dtype):
    torch.manual_seed(0)
    model = models.mlp(8, [16], 3)
    x = torch.randn(5, 8)
    wrapped = precision.Autocast(model, dtype)
    output = wrapped(x)
    with torch.autocast("cpu", dtype=dtype):
        expected = model(x)
    assert expected.dtype == dtype and output.dtype == torch.float32
    assert torch.equal(output, expected.float())
    assert not torch.equal(output, model(x))          # not the float32 result
    output.sum().backward()
    assert all(p.dtype == p.grad.dtype == torch.float32 for p in model.parameters())
    assert list(wrapped.parameters()) == list(model.parameters())
