"""The exercises of "The training toolkit": correct rewrites pass, every catalogued mistake is
recognised by its own name, broken code gets a clear message, and the references are torch's."""

import copy

import pytest
import torch
from torch.optim import swa_utils

from descent import check
from descent.check import training_toolkit as sheet


def names(mistakes):
    return [m.name for m in mistakes]


# --- ema_update --------------------------------------------------------------------------

def ema_lerp(state, params, decay):
    params = [p.detach() for p in params]
    if not state:
        state["averaged"] = [p.clone() for p in params]
    else:
        for a, p in zip(state["averaged"], params):
            a.lerp_(p, 1 - decay)


@torch.no_grad()
def ema_new_tensors(state, params, decay):
    params = list(params)
    old = state.get("averaged")
    if old is None:
        state["averaged"] = [p.clone() for p in params]
    else:
        state["averaged"] = [decay * a + (1 - decay) * p for a, p in zip(old, params)]


def ema_with_averaging_module(state, params, decay):
    from descent.averaging import ema_average
    average = ema_average(decay)
    with torch.no_grad():
        params = list(params)
        if "averaged" in state:
            state["averaged"] = [average(a, p, 1) for a, p in zip(state["averaged"], params)]
        else:
            state["averaged"] = [torch.clone(p) for p in params]


@pytest.mark.parametrize("function", [ema_lerp, ema_new_tensors, ema_with_averaging_module])
def test_ema_update_rewrites_pass(function):
    result = check.ema_update(function)
    assert result.passed, result.message


def test_ema_reference_is_torchs_averaged_model():
    for case in sheet.EMA_CASES:
        params, grads = sheet.ema_trajectory(case.seed, case.dtype, case.device)
        module = torch.nn.ParameterList([torch.nn.Parameter(p.detach().clone()) for p in params])
        averaged = swa_utils.AveragedModel(module, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(
            case.decay))
        path = sheet.run_ema(sheet.ema_reference, case)
        for step, step_grads in enumerate(grads):
            with torch.no_grad():
                for p, g in zip(module, step_grads):
                    p.sub_(0.3 * g)
            averaged.update_parameters(module)
            for mine, theirs in zip(path[step], averaged.module):
                torch.testing.assert_close(mine, theirs.detach())


@pytest.mark.parametrize("mistake", sheet.EMA_MISTAKES, ids=names(sheet.EMA_MISTAKES))
def test_every_ema_mistake_is_named(mistake):
    result = check.ema_update(mistake.step)
    assert not result.passed and result.mistake == mistake.name, result.message


def test_ema_broken_code_gets_a_clear_message():
    def raises(state, params, decay):
        state["averaged"] = [p.clone() for p in params][5]
    result = check.ema_update(raises)
    assert result.mistake == "exception" and "IndexError" in result.message

    def wrong_dtype(state, params, decay):
        state["averaged"] = [p.detach().float() * 0 for p in params]
    assert check.ema_update(wrong_dtype).mistake == "wrong shape"

    def not_a_list(state, params, decay):
        state["averaged"] = torch.cat([p.detach().flatten() for p in params])
    assert check.ema_update(not_a_list).mistake == "wrong type"


# --- accumulate_gradients ---------------------------------------------------------------

def accumulate_sum_reduction(model, loss_fn, micro_batches):
    """Sums over examples, divided once by N at the end (through the loss's scale)."""
    n = sum(x.shape[0] for x, _ in micro_batches)
    total = torch.zeros((), dtype=torch.float64)
    for x, y in micro_batches:
        part = loss_fn(model(x), y) * x.shape[0]
        (part / n).backward()
        total += part.detach()
    return (total / n).item()


def accumulate_returns_a_tensor(model, loss_fn, micro_batches):
    sizes = [len(x) for x, _ in micro_batches]
    losses = []
    for (x, y), size in zip(micro_batches, sizes):
        loss = loss_fn(model(x), y) * size / sum(sizes)
        loss.backward()
        losses.append(loss.detach())
    return torch.stack(losses).sum()


@pytest.mark.parametrize("function", [accumulate_sum_reduction, accumulate_returns_a_tensor])
def test_accumulate_gradients_rewrites_pass(function):
    result = check.accumulate_gradients(function)
    assert result.passed, result.message


@pytest.mark.parametrize("mistake", sheet.ACCUMULATE_MISTAKES,
                         ids=names(sheet.ACCUMULATE_MISTAKES))
def test_every_accumulation_mistake_is_named(mistake):
    result = check.accumulate_gradients(mistake.step)
    assert not result.passed and result.mistake == mistake.name, result.message


@pytest.mark.parametrize("mistake, advice, variant", sheet.ACCUMULATE_RETURN_MISTAKES,
                         ids=[m for m, _, _ in sheet.ACCUMULATE_RETURN_MISTAKES])
def test_every_wrong_returned_loss_is_named(mistake, advice, variant):
    result = check.accumulate_gradients(variant)
    assert not result.passed and result.mistake == mistake, result.message


def test_accumulation_equals_the_big_batch_exactly_when_weighted_by_size():
    for case in sheet.ACCUMULATE_CASES:
        model, loss_fn, batches = sheet.accumulate_problem(case)
        twin = copy.deepcopy(model)
        sheet.accumulate_reference(model, loss_fn, batches)
        sheet.accumulate_variant()(twin, loss_fn, batches)
        for a, b in zip(model.parameters(), twin.parameters()):
            torch.testing.assert_close(a.grad, b.grad, rtol=1e-12, atol=1e-14)


def test_accumulate_broken_code_gets_a_clear_message():
    assert check.accumulate_gradients(lambda model, loss_fn, micro_batches: 0.0).mistake == \
        "no gradients"

    def raises(model, loss_fn, micro_batches):
        for x, y in micro_batches:
            loss_fn(model(y), x).backward()
    result = check.accumulate_gradients(raises)
    assert result.mistake == "exception"

    def returns_a_list(model, loss_fn, micro_batches):
        n = sum(len(x) for x, _ in micro_batches)
        losses = []
        for x, y in micro_batches:
            loss = loss_fn(model(x), y) * len(x) / n
            loss.backward()
            losses.append(loss.item())
        return losses
    assert check.accumulate_gradients(returns_a_list).mistake == "wrong type"


# --- predict_scaled_gradients -------------------------------------------------------------

def test_the_float16_experiment_shows_both_ends():
    plain, scaled = sheet.float16_gradients(1.0), sheet.float16_gradients(2.0**16)
    assert plain[0] == 0.0 and plain[-1] == 4.0                 # 1e-9 underflows unscaled
    assert scaled[0] > 0 and scaled[-1] == float("inf")          # saved, and lost at the top
    assert sheet.scaled_experiment()[0] == "large"
    assert check.predict_scaled_gradients(lambda: " Large ").passed
