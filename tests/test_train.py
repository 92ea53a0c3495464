"""descent.train: the training loop, evaluation, fit and trajectories."""

from __future__ import annotations

import pytest
import torch

from descent import data, losses, optim, regularization, train

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def linear_problem(device="cpu"):
    x, y, _, _ = data.regression(64, 3, seed=0, dtype=torch.float64, device=device)
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1, dtype=torch.float64).to(device)
    return model, (lambda out, target: losses.mse_loss(out.squeeze(1), target)), x, y


def test_full_batch_epoch_is_one_gradient_descent_step():
    model, loss_fn, x, y = linear_problem()
    expected = [p.detach().clone() for p in model.parameters()]
    loss_fn(model(x), y).backward()
    expected = [e - 0.1 * p.grad for e, p in zip(expected, model.parameters())]
    train.train_epoch(model, loss_fn, optim.SGD(model.parameters(), lr=0.1), x, y, batch_size=None)
    for p, e in zip(model.parameters(), expected):
        torch.testing.assert_close(p.detach(), e)


@pytest.mark.parametrize("batch_size, steps", [(1, 64), (10, 7), (64, 1), (None, 1)])
def test_number_of_updates_per_epoch(batch_size, steps):
    model, loss_fn, x, y = linear_problem()
    optimizer = optim.Adam(model.parameters())
    train.train_epoch(model, loss_fn, optimizer, x, y, batch_size, torch.Generator().manual_seed(0))
    assert optimizer.state[model.weight]["step"] == steps


def test_evaluate_reports_accuracy_for_class_labels_and_restores_mode():
    model = torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.Identity())
    scores = torch.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    result = train.evaluate(model, losses.cross_entropy, scores, torch.tensor([0, 1, 1]))
    assert result["accuracy"] == pytest.approx(2 / 3)
    assert result["loss"] == pytest.approx(losses.cross_entropy(scores, torch.tensor([0, 1, 1])).item())
    assert model.training  # dropout was off during evaluation only


@pytest.mark.parametrize("device", DEVICES)
def test_fit_lowers_the_loss_and_records_history(device):
    model, loss_fn, x, y = linear_problem(device)
    history = train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.05), (x, y),
                        epochs=20, batch_size=8, eval_data={"train": (x, y), "validation": (x[:16], y[:16])})
    assert history["epoch"] == list(range(1, 21))
    assert set(history) == {"epoch", "lr", "train_loss", "validation_loss"}
    assert history["train_loss"][-1] < 0.05 * history["train_loss"][0]


def test_fit_is_reproducible():
    runs = []
    for _ in range(2):
        model, loss_fn, x, y = linear_problem()
        runs.append(train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.05), (x, y),
                              epochs=5, batch_size=8, seed=3)["train_loss"])
    assert runs[0] == runs[1]


def test_fit_records_the_scheduled_learning_rate():
    model, loss_fn, x, y = linear_problem()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    history = train.fit(model, loss_fn, optimizer, (x, y), epochs=5, scheduler=scheduler)
    assert history["lr"] == [0.1, 0.1, 0.05, 0.05, 0.025]


def test_fit_stops_early():
    model, loss_fn, x, y = linear_problem()
    # validation targets that training cannot fit: its loss soon stops improving
    validation = (x[:16], -y[:16])
    stopper = regularization.EarlyStopping(patience=2)
    history = train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.05), (x, y), epochs=50,
                        batch_size=8, eval_data={"validation": validation}, early_stopping=stopper)
    assert len(history["epoch"]) == stopper.best_epoch + 1 + 2 < 50


def test_fit_stops_when_training_diverges():
    model, loss_fn, x, y = linear_problem()
    history = train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=1e3), (x, y), epochs=500)
    assert len(history["epoch"]) < 500
    assert not torch.isfinite(torch.tensor(history["train_loss"][-1]))


def test_fit_rejects_bad_arguments():
    model, loss_fn, x, y = linear_problem()
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="epochs"):
        train.fit(model, loss_fn, opt, (x, y), epochs=0)
    with pytest.raises(ValueError, match="validation"):
        train.fit(model, loss_fn, opt, (x, y), epochs=1, early_stopping=regularization.EarlyStopping(1))
    with pytest.raises(ValueError, match="batch_size"):
        train.fit(model, loss_fn, opt, (x, y), epochs=1, batch_size=0)
    with pytest.raises(TypeError):
        train.fit(model, loss_fn, opt, (x, y), epochs=1, batchsize=4)


def test_trajectory_of_gradient_descent_on_a_quadratic_is_geometric():
    """On f = ½(λ1θ1² + λ2θ2²), GD gives θ_k = (1 − αλ)^k θ_0 in each coordinate."""
    q = data.Quadratic((1.0, 10.0))
    path = train.trajectory(q, (-4.0, 1.0), lambda p: optim.SGD(p, lr=0.15), steps=20)
    k = torch.arange(21, dtype=torch.float64)
    expected = torch.stack([-4.0 * (1 - 0.15) ** k, 1.0 * (1 - 1.5) ** k], dim=1)
    torch.testing.assert_close(path, expected)


def test_trajectory_stops_when_it_diverges():
    q = data.Quadratic((1.0, 10.0))
    path = train.trajectory(q, (-4.0, 1.0), lambda p: optim.SGD(p, lr=10.0), steps=10_000)
    assert len(path) < 10_001 and not torch.isfinite(path[-1]).all()


def test_fit_shows_a_progress_bar_when_asked(capsys):
    model, loss_fn, x, y = linear_problem()
    train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.05), (x, y), epochs=3, progress=True)
    assert "epochs: 100%" in capsys.readouterr().err


def article_objective(w, b):
    ex = data.article_example()
    return lambda: 0.5 * ((ex.y - (ex.x @ w + b)) ** 2).sum()


@pytest.mark.parametrize("options, reason", [
    (dict(max_steps=5), "max_steps"),
    (dict(max_steps=10_000, loss_tol=1e-6), "loss_tol"),
    (dict(max_steps=10_000, grad_tol=1e-3), "grad_tol"),
])
def test_minimize_stops_for_the_first_criterion_that_holds(options, reason):
    ex = data.article_example()
    w, b = ex.w.clone().requires_grad_(), ex.b.clone().requires_grad_()
    result = train.minimize(article_objective(w, b), optim.SGD([w, b], lr=ex.lr), **options)
    assert result.reason == reason
    assert len(result.losses) == len(result.grad_norms) == result.steps + 1
    if reason == "max_steps":
        assert result.steps == 5
    if reason == "loss_tol":
        assert result.losses[-1] <= 1e-6 < result.losses[-2]
    if reason == "grad_tol":
        assert result.grad_norms[-1] <= 1e-3 < result.grad_norms[-2]
    assert result.losses[0] == pytest.approx(4.42)


def test_minimize_reports_divergence():
    ex = data.article_example()
    w, b = ex.w.clone().requires_grad_(), ex.b.clone().requires_grad_()
    result = train.minimize(article_objective(w, b), optim.SGD([w, b], lr=1.0), max_steps=10_000)
    assert result.reason == "diverged" and result.steps < 10_000


def test_dead_units_counts_units_that_are_zero_on_every_example():
    layer = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU())
    with torch.no_grad():
        layer[0].weight.zero_()
        layer[0].bias.copy_(torch.tensor([1.0, -1.0, 0.0, -2.0]))  # units 2, 3, 4 output 0
        layer[0].weight[2, 0] = 1.0  # unit 3 comes alive where x_1 > 0
    x = torch.tensor([[-1.0, 0.0, 0.0], [0.5, 0.0, 0.0]])
    assert train.dead_units(layer, x) == 2
    assert train.dead_units(layer, x[:1]) == 3
