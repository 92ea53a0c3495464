"""descent.losses against torch.nn.functional, including extreme inputs."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from descent import losses

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
REDUCTIONS = ["mean", "sum", "none"]


def data(kind, device, scale=1.0, seed=0):
    g = torch.Generator().manual_seed(seed)
    if kind == "regression":
        x, y = torch.randn(6, 4, generator=g), torch.randn(6, 4, generator=g)
    elif kind == "probabilities":
        x, y = torch.rand(6, 4, generator=g), torch.rand(6, 4, generator=g)
    elif kind == "logits-binary":
        x, y = scale * torch.randn(6, 4, generator=g), (torch.rand(6, 4, generator=g) > 0.5).double()
    elif kind == "logits-classes":
        x, y = scale * torch.randn(6, 5, generator=g), torch.randint(0, 5, (6,), generator=g)
    elif kind == "logits-soft":
        x, y = scale * torch.randn(6, 5, generator=g), torch.softmax(torch.randn(6, 5, generator=g), 1)
    x = x.double().to(device).requires_grad_()
    y = y.double().to(device) if y.is_floating_point() else y.to(device)
    return x, y


PAIRS = [
    ("mse_loss", "regression", {}),
    ("l1_loss", "regression", {}),
    ("huber_loss", "regression", {}),
    ("huber_loss", "regression", {"delta": 0.3}),
    ("binary_cross_entropy", "probabilities", {}),
    ("binary_cross_entropy_with_logits", "logits-binary", {}),
    ("cross_entropy", "logits-classes", {}),
    ("cross_entropy", "logits-soft", {}),
]


def compare(name, kind, options, device, reduction, scale=1.0):
    x1, y = data(kind, device, scale)
    x2 = x1.detach().clone().requires_grad_()
    ours = getattr(losses, name)(x1, y, reduction=reduction, **options)
    theirs = getattr(F, name)(x2, y, reduction=reduction, **options)
    torch.testing.assert_close(ours, theirs, rtol=1e-12, atol=1e-12)
    ours.sum().backward()
    theirs.sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, kind, options", PAIRS, ids=[f"{n}-{k}-{o}" for n, k, o in PAIRS])
def test_matches_torch_functional(name, kind, options, reduction, device):
    compare(name, kind, options, device, reduction)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name, kind", [("binary_cross_entropy_with_logits", "logits-binary"),
                                        ("cross_entropy", "logits-classes"),
                                        ("cross_entropy", "logits-soft")])
def test_extreme_logits_stay_finite_and_match_torch(name, kind, device):
    compare(name, kind, {}, device, "none", scale=1e4)
    x, y = data(kind, device, scale=1e4)
    assert torch.isfinite(getattr(losses, name)(x, y, reduction="none")).all()


def test_naive_formulas_overflow_where_the_stable_ones_do_not():
    """The reason for the stable forms: e^{1000} is inf in float64."""
    z = torch.tensor([[1000.0, 0.0, -1000.0]], dtype=torch.float64)
    naive = -torch.log(torch.exp(z[0, 0]) / torch.exp(z).sum())
    assert torch.isnan(naive)
    assert losses.cross_entropy(z, torch.tensor([0])).item() == 0.0
    naive_bce = torch.log(1 + torch.exp(torch.tensor(1000.0, dtype=torch.float64)))
    assert torch.isinf(naive_bce)
    assert losses.binary_cross_entropy_with_logits(
        torch.tensor([1000.0], dtype=torch.float64), torch.tensor([0.0], dtype=torch.float64)
    ).item() == 1000.0


@pytest.mark.parametrize("device", DEVICES)
def test_binary_cross_entropy_with_logits_gradient_is_sigmoid_minus_y_at_the_kink(device):
    """At z = 0 exactly, where max(z, 0) and |z| have kinks, the gradient is σ(0) − y = ½ − y."""
    z = torch.tensor([0.0, 0.0, -0.0, 1e-30, -1e-30], dtype=torch.float64, device=device,
                     requires_grad=True)
    y = torch.tensor([0.0, 1.0, 0.25, 1.0, 0.0], dtype=torch.float64, device=device)
    losses.binary_cross_entropy_with_logits(z, y, reduction="sum").backward()
    torch.testing.assert_close(z.grad, torch.sigmoid(z.detach()) - y, rtol=0, atol=1e-15)
    ours = losses.binary_cross_entropy_with_logits(z, y, reduction="none")
    torch.testing.assert_close(ours, F.binary_cross_entropy_with_logits(z, y, reduction="none"))


def test_binary_cross_entropy_clamps_log_like_torch():
    p = torch.tensor([0.0, 1.0, 0.0], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
    ours = losses.binary_cross_entropy(p, y, reduction="none")
    assert ours.tolist() == [100.0, 100.0, 0.0]
    torch.testing.assert_close(ours, F.binary_cross_entropy(p, y, reduction="none"))


def test_logsumexp_and_log_softmax_match_torch():
    z = torch.tensor([[1e4, -1e4, 3.0], [0.1, 0.2, 0.3]], dtype=torch.float64)
    torch.testing.assert_close(losses.logsumexp(z, dim=1), torch.logsumexp(z, dim=1))
    torch.testing.assert_close(losses.log_softmax(z, dim=1), torch.log_softmax(z, dim=1))
    torch.testing.assert_close(losses.logsumexp(z, dim=0), torch.logsumexp(z, dim=0))


def test_hand_computed_values():
    y_hat = torch.tensor([1.0, 2.0, 4.0])
    y = torch.tensor([1.0, 0.0, 1.0])
    assert losses.mse_loss(y_hat, y).item() == pytest.approx((0 + 4 + 9) / 3)
    assert losses.l1_loss(y_hat, y, reduction="sum").item() == pytest.approx(5.0)
    # errors 0, 2, 3 with δ = 1: 0, 1·(2 − 0.5), 1·(3 − 0.5)
    assert losses.huber_loss(y_hat, y, reduction="sum").item() == pytest.approx(1.5 + 2.5)
    # one example, logits (0, 0): −log(1/2)
    assert losses.cross_entropy(torch.zeros(1, 2), torch.tensor([1])).item() == pytest.approx(0.693147, abs=1e-6)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy",
                                  "binary_cross_entropy_with_logits"])
def test_bad_input_raises_a_clear_error(name):
    loss = getattr(losses, name)
    x = torch.rand(4, 3)
    with pytest.raises(ValueError, match="shape"):
        loss(x, torch.rand(3, 4))
    with pytest.raises(ValueError, match="shape"):
        loss(x, torch.rand(4, 1))  # torch would broadcast with a warning
    with pytest.raises(ValueError, match="dtype"):
        loss(x, torch.rand(4, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match="meta"):
        loss(x, torch.rand(4, 3, device="meta"))
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        loss(x, torch.rand(4, 3), reduction="average")
    with pytest.raises(TypeError):
        loss(x, torch.rand(4, 3), reductoin="sum")


def test_cross_entropy_bad_targets():
    logits = torch.randn(4, 3)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        losses.cross_entropy(logits, torch.tensor([0, 1, 2, 3]))
    with pytest.raises(ValueError, match="long tensor of shape"):
        losses.cross_entropy(logits, torch.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match="shape"):
        losses.cross_entropy(logits, torch.rand(4, 2))
    with pytest.raises(ValueError, match=r"\(N, C\)"):
        losses.cross_entropy(torch.randn(3), torch.tensor(1))


def test_binary_cross_entropy_rejects_logits():
    with pytest.raises(ValueError, match="between 0 and 1"):
        losses.binary_cross_entropy(torch.tensor([2.0]), torch.tensor([1.0]))


def test_binary_cross_entropy_gradient_is_finite_and_torchs_at_0_and_1():
    p = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.3], dtype=torch.float64)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0], dtype=torch.float64)
    ours_p, theirs_p = p.clone().requires_grad_(), p.clone().requires_grad_()
    losses.binary_cross_entropy(ours_p, y, reduction="sum").backward()
    F.binary_cross_entropy(theirs_p, y, reduction="sum").backward()
    assert torch.isfinite(ours_p.grad).all()
    torch.testing.assert_close(ours_p.grad, theirs_p.grad)
