"""descent.distributed_demos: the chapter's workers on 3 ranks, where the shares are uneven.

The chapter "Training on many workers" runs its workers on 2 ranks (and the
ring and the memory runs on 3) and asserts its claims there; nbval runs it.
A launch costs seconds, so one launch here runs every worker on 3 ranks
(:func:`chapter_runs`), where 64 examples split 22, 21, 21 and the flat
buffers and FSDP's shards do not divide evenly, and the tests read its
results.
"""

from __future__ import annotations

import pytest
import torch

from descent import distributed_demos as demos
from descent.distributed import launch, shard, shard_bounds

#: Generous: a loaded CI machine may take tens of seconds to start the ranks.
TIMEOUT = 300.0
WORLD = 3
STEPS = 2
CAPS_MB = [25, 0.25, 0.01]          # the chapter's: one, two and three buckets
N_PARAMS = sum(p.numel() for p in demos.make_model().parameters())


def chapter_runs(rank: int, world_size: int) -> dict:
    """Every worker of the chapter, in one launch."""
    return dict(
        by_hand=demos.by_hand(rank, world_size, STEPS),
        ddp_buckets=demos.ddp_buckets(rank, world_size, CAPS_MB, steps=STEPS),
        ddp_accumulation=demos.ddp_accumulation(rank, world_size, STEPS, micro_batches=4),
        ring=demos.ring_train(rank, world_size, STEPS),
        memory_and_fsdp=demos.memory_and_fsdp(rank, world_size, STEPS),
    )


@pytest.fixture(scope="module")
def results() -> dict:
    return launch(chapter_runs, WORLD, timeout=TIMEOUT)


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


# --- every worker on 3 ranks ---------------------------------------------------------

def test_by_hand_equals_one_process(results, alone):
    hand = results["by_hand"]
    assert hand["spread"] == 0.0
    assert hand["shares"] == [22, 21, 21]
    assert demos.max_difference(hand["params"], alone["SGD"]) < 1e-6


def test_ddp_buckets(results):
    buckets = results["ddp_buckets"]
    assert list(buckets) == CAPS_MB
    for steps in buckets.values():
        assert len(steps) == STEPS
        assert all(sum(sizes) == N_PARAMS for sizes in steps)
        assert steps[0] == [N_PARAMS]                                   # step 1: no buckets yet
    assert [len(steps[-1]) for steps in buckets.values()] == [1, 2, 3]   # the chapter's claim


def test_ddp_accumulation_with_and_without_no_sync(results, alone):
    runs = results["ddp_accumulation"]
    assert runs["with_no_sync"]["reductions"] == [1] * STEPS
    assert runs["without"]["reductions"] == [4] * STEPS
    for run in runs.values():             # uneven shares and micro-batches, weighted
        assert run["spread"] == 0.0
        assert demos.max_difference(run["params"], alone["SGD"]) < 1e-6


def test_ring_hook_sends_what_the_model_says(results, alone):
    ring = results["ring"]
    assert ring["gradient_bytes"] == 4 * N_PARAMS                      # 3 divides it
    assert ring["sent"] == [[2 * (WORLD - 1) / WORLD * 4 * N_PARAMS] * STEPS] * WORLD
    assert ring["spread"] == 0.0 and ring["agrees_with_all_reduce"]
    assert demos.max_difference(ring["params"], alone["SGD"]) < 1e-6
    # 1001 float64 numbers: rank r sends all chunks but r + 1, then all but r + 2
    chunk = [8 * (stop - start) for start, stop in
             (shard_bounds(demos.UNEVEN_LENGTH, r, WORLD) for r in range(WORLD))]
    total = 8 * demos.UNEVEN_LENGTH
    assert ring["uneven_sent"] == [2 * total - chunk[(r + 1) % WORLD] - chunk[(r + 2) % WORLD]
                                   for r in range(WORLD)]


def test_sharded_memory(results, alone):
    sharded = results["memory_and_fsdp"]["sharded"]
    assert sharded["numel"] == N_PARAMS
    memory = sharded["memory"]
    assert len(memory) == WORLD
    assert sum(piece["numel"] for rank in memory for piece in rank["slices"]) == N_PARAMS
    for rank in memory:
        (piece,) = rank["slices"]
        assert piece["numel"] <= piece["stop"] - piece["start"]
        # Adam's m and v for its slice only (the wrapped flat buffers pad each tensor a little)
        assert 8 * piece["numel"] <= rank["optimizer_state"] < 8 * (piece["numel"] + 16 * 6)
        assert rank["parameters"] >= 4 * N_PARAMS                     # the whole model too
    assert demos.max_difference(sharded["params"], alone["Adam"]) < 1e-3   # the chapter's bound


def test_sharded_adam_in_float64_equals_one_process(results):
    """Adam's float32 gap (about 1e-5) is rounding: in float64 it is below 1e-12."""
    float64 = results["memory_and_fsdp"]["float64"]
    assert all(t.dtype == torch.float64 for t in float64)
    expected = demos.train_alone(STEPS, optimizer_name="Adam", dtype=torch.float64)
    assert demos.max_difference(float64, expected) < 1e-12


def test_fsdp_shards_and_trains(results, alone):
    fsdp = results["memory_and_fsdp"]["fsdp"]
    model = demos.make_model()
    assert fsdp["full_shapes"] == {name: tuple(p.shape) for name, p in model.named_parameters()}
    assert len(fsdp["local_shapes"]) == WORLD
    for name, shape in fsdp["full_shapes"].items():
        local = [rank[name] for rank in fsdp["local_shapes"]]
        assert sum(s[0] for s in local) == shape[0]                    # sharded along dim 0
        assert all(s[1:] == shape[1:] for s in local)
    totals = [sum(rank.values()) for rank in fsdp["memory"]]
    assert sum(totals) == 16 * N_PARAMS                                # nothing held twice
    assert demos.max_difference(fsdp["first_gradients"], demos.first_gradients_alone()) < 1e-6
    assert [p.shape for p in fsdp["params"]] == [p.shape for p in model.parameters()]
    assert demos.max_difference(fsdp["params"], alone["torch"]) < 1e-3


def test_shards_of_the_chapter_batch():
    assert [len(shard(torch.empty(demos.BATCH), r, WORLD)) for r in range(WORLD)] == [22, 21, 21]
