"""The exercise of "Training on many workers": correct rewrites pass, broken code (an exception
on one rank, ranks that never meet, a rank that dies, a name that cannot travel) gets a clear
message, and a learner's function travels to new processes by its code. Every check starts
processes (seconds each), so the functions are graded together, in as few launches as can be."""

import functools
import threading

import pytest
import torch
import torch.distributed as dist

from descent.check import distributed as sheet
from descent.check import feedback


# --- correct rewrites -----------------------------------------------------------------------

def average_with_avg_op(params):
    for p in params:
        dist.all_reduce(p.grad, op=dist.ReduceOp.AVG)      # gloo has it in torch 2.13


def average_divided_first(params):
    n = dist.get_world_size()
    for p in params:
        p.grad.div_(n)
        dist.all_reduce(p.grad)


def average_into_new_tensors(params):
    n = dist.get_world_size()
    for p in params:
        dist.all_reduce(p.grad)
        p.grad = p.grad / n


def average_flat(params):
    """One all_reduce for all the gradients: a bucket, as DDP does."""
    params = list(params)
    flat = torch.cat([p.grad.flatten() for p in params])
    dist.all_reduce(flat)
    flat /= dist.get_world_size()
    for p, piece in zip(params, flat.split([p.numel() for p in params])):
        p.grad.copy_(piece.view_as(p.grad))


NOTEBOOK_CELL = '''
import torch.distributed as dist

SCALE = {"sum": 1}

def divide(tensor):
    tensor /= dist.get_world_size() * SCALE["sum"]

def average_gradients(params, *, op=dist.ReduceOp.SUM):
    for p in params:
        dist.all_reduce(p.grad, op=op)
        divide(p.grad)
'''


def notebook_function(source=NOTEBOOK_CELL, filename="<learner cell>"):
    """A function as a notebook defines it: in __main__'s way, not importable by name."""
    namespace = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["average_gradients"]


# --- broken code ----------------------------------------------------------------------------

def raises_on_rank_one(params):
    for p in params:
        if dist.get_rank() == 1:
            raise ValueError("rank one is unhappy")
        dist.all_reduce(p.grad)
        p.grad /= dist.get_world_size()


LOCK = threading.Lock()


def needs_a_lock(params):
    with LOCK:                     # a lock cannot be pickled: it stays behind
        for p in params:
            dist.all_reduce(p.grad)


def exits(params):
    import os
    if dist.is_initialized():      # in a rank, not in the check's own process
        os._exit(3)


def test_rewrites_pass_and_broken_code_gets_a_clear_message():
    rewrites = [average_with_avg_op, average_divided_first, average_into_new_tensors,
                average_flat, notebook_function()]
    broken = [raises_on_rank_one, needs_a_lock, exits]
    verdicts = sheet.grade_average(rewrites + broken)
    for function, verdict in zip(rewrites, verdicts):
        assert verdict.passed, (function.__name__, verdict.message)
    raised, lock, exit_ = verdicts[len(rewrites):]
    assert raised.mistake == "exception" and "ValueError: rank one is unhappy" in raised.message
    assert "on rank 1 of 3" in raised.message and "line" in raised.message
    assert lock.mistake == "exception" and "NameError" in lock.message
    assert "could not be sent" in lock.message and "LOCK" in lock.message
    assert not exit_.passed and exit_.message.startswith("❌") and "exit code 3" in exit_.message


def test_ranks_that_never_meet_are_named(monkeypatch):
    monkeypatch.setattr(feedback, "SECONDS", 1.0)
    monkeypatch.setattr(sheet, "WAIT", 4.0)         # noticed after 5 s instead of 18

    def only_rank_zero(params):
        if dist.get_rank() == 0:
            for p in params:
                dist.all_reduce(p.grad)
    verdict = sheet.average_gradients(only_rank_zero)
    assert verdict.mistake == "hang", verdict.message
    assert "same collectives" in verdict.message


def test_the_stub_and_non_functions_need_no_processes():
    def stub(params):
        raise NotImplementedError
    assert sheet.average_gradients(stub).mistake == "not implemented"
    assert sheet.average_gradients(functools.partial(stub)).mistake == "wrong type"


# --- the function's journey -----------------------------------------------------------------

def test_a_function_travels_by_its_code_with_its_globals_defaults_and_helpers():
    function = notebook_function()
    sent = sheet.portable(function)
    assert sent.names["dist"] == ("module", "torch.distributed")
    assert sent.names["divide"][0] == "function"
    back = sheet.rebuild(sent)
    assert back is not function and back.__kwdefaults__ == {"op": dist.ReduceOp.SUM}
    assert back.__globals__["divide"].__globals__["SCALE"] == {"sum": 1}

    factor = 3

    def closure(x):
        return x * factor
    assert sheet.rebuild(sheet.portable(closure))(2) == 6
    assert sheet.missing_names(sheet.portable(needs_a_lock)).keys() == {"LOCK"}


def test_the_cases_mean_is_the_mean_of_the_ranks_gradients():
    for case in sheet.CASES:
        for world in sheet.WORLDS:
            grads = [sheet.problem(case, rank)[1] for rank in range(world)]
            for i, mean in enumerate(sheet.expected_mean(case, world)):
                torch.testing.assert_close(mean, torch.stack([g[i].double() for g in grads])
                                           .mean(0))
            assert not torch.equal(grads[0][0], grads[1][0])     # the ranks differ
            params = [sheet.problem(case, rank)[0] for rank in range(world)]
            assert all(torch.equal(a, b) for a, b in zip(params[0], params[-1]))
