r"""Training on many workers: data parallelism by hand, and ZeRO-style sharded optimizers.

Everything here runs for real on one machine's CPU, with PyTorch's ``gloo``
backend and a few processes; the same code runs on GPUs with ``nccl``.

**Data parallelism.** N processes (*ranks*) hold the same model. Each takes
its share of every batch of B examples, computes the loss and its gradient
on that share, and the ranks average their gradients before stepping. With
equal shares of B/N examples and each rank's loss the *mean* over its share,

.. math::

    \frac1N \sum_{r=1}^{N} \nabla \Big(\frac{N}{B} \sum_{i \in S_r} \ell_i\Big)
    = \nabla \frac1B \sum_{i=1}^{B} \ell_i ,

the averaged gradient is the full batch's: every rank then takes the same
step that one process would take on the whole batch (to float32 rounding,
since the sums are added in another order). With uneven shares of
:math:`n_r` examples the mean over a share must be weighted by
:math:`N n_r / B` (:func:`shard_weight`).

**Averaging.** :func:`average_gradients` sums each gradient over the ranks
with ``all_reduce`` and divides by N: one collective per tensor, which is
what :class:`torch.nn.parallel.DistributedDataParallel` improves on by
packing gradients into buckets and reducing them while backward still runs
(Li et al. 2020).

**Sharding the optimizer** (Rajbhandari et al. 2020, ZeRO). After an
all-reduce every rank holds the whole averaged gradient and takes the whole
step, so each keeps a full copy of the optimizer state: 8 bytes per
parameter for Adam in float32, twice the parameters themselves. An
all-reduce is a *reduce-scatter* (each rank receives the sum of one slice)
followed by an *all-gather* (each rank sends its slice to all). ZeRO stops
in the middle: each rank steps only its slice, so it keeps the optimizer
state of its slice only (stage 1: the state is divided by N), and then the
ranks all-gather the updated *parameters*. The bytes sent are those of one
all-reduce. :class:`ShardedOptimizer` does this on the flat buffers of
:mod:`descent.fast`, where a slice of every parameter is one contiguous
range.

**Launching.** :func:`launch` runs a function on N local processes, each
with its rank, and returns rank 0's result; a rank that fails or hangs ends
the run with an error that names it.

References: Rajbhandari, Rasley, Ruwase & He (2020), ZeRO: Memory
Optimizations Toward Training Trillion Parameter Models; Li et al. (2020),
PyTorch Distributed: Experiences on Accelerating Data Parallel Training.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import pickle
import queue as queue_module
import sys
import time
import traceback
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import Tensor

from descent import fast, optim

__all__ = [
    "launch", "RankError", "LaunchTimeout",
    "shard_bounds", "shard", "shard_weight", "average_gradients", "ring_all_reduce",
    "ShardedOptimizer", "SHARDABLE",
]


# ---------------------------------------------------------------------------
# The launcher
# ---------------------------------------------------------------------------

class RankError(RuntimeError):
    """A rank failed: ``rank``, its exception's type name (``kind``), message and traceback text.

    A rank that ended without reporting (killed, crashed) has ``kind`` ``"exit"``
    and no traceback (``trace`` is None).
    """

    def __init__(self, rank: int, world_size: int, kind: str, message: str,
                 trace: str | None) -> None:
        self.rank, self.world_size, self.kind, self.message, self.trace = (
            rank, world_size, kind, message, trace)
        if trace is None:
            text = f"rank {rank} of {world_size} failed: {message}"
        else:
            text = (f"rank {rank} of {world_size} raised {kind}: {message}\n\n"
                    f"Traceback from rank {rank}:\n{trace}")
        super().__init__(text)


class LaunchTimeout(TimeoutError):
    """Some ranks did not finish within the launch's timeout; ``ranks`` lists them."""

    def __init__(self, ranks: list[int], world_size: int, timeout: float) -> None:
        self.ranks = ranks
        names = ", ".join(map(str, ranks))
        super().__init__(f"rank{'s' if len(ranks) > 1 else ''} {names} of {world_size} did "
                         f"not finish within {timeout:g} s; every rank was stopped")


def check_importable(fn: Callable[..., Any]) -> None:
    """Raise a clear ValueError unless a spawned process can import ``fn`` by its name."""
    name = getattr(fn, "__qualname__", repr(fn))
    if "<lambda>" in name or "<locals>" in name:
        raise ValueError(f"launch() needs a module-level function, not {name}: a new process "
                         "imports the worker by its name, which a lambda or a function "
                         "defined inside another one does not have")
    main = sys.modules.get("__main__")
    if getattr(fn, "__module__", None) == "__main__" and not hasattr(main, "__file__"):
        raise ValueError(f"launch() cannot run {name}, defined in a notebook or an interactive "
                         "session: a new process cannot import it. Put the worker in a .py "
                         "module beside the notebook and import it from there")
    try:
        pickle.dumps(fn)
    except Exception as error:                      # what spawn would fail on, said early
        raise ValueError(f"launch() cannot send {name} to a new process: {error}") from error


def default_threads(world_size: int) -> int:
    """Threads per rank: the cores divided among the ranks (torchrun uses 1), at least 1."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // world_size)


def launch(fn: Callable[..., Any], world_size: int, *args: Any, timeout: float = 60.0,
           backend: str = "gloo", threads: int | None = None, **kwargs: Any) -> Any:
    """Run ``fn(rank, world_size, *args, **kwargs)`` on ``world_size`` new local processes.

    Each process (rank 0 to ``world_size - 1``) joins one process group
    (``backend``: ``"gloo"`` runs on any CPU) before calling ``fn`` and
    leaves it afterwards; ``launch`` returns what rank 0's ``fn`` returns
    (it must be picklable; the other ranks' results are dropped).

    - ``fn`` must be a module-level function of an importable module: the
      processes are *spawned* (a fresh Python that imports ``fn`` by name),
      so a lambda, a nested function or a function defined in a notebook
      cannot run (ValueError). ``args`` and ``kwargs`` must be picklable.
    - A rank that raises ends the run at once: the other ranks (perhaps
      waiting in a collective for it) are stopped and :class:`RankError`
      names the rank, its exception and its traceback. A rank that dies
      without a word (killed, crashed) is reported by its exit code.
    - A run that has not finished after ``timeout`` seconds (start-up
      included) is stopped: :class:`LaunchTimeout` names the ranks that did
      not finish.
    - No process outlives the call, whatever happens.
    - Each rank uses ``threads`` threads (default: the cores divided among
      the ranks, so that N ranks do not fight over the same cores).
    - In a script, call ``launch`` under ``if __name__ == "__main__":``. Each
      spawned process imports the script that started it (to find ``fn``);
      without the guard that import calls ``launch`` again, which fails
      (RuntimeError, in the new process) and ends the run with a
      :class:`RankError`. A notebook needs no guard.
    - Nothing is printed. What ranks print goes to the parent's standard
      output and error, in whatever order the processes write it (a notebook
      may show it in the cell, or in the terminal that runs Jupyter): return
      results from rank 0 and print them in the parent instead.

    The rendezvous is a ``TCPStore`` served by this process on a port the
    operating system picks (port 0), so concurrent launches never collide
    and no port is fixed; gloo then connects the ranks to each other.
    """
    if world_size < 1:
        raise ValueError(f"world_size must be at least 1, got {world_size}")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise RuntimeError("launch() was called while a new process was importing the script "
                           "that started it: call launch() under `if __name__ == \"__main__\":` "
                           "in that script")
    check_importable(fn)
    try:
        pickle.dumps((args, kwargs))
    except Exception as error:                  # what spawn would fail on, said early
        raise ValueError(f"launch() cannot send the arguments to a new process: {error}") from error
    threads = threads or default_threads(world_size)
    context = mp.get_context("spawn")
    messages = context.Queue()
    store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False,
                          timeout=datetime.timedelta(seconds=timeout))
    processes = [context.Process(target=run_rank, name=f"rank {rank}", daemon=True, args=(
        fn, rank, world_size, store.port, backend, threads, timeout, args, kwargs, messages))
        for rank in range(world_size)]
    deadline = time.monotonic() + timeout
    finished = False
    try:
        for process in processes:
            process.start()
        payload = collect(processes, messages, deadline, timeout)
        finished = True
    finally:                                     # after a failure, stop the others at once
        stop(processes, grace=10.0 if finished else 0.0)
        messages.close()
        messages.cancel_join_thread()
    return pickle.loads(payload)


def run_rank(fn: Callable[..., Any], rank: int, world_size: int, port: int, backend: str,
             threads: int, timeout: float, args: tuple, kwargs: dict,
             messages: Any) -> None:
    """One spawned rank: join the group, run ``fn``, report the result or the error, leave."""
    torch.set_num_threads(threads)
    try:
        store = dist.TCPStore("127.0.0.1", port, is_master=False,
                              timeout=datetime.timedelta(seconds=timeout))
        dist.init_process_group(backend, store=store, rank=rank, world_size=world_size,
                                timeout=datetime.timedelta(seconds=timeout))
        result = fn(rank, world_size, *args, **kwargs)
        message = (rank, "ok", pickle.dumps(result) if rank == 0 else b"")
    except BaseException as error:              # reported to the parent, which raises it
        message = (rank, "error", type(error).__name__, str(error), traceback.format_exc())
    messages.put(message)
    messages.close()
    messages.join_thread()                      # the message has left before we go on
    if dist.is_initialized():
        dist.destroy_process_group()


def collect(processes: list[Any], messages: Any, deadline: float, timeout: float) -> bytes:
    """Wait for every rank's message; return rank 0's result, or raise the first failure."""
    world_size = len(processes)
    done: dict[int, bytes] = {}
    silent_since: dict[int, float] = {}          # ranks that exited without a message
    while len(done) < world_size:
        now = time.monotonic()
        if now > deadline:
            raise LaunchTimeout([r for r in range(world_size) if r not in done],
                                world_size, timeout)
        try:
            rank, status, *details = messages.get(timeout=min(0.1, deadline - now))
        except queue_module.Empty:
            for rank, process in enumerate(processes):
                if rank not in done and process.exitcode is not None:
                    # Its message may still be in the pipe: give it a second.
                    if now - silent_since.setdefault(rank, now) > 1.0:
                        raise silent_death(rank, processes)
            continue
        if status == "error":
            error = RankError(rank, world_size, *details)
            # A rank that died without a word breaks the others' connections, and their
            # errors may arrive before its death is seen: report it as the cause.
            dead = dead_rank(processes, skip=set(done) | {rank}, wait=DEATH_GRACE)
            if dead is not None:
                raise silent_death(dead, processes, then=error) from error
            raise error
        done[rank] = details[0]
    return done[0]


#: Seconds to watch for a rank that died silently after another rank reported an error.
DEATH_GRACE = 3.0


def dead_rank(processes: list[Any], skip: set[int], wait: float) -> int | None:
    """The first rank not in ``skip`` that exits with a non-zero code within ``wait`` seconds, or None."""
    deadline = time.monotonic() + wait
    while True:
        for rank, process in enumerate(processes):
            if rank not in skip and process.exitcode not in (None, 0):
                return rank
        if time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def silent_death(rank: int, processes: list[Any], then: RankError | None = None) -> RankError:
    """The error for a rank that ended without reporting (killed, crashed, ``os._exit``)."""
    message = (f"the process ended with exit code {processes[rank].exitcode} without "
               "reporting (killed, crashed, or failed at start-up: see its standard error; "
               "a script must call launch() under `if __name__ == \"__main__\":`)")
    if then is not None:
        message += f"; then rank {then.rank} raised {then.kind}: {then.message}"
    return RankError(rank, len(processes), "exit", message, None)


def stop(processes: list[Any], grace: float) -> None:
    """Give the ranks ``grace`` seconds to exit; terminate, then kill, the others.

    Processes that never started (a ``start()`` before them failed) are
    skipped: joining them would raise an AssertionError that hides the error
    which stopped the launch.
    """
    processes = [process for process in processes if process.pid is not None]
    deadline = time.monotonic() + grace
    for process in processes:
        if process.is_alive():
            process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5.0)
        if process.is_alive():
            process.kill()
            process.join()


# ---------------------------------------------------------------------------
# Data parallelism by hand
# ---------------------------------------------------------------------------

def shard_bounds(size: int, rank: int, world_size: int) -> tuple[int, int]:
    """Rank ``rank``'s share ``[start, stop)`` of ``size`` examples: contiguous, as even as can be.

    The first ``size % world_size`` ranks take one example more, as
    :func:`torch.tensor_split` splits.
    """
    if world_size < 1:
        raise ValueError(f"world_size must be at least 1, got {world_size}")
    if not 0 <= rank < world_size:
        raise ValueError(f"rank must be in [0, {world_size}), got {rank}")
    base, extra = divmod(size, world_size)
    start = rank * base + min(rank, extra)
    return start, start + base + (rank < extra)


def shard(x: Tensor, rank: int, world_size: int) -> Tensor:
    """Rank ``rank``'s share of the batch ``x`` (a view of rows ``start:stop``; see :func:`shard_bounds`)."""
    start, stop = shard_bounds(len(x), rank, world_size)
    return x[start:stop]


def shard_weight(size: int, rank: int, world_size: int) -> float:
    r"""The weight N·n_r/B of rank ``rank``'s mean loss, so that averaging gives the full batch's.

    With B examples split into shares of :math:`n_r`, the full batch's mean
    loss is :math:`\frac1B\sum_i \ell_i = \frac1N \sum_r \frac{N n_r}{B}
    \bar\ell_r`, where :math:`\bar\ell_r` is the mean over rank r's share.
    Averaging the ranks' gradients (:func:`average_gradients`) takes the
    :math:`\frac1N \sum_r`, so each rank backpropagates
    ``shard_weight(B, rank, N) * loss_r``. The weight is 1 when the shares
    are equal.
    """
    start, stop = shard_bounds(size, rank, world_size)
    return world_size * (stop - start) / size


def parameters_of(model_or_params: torch.nn.Module | Iterable[Tensor]) -> list[Tensor]:
    if isinstance(model_or_params, torch.nn.Module):
        return list(model_or_params.parameters())
    return list(model_or_params)


@torch.no_grad()
def average_gradients(model_or_params: torch.nn.Module | Iterable[Tensor],
                      group: dist.ProcessGroup | None = None) -> None:
    r"""Replace every gradient by its mean over the ranks: :math:`g \leftarrow \frac1N \sum_r g_r`.

    One ``all_reduce`` (sum) per tensor, then a division by N. Call it on
    every rank between ``loss.backward()`` and ``optimizer.step()``; every
    rank must have gradients for the same parameters (a parameter whose
    ``.grad`` is None on all ranks is skipped), or the ranks would wait for
    each other forever.
    """
    world_size = dist.get_world_size(group)
    for param in parameters_of(model_or_params):
        if param.grad is not None:
            dist.all_reduce(param.grad, op=dist.ReduceOp.SUM, group=group)
            param.grad.div_(world_size)


@torch.no_grad()
def ring_all_reduce(tensor: Tensor) -> int:
    r"""Sum ``tensor`` over the ranks in place, as a ring all-reduce does; return the bytes this rank sent.

    The ranks sit on a ring (rank r sends to r + 1 and receives from r − 1,
    modulo N) and the tensor is cut into N chunks (:func:`shard_bounds`).

    * **Reduce-scatter**, N − 1 rounds: in round s, rank r sends chunk
      (r − s) mod N to its right neighbour and adds the chunk it receives,
      (r − s − 1) mod N, into its own. Afterwards rank r holds the complete
      sum of chunk (r + 1) mod N.
    * **All-gather**, N − 1 rounds: in round s, rank r sends chunk
      (r + 1 − s) mod N, which is complete, and copies the complete chunk
      (r − s) mod N it receives over its own.

    Rank r sends N − 1 of the N chunks in each phase (all but chunk r + 1,
    then all but chunk r + 2), so with a tensor of G bytes cut into equal
    chunks it sends

    .. math:: 2\,\frac{N-1}{N}\,G

    bytes, however many ranks there are. This is a teaching version with
    ``send``/``recv`` on the default process group; ``dist.all_reduce`` is
    what to use (it also picks other algorithms for small tensors).

    Reference: Patarasuk & Yuan (2009), Bandwidth optimal all-reduce
    algorithms for clusters of workstations.
    """
    if not tensor.is_contiguous():
        raise ValueError("ring_all_reduce needs a contiguous tensor")
    world_size, rank = dist.get_world_size(), dist.get_rank()
    flat = tensor.view(-1)
    chunks = [flat[slice(*shard_bounds(flat.numel(), i, world_size))] for i in range(world_size)]
    right, left = (rank + 1) % world_size, (rank - 1) % world_size
    sent = 0

    def exchange(send_index: int, receive_index: int) -> Tensor:
        nonlocal sent
        outgoing, incoming = chunks[send_index], torch.empty_like(chunks[receive_index])
        requests = [dist.isend(outgoing, right), dist.irecv(incoming, left)]
        for request in requests:
            request.wait()
        sent += outgoing.numel() * outgoing.element_size()
        return incoming

    for s in range(world_size - 1):                     # reduce-scatter
        receive_index = (rank - s - 1) % world_size
        chunks[receive_index].add_(exchange((rank - s) % world_size, receive_index))
    for s in range(world_size - 1):                     # all-gather
        receive_index = (rank - s) % world_size
        chunks[receive_index].copy_(exchange((rank + 1 - s) % world_size, receive_index))
    return sent


# ---------------------------------------------------------------------------
# ZeRO: the optimizer state sharded over the ranks
# ---------------------------------------------------------------------------

#: The optimizers :class:`ShardedOptimizer` can shard, by name. Their updates
#: are elementwise, so a slice that cuts a parameter in two is updated exactly
#: as the whole would be; an optimizer that looks at a whole tensor (a norm,
#: a matrix: LARS, LAMB, Muon, Adafactor) could not be sliced this way.
SHARDABLE: dict[str, type[fast.FlatOptimizer]] = {
    "SGD": fast.SGD, "RMSprop": fast.RMSprop, "Adam": fast.Adam, "AdamW": fast.AdamW}


def flat_class(optimizer_class: type) -> type[fast.FlatOptimizer]:
    """The :mod:`descent.fast` class for ``optimizer_class`` (a fast class or its :mod:`descent.optim` reference)."""
    for flat in SHARDABLE.values():
        if optimizer_class in (flat, flat.reference):
            return flat
    name = getattr(optimizer_class, "__qualname__", repr(optimizer_class))
    raise ValueError(f"ShardedOptimizer cannot shard {name}; it shards descent.fast's (or "
                     f"descent.optim's) {', '.join(SHARDABLE)}")


def check_params(params: list[Tensor]) -> None:
    """Raise a clear ValueError unless ``params`` are float, trainable, and on one device."""
    for p in params:
        if not p.dtype.is_floating_point:
            raise ValueError(f"ShardedOptimizer can only optimize floating-point parameters, "
                             f"got one of dtype {p.dtype}")
        if not p.requires_grad:
            raise ValueError("ShardedOptimizer got a parameter that does not require a "
                             "gradient; pass only the trainable ones, e.g. "
                             "[p for p in model.parameters() if p.requires_grad]")
    devices = sorted({str(p.device) for p in params})
    if len(devices) > 1:
        raise ValueError(f"ShardedOptimizer needs every parameter on one device, got "
                         f"parameters on {' and '.join(devices)}")


@dataclass
class Piece:
    """Parameter ``index`` of a bucket, elements ``[start, stop)`` of the flat buffers, owned by this rank."""

    index: int
    start: int
    stop: int
    param: Tensor         # those elements (a 1-D view of the flat buffer), stepped by the wrapped optimizer


@dataclass
class Shard:
    """One flat bucket (whole on every rank) and the slice ``[start, stop)`` this rank steps."""

    group: int            # the param group
    bucket: fast.Bucket   # flat parameters and gradients; p.data and p.grad are views into them
    start: int
    stop: int
    pieces: list[Piece]
    inner: fast.Bucket | None = None   # the wrapped optimizer's bucket of the pieces (if any)

    @property
    def numel(self) -> int:
        """Parameter elements in this rank's slice (padding not counted)."""
        return sum(piece.stop - piece.start for piece in self.pieces)


def slice_bounds(length: int, rank: int, world_size: int) -> tuple[int, int]:
    """Rank ``rank``'s equal slice of a flat buffer whose length is a multiple of ``world_size``."""
    size = length // world_size
    return rank * size, (rank + 1) * size


def cut(bucket: fast.Bucket, start: int, stop: int, owns_empty: bool) -> list[Piece]:
    """The parts of ``bucket``'s parameters that fall in ``[start, stop)``, as pieces.

    A parameter with no elements belongs to the rank with ``owns_empty``
    (rank 0), so that its state (a step count) lives somewhere.
    """
    pieces = []
    for i, p in enumerate(bucket.params):
        begin, end = bucket.bounds[i], bucket.bounds[i] + p.numel()
        a, b = max(begin, start), min(end, stop)
        if a < b or (p.numel() == 0 and owns_empty):
            a, b = (a, b) if a < b else (begin, begin)
            piece = bucket.param[a:b].clone().requires_grad_(True)
            pieces.append(Piece(i, a, b, piece))
    return pieces


class ShardedOptimizer(torch.optim.Optimizer):
    r"""ZeRO-style data parallelism: each rank keeps the optimizer state of one slice only.

    ``ShardedOptimizer(params, optimizer_class, *, process_group=None, **defaults)``
    wraps one of :data:`SHARDABLE` (``descent.fast``'s SGD, RMSprop, Adam,
    AdamW, or their :mod:`descent.optim` references) with its usual
    hyperparameters (``lr=``, ``betas=``…, and ``kernel=``); ``params`` may be
    parameters or param groups, as for any optimizer. Every rank of
    ``process_group`` (default: the whole world) creates it on the same
    model, and it is used as a plain optimizer, with no DDP wrapper::

        loss = loss_fn(model(shard(x, rank, world)), shard(y, rank, world))
        loss.backward()          # this rank's gradient, into the flat buffer
        optimizer.step()         # reduce-scatter, step the slice, all-gather
        optimizer.zero_grad()

    Each rank's ``loss`` must be the **mean over its share** of the batch:
    with equal shares, the average of the ranks' gradients is then the whole
    batch's (module doc), so the parameters follow the single-process
    optimizer on the whole batch, to float32 rounding. With uneven shares,
    weight each loss by :func:`shard_weight`. Adam amplifies that rounding
    where a gradient entry is near its ε: the step
    :math:`\alpha\,\hat m/(\sqrt{\hat v}+\epsilon)` changes by up to
    :math:`\alpha\,\delta g/\epsilon` for a rounding difference
    :math:`\delta g` in the gradient, so runs that sum the same gradients in
    another order (on N ranks, or in micro-batches on one) may differ by
    1e-5 after a step where most entries differ by 1e-8; in float64 they
    agree to 1e-14.

    **The layout.** The parameters of each param group (one bucket per
    dtype) live in one flat buffer as in :mod:`descent.fast`, padded at the
    end to a multiple of N × 16 elements and cut into N equal slices: rank r
    steps elements ``[r L/N, (r+1) L/N)`` of a buffer of length L. A slice
    may cut a parameter in two (the updates are elementwise); the padding
    makes the last ranks hold fewer real parameters when the sizes do not
    divide (uneven shards; a rank may hold none).

    **One step**, for each flat buffer, with :math:`g_r` rank r's gradient:

    1. reduce-scatter: rank r receives its slice of :math:`\frac1N\sum_s g_s`
       (``reduce_scatter_single``, a sum, then a division by N, which works
       on every backend; ``ReduceOp.AVG`` is native on NCCL only);
    2. the wrapped optimizer steps the slice, in place: its parameters are
       views of the slice, its gradients views of the reduce-scatter's
       output, and it holds the state of those
       elements only (one piece per parameter the slice touches, so each
       parameter keeps its own step count as in :mod:`descent.optim`);
    3. all-gather: every rank sends its updated slice to all, into the flat
       parameter buffer that the model's parameters are views of.

    A parameter with no gradient on any rank is skipped (and its state does
    not advance), as torch.optim skips a ``None`` gradient: the ranks agree
    on it with an all-reduce of one flag per parameter.

    **Reduce-scatter, not all-reduce then slice.** Both give the same slice;
    the reduce-scatter sends half the bytes of a ring all-reduce, and with
    the all-gather the step sends what one all-reduce sends: sharding costs
    no extra communication. That is the algorithm ZeRO and FSDP use, and on
    GPUs (NCCL) the collectives run at that speed. gloo has a native
    reduce-scatter (``reduce_scatter_single``, torch ≥ 2.13's name; the older
    ``reduce_scatter_tensor`` warns that it is deprecated). On a CPU the
    point of sharding is memory; this module makes no claim about its speed.

    **Memory** (:meth:`memory_per_rank`): every rank keeps the whole
    parameters and gradients (backward needs them) and the state of its
    slice: about 1/N of the optimizer state. The wrapped optimizer steps
    views of this rank's slice of the flat parameters, so nothing is stored
    twice, and reads the averaged gradient of the slice from the
    reduce-scatter's output, which lives during :meth:`step` only: ``p.grad``
    keeps this rank's own gradient, as with torch.optim. That is ZeRO stage 1, with
    stage 2's communication; stage 2 proper would also free each gradient
    bucket once it is reduce-scattered during backward, and stage 3 (FSDP)
    the parameters between uses.

    **Checkpoints.** :meth:`state_dict` gathers the full state, in the format
    of a single-process ``descent.fast``/``descent.optim`` optimizer on the
    same parameters (``state`` numbered like the parameters, each entry
    shaped like its parameter; ``param_groups`` as torch.optim), on every
    rank: call it on all ranks, save from rank 0. :meth:`load_state_dict`
    takes such a full state and keeps this rank's slice, so a checkpoint
    written with N ranks loads with M ranks, or into one process's
    :mod:`descent.fast` or :mod:`descent.optim` optimizer, and the reverse.

    Every method that communicates (construction, ``step``, ``state_dict``,
    ``load_state_dict``) must be called by all ranks in the same order.
    """

    def __init__(self, params: Iterable, optimizer_class: type, *,
                 process_group: dist.ProcessGroup | None = None, **defaults: Any) -> None:
        self.optimizer_class = flat_class(optimizer_class)
        self.kernel = defaults.pop("kernel", None)
        if not dist.is_initialized():
            raise RuntimeError("ShardedOptimizer needs a process group: create it inside a "
                               "function run by descent.distributed.launch, or call "
                               "torch.distributed.init_process_group first")
        self.process_group = process_group
        self.rank = dist.get_rank(process_group)
        self.world_size = dist.get_world_size(process_group)
        placeholder = torch.zeros(0, requires_grad=True)
        validated = self.optimizer_class.reference([placeholder], **defaults).defaults
        self.shards: list[Shard] = []
        self.hooks: list[Any] = []
        weakref.finalize(self, fast.remove_hooks, self.hooks)
        self.optimizer: fast.FlatOptimizer | None = None   # the wrapped one, made below
        super().__init__(params, validated)
        self.optimizer = self.optimizer_class(
            [self.inner_group(g) for g in range(len(self.param_groups))], kernel=self.kernel)
        self.share_slices()

    # -- building the shards ---------------------------------------------------

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a param group (as torch.optim does): flat buffers, this rank's slice, its pieces."""
        super().add_param_group(param_group)
        params = self.param_groups[-1]["params"]
        check_params([p for group in self.param_groups for p in group["params"]])
        by_dtype: dict[torch.dtype, list[Tensor]] = {}
        for p in params:
            by_dtype.setdefault(p.dtype, []).append(p)
        for same_dtype in by_dtype.values():
            alignment = max(1, fast.ALIGNMENT_BYTES // same_dtype[0].element_size())
            bucket, hooks = fast.make_bucket(same_dtype, self.world_size * alignment)
            self.hooks.extend(hooks)
            start, stop = slice_bounds(bucket.param.numel(), self.rank, self.world_size)
            pieces = cut(bucket, start, stop, owns_empty=self.rank == 0)
            self.shards.append(Shard(len(self.param_groups) - 1, bucket, start, stop, pieces))
        if self.optimizer is not None:                   # a group added after construction
            self.optimizer.add_param_group(self.inner_group(len(self.param_groups) - 1))
            self.share_slices()

    def inner_group(self, g: int) -> dict[str, Any]:
        """Param group ``g`` for the wrapped optimizer: this rank's pieces, the same options."""
        options = {k: v for k, v in self.param_groups[g].items() if k != "params"}
        pieces = [piece.param for shard in self.shards if shard.group == g
                  for piece in shard.pieces]
        return dict(options, params=pieces)

    def share_slices(self) -> None:
        """Make the wrapped optimizer's parameters views of this rank's slice, and drop its gradients.

        The wrapped optimizer copied the pieces into flat buffers of its own,
        laid out as in the slice (the same alignment, and the slice starts at
        a multiple of it). Pointing its parameter buffer, and the pieces, at
        the slice of the whole buffer stores the slice once instead of twice;
        its gradients are views of the reduce-scatter's output, which lives
        during :meth:`step` only.
        """
        for inner in self.optimizer.flat_buffers():
            shard = next((s for s in self.shards if s.inner is None
                          and len(s.pieces) == len(inner.params)
                          and all(piece.param is p for piece, p in zip(s.pieces, inner.params))),
                         None)
            if shard is None:
                continue                                 # shared already
            offsets = [piece.start - shard.start for piece in shard.pieces]
            if any(piece.stop > piece.start and inner.bounds[k] != offsets[k]
                   for k, piece in enumerate(shard.pieces)) or inner.bounds[-1] > shard.stop - shard.start:
                raise RuntimeError("ShardedOptimizer: the wrapped optimizer's layout is not the slice's")
            inner.param = shard.bucket.param[shard.start:shard.start + inner.bounds[-1]]
            for k, p in enumerate(inner.params):
                p.data = inner.piece(inner.param, k)
                inner.data_ptrs[k] = p.data_ptr()
            shard.inner = inner
            self.release_gradient(shard)       # its gradients: the mean, during step() only

    # -- the step ------------------------------------------------------------------

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Reduce-scatter the mean gradient, step this rank's slice, all-gather the parameters."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group, inner in zip(self.param_groups, self.optimizer.param_groups):
            inner.update({k: v for k, v in group.items() if k != "params"})  # e.g. a new lr
        for shard in self.shards:
            self.reduce_scatter_gradient(shard)
        self.optimizer.step()
        for shard in self.shards:
            self.release_gradient(shard)
            self.all_gather_parameters(shard)
        return loss

    def agree_on_gradients(self, bucket: fast.Bucket) -> list[bool]:
        """Which parameters got a gradient on at least one rank (an all-reduce of flags)."""
        flags = torch.tensor(bucket.has_grad, dtype=torch.int32, device=bucket.grad.device)
        dist.all_reduce(flags, op=dist.ReduceOp.MAX, group=self.process_group)
        return [bool(flag) for flag in flags.tolist()]

    def reduce_scatter_gradient(self, shard: Shard) -> None:
        """Give each piece its part of this rank's slice of the mean gradient (1/N) Σ_r g_r.

        A parameter for which no rank has a gradient is marked so, and the
        wrapped optimizer skips it (as torch.optim skips a None gradient).
        """
        bucket = shard.bucket
        fast.FlatOptimizer.adopt_gradients(bucket)     # gradients set by hand: into the buffer
        has_grad = self.agree_on_gradients(bucket)
        mean = bucket.grad.new_empty(shard.stop - shard.start)
        dist.reduce_scatter_single(mean, bucket.grad, op=dist.ReduceOp.SUM,
                                   group=self.process_group)
        mean.div_(self.world_size)
        inner = shard.inner
        if inner is not None:                # the wrapped optimizer's gradients: views of mean
            inner.grad = mean[:inner.param.numel()]
            for k, piece in enumerate(shard.pieces):
                inner.grad_views[k] = inner.piece(inner.grad, k)
                piece.param.grad = inner.grad_views[k]
                inner.has_grad[k] = has_grad[piece.index]

    @staticmethod
    def release_gradient(shard: Shard) -> None:
        """Drop the wrapped optimizer's references to the mean gradient, so that it is freed."""
        inner = shard.inner
        if inner is not None:
            inner.grad = inner.param.new_empty(0)    # not a view: the storage goes
            inner.grad_views[:] = [inner.grad] * len(inner.grad_views)
            for piece in shard.pieces:
                piece.param.grad = None

    def all_gather_parameters(self, shard: Shard) -> None:
        """Gather every rank's updated slice (the pieces are views of it) on every rank."""
        flat = shard.bucket.param
        dist.all_gather_single(flat, flat[shard.start:shard.stop], group=self.process_group)

    @torch.no_grad()
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Zero the flat gradient buffers in place, as :meth:`descent.fast.FlatOptimizer.zero_grad`."""
        for shard in self.shards:
            fast.FlatOptimizer.adopt_gradients(shard.bucket, copy=False)
            shard.bucket.grad.zero_()
            if set_to_none:
                shard.bucket.has_grad[:] = [False] * len(shard.bucket.params)

    # -- memory ---------------------------------------------------------------------

    def memory_per_rank(self) -> dict[str, Any]:
        """Bytes this rank holds, by kind, and its slice of each flat buffer.

        ``parameters`` and ``gradients``: the whole flat buffers (padding
        included; the wrapped optimizer steps views of this rank's slice of
        them, no copy); ``optimizer_state``: the state of the slice (the part
        ZeRO-1 divides by N); ``slices``: per flat buffer, ``(start, stop)``
        and the number of real parameter elements in it (``numel``). The
        reduce-scatter's output, a slice-long buffer that lives during
        :meth:`step` only, is not counted.
        """
        inner = self.optimizer.flat_buffers()
        def nbytes(tensors: Iterable[Tensor]) -> int:
            return sum(t.numel() * t.element_size() for t in tensors)
        return dict(
            parameters=nbytes(s.bucket.param for s in self.shards),
            gradients=nbytes(s.bucket.grad for s in self.shards),
            optimizer_state=nbytes(t for b in inner for t in b.state.values()),
            slices=[dict(start=s.start, stop=s.stop, numel=s.numel) for s in self.shards],
        )

    # -- saving and loading ------------------------------------------------------

    def param_indices(self) -> dict[int, int]:
        """``id(p)`` → p's number in a state dict (torch.optim numbers them in group order)."""
        params = [p for group in self.param_groups for p in group["params"]]
        return {id(p): i for i, p in enumerate(params)}

    @torch.no_grad()
    def state_dict(self) -> dict[str, Any]:
        """The full state, gathered from every rank, on every rank (a collective; see the class doc)."""
        full = super().state_dict()                  # param_groups, numbered as torch.optim does
        indices = self.param_indices()
        state: dict[int, dict[str, Any]] = {}
        for shard in self.shards:
            for i, entry in self.gather_state(shard).items():
                state[indices[id(shard.bucket.params[i])]] = entry
        full["state"] = dict(sorted(state.items()))
        return full

    def gather_state(self, shard: Shard) -> dict[int, dict[str, Any]]:
        """Bucket parameter ``i`` → its whole state: scalars from their holders, tensors all-gathered."""
        local = {}                                   # what this rank knows, without the tensors
        for piece in shard.pieces:
            entry = self.optimizer.state.get(piece.param)
            if entry:
                local[piece.index] = {k: (None if isinstance(v, Tensor) else v)
                                      for k, v in entry.items()}
        everyone: list[dict[int, dict[str, Any]]] = [{} for _ in range(self.world_size)]
        dist.all_gather_object(everyone, local, group=self.process_group)
        merged = {i: entry for ranks_local in everyone for i, entry in ranks_local.items()}
        names = sorted({k for entry in merged.values() for k, v in entry.items() if v is None})
        bucket = shard.bucket
        for name in names:                           # the same names, in the same order, everywhere
            mine = bucket.grad.new_zeros(shard.stop - shard.start)
            for piece in shard.pieces:
                entry = self.optimizer.state.get(piece.param, {})
                if name in entry:
                    mine[piece.start - shard.start:piece.stop - shard.start] = entry[name]
            whole = bucket.grad.new_empty(bucket.grad.numel())
            dist.all_gather_single(whole, mine, group=self.process_group)
            for i, entry in merged.items():
                if name in entry:
                    entry[name] = bucket.piece(whole, i).clone()
        return dict(sorted(merged.items()))

    @torch.no_grad()
    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a full state (from any number of ranks, or one process) and keep this rank's slice.

        The checks, the casts to each parameter's dtype and device, and the
        param groups' options are torch.optim's; then each piece of this
        rank's slice takes its part of its parameter's state, and the full
        state is dropped.
        """
        super().load_state_dict(state_dict)          # self.state: the full state, for a moment
        pieces = {"state": {}, "param_groups": []}
        number = 0
        for g, group in enumerate(self.param_groups):
            numbers = []
            for shard in (s for s in self.shards if s.group == g):
                for piece in shard.pieces:
                    p = shard.bucket.params[piece.index]
                    if self.state.get(p):
                        offset = shard.bucket.bounds[piece.index]
                        pieces["state"][number] = {
                            k: (v.reshape(-1)[piece.start - offset:piece.stop - offset].clone()
                                if isinstance(v, Tensor) and v.shape == p.shape and k != "step"
                                else v)
                            for k, v in self.state[p].items()}
                    numbers.append(number)
                    number += 1
            options = {k: v for k, v in group.items() if k != "params"}
            pieces["param_groups"].append(dict(options, params=numbers))
        self.optimizer.load_state_dict(pieces)
        self.state.clear()
