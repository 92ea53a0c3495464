"""descent.train: the training loop, evaluation, fit and trajectories."""

from __future__ import annotations

import pytest
import torch

from descent import averaging, data, losses, optim, regularization, schedules, train

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
    assert set(history) == {"epoch", "lr", "train_loss", "validation_loss", "step_loss", "step_lr"}
    assert len(history["step_loss"]) == len(history["step_lr"]) == 20 * 8
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
    history = train.fit(model, loss_fn, optimizer, (x, y), epochs=5, scheduler=scheduler,
                        scheduler_interval="epoch")
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


# fit against hand-written loops -------------------------------------------------------------

def hand_fit(model, loss_fn, optimizer, x, y, *, epochs, batch_size, seed=0,
             after_backward=None, after_step=None, after_epoch=None):
    """The textbook loop, with fit's shuffling (one generator seeded by `seed`)."""
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator).to(x.device)
        for batch in order.split(batch_size):
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            if after_backward is not None:
                after_backward()
            optimizer.step()
            if after_step is not None:
                after_step(loss)
        if after_epoch is not None:
            after_epoch()


def two_copies(device="cpu"):
    """Two identical linear models on the same regression problem."""
    first, loss_fn, x, y = linear_problem(device)
    second, _, _, _ = linear_problem(device)
    return first, second, loss_fn, x, y


def assert_same_parameters(a, b, **tolerance):
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(p.detach(), q.detach(), **tolerance)


@pytest.mark.parametrize("device", DEVICES)
def test_fit_steps_a_scheduler_after_every_batch_as_a_hand_loop(device):
    model, reference, loss_fn, x, y = two_copies(device)
    epochs, steps = 3, 8   # 64 examples in batches of 8
    schedulers, lrs, losses_ = [], [], []
    for net in (model, reference):
        optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
        schedulers.append(torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1,
                                                              total_steps=epochs * steps))
    history = train.fit(model, loss_fn, schedulers[0].optimizer, (x, y), epochs=epochs, batch_size=8,
                        scheduler=schedulers[0], scheduler_interval="batch")

    def after_step(loss):
        lrs.append(schedulers[1].optimizer.param_groups[0]["lr"])
        losses_.append(loss.item())
        schedulers[1].step()
    hand_fit(reference, loss_fn, schedulers[1].optimizer, x, y, epochs=epochs, batch_size=8,
             after_step=after_step)
    assert_same_parameters(model, reference, rtol=0, atol=0)
    assert history["step_lr"] == lrs and len(set(lrs)) == epochs * steps   # α changed every step
    assert history["step_loss"] == pytest.approx(losses_, rel=1e-12)
    assert history["lr"] == lrs[::steps]   # per epoch: the α of its first step


def test_fit_steps_a_scheduler_once_per_epoch_as_a_hand_loop():
    model, reference, loss_fn, x, y = two_copies()
    schedulers = [torch.optim.lr_scheduler.LambdaLR(optim.SGD(net.parameters(), lr=0.1),
                                                    lambda t: 0.5**t) for net in (model, reference)]
    history = train.fit(model, loss_fn, schedulers[0].optimizer, (x, y), epochs=4, batch_size=16,
                        scheduler=schedulers[0], scheduler_interval="epoch")
    hand_fit(reference, loss_fn, schedulers[1].optimizer, x, y, epochs=4, batch_size=16,
             after_epoch=schedulers[1].step)
    assert_same_parameters(model, reference, rtol=0, atol=0)
    assert history["lr"] == [0.1, 0.05, 0.025, 0.0125]
    assert history["step_lr"] == [lr for lr in history["lr"] for _ in range(4)]


def test_fit_steps_reduce_lr_on_plateau_with_the_monitored_loss():
    model, loss_fn, x, y = linear_problem()
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=0)
    history = train.fit(model, loss_fn, optimizer, (x, y), epochs=10, batch_size=8,
                        eval_data={"train": (x, y), "validation": (x[:16], -y[:16])},
                        scheduler=plateau, scheduler_interval="epoch")
    # the same scheduler fed the recorded validation losses gives the recorded α
    replay = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.05), factor=0.5, patience=0)
    expected = []
    for loss in history["validation_loss"]:
        expected.append(replay.optimizer.param_groups[0]["lr"])
        replay.step(loss)
    assert history["lr"] == expected and min(expected) < 0.05


def test_fit_explains_scheduler_misuse():
    model, loss_fn, x, y = linear_problem()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    step_lr = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)

    def run(scheduler, interval="epoch", **options):
        train.fit(model, loss_fn, optimizer, (x, y), epochs=2, batch_size=16, scheduler=scheduler,
                  scheduler_interval=interval, **options)
    for interval in (None, "step", "epochs"):
        with pytest.raises(ValueError, match='"epoch".*"batch"'):
            run(step_lr, interval)
    with pytest.raises(ValueError, match="without a scheduler"):
        run(None, "batch")
    with pytest.raises(TypeError, match="LambdaLR"):
        run(schedules.cosine(10))
    other = torch.optim.lr_scheduler.StepLR(optim.SGD(model.parameters(), lr=0.1), step_size=2)
    with pytest.raises(ValueError, match="another optimizer"):
        run(other)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    with pytest.raises(ValueError, match="ReduceLROnPlateau.*epoch"):
        run(plateau, "batch", eval_data={"validation": (x, y)})
    with pytest.raises(ValueError, match="validation"):
        run(plateau, "epoch")    # nothing named "validation" to monitor
    one_cycle = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=7)
    with pytest.raises(ValueError, match=r"total_steps=7.* 8 times"):   # 2 epochs × 4 steps
        run(one_cycle, "batch")
    run(one_cycle, "epoch")      # 2 steps fit in 7


# early stopping that restores the best weights ---------------------------------------------

def overshooting_problem(device="cpu"):
    """Validation targets y/2: fitting y first helps, then hurts, so the best epoch is inside."""
    model, loss_fn, x, y = linear_problem(device)
    return model, loss_fn, x, y, {"validation": (x[:16], 0.5 * y[:16])}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("patience", [3, 100])   # stopped early / epochs ran out
def test_early_stopping_restores_the_weights_of_the_best_epoch(patience, device):
    model, loss_fn, x, y, validation = overshooting_problem(device)
    stopper = regularization.EarlyStopping(patience=patience, restore_best=True)
    history = train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.01), (x, y), epochs=40,
                        batch_size=8, eval_data=validation, early_stopping=stopper)
    best = history["epoch"][stopper.best_epoch]
    assert best == stopper.best_epoch + 1 and 1 < best < len(history["epoch"])
    assert history["validation_loss"][stopper.best_epoch] == min(history["validation_loss"])
    # a second model trained for exactly `best` epochs ends where the first was restored to
    again, _, _, _, _ = overshooting_problem(device)
    train.fit(again, loss_fn, optim.SGD(again.parameters(), lr=0.01), (x, y), epochs=best, batch_size=8)
    assert_same_parameters(model, again, rtol=0, atol=0)
    assert train.evaluate(model, loss_fn, *validation["validation"])["loss"] == min(history["validation_loss"])


def test_early_stopping_without_restore_keeps_the_last_weights():
    model, loss_fn, x, y, validation = overshooting_problem()
    stopper = regularization.EarlyStopping(patience=3)
    history = train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.01), (x, y), epochs=40,
                        batch_size=8, eval_data=validation, early_stopping=stopper)
    last = train.evaluate(model, loss_fn, *validation["validation"])["loss"]
    assert last == history["validation_loss"][-1] > min(history["validation_loss"])


# gradient clipping and accumulation --------------------------------------------------------

@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("option, torch_clip", [
    ("clip_grad_norm", torch.nn.utils.clip_grad_norm_),
    ("clip_grad_value", torch.nn.utils.clip_grad_value_),
])
def test_fit_clips_gradients_as_torch_does(option, torch_clip, device):
    model, reference, loss_fn, x, y = two_copies(device)
    cap = 0.5    # smaller than the gradients here, so clipping changes every step
    grad_norms = []

    def clip():
        grad_norms.append(torch.nn.utils.get_total_norm([p.grad for p in reference.parameters()]).item())
        torch_clip(reference.parameters(), cap)
    train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.1), (x, y), epochs=2, batch_size=16,
              **{option: cap})
    hand_fit(reference, loss_fn, optim.SGD(reference.parameters(), lr=0.1), x, y, epochs=2,
             batch_size=16, after_backward=clip)
    assert_same_parameters(model, reference)
    assert min(grad_norms) > 1.0


def test_fit_rejects_a_clipping_cap_that_is_not_positive():
    model, loss_fn, x, y = linear_problem()
    opt = optim.SGD(model.parameters(), lr=0.1)
    for option in ("clip_grad_norm", "clip_grad_value"):
        for cap in (0.0, -1.0, float("nan")):
            with pytest.raises(ValueError, match=option):
                train.fit(model, loss_fn, opt, (x, y), epochs=1, **{option: cap})


@pytest.mark.parametrize("device", DEVICES)
def test_accumulated_micro_batches_equal_one_large_batch(device):
    x, y, _, _ = data.regression(70, 3, seed=0, dtype=torch.float64, device=device)   # 32 + 32 + 6
    runs = []
    for batch_size, accumulation_steps in [(8, 4), (32, 1)]:
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1),
                                    torch.nn.Flatten(0)).double().to(device)
        optimizer = optim.Adam(model.parameters(), lr=0.01)
        history = train.fit(model, losses.mse_loss, optimizer, (x, y), epochs=3, batch_size=batch_size,
                            accumulation_steps=accumulation_steps, seed=1)
        runs.append((model, optimizer, history))
    (small, small_opt, small_history), (large, large_opt, large_history) = runs
    assert_same_parameters(small, large, rtol=1e-12, atol=1e-14)
    for optimizer in (small_opt, large_opt):
        assert optimizer.state[optimizer.param_groups[0]["params"][0]]["step"] == 3 * 3
    assert len(small_history["step_loss"]) == len(large_history["step_loss"]) == 9
    assert small_history["step_loss"] == pytest.approx(large_history["step_loss"], rel=1e-12)
    assert small_history["train_loss"] == pytest.approx(large_history["train_loss"], rel=1e-12)


@pytest.mark.parametrize("steps", [0, -1, 1.5, True, "4"])
def test_fit_rejects_bad_accumulation_steps(steps):
    model, loss_fn, x, y = linear_problem()
    with pytest.raises(ValueError, match="accumulation_steps"):
        train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.1), (x, y), epochs=1,
                  accumulation_steps=steps)


# EMA of the weights ------------------------------------------------------------------------

def three_classes(device="cpu"):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(48, 4, generator=generator, dtype=torch.float64)
    return x.to(device), x[:, :3].argmax(dim=1).to(device)


@pytest.mark.parametrize("device", DEVICES)
def test_fit_keeps_an_ema_as_torch_swa_utils_does(device):
    from torch.optim.swa_utils import AveragedModel, get_ema_avg_fn

    x, y = three_classes(device)
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 3, dtype=torch.float64).to(device)
    reference = torch.nn.Linear(4, 3, dtype=torch.float64).to(device)
    reference.load_state_dict(model.state_dict())
    ema = averaging.AveragedModel(model, avg_fn=averaging.ema_average(0.9))
    theirs = AveragedModel(reference, avg_fn=get_ema_avg_fn(0.9))
    history = train.fit(model, losses.cross_entropy, optim.SGD(model.parameters(), lr=0.5), (x, y),
                        epochs=3, batch_size=8, ema=ema)
    expected = []
    hand_fit(reference, losses.cross_entropy, optim.SGD(reference.parameters(), lr=0.5), x, y,
             epochs=3, batch_size=8, after_step=lambda loss: theirs.update_parameters(reference),
             after_epoch=lambda: expected.append(train.evaluate(theirs, losses.cross_entropy, x, y)))
    assert_same_parameters(ema, theirs)
    assert int(ema.n_averaged) == 3 * 6
    assert history["ema_train_loss"] == pytest.approx([e["loss"] for e in expected], rel=1e-12)
    assert history["ema_train_accuracy"] == [e["accuracy"] for e in expected]
    assert history["ema_train_loss"] != history["train_loss"]


def test_an_ema_without_averaged_buffers_copies_batchnorm_statistics():
    x, y = three_classes()
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.BatchNorm1d(5), torch.nn.ReLU(),
                                torch.nn.Linear(5, 3)).double()
    ema = averaging.AveragedModel(model, avg_fn=averaging.ema_average(0.9))   # use_buffers=False
    train.fit(model, losses.cross_entropy, optim.SGD(model.parameters(), lr=0.1), (x, y),
              epochs=2, batch_size=8, ema=ema)
    for mine, theirs in zip(ema.module.buffers(), model.buffers(), strict=True):
        assert torch.equal(mine, theirs)


# the progress bar --------------------------------------------------------------------------

def test_the_progress_bar_shows_the_training_and_monitored_loss(capsys):
    model, loss_fn, x, y = linear_problem()
    history = train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.05), (x, y), epochs=3,
                        eval_data={"train": (x, y), "validation": (x[:16], y[:16])}, progress=True)
    err = capsys.readouterr().err
    assert "epochs: 100%" in err
    # full batch: one step per epoch, so the epoch's training loss is its step's loss
    assert f"loss={history['step_loss'][-1]:.4g}, validation loss={history['validation_loss'][-1]:.4g}" in err


def test_no_progress_bar_writes_nothing(capsys):
    model, loss_fn, x, y = linear_problem()
    train.fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.05), (x, y), epochs=3)
    assert capsys.readouterr() == ("", "")
