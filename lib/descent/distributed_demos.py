"""The workers of the chapter "Training on many workers" (``chapters/distributed.ipynb``).

:func:`descent.distributed.launch` starts new processes that import their
worker by name, so the workers cannot be defined in the notebook: they live
here. Each takes ``(rank, world_size, ...)``, runs on every rank, and returns
a picklable result that only rank 0's copy delivers to the notebook. The
single-process runs they are compared with are here too (:func:`train_alone`).

The task is the digits one of the book: an MLP 64 → 256 → 256 → 10, trained
with SGD (momentum 0.9) or Adam on batches of :data:`BATCH` consecutive
training images.
"""

from __future__ import annotations

import contextlib
from typing import Any

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

import descent
from descent import fast
from descent.distributed import (ShardedOptimizer, average_gradients, ring_all_reduce, shard,
                                 shard_weight)

BATCH = 64          # examples per step, all ranks together
LR = 0.01           # Adam's
SGD_OPTIONS = dict(lr=0.1, momentum=0.9)
HIDDEN = (256, 256)
UNEVEN_LENGTH = 1001  # ring_train's second tensor: 2 and 3 do not divide it


def make_model(seed: int = 0) -> torch.nn.Sequential:
    """The chapter's MLP, the same on every rank and in the notebook (seeded)."""
    torch.manual_seed(seed)
    return descent.models.mlp(64, list(HIDDEN), 10)


def batches(steps: int, size: int = BATCH) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """``steps`` batches of ``size`` consecutive digits training images (the same everywhere)."""
    x, y, _, _ = descent.data.digits()
    return [(x[i * size:(i + 1) * size], y[i * size:(i + 1) * size]) for i in range(steps)]


def make_optimizer(model: torch.nn.Module, name: str) -> torch.optim.Optimizer:
    """``descent.optim.SGD`` with momentum 0.9 (``"SGD"``) or ``descent.optim.Adam`` (``"Adam"``)."""
    if name == "SGD":
        return descent.optim.SGD(model.parameters(), **SGD_OPTIONS)
    return descent.optim.Adam(model.parameters(), lr=LR)


def values(model: torch.nn.Module) -> list[torch.Tensor]:
    """Copies of the model's parameters (for comparing runs)."""
    return [p.detach().clone() for p in model.parameters()]


def max_difference(a: list[torch.Tensor], b: list[torch.Tensor]) -> float:
    """The largest elementwise difference between two lists of tensors."""
    return max((u - v).abs().max().item() for u, v in zip(a, b))


def train_alone(steps: int, micro_batches: int = 1, optimizer_name: str = "SGD",
                dtype: torch.dtype = torch.float32) -> list[torch.Tensor]:
    """One process, whole batches, ``descent.optim``'s SGD (momentum) or Adam: what every distributed run must equal.

    With ``micro_batches`` > 1 the gradient of each batch is accumulated over
    that many equal pieces, each loss divided by their number: the same
    gradient, summed in another order.
    """
    model = make_model().to(dtype)
    optimizer = make_optimizer(model, optimizer_name)
    for x, y in batches(steps):
        for xs, ys in zip(x.to(dtype).chunk(micro_batches), y.chunk(micro_batches)):
            (F.cross_entropy(model(xs), ys) / micro_batches).backward()
        optimizer.step()
        optimizer.zero_grad()
    return values(model)


def spread_over_ranks(tensors: list[torch.Tensor]) -> float:
    """How far the ranks' copies of ``tensors`` are apart: max over ranks of max |t - rank 0's t|."""
    spread = 0.0
    for t in tensors:
        first = t.clone()
        dist.broadcast(first, src=0)
        spread = max(spread, (t - first).abs().max().item())
    worst = torch.tensor(spread)
    dist.all_reduce(worst, op=dist.ReduceOp.MAX)
    return worst.item()


# --- 1. data parallelism by hand ----------------------------------------------------

def by_hand(rank: int, world_size: int, steps: int, optimizer_name: str = "SGD") -> dict[str, Any]:
    """Each rank: its share of each batch, backward, ``average_gradients``, an optimizer step.

    Returns rank 0's parameters, how many examples each rank saw per step,
    and how far apart the ranks' parameters ended (they should be identical).
    """
    model = make_model()
    optimizer = make_optimizer(model, optimizer_name)
    for x, y in batches(steps):
        loss = F.cross_entropy(model(shard(x, rank, world_size)), shard(y, rank, world_size))
        (shard_weight(len(x), rank, world_size) * loss).backward()
        average_gradients(model)                 # one all_reduce per parameter tensor
        optimizer.step()
        optimizer.zero_grad()
    shares = [0] * world_size
    dist.all_gather_object(shares, len(shard(x, rank, world_size)))
    return dict(params=values(model), shares=shares,
                spread=spread_over_ranks(list(model.parameters())))


# --- 2. DDP: buckets and no_sync -------------------------------------------------------

def recording_hook(sizes, bucket):  # unannotated: DDP checks the annotations' types at run time
    """A DDP communication hook: note the bucket's length, then average it with all_reduce.

    This is what DDP's default hook does (sum over the ranks, divide by N),
    with one line added: ``sizes`` (the hook's *state*) receives the number
    of gradient elements in the bucket.
    """
    buffer = bucket.buffer()
    sizes.append(buffer.numel())
    buffer.div_(dist.get_world_size())
    work = dist.all_reduce(buffer, async_op=True)
    return work.get_future().then(lambda future: future.value()[0])


def ddp_buckets(rank: int, world_size: int, caps_mb: list[float],
                steps: int = 3) -> dict[float, list[list[int]]]:
    """For each ``bucket_cap_mb``: the bucket lengths DDP all-reduced at each of ``steps`` steps."""
    seen = {}
    for cap in caps_mb:
        model = DistributedDataParallel(make_model(), bucket_cap_mb=cap)
        per_step: list[list[int]] = []
        sizes: list[int] = []
        model.register_comm_hook(sizes, recording_hook)
        optimizer = make_optimizer(model, "SGD")
        for x, y in batches(steps):
            F.cross_entropy(model(shard(x, rank, world_size)), shard(y, rank, world_size)).backward()
            per_step.append(list(sizes))
            sizes.clear()
            optimizer.step()
            optimizer.zero_grad()
        seen[cap] = per_step
    return seen


def ddp_train(rank: int, world_size: int, steps: int, micro_batches: int = 1,
              optimizer_name: str = "SGD", no_sync: bool = True) -> dict[str, Any]:
    """DDP with SGD (momentum) or Adam on each rank's share; with ``micro_batches`` > 1, accumulated under ``no_sync``.

    Each rank splits its share into ``micro_batches`` pieces; the backward
    passes of all but the last (forward *and* backward: DDP prepares the
    reduction in forward) run inside ``model.no_sync()`` (no
    communication: the gradients just add up locally), and the last one
    all-reduces the sum. Each loss is divided by ``micro_batches`` (weighted
    by its size when the pieces or the ranks' shares are unequal, as
    :func:`~descent.distributed.shard_weight` explains). With ``no_sync=False``
    every micro-batch's backward all-reduces (the same result, more messages).
    """
    model = DistributedDataParallel(make_model())
    optimizer = make_optimizer(model, optimizer_name)
    reductions = []
    sizes: list[int] = []
    model.register_comm_hook(sizes, recording_hook)
    for x, y in batches(steps):
        share_x, share_y = shard(x, rank, world_size), shard(y, rank, world_size)
        pieces = list(zip(share_x.chunk(micro_batches), share_y.chunk(micro_batches)))
        for i, (xs, ys) in enumerate(pieces):
            last = i == len(pieces) - 1
            # len(xs)/len(share_x) is 1/micro_batches when the pieces are equal.
            weight = shard_weight(len(x), rank, world_size) * len(xs) / len(share_x)
            with contextlib.nullcontext() if last or not no_sync else model.no_sync():
                # The forward pass too: DDP decides in forward whether backward will reduce.
                (weight * F.cross_entropy(model(xs), ys)).backward()
        reductions.append(len(sizes))           # all-reduces during this step
        sizes.clear()
        optimizer.step()
        optimizer.zero_grad()
    return dict(params=values(model.module), reductions=reductions,
                spread=spread_over_ranks(list(model.parameters())))


def ddp_accumulation(rank: int, world_size: int, steps: int, micro_batches: int) -> dict[str, Any]:
    """:func:`ddp_train` with accumulation over ``micro_batches``, with and without ``no_sync``, in one launch."""
    return dict(with_no_sync=ddp_train(rank, world_size, steps, micro_batches),
                without=ddp_train(rank, world_size, steps, micro_batches, no_sync=False))


# --- 3. communication: a ring all-reduce by hand, counting bytes ---------------------

def ring_hook(sent, bucket):  # unannotated, as recording_hook
    """A DDP communication hook that averages the bucket with :func:`ring_all_reduce`.

    ``sent`` (the hook's state) receives the bytes this rank sent for the
    bucket. The ring runs at once, so the hook returns a finished future.
    """
    buffer = bucket.buffer()
    sent.append(ring_all_reduce(buffer))
    buffer.div_(dist.get_world_size())
    future: torch.futures.Future = torch.futures.Future()
    future.set_result(buffer)
    return future


def ring_train(rank: int, world_size: int, steps: int) -> dict[str, Any]:
    """DDP (SGD with momentum) whose buckets are averaged by the hand-written ring.

    Returns every rank's bytes sent at each step, the gradient's size in
    bytes, rank 0's parameters (to compare with :func:`train_alone`), and,
    for a float64 tensor of :data:`UNEVEN_LENGTH` random numbers (a length
    2 and 3 do not divide), every rank's bytes sent and whether the ring's
    sum equals ``dist.all_reduce``'s.
    """
    model = DistributedDataParallel(make_model())
    sent: list[int] = []
    model.register_comm_hook(sent, ring_hook)
    optimizer = make_optimizer(model, "SGD")
    per_step = []
    for x, y in batches(steps):
        loss = F.cross_entropy(model(shard(x, rank, world_size)), shard(y, rank, world_size))
        (shard_weight(len(x), rank, world_size) * loss).backward()
        per_step.append(sum(sent))
        sent.clear()
        optimizer.step()
        optimizer.zero_grad()
    everyone: list[Any] = [None] * world_size
    dist.all_gather_object(everyone, per_step)
    torch.manual_seed(rank)
    mine = torch.randn(UNEVEN_LENGTH, dtype=torch.float64)
    by_ring, by_torch = mine.clone(), mine.clone()
    uneven: list[Any] = [None] * world_size
    dist.all_gather_object(uneven, ring_all_reduce(by_ring))
    dist.all_reduce(by_torch)
    gradient_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    return dict(sent=everyone, gradient_bytes=gradient_bytes, params=values(model.module),
                spread=spread_over_ranks(list(model.parameters())), uneven_sent=uneven,
                agrees_with_all_reduce=torch.allclose(by_ring, by_torch, rtol=1e-12, atol=1e-12))


# --- 4. memory: ShardedOptimizer and FSDP2 ------------------------------------------------

def sharded_memory(rank: int, world_size: int, steps: int = 2) -> dict[str, Any]:
    """ShardedOptimizer (ZeRO-1) around ``descent.fast.Adam``: every rank's memory, and the result.

    Returns each rank's :meth:`ShardedOptimizer.memory_per_rank` (after
    ``steps`` steps, so that Adam's state exists), the parameter count, and
    rank 0's parameters (to compare with :func:`train_alone`). They differ
    from one process by about 1e-5 in float32 (4e-5 on 3 ranks), not 1e-7:
    a few weights of the second layer have gradients near Adam's ε = 1e-8,
    where Adam's step turns a rounding difference δg into a change of
    lr·δg/ε. One process summing its batch in 2 micro-batches differs from
    itself as much; in float64 the runs agree to 1e-14.
    """
    model = make_model()
    optimizer = ShardedOptimizer(model.parameters(), fast.Adam, lr=LR)
    for x, y in batches(steps):
        loss = F.cross_entropy(model(shard(x, rank, world_size)), shard(y, rank, world_size))
        (shard_weight(len(x), rank, world_size) * loss).backward()
        optimizer.step()
        optimizer.zero_grad()
    memory = optimizer.memory_per_rank()
    everyone: list[Any] = [None] * world_size
    dist.all_gather_object(everyone, memory)
    return dict(memory=everyone, numel=sum(p.numel() for p in model.parameters()),
                params=values(model))


def fsdp_shards(rank: int, world_size: int, steps: int = 2) -> dict[str, Any]:
    """FSDP2: ``fully_shard`` each Linear, then the root, on a CPU device mesh; train with Adam.

    Returns every rank's local shard shape of each parameter (a DTensor
    sharded along dim 0), the full shapes, and the full parameters after
    ``steps`` steps of ``torch.optim.Adam`` (gathered), to compare with one
    process.
    """
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import fully_shard

    mesh = init_device_mesh("cpu", (world_size,))
    model = make_model()
    full_shapes = {name: tuple(p.shape) for name, p in model.named_parameters()}
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            fully_shard(layer, mesh=mesh)
    fully_shard(model, mesh=mesh)
    local = {name: tuple(p.to_local().shape) for name, p in model.named_parameters()}
    everyone: list[Any] = [None] * world_size
    dist.all_gather_object(everyone, local)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    first_gradients, memory = None, None
    for x, y in batches(steps):
        loss = F.cross_entropy(model(shard(x, rank, world_size)), shard(y, rank, world_size))
        (shard_weight(len(x), rank, world_size) * loss).backward()
        if first_gradients is None:             # averaged over the ranks, or summed?
            first_gradients = [p.grad.full_tensor().clone() for p in model.parameters()]
        optimizer.step()
        memory = local_bytes(model, optimizer)  # the gradients still exist here
        optimizer.zero_grad()
    memories: list[Any] = [None] * world_size
    dist.all_gather_object(memories, memory)
    gathered = [p.full_tensor().detach().clone() for p in model.parameters()]
    return dict(full_shapes=full_shapes, local_shapes=everyone, params=gathered,
                first_gradients=first_gradients, memory=memories)


def local_bytes(model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, int]:
    """Bytes of this rank's shards (``DTensor.to_local()``): parameters, gradients, optimizer state."""
    def nbytes(tensors):
        return sum(t.to_local().numel() * t.element_size() for t in tensors)
    params = list(model.parameters())
    state = [v for p in params for v in optimizer.state[p].values()
             if isinstance(v, torch.Tensor) and v.dim() > 0]
    return dict(parameters=nbytes(params), gradients=nbytes(p.grad for p in params if p.grad is not None),
                optimizer_state=nbytes(state))


def sharded_adam_float64(rank: int, world_size: int, steps: int = 2) -> list[torch.Tensor]:
    """ShardedOptimizer around ``descent.fast.Adam`` in float64: rank 0's parameters after ``steps`` steps."""
    model = make_model().double()
    optimizer = ShardedOptimizer(model.parameters(), fast.Adam, lr=LR)
    for x, y in batches(steps):
        loss = F.cross_entropy(model(shard(x.double(), rank, world_size)), shard(y, rank, world_size))
        (shard_weight(len(x), rank, world_size) * loss).backward()
        optimizer.step()
        optimizer.zero_grad()
    return values(model)


def memory_and_fsdp(rank: int, world_size: int, steps: int = 2) -> dict[str, Any]:
    """:func:`sharded_memory`, :func:`fsdp_shards` and :func:`sharded_adam_float64` in one launch (a launch costs seconds)."""
    return dict(sharded=sharded_memory(rank, world_size, steps),
                fsdp=fsdp_shards(rank, world_size, steps),
                float64=sharded_adam_float64(rank, world_size, steps))


def first_gradients_alone() -> list[torch.Tensor]:
    """One process's gradient of the first whole batch (what FSDP's averaged gradient must equal)."""
    model = make_model()
    x, y = batches(1)[0]
    F.cross_entropy(model(x), y).backward()
    return [p.grad.clone() for p in model.parameters()]


def train_alone_torch(steps: int) -> list[torch.Tensor]:
    """As :func:`train_alone`, with ``torch.optim.Adam`` (what the FSDP run uses)."""
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    for x, y in batches(steps):
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
        optimizer.zero_grad()
    return values(model)
