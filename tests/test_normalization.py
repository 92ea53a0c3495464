"""descent.normalization against torch.nn.functional.batch_norm / layer_norm and nn.BatchNorm1d."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from descent import models, normalization

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def tensors(device, n=16, c=5, dtype=torch.float64):
    g = torch.Generator().manual_seed(0)
    z = 3 * torch.randn(n, c, generator=g, dtype=dtype) + torch.randn(c, generator=g, dtype=dtype)
    gamma = torch.rand(c, generator=g, dtype=dtype) + 0.5
    beta = torch.randn(c, generator=g, dtype=dtype)
    return z.to(device), gamma.to(device), beta.to(device)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("eps", [1e-5, 0.1])
def test_batch_norm_equals_torch_in_training_mode(device, eps):
    z, gamma, beta = tensors(device)
    expected = F.batch_norm(z, None, None, gamma, beta, training=True, eps=eps)
    torch.testing.assert_close(normalization.batch_norm(z, gamma, beta, eps), expected)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("eps", [1e-5, 0.1])
def test_layer_norm_equals_torch(device, eps):
    z, gamma, beta = tensors(device)
    expected = F.layer_norm(z, (z.shape[-1],), gamma, beta, eps=eps)
    torch.testing.assert_close(normalization.layer_norm(z, gamma, beta, eps), expected)


def test_the_two_normalize_over_different_axes():
    z, gamma, beta = tensors("cpu")
    ones, zeros = torch.ones_like(gamma), torch.zeros_like(beta)
    bn, ln = normalization.batch_norm(z, ones, zeros), normalization.layer_norm(z, ones, zeros)
    torch.testing.assert_close(bn.mean(dim=0), torch.zeros(5, dtype=z.dtype))   # each unit over the batch
    torch.testing.assert_close(ln.mean(dim=1), torch.zeros(16, dtype=z.dtype))  # each example over its units
    assert bn.mean(dim=1).abs().max() > 0.1 and ln.mean(dim=0).abs().max() > 0.1


@pytest.mark.parametrize("momentum", [0.1, 0.5])
def test_running_statistics_equal_batchnorm1d(momentum):
    layer = torch.nn.BatchNorm1d(5, momentum=momentum, dtype=torch.float64)
    mean, var = layer.running_mean.clone(), layer.running_var.clone()
    g = torch.Generator().manual_seed(1)
    for _ in range(4):
        z = 2 * torch.randn(8, 5, generator=g, dtype=torch.float64) + 1
        layer(z)
        mean, var = normalization.update_running_statistics(mean, var, z, momentum)
    torch.testing.assert_close(mean, layer.running_mean)
    torch.testing.assert_close(var, layer.running_var)


def test_running_statistics_reject_a_bad_momentum():
    with pytest.raises(ValueError, match="momentum"):
        normalization.update_running_statistics(torch.zeros(2), torch.ones(2), torch.randn(3, 2), 1.5)


def test_gradient_change_matches_a_direct_computation_and_restores_the_model():
    torch.manual_seed(0)
    model = models.mlp(4, [6, 6], 3, norm="batch").double()
    x = torch.randn(10, 4, dtype=torch.float64)
    y = torch.randint(0, 3, (10,))
    model(x)  # running statistics that are not the initial ones
    model[0].weight.grad = torch.ones_like(model[0].weight)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    losses, changes = normalization.gradient_change(model, F.cross_entropy, x, y, [0.0, 0.1, 0.5])

    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k
    assert torch.equal(model[0].weight.grad, torch.ones_like(model[0].weight))
    assert model[1].bias.grad is None and model.training

    copy = models.mlp(4, [6, 6], 3, norm="batch").double()
    copy.load_state_dict(before)
    g = torch.autograd.grad(F.cross_entropy(copy(x), y), list(copy.parameters()))
    with torch.no_grad():
        for p, gi in zip(copy.parameters(), g):
            p -= 0.5 * gi
    loss = F.cross_entropy(copy(x), y)
    g_half = torch.autograd.grad(loss, list(copy.parameters()))
    change = torch.sqrt(sum(((a - b) ** 2).sum() for a, b in zip(g_half, g)))
    assert losses[2] == pytest.approx(loss.item(), rel=1e-12)
    assert changes[2] == pytest.approx(change.item(), rel=1e-12)
    assert changes[0] == 0.0 and losses[1] < losses[0]
