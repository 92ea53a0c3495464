"""descent.regularization: penalties, dropout against torch, early stopping."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from descent import regularization as reg

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def test_penalties_by_hand_and_their_gradients():
    w = torch.tensor([1.0, -2.0, 0.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    assert reg.l1_penalty([w, b], 0.1).item() == pytest.approx(0.6)
    assert reg.l2_penalty([w, b], 0.1).item() == pytest.approx(0.05 * 14)
    reg.l2_penalty([w], 0.1).backward()
    torch.testing.assert_close(w.grad, 0.1 * w.detach())          # ∇(λ/2‖w‖²) = λw
    w.grad = None
    reg.l1_penalty([w], 0.1).backward()
    torch.testing.assert_close(w.grad, 0.1 * torch.sign(w.detach()))  # λ·sign(w), 0 at 0


@pytest.mark.parametrize("penalty", [reg.l1_penalty, reg.l2_penalty])
def test_negative_strength_is_rejected(penalty):
    with pytest.raises(ValueError, match="lam"):
        penalty([torch.ones(2)], -0.1)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_equals_torch_for_the_same_seed(p, device):
    x = torch.randn(200, 30, device=device)
    torch.manual_seed(5)
    theirs = F.dropout(x, p)
    torch.manual_seed(5)
    ours = reg.dropout(x, p)
    assert torch.equal(ours, theirs)


def test_dropout_keeps_the_expected_value_and_drops_a_fraction_p():
    x = torch.ones(1_000_000)
    y = reg.dropout(x, 0.3, generator=torch.Generator().manual_seed(0))
    assert (y == 0).float().mean().item() == pytest.approx(0.3, abs=0.002)
    assert y.mean().item() == pytest.approx(1.0, abs=0.005)
    assert y.unique().tolist() == pytest.approx([0.0, 1 / 0.7])


def test_dropout_in_eval_mode_is_the_identity():
    x = torch.randn(10)
    assert reg.dropout(x, 0.5, training=False) is x
    assert torch.equal(reg.dropout(x, 1.0), torch.zeros(10))


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_rejects_bad_probability_with_torchs_message(p):
    with pytest.raises(ValueError) as theirs:
        F.dropout(torch.ones(2), p)
    with pytest.raises(ValueError) as ours:
        reg.dropout(torch.ones(2), p)
    assert str(ours.value) == str(theirs.value)


def test_early_stopping_waits_patience_checks_after_the_best():
    stopper = reg.EarlyStopping(patience=3, min_delta=0.01)
    losses = [1.0, 0.9, 0.895, 0.91, 0.85, 0.86, 0.849, 0.87]
    decisions = [stopper.step(loss) for loss in losses]
    # 0.895 is not better than 0.9 by more than 0.01; best is 0.85 at check 4
    assert decisions == [False, False, False, False, False, False, False, True]
    assert stopper.best_epoch == 4 and stopper.best_loss == 0.85


def test_early_stopping_bad_input():
    with pytest.raises(ValueError, match="patience"):
        reg.EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="NaN"):
        reg.EarlyStopping(patience=1).step(float("nan"))


def test_early_stopping_says_when_a_check_improved():
    stopper = reg.EarlyStopping(patience=5, restore_best=True)
    assert stopper.restore_best and not stopper.improved   # no check yet
    improved = []
    for loss in [1.0, 0.8, 0.9, 0.7, 0.7]:
        stopper.step(loss)
        improved.append(stopper.improved)
    assert improved == [True, True, False, True, False]
    assert not reg.EarlyStopping(patience=1).restore_best  # off by default
