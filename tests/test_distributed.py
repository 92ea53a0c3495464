"""descent.distributed on 2 and 3 gloo processes against one process on the whole batch.

Each spawn costs seconds, so one launch per world size runs every training
check (DDP, gradients averaged by hand, ShardedOptimizer with four
optimizers, a checkpoint written with 2 ranks and resumed with 3) and the
tests below read its results. The workers are module-level functions: the
spawned processes import them from this module.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import time

import pytest
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from descent import distributed, fast, optim
from descent.distributed import (LaunchTimeout, RankError, ShardedOptimizer, average_gradients,
                                 launch, ring_all_reduce, shard, shard_bounds, shard_weight)

#: Generous: a loaded CI machine may take tens of seconds to start the ranks.
HAPPY_TIMEOUT = 300.0
STEPS = 4
BATCH = 12                  # divides among 2 and 3 ranks
UNEVEN_BATCH = 10           # does not: shares of 5, 5 and 4, 3, 3
RESUME_AFTER = 3            # the checkpoint's step
TOLERANCE = dict(rtol=1e-5, atol=1e-6)

#: name → (descent.fast class, options, param groups?)
SHARDED = {
    "SGD-momentum": ("SGD", dict(lr=0.1, momentum=0.9), False),
    "RMSprop": ("RMSprop", dict(lr=0.01), False),
    "Adam": ("Adam", dict(lr=0.01), False),
    "AdamW-groups": ("AdamW", dict(lr=0.01, weight_decay=0.1), True),
}
CHECKPOINTED = "AdamW-groups"
RING_LENGTHS = [1, 2, 12, 1001]     # fewer elements than ranks, divisible by 2 and 3, neither


# --- one model, one data stream, one training loop for every run --------------------

def make_model() -> torch.nn.Module:
    """Two layers whose flat buffer the 2 and 3 slices cut inside the first weight.

    ``extra`` is a parameter the forward pass never uses: it gets no
    gradient, so every optimizer must leave it (and its state) alone.
    """
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 40), torch.nn.Tanh(), torch.nn.Linear(40, 3))
    model.extra = torch.nn.Parameter(torch.randn(5))
    return model


def batch(step: int, size: int = BATCH,
          dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(1000 + step)
    x, y = torch.randn(size, 6, generator=generator), torch.randn(size, 3, generator=generator)
    return x.to(dtype), y.to(dtype)


def param_groups(model: torch.nn.Module, grouped: bool) -> list:
    if not grouped:
        return list(model.parameters())
    return [{"params": [model[0].weight, model[0].bias, model.extra]},
            {"params": [model[2].weight, model[2].bias], "lr": 0.02}]


def train(model, optimizer, steps, rank=0, world_size=1, start=0, size=BATCH,
          forward=None, average=False, dtype=torch.float32, zero_grad=True):
    """``steps`` steps, each rank on its share of each batch (the whole batch when alone)."""
    forward = forward or model
    for step in range(start, start + steps):
        x, y = batch(step, size, dtype)
        loss = torch.nn.functional.mse_loss(forward(shard(x, rank, world_size)),
                                            shard(y, rank, world_size))
        (shard_weight(size, rank, world_size) * loss).backward()
        if average:
            average_gradients(model)
        optimizer.step()
        if zero_grad:
            optimizer.zero_grad()


def values(model: torch.nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters()]


def load_values(model: torch.nn.Module, saved: list[torch.Tensor]) -> None:
    with torch.no_grad():
        for p, v in zip(model.parameters(), saved):
            p.copy_(v)


def assert_close_lists(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, **TOLERANCE)


# --- the single-process references ------------------------------------------------

def reference(name: str, steps: int = STEPS, optimizer_module=optim, checkpoint=None,
              start: int = 0):
    """Model values after the single-process optimizer trains on whole batches."""
    cls, options, grouped = SHARDED[name]
    model = make_model()
    optimizer = getattr(optimizer_module, cls)(param_groups(model, grouped), **options)
    if checkpoint is not None:
        load_values(model, checkpoint["values"])
        # torch.optim's load_state_dict keeps the given tensors as the state when their
        # dtype and device fit, and a step updates them in place: load a copy, so that
        # the checkpoint stays as it was for the next test.
        optimizer.load_state_dict(copy.deepcopy(checkpoint["optimizer"]))
    train(model, optimizer, steps, start=start)
    return values(model), optimizer


# --- the workers (run on every rank; rank 0's return value comes back) ---------------

def same_on_every_rank(tensors: list[torch.Tensor]) -> None:
    """Raise unless every rank holds exactly rank 0's tensors."""
    for t in tensors:
        theirs = t.clone()
        dist.broadcast(theirs, src=0)
        if not torch.equal(t, theirs):
            raise AssertionError(f"rank {dist.get_rank()} holds other values than rank 0")


def run_sharded(rank, world_size, name, steps=STEPS, checkpoint=None, start=0):
    cls, options, grouped = SHARDED[name]
    model = make_model()
    optimizer = ShardedOptimizer(param_groups(model, grouped), getattr(fast, cls), **options)
    if checkpoint is not None:
        load_values(model, checkpoint["values"])
        optimizer.load_state_dict(checkpoint["optimizer"])
    train(model, optimizer, steps, rank, world_size, start=start)
    same_on_every_rank(values(model))
    return model, optimizer


def train_everything(rank: int, world_size: int, checkpoint: dict | None = None) -> dict:
    """Every training check of one world size, in one launch."""
    results: dict = {}

    model = make_model()
    del model.extra                                  # DDP wants every parameter used
    ddp = DistributedDataParallel(model)
    train(model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), STEPS, rank, world_size,
          forward=ddp)
    results["ddp"] = values(model)

    model = make_model()
    train(model, optim.Adam(model.parameters(), lr=0.01), STEPS, rank, world_size,
          size=UNEVEN_BATCH, average=True)
    results["by_hand"] = values(model)

    for name in SHARDED:
        model, optimizer = run_sharded(rank, world_size, name)
        results[name] = values(model)
        memory = [None] * world_size
        dist.all_gather_object(memory, optimizer.memory_per_rank())
        results[f"{name}-memory"] = memory

    model = make_model().double()                    # rounding shrinks to float64's
    train(model, ShardedOptimizer(model.parameters(), fast.Adam, lr=0.01), STEPS, rank,
          world_size, dtype=torch.float64)
    results["Adam-float64"] = values(model)

    model = make_model()                             # gradients accumulate over the steps
    train(model, ShardedOptimizer(model.parameters(), fast.SGD, lr=0.1, momentum=0.9), STEPS,
          rank, world_size, zero_grad=False)
    results["accumulated"] = values(model)

    ring = []
    for length in RING_LENGTHS:
        for dtype in (torch.float32, torch.float64):
            mine = torch.randn(length, generator=torch.Generator().manual_seed(rank), dtype=dtype)
            by_ring, by_torch = mine.clone(), mine.clone()
            sent = ring_all_reduce(by_ring)
            dist.all_reduce(by_torch)
            ring.append(dict(length=length, dtype=dtype, by_ring=by_ring, by_torch=by_torch,
                             sent=sent))
    matrix = torch.full((3, 4), float(rank + 1))    # not flat: reduced as a whole
    ring_all_reduce(matrix)
    ring.append(dict(matrix=matrix))
    everyone: list = [None] * world_size
    dist.all_gather_object(everyone, ring)
    results["ring"] = everyone

    model, optimizer = run_sharded(rank, world_size, CHECKPOINTED, steps=RESUME_AFTER)
    results["checkpoint"] = dict(values=values(model), optimizer=optimizer.state_dict())
    if checkpoint is not None:                       # written by another world size
        model, _ = run_sharded(rank, world_size, CHECKPOINTED, steps=STEPS - RESUME_AFTER,
                               checkpoint=checkpoint, start=RESUME_AFTER)
        results["resumed"] = values(model)
    return results


def raise_on(rank: int, world_size: int, bad_rank: int) -> None:
    if rank == bad_rank:
        raise ValueError(f"rank {rank} fails on purpose")
    dist.barrier()                                   # waits for the bad rank forever


def hang_on(rank: int, world_size: int, slow_rank: int) -> int:
    if rank == slow_rank:
        time.sleep(3600)
    return rank


def die_on(rank: int, world_size: int, bad_rank: int) -> None:
    if rank == bad_rank:
        os._exit(3)                                  # no exception, no message
    dist.barrier()


# --- the launches ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def world2() -> dict:
    return launch(train_everything, 2, timeout=HAPPY_TIMEOUT)


@pytest.fixture(scope="module")
def world3(world2) -> dict:
    return launch(train_everything, 3, checkpoint=world2["checkpoint"], timeout=HAPPY_TIMEOUT)


@pytest.fixture(params=[2, 3])
def results(request, world2, world3) -> dict:
    return {2: world2, 3: world3}[request.param]


@pytest.fixture
def one_process_group():
    """A gloo process group of one: this process alone."""
    dist.init_process_group("gloo", store=dist.HashStore(), rank=0, world_size=1)
    yield
    dist.destroy_process_group()


# --- equal to one process on the whole batch -----------------------------------------

def test_ddp_equals_one_process(results):
    model = make_model()
    del model.extra
    train(model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), STEPS)
    assert_close_lists(results["ddp"], values(model))


def test_gradients_accumulated_over_steps_without_zero_grad(results):
    """p.grad keeps each rank's own gradient after step(), as torch.optim leaves it."""
    model = make_model()
    train(model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), STEPS, zero_grad=False)
    assert_close_lists(results["accumulated"], values(model))


def test_averaging_by_hand_equals_one_process_with_uneven_shares(results):
    model = make_model()
    train(model, optim.Adam(model.parameters(), lr=0.01), STEPS, size=UNEVEN_BATCH)
    assert_close_lists(results["by_hand"], values(model))


def test_ring_all_reduce_sums_as_all_reduce_does(results):
    world_size = len(results["ring"])
    for rank, runs in enumerate(results["ring"]):
        *vectors, last = runs
        for run in vectors:
            tolerance = 1e-6 if run["dtype"] == torch.float32 else 1e-14
            torch.testing.assert_close(run["by_ring"], run["by_torch"], rtol=tolerance,
                                       atol=tolerance)
            assert run["by_ring"].dtype == run["dtype"]
        expected = sum(range(1, world_size + 1))
        assert torch.equal(last["matrix"], torch.full((3, 4), float(expected)))


def test_ring_all_reduce_sends_2_n_minus_1_over_n_of_the_tensor(results):
    world_size = len(results["ring"])
    for i, length in enumerate(RING_LENGTHS):
        for j, dtype in enumerate((torch.float32, torch.float64)):
            sent = [runs[2 * i + j]["sent"] for runs in results["ring"]]
            size = torch.tensor([], dtype=dtype).element_size()
            tensor_bytes = length * size
            # Rank r sends every chunk but r + 1 (reduce-scatter), then every chunk but r + 2.
            for rank, bytes_sent in enumerate(sent):
                kept = [shard_bounds(length, (rank + k) % world_size, world_size) for k in (1, 2)]
                assert bytes_sent == sum(tensor_bytes - (stop - start) * size
                                         for start, stop in kept)
            assert sum(sent) == 2 * (world_size - 1) * tensor_bytes
            if length % world_size == 0:
                assert sent == [2 * (world_size - 1) / world_size * tensor_bytes] * world_size


def test_ring_all_reduce_alone_and_on_bad_input(one_process_group):
    x = torch.arange(6.0)
    assert ring_all_reduce(x) == 0 and torch.equal(x, torch.arange(6.0))
    with pytest.raises(ValueError, match="contiguous"):
        ring_all_reduce(torch.zeros(4, 3).t())


@pytest.mark.parametrize("name", SHARDED)
def test_sharded_optimizer_equals_one_process(results, name):
    expected, _ = reference(name)
    assert_close_lists(results[name], expected)
    names = [n for n, _ in make_model().named_parameters()]
    extra = results[name][names.index("extra")]
    torch.testing.assert_close(extra, make_model().extra, rtol=0, atol=0)  # no gradient: untouched


def test_sharded_adam_in_float64_equals_one_process_to_float64_rounding(results):
    """No step is different: in float64 the ranks and one process agree to ~1e-15.

    In float32 they agree to 1e-5 relative only, because Adam's step
    lr·m̂/(√v̂ + ε) amplifies the rounding of gradient entries near ε (the
    chapter's section on memory measures it); a real difference (a step
    count, a slice stepped twice or not at all) would stay as large in float64.
    """
    model = make_model().double()
    train(model, optim.Adam(model.parameters(), lr=0.01), STEPS, dtype=torch.float64)
    for ours, theirs in zip(results["Adam-float64"], values(model)):
        assert ours.dtype == torch.float64
        torch.testing.assert_close(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", SHARDED)
def test_sharded_memory_divides_the_state(results, name):
    memory = results[f"{name}-memory"]
    world_size = len(memory)
    model = make_model()
    numel = sum(p.numel() for p in model.parameters())
    slices = [s for rank in memory for s in rank["slices"]]
    assert sum(s["numel"] for s in slices) == numel          # every element on exactly one rank
    states = {"SGD": 1, "RMSprop": 1, "Adam": 2, "AdamW": 2}[SHARDED[name][0]]
    for rank in memory:
        flat = sum(s["stop"] - s["start"] for s in rank["slices"]) * world_size
        assert rank["optimizer_state"] <= states * 4 * (flat // world_size)  # its slice only
        assert rank["parameters"] == rank["gradients"] == 4 * flat   # the whole model, once
    if world_size == 3:                                        # equal slices, uneven shards
        assert [s["numel"] for s in memory[0]["slices"]] != [s["numel"] for s in memory[2]["slices"]]


def test_the_wrapped_optimizer_steps_views_of_the_slice(one_process_group):
    model = make_model()
    model.empty = torch.nn.Parameter(torch.zeros(0))           # a piece with no elements
    first, second = list(model.parameters())[:2], list(model.parameters())[2:]
    optimizer = ShardedOptimizer(first, fast.Adam, lr=0.01)
    optimizer.add_param_group(dict(params=second, lr=0.02))   # shared too
    for shard in optimizer.shards:
        storage = shard.bucket.param.untyped_storage().data_ptr()
        assert shard.inner.param.untyped_storage().data_ptr() == storage
        assert all(piece.param.untyped_storage().data_ptr() == storage for piece in shard.pieces)
    reference_model = make_model()
    reference_model.empty = torch.nn.Parameter(torch.zeros(0))
    params = list(reference_model.parameters())
    expected = optim.Adam([dict(params=params[:2]), dict(params=params[2:], lr=0.02)], lr=0.01)
    train(model, optimizer, 2)
    train(reference_model, expected, 2)
    assert_close_lists(values(model), values(reference_model))
    for shard in optimizer.shards:        # the mean gradient was freed after the step
        assert shard.inner.grad.numel() == 0
        assert all(piece.param.grad is None for piece in shard.pieces)


# --- checkpoints move between world sizes ----------------------------------------------

def test_state_dict_is_the_single_process_format(world2):
    _, expected = reference(CHECKPOINTED, steps=RESUME_AFTER)
    ours, theirs = world2["checkpoint"]["optimizer"], expected.state_dict()
    assert ours["param_groups"] == theirs["param_groups"]
    assert ours["state"].keys() == theirs["state"].keys()   # extra has no state
    for i, entry in theirs["state"].items():
        assert ours["state"][i].keys() == entry.keys()
        for key, value in entry.items():
            if isinstance(value, torch.Tensor):
                torch.testing.assert_close(ours["state"][i][key], value, **TOLERANCE)
            else:
                assert ours["state"][i][key] == value


def test_checkpoint_from_2_ranks_resumes_on_3(world2, world3):
    expected, _ = reference(CHECKPOINTED)
    assert_close_lists(world3["resumed"], expected)


@pytest.mark.parametrize("module", [optim, fast])
def test_checkpoint_from_2_and_3_ranks_resumes_in_one_process(world2, world3, module):
    expected, _ = reference(CHECKPOINTED)
    for results in (world2, world3):
        resumed, _ = reference(CHECKPOINTED, steps=STEPS - RESUME_AFTER, optimizer_module=module,
                               checkpoint=results["checkpoint"], start=RESUME_AFTER)
        assert_close_lists(resumed, expected)


def test_one_rank_resumes_and_equals_one_process(world2, one_process_group):
    expected, _ = reference(CHECKPOINTED)
    model, _ = run_sharded(0, 1, CHECKPOINTED, steps=STEPS - RESUME_AFTER,
                           checkpoint=world2["checkpoint"], start=RESUME_AFTER)
    assert_close_lists(values(model), expected)
    model, optimizer = run_sharded(0, 1, "Adam")
    assert_close_lists(values(model), reference("Adam")[0])
    memory = optimizer.memory_per_rank()
    assert memory["slices"][0]["numel"] == sum(p.numel() for p in model.parameters())


# --- failures end the run, with the rank's error ------------------------------------

def assert_no_children():
    """No rank outlives its launch (``launch`` names its processes ``rank N``)."""
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("rank ")]


def test_launch_passes_arguments_and_returns_rank_0s_result(world2, world3):
    assert "resumed" not in world2 and "resumed" in world3     # checkpoint= reached the ranks
    assert_no_children()


def test_a_rank_that_raises_ends_the_run_quickly():
    start = time.monotonic()
    with pytest.raises(RankError) as info:
        launch(raise_on, 2, 1, timeout=HAPPY_TIMEOUT)
    assert time.monotonic() - start < 45            # start-up included; a hang would take 300 s
    error = info.value
    assert (error.rank, error.kind) == (1, "ValueError")
    text = str(error)
    assert "rank 1 of 2 raised ValueError: rank 1 fails on purpose" in text
    assert "Traceback" in text and "raise_on" in text
    assert_no_children()


def test_a_rank_that_dies_ends_the_run_with_its_exit_code():
    start = time.monotonic()
    with pytest.raises(RankError, match="rank 1 of 2.*exit code 3"):
        launch(die_on, 2, 1, timeout=HAPPY_TIMEOUT)
    assert time.monotonic() - start < 45
    assert_no_children()


def test_a_hung_rank_ends_the_run_at_the_timeout():
    start = time.monotonic()
    with pytest.raises(LaunchTimeout) as info:
        launch(hang_on, 2, 1, timeout=10)
    elapsed = time.monotonic() - start
    assert 10 <= elapsed < 40
    assert 1 in info.value.ranks and "did not finish within 10 s" in str(info.value)
    assert_no_children()


def test_a_rank_that_cannot_start_ends_the_run_with_the_real_error(monkeypatch):
    """Rank 1's start() fails (as when the OS refuses a process): that error, not a failed join."""
    real_start = multiprocessing.context.SpawnProcess.start

    def start(process):
        if process.name == "rank 1":
            raise OSError("no more processes, on purpose")
        real_start(process)

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", start)
    with pytest.raises(OSError, match="no more processes, on purpose"):
        launch(hang_on, 2, 1, timeout=HAPPY_TIMEOUT)
    assert_no_children()


def test_stop_skips_processes_that_never_started():
    context = multiprocessing.get_context("spawn")
    started, never = (context.Process(target=time.sleep, args=(0,)) for _ in range(2))
    started.start()
    distributed.stop([started, never], grace=30.0)
    assert started.exitcode == 0 and never.pid is None


def test_a_script_without_the_main_guard_is_told_so(monkeypatch):
    """What a spawned process meets when the script it imports calls launch() unguarded."""
    monkeypatch.setattr(multiprocessing.current_process(), "_inheriting", True, raising=False)
    with pytest.raises(RuntimeError, match='under `if __name__ == "__main__":`'):
        launch(hang_on, 2, 1)


# --- bad input -----------------------------------------------------------------------

def test_arguments_must_be_picklable():
    import threading
    with pytest.raises(ValueError, match="cannot send the arguments.*pickle"):
        launch(hang_on, 2, threading.Lock())


def local_worker_factory():
    def worker(rank, world_size):
        return rank
    return worker


@pytest.mark.parametrize("world_size", [0, -1])
def test_world_size_below_1(world_size):
    with pytest.raises(ValueError, match="world_size must be at least 1"):
        launch(hang_on, world_size, 1)


@pytest.mark.parametrize("fn", [lambda rank, world_size: rank, local_worker_factory()])
def test_workers_must_be_importable(fn):
    with pytest.raises(ValueError, match="module-level function"):
        launch(fn, 2)


def test_parameters_on_different_devices(one_process_group):
    params = [torch.nn.Parameter(torch.zeros(3)),
              torch.nn.Parameter(torch.zeros(3, device="meta"))]
    with pytest.raises(ValueError, match="one device, got parameters on cpu and meta"):
        ShardedOptimizer(params, fast.Adam)


@pytest.mark.parametrize("cls", [optim.Lion, optim.LAMB, torch.optim.Adam, fast.FlatOptimizer])
def test_optimizers_it_cannot_shard(one_process_group, cls):
    with pytest.raises(ValueError, match="it shards .* SGD, RMSprop, Adam, AdamW"):
        ShardedOptimizer([torch.nn.Parameter(torch.zeros(3))], cls)


@pytest.mark.parametrize("param, message", [
    (torch.zeros(3, dtype=torch.int64), "floating-point parameters"),
    (torch.zeros(3), "does not require a gradient"),
])
def test_parameters_it_cannot_optimize(one_process_group, param, message):
    with pytest.raises(ValueError, match=message):
        ShardedOptimizer([param], fast.SGD, lr=0.1)


def test_options_are_checked_as_torch_does(one_process_group):
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        ShardedOptimizer([torch.nn.Parameter(torch.zeros(3))], fast.Adam, lr=-1)
    with pytest.raises(TypeError):
        ShardedOptimizer([torch.nn.Parameter(torch.zeros(3))], fast.Adam, learning_rate=0.1)


def test_needs_a_process_group():
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match="needs a process group"):
        ShardedOptimizer([torch.nn.Parameter(torch.zeros(3))], fast.Adam)


# --- shares of a batch ---------------------------------------------------------------

@pytest.mark.parametrize("size, world_size", [(12, 3), (10, 3), (2, 3), (7, 1), (0, 2)])
def test_shards_cover_the_batch(size, world_size):
    x = torch.arange(size)
    shares = [shard(x, rank, world_size) for rank in range(world_size)]
    assert torch.equal(torch.cat(shares), x)
    assert [len(s) for s in shares] == [len(s) for s in x.tensor_split(world_size)]
    if size:
        assert sum(shard_weight(size, r, world_size) for r in range(world_size)) == \
            pytest.approx(world_size)


def test_shard_bounds_checks_its_input():
    with pytest.raises(ValueError, match="rank must be in"):
        shard_bounds(10, 3, 3)
    with pytest.raises(ValueError, match="world_size must be at least 1"):
        shard_bounds(10, 0, 0)


def test_module_exports():
    assert set(distributed.__all__) <= set(dir(distributed))
