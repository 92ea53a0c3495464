"""The exercises of "Debugging and tuning training": correct rewrites pass, every catalogued
mistake is recognised by its own name, broken code gets a clear message, and the references
are torch's."""

import math

import numpy as np
import pytest
import torch

from descent import check, tuning
from descent.check import debugging_training as sheet
from descent.check import feedback


def names(mistakes):
    return [m.name for m in mistakes]


# --- clip_grad_norm ----------------------------------------------------------------------

def torch_clipping(params, max_norm):
    """Not the learner's function: a helper that the learners below call."""
    return torch.nn.utils.clip_grad_norm_(params, max_norm)


def clip_flat(params, max_norm):
    grads = [p.grad for p in list(params) if p.grad is not None]
    total = torch.cat([g.flatten() for g in grads]).norm()
    factor = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for g in grads:
        g.mul_(factor)
    return total


def clip_python(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    total = math.sqrt(sum(float((g * g).sum()) for g in grads))
    if total + 1e-6 > max_norm:
        for g in grads:
            g *= max_norm / (total + 1e-6)
    return total


@pytest.mark.parametrize("function", [clip_flat, clip_python])
def test_clip_grad_norm_rewrites_pass(function):
    result = check.clip_grad_norm(function)
    assert result.passed, result.message


def test_calling_the_built_in_clipping_is_refused():
    def with_torch(params, max_norm):
        return torch.nn.utils.clip_grad_norm_(params, max_norm)

    def with_descent(params, max_norm):
        from descent.clipping import clip_grad_norm_
        return clip_grad_norm_(params, max_norm)
    for function in (with_torch, with_descent):
        result = check.clip_grad_norm(function)
        assert result.mistake == "forbidden call", result.message


def test_clip_reference_is_torch():
    for case in sheet.clip_cases():
        mine, torchs = case.fresh(), case.fresh()
        norm = sheet.clip_reference(mine, case.max_norm)
        expected = torch.nn.utils.clip_grad_norm_(torchs, case.max_norm)
        torch.testing.assert_close(norm, expected)
        for a, b in zip(mine, torchs):
            assert (a.grad is None) == (b.grad is None)
            if a.grad is not None:
                torch.testing.assert_close(a.grad, b.grad)


@pytest.mark.parametrize("mistake", sheet.CLIP_MISTAKES, ids=names(sheet.CLIP_MISTAKES))
def test_every_clipping_mistake_is_named(mistake):
    result = check.clip_grad_norm(mistake.step)
    assert not result.passed and result.mistake == mistake.name, result.message


@pytest.mark.parametrize("mistake, advice, variant", sheet.CLIP_RETURN_MISTAKES,
                         ids=[m for m, _, _ in sheet.CLIP_RETURN_MISTAKES])
def test_every_wrong_return_value_is_named(mistake, advice, variant):
    def learner(params, max_norm):
        norm = torch_clipping(params, max_norm)
        return variant(float(norm), max_norm)
    result = check.clip_grad_norm(learner)
    assert not result.passed and result.mistake == mistake, result.message


def test_clip_broken_code_gets_a_clear_message():
    def raises(params, max_norm):
        return params.grad                                    # a list has no .grad
    result = check.clip_grad_norm(raises)
    assert result.mistake == "exception" and "AttributeError" in result.message
    result = check.clip_grad_norm(lambda params, max_norm: "norm")
    assert result.mistake == "gradients not modified in place"   # nothing changed

    def returns_a_list(params, max_norm):
        params = list(params)
        torch_clipping(params, max_norm)
        return [p.grad for p in params]
    assert check.clip_grad_norm(returns_a_list).mistake == "wrong type"

    def nan(params, max_norm):
        for p in params:
            if p.grad is not None:
                p.grad.fill_(math.nan)
        return 1.0
    assert check.clip_grad_norm(nan).mistake == "unrecognized"

    def changes_parameters(params, max_norm):
        params = list(params)
        with torch.no_grad():
            for p in params:
                p.zero_()
        return torch_clipping(params, max_norm)
    assert check.clip_grad_norm(changes_parameters).mistake == "parameters changed"


def test_clip_never_ending_code_is_stopped(monkeypatch):
    monkeypatch.setattr(feedback, "SECONDS", 0.5)

    def forever(params, max_norm):
        while True:
            pass
    assert check.clip_grad_norm(forever).mistake == "time limit"


# --- suggest_lr ------------------------------------------------------------------------

def suggest_numpy(lrs, losses, beta=0.98):
    losses = np.asarray(losses, dtype=float)
    t = np.arange(1, len(losses) + 1)
    average = np.zeros_like(losses)
    running = 0.0
    for i, loss in enumerate(losses):
        running = beta * running + (1 - beta) * loss
        average[i] = running
    smoothed = average / (1 - beta**t)
    end = int(np.nanargmin(smoothed))
    k = int(np.ceil(0.1 * len(lrs)))
    slopes = np.diff(smoothed[k:end + 1]) / np.diff(np.log(np.asarray(lrs)[k:end + 1]))
    return float(lrs[k + int(np.argmin(slopes))])


def suggest_torch(lrs, losses, beta=0.98):
    curve, s = [], 0.0
    for t, loss in enumerate(losses, start=1):
        s = beta * s + (1 - beta) * loss
        curve.append(s / (1 - beta**t))
    curve = torch.tensor(curve, dtype=torch.float64)
    end = int(torch.argmin(torch.where(torch.isnan(curve), math.inf, curve)))
    logs = torch.log(torch.tensor(lrs, dtype=torch.float64))
    slopes = (curve[1:end + 1] - curve[:end]) / (logs[1:end + 1] - logs[:end])
    skip = len(lrs) // 10 + (len(lrs) % 10 > 0)
    slopes[:skip] = math.inf                                 # the noisy start is not read
    return lrs[int(torch.argmin(slopes))]


@pytest.mark.parametrize("function", [suggest_numpy, suggest_torch])
def test_suggest_lr_rewrites_pass(function):
    result = check.suggest_lr(function)
    assert result.passed, result.message


@pytest.mark.parametrize("mistake", sheet.SUGGEST_MISTAKES, ids=names(sheet.SUGGEST_MISTAKES))
def test_every_choice_of_rate_mistake_is_named(mistake):
    result = check.suggest_lr(mistake.step)
    assert not result.passed and result.mistake == mistake.name, result.message


def test_the_cases_pick_a_rate_inside_the_descent():
    """The reference's rate is neither the first nor near the end of any test curve."""
    for label, lrs, losses, beta in sheet.SUGGEST_CASES:
        index = lrs.index(sheet.suggest_reference(lrs, losses, beta))
        assert 0.2 * len(lrs) < index < 0.8 * len(lrs), label


def test_a_case_where_reading_the_start_lands_at_lr_min():
    """The noisy case: the whole curve read, the steepest drop is in its first tenth."""
    label, lrs, losses, beta = sheet.SUGGEST_CASES[-1]
    assert "noise" in label
    index = lrs.index(tuning.RangeTest(lrs, losses, beta).suggestion(skip_start=0))
    assert index < math.ceil(0.1 * len(lrs)), index
    result = check.suggest_lr(sheet.suggest_variant(skip_start=0.0))
    assert result.mistake == "the noisy start is not skipped" and "⌈n / 10⌉" in result.message


def test_suggest_lr_broken_code_gets_a_clear_message():
    assert check.suggest_lr(lambda lrs, losses, beta=0.98: None).mistake == "returned None"
    assert check.suggest_lr(lambda lrs, losses, beta=0.98: "1e-3").mistake == "wrong type"
    result = check.suggest_lr(lambda lrs, losses, beta=0.98: lrs[len(lrs)])
    assert result.mistake == "exception" and "IndexError" in result.message
    assert check.suggest_lr(lambda lrs, losses, beta=0.98: 0.123).mistake == "unrecognized"


# --- train_accumulated ------------------------------------------------------------------

def accumulated_with_counter(model, optimizer, scheduler, micro_batches, accumulation_steps,
                             max_norm):
    model.zero_grad()
    count = 0
    for x, y in micro_batches:
        prediction = model(x)
        loss = ((prediction - y) ** 2).mean() / accumulation_steps
        loss.backward()
        count += 1
        if count == accumulation_steps:
            torch.nn.utils.clip_grad_norm_(list(model.parameters()), max_norm=max_norm)
            optimizer.step()
            scheduler.step()
            model.zero_grad(set_to_none=True)
            count = 0


def accumulated_in_groups(model, optimizer, scheduler, micro_batches, accumulation_steps,
                          max_norm):
    from descent.clipping import clip_grad_norm_
    for start in range(0, len(micro_batches), accumulation_steps):
        optimizer.zero_grad(set_to_none=False)
        for x, y in micro_batches[start:start + accumulation_steps]:
            (torch.nn.functional.mse_loss(model(x), y) / accumulation_steps).backward()
        clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        scheduler.step()


@pytest.mark.parametrize("function", [accumulated_with_counter, accumulated_in_groups])
def test_train_accumulated_rewrites_pass(function):
    result = check.train_accumulated(function)
    assert result.passed, result.message


@pytest.mark.parametrize("mistake", sheet.TRAIN_ACCUMULATED_MISTAKES,
                         ids=names(sheet.TRAIN_ACCUMULATED_MISTAKES))
def test_every_loop_bug_and_combination_is_named(mistake):
    result = check.train_accumulated(mistake.step)
    assert not result.passed and result.mistake == mistake.name, result.message


def test_the_correct_loop_equals_training_on_the_big_batches():
    """With equal micro-batches and the loss divided by k, accumulation is the big batch."""
    for setting in range(len(sheet.ACCUMULATION_SETTINGS)):
        accumulated = sheet.run_accumulation(sheet.train_accumulated_reference, setting)
        big = sheet.accumulation_run(setting)
        k = big.accumulation_steps
        for i in range(0, len(big.micro_batches), k):
            x = torch.cat([b[0] for b in big.micro_batches[i:i + k]])
            y = torch.cat([b[1] for b in big.micro_batches[i:i + k]])
            big.optimizer.zero_grad()
            torch.nn.functional.mse_loss(big.model(x), y).backward()
            torch.nn.utils.clip_grad_norm_(big.model.parameters(), big.max_norm)
            big.optimizer.step()
            big.scheduler.step()
        torch.testing.assert_close(accumulated.weights(), big.weights(), rtol=1e-12, atol=1e-12)
        assert accumulated.optimizer.rates == big.optimizer.rates


def test_clipping_bites_on_some_steps_only():
    """Otherwise the loss's scale (divided by k or not) would not show after clipping."""
    for setting in range(len(sheet.ACCUMULATION_SETTINGS)):
        run = sheet.accumulation_run(setting)
        clipped = []
        original = sheet.clipping.clip_grad_norm_

        def recording(params, max_norm):
            norm = original(params, max_norm)
            clipped.append(bool(norm > max_norm))
            return norm
        sheet.clipping.clip_grad_norm_ = recording
        try:
            sheet.train_accumulated_reference(*run.arguments())
        finally:
            sheet.clipping.clip_grad_norm_ = original
        assert any(clipped) and not all(clipped), clipped


def test_train_accumulated_broken_code_gets_a_clear_message():
    def raises(model, optimizer, scheduler, micro_batches, accumulation_steps, max_norm):
        for x, y in micro_batches:
            model(y)                                          # the wrong tensor
    result = check.train_accumulated(raises)
    assert result.mistake == "exception" and "RuntimeError" in result.message

    def does_nothing(model, optimizer, scheduler, micro_batches, accumulation_steps, max_norm):
        pass
    assert check.train_accumulated(does_nothing).mistake == "unrecognized"
