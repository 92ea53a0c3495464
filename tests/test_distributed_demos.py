"""descent.distributed_demos: every worker of the chapter "Training on many workers" runs and returns what it uses.

A launch costs seconds, so one launch per world size runs every worker
(:func:`chapter_runs`) and the tests read its results. The workers run with
fewer steps than the chapter's; the claims checked are the chapter's.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from descent import distributed_demos as demos
from descent import fast
from descent.distributed import ShardedOptimizer, launch, shard, shard_weight

#: Generous: a loaded CI machine may take tens of seconds to start the ranks.
TIMEOUT = 300.0
STEPS = 2
CAPS_MB = [25, 0.25, 0.01]          # the chapter's: one, two and three buckets
N_PARAMS = sum(p.numel() for p in demos.make_model().parameters())


def sharded_adam(rank: int, world_size: int, dtype: torch.dtype) -> list[torch.Tensor]:
    """:func:`demos.sharded_memory`'s training in ``dtype``."""
    model = demos.make_model().to(dtype)
    optimizer = ShardedOptimizer(model.parameters(), fast.Adam, lr=demos.LR)
    for x, y in demos.batches(STEPS):
        loss = F.cross_entropy(model(shard(x.to(dtype), rank, world_size)),
                               shard(y, rank, world_size))
        (shard_weight(len(x), rank, world_size) * loss).backward()
        optimizer.step()
        optimizer.zero_grad()
    return demos.values(model)


def adam_alone(dtype: torch.dtype) -> list[torch.Tensor]:
    """:func:`demos.train_alone` with Adam, in ``dtype``."""
    model = demos.make_model().to(dtype)
    optimizer = demos.make_optimizer(model, "Adam")
    for x, y in demos.batches(STEPS):
        F.cross_entropy(model(x.to(dtype)), y).backward()
        optimizer.step()
        optimizer.zero_grad()
    return demos.values(model)


def chapter_runs(rank: int, world_size: int) -> dict:
    """Every worker of the chapter on this world size, in one launch."""
    results = dict(
        by_hand=demos.by_hand(rank, world_size, STEPS),
        memory_and_fsdp=demos.memory_and_fsdp(rank, world_size, STEPS),
        adam_float64=sharded_adam(rank, world_size, torch.float64),
    )
    if world_size == 2:                     # the chapter runs these on 2 ranks only
        results["ddp_buckets"] = demos.ddp_buckets(rank, world_size, CAPS_MB, steps=STEPS)
        results["ddp_train"] = demos.ddp_train(rank, world_size, STEPS, micro_batches=4)
    return results


@pytest.fixture(scope="module")
def world2() -> dict:
    return launch(chapter_runs, 2, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def world3() -> dict:
    return launch(chapter_runs, 3, timeout=TIMEOUT)


@pytest.fixture(params=[2, 3])
def runs(request) -> tuple[int, dict]:
    return request.param, request.getfixturevalue(f"world{request.param}")


@pytest.fixture(scope="module")
def alone() -> dict:
    return dict(SGD=demos.train_alone(STEPS), Adam=demos.train_alone(STEPS, optimizer_name="Adam"),
                torch=demos.train_alone_torch(STEPS))


# --- one process ---------------------------------------------------------------------

def test_the_model_and_the_batches():
    model = demos.make_model()
    assert [p.shape for p in model.parameters()] == [
        (256, 64), (256,), (256, 256), (256,), (10, 256), (10,)]
    assert all(torch.equal(a, b) for a, b in zip(demos.values(model),
                                                 demos.values(demos.make_model())))
    (x, y), = demos.batches(1)
    assert x.shape == (demos.BATCH, 64) and y.shape == (demos.BATCH,)


def test_micro_batches_change_only_the_order_of_the_sums(alone):
    assert demos.max_difference(demos.train_alone(STEPS, micro_batches=4), alone["SGD"]) < 1e-6


# --- the chapter's claims, on 2 and 3 ranks ------------------------------------------

def test_by_hand_equals_one_process(runs, alone):
    world_size, results = runs
    hand = results["by_hand"]
    assert hand["spread"] == 0.0
    assert hand["shares"] == [len(shard(torch.empty(demos.BATCH), r, world_size))
                              for r in range(world_size)]
    assert sum(hand["shares"]) == demos.BATCH
    assert demos.max_difference(hand["params"], alone["SGD"]) < 1e-6


def test_sharded_memory(runs, alone):
    world_size, results = runs
    sharded = results["memory_and_fsdp"]["sharded"]
    assert sharded["numel"] == N_PARAMS
    memory = sharded["memory"]
    assert len(memory) == world_size
    assert sum(piece["numel"] for rank in memory for piece in rank["slices"]) == N_PARAMS
    for rank in memory:
        (piece,) = rank["slices"]
        slice_length = piece["stop"] - piece["start"]
        assert piece["numel"] <= slice_length
        # Adam's m and v for its slice only (the wrapped flat buffers pad each tensor a little)
        assert 8 * piece["numel"] <= rank["optimizer_state"] < 8 * (piece["numel"] + 16 * 6)
        assert rank["parameters"] >= 4 * N_PARAMS                     # the whole model too
    assert demos.max_difference(sharded["params"], alone["Adam"]) < 1e-3   # the chapter's bound


def test_sharded_adam_in_float64_equals_one_process(runs):
    """Adam's float32 gap (about 1e-5) is rounding: in float64 it is below 1e-12."""
    _, results = runs
    assert all(t.dtype == torch.float64 for t in results["adam_float64"])
    assert demos.max_difference(results["adam_float64"], adam_alone(torch.float64)) < 1e-12


def test_fsdp_shards_and_trains(runs, alone):
    world_size, results = runs
    fsdp = results["memory_and_fsdp"]["fsdp"]
    model = demos.make_model()
    assert fsdp["full_shapes"] == {name: tuple(p.shape) for name, p in model.named_parameters()}
    assert len(fsdp["local_shapes"]) == world_size
    for name, shape in fsdp["full_shapes"].items():
        local = [rank[name] for rank in fsdp["local_shapes"]]
        assert sum(s[0] for s in local) == shape[0]                    # sharded along dim 0
        assert all(s[1:] == shape[1:] for s in local)
    assert [p.shape for p in fsdp["params"]] == [p.shape for p in model.parameters()]
    assert demos.max_difference(fsdp["params"], alone["torch"]) < 1e-3


# --- DDP, on 2 ranks -----------------------------------------------------------------------

def test_ddp_buckets(world2):
    buckets = world2["ddp_buckets"]
    assert list(buckets) == CAPS_MB
    for steps in buckets.values():
        assert len(steps) == STEPS
        assert all(sum(sizes) == N_PARAMS for sizes in steps)
    assert [len(steps[-1]) for steps in buckets.values()] == [1, 2, 3]   # the chapter's claim


def test_ddp_with_no_sync_reduces_once_per_step(world2, alone):
    run = world2["ddp_train"]
    assert run["reductions"] == [1] * STEPS
    assert run["spread"] == 0.0
    assert demos.max_difference(run["params"], alone["SGD"]) < 1e-6
