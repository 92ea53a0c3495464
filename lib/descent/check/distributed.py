"""Checks for the exercises of the chapter "Training on many workers": gradient averaging with
``all_reduce``, run for real on several processes.

**How the learner's function reaches the processes.** :func:`descent.distributed.launch`
starts fresh Python processes (spawn) that import the function they run by its name, and a
function defined in a notebook has no importable name. So the check does not send the
learner's function; it runs its own module-level worker, :func:`worker`, and sends the
function's *code* as data (:class:`Portable`): the code object, marshalled (the workers run the
same Python, so ``marshal`` reads back exactly what it wrote), its default arguments, and the
globals the code names, each sent the way it can travel: a module by its name (imported again
in the worker: ``dist``, ``torch``), a helper function defined beside it the same way, by its
code, and any other value pickled. A value that cannot be pickled stays behind; if the code
then needs it, the learner is told why the name is missing. The cell's source lines go along,
so that a traceback in a worker shows the learner's own line, as in one process. Nothing is
written to disk and no source is parsed: a function typed in a notebook, one defined by
``exec``, and one imported from a module all travel the same way.

**One launch per check.** Starting processes costs seconds (on a 2-core machine about 6 s for
2 ranks, 8 s for 3), so one launch of 3 processes checks both world sizes: each function runs
first on a process group of 3 ranks, then on a new group of 2 (rank 2 sits out), each group
made afresh on a store that rank 0 serves. The check's own communication (gathering the
results to rank 0) uses a second group, so that a learner who calls collectives in a strange
order cannot mix them up with the check's.

**Failures.** A learner's exception on any rank ends the launch at once and is reported with
the rank and the learner's line; ranks that wait for each other forever (a collective called on
some ranks only) are noticed when the check's own gathering times out; a run that stops
without a word, or goes past the launch's timeout, is reported too. The check never raises
because of the learner's code and never hangs.
"""

from __future__ import annotations

import builtins
import datetime
import importlib
import json
import linecache
import marshal
import os
import pickle
import tempfile
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from torch import Tensor

from descent.check import feedback
from descent.check.feedback import (Feedback, LearnerError, all_names, call, close, failed,
                                    largest_difference, passed)

__all__ = ["average_gradients"]

WORLDS = (3, 2)          # each function runs on 3 ranks, then on 2 (the launch starts 3)
WAIT = 8.0               # seconds the check waits for a rank beyond the learner's time limit
LAUNCH_TIMEOUT = 120.0   # the launch's backstop: start-up of 3 processes included


# ---------------------------------------------------------------------------
# Sending a function's code to another process
# ---------------------------------------------------------------------------

@dataclass
class Portable:
    """A function as data that a fresh process can rebuild: see the module's doc."""

    name: str
    code: bytes                      # marshal.dumps(function.__code__)
    defaults: bytes                  # pickled (__defaults__, __kwdefaults__)
    names: dict[str, tuple[str, Any]] = field(default_factory=dict)  # global name → how sent
    closure: list[tuple[str, Any]] | None = None
    filename: str = ""
    lines: list[str] = field(default_factory=list)   # the source, for the traceback's line


def send(value: Any, depth: int) -> tuple[str, Any]:
    """How one global value travels: ("module", name), ("function", Portable), ("value", bytes),
    or ("missing", why)."""
    if isinstance(value, types.ModuleType):
        return "module", value.__name__
    if isinstance(value, types.FunctionType):
        module = getattr(value, "__module__", "") or ""
        importable = module not in ("__main__", "") and "<" not in value.__qualname__
        if importable:
            try:
                target = importlib.import_module(module)
                for part in value.__qualname__.split("."):
                    target = getattr(target, part)
                if target is value:
                    return "value", pickle.dumps(value)
            except Exception:
                pass
        if depth < 4:
            try:
                return "function", portable(value, depth + 1)
            except Exception as error:
                return "missing", f"{value.__qualname__} could not be sent ({error})"
        return "missing", f"{value.__qualname__} is too deeply nested to send"
    try:
        return "value", pickle.dumps(value)
    except Exception as error:
        return "missing", f"a {type(value).__name__} cannot be pickled ({error})"


def portable(function: Callable[..., Any], depth: int = 0) -> Portable:
    """``function`` as a :class:`Portable`: its code, defaults, closure and the globals it names."""
    code = function.__code__
    namespace = function.__globals__
    names = {name: send(namespace[name], depth) for name in sorted(set(all_names(code)))
             if name in namespace and namespace[name] is not function}
    if any(name == function.__name__ for name in all_names(code)):
        names[function.__name__] = ("self", None)          # a recursive function
    closure = None
    if function.__closure__:
        closure = [send(cell.cell_contents, depth) if cell_filled(cell) else ("empty", None)
                   for cell in function.__closure__]
    return Portable(function.__name__, marshal.dumps(code),
                    pickle.dumps((function.__defaults__, function.__kwdefaults__)), names,
                    closure, code.co_filename, linecache.getlines(code.co_filename))


def cell_filled(cell: Any) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def receive(kind: str, payload: Any) -> Any:
    if kind == "module":
        return importlib.import_module(payload)
    if kind == "function":
        return rebuild(payload)
    if kind == "value":
        return pickle.loads(payload)
    raise KeyError(payload)


def rebuild(sent: Portable) -> Callable[..., Any]:
    """The function again, in this process (the inverse of :func:`portable`)."""
    if sent.lines and sent.filename not in linecache.cache:
        linecache.cache[sent.filename] = (sum(map(len, sent.lines)), None, sent.lines,
                                          sent.filename)
    namespace: dict[str, Any] = {"__builtins__": builtins, "__name__": "__learner__"}
    for name, (kind, payload) in sent.names.items():
        if kind in ("module", "function", "value"):
            try:
                namespace[name] = receive(kind, payload)
            except Exception:
                pass                                  # a NameError if the code needs it
    closure = None
    if sent.closure is not None:
        closure = tuple(types.CellType(receive(k, p)) if k != "empty" else types.CellType()
                        for k, p in sent.closure)
    defaults, kwdefaults = pickle.loads(sent.defaults)
    function = types.FunctionType(marshal.loads(sent.code), namespace, sent.name, defaults,
                                  closure)
    function.__kwdefaults__ = kwdefaults
    if sent.names.get(sent.name, ("",))[0] == "self":
        namespace[sent.name] = function
    return function


def missing_names(sent: Portable) -> dict[str, str]:
    """The globals that could not be sent, and why (for a NameError's explanation)."""
    found = {name: why for name, (kind, why) in sent.names.items() if kind == "missing"}
    for kind, payload in sent.names.values():
        if kind == "function":
            found.update(missing_names(payload))
    return found


# ---------------------------------------------------------------------------
# The problems: each rank's parameters and gradients
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    label: str
    seed: int
    dtype: torch.dtype
    shapes: tuple[tuple[int, ...], ...]


CASES = [
    Case("three parameters, float64", 0, torch.float64, ((3,), (2, 4), ())),
    Case("a linear layer's weight and bias, float32", 1, torch.float32, ((5, 3), (5,))),
    Case("one parameter, float64", 2, torch.float64, ((7,),)),
]


def problem(case: Case, rank: int) -> tuple[list[Tensor], list[Tensor]]:
    """The parameters (the same on every rank) and rank ``rank``'s gradients of ``case``."""
    g = torch.Generator().manual_seed(1000 * case.seed)
    params = [torch.randn(s, generator=g, dtype=case.dtype) for s in case.shapes]
    g = torch.Generator().manual_seed(1000 * case.seed + 1 + rank)
    grads = [torch.randn(s, generator=g, dtype=case.dtype) for s in case.shapes]
    return params, grads


def expected_mean(case: Case, world: int) -> list[Tensor]:
    """(1/N) Σ_r g_r, in float64."""
    per_rank = [problem(case, r)[1] for r in range(world)]
    return [sum(g[i].double() for g in per_rank) / world for i in range(len(case.shapes))]


# ---------------------------------------------------------------------------
# The worker: runs in every rank
# ---------------------------------------------------------------------------

class RemoteFeedback(Exception):
    """Raised in a rank to end the launch with a verdict (its text: JSON)."""


def stop_with(index: int, world: int, rank: int, message: str, mistake: str | None,
              **extra: Any) -> RemoteFeedback:
    return RemoteFeedback(json.dumps(dict(index=index, world=world, rank=rank, message=message,
                                          mistake=mistake, **extra)))


def run_cases(function: Callable[..., Any], name: str, rank: int) -> list[dict[str, Any]]:
    """Call ``function`` on every case in this rank; what it did, for the parent to judge."""
    results = []
    for case in CASES:
        values, grads = problem(case, rank)
        params = [v.clone().requires_grad_(True) for v in values]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        held = [p.grad for p in params]
        returned = call(name, function, iter(params))
        results.append(dict(
            params_changed=[not torch.equal(p.detach(), v) for p, v in zip(params, values)],
            grads=[None if p.grad is None else p.grad.detach().clone() for p in params],
            same_tensor=[p.grad is h for p, h in zip(params, held)],
            returned=None if returned is None else type(returned).__name__))
    return results


def worker(rank: int, world_size: int, sent: list[Portable], name: str, seconds: float,
           wait: float, folder: str) -> None:
    """Every rank: for each function, run the cases on groups of 3 and then 2 ranks; rank 0
    writes each result to ``folder`` as soon as it has it."""
    feedback.SECONDS = seconds
    timeout = datetime.timedelta(seconds=seconds + wait)
    store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False,
                          timeout=timeout) if rank == 0 else None
    ports = [None] * world_size
    dist.all_gather_object(ports, store.port if store else None)
    if store is None:
        store = dist.TCPStore("127.0.0.1", ports[0], is_master=False, timeout=timeout)
    dist.barrier()
    dist.destroy_process_group()                     # the launch's group: replaced below
    for index, portable_function in enumerate(sent):
        function = rebuild(portable_function)
        for world in WORLDS:
            if rank >= world:
                continue
            # The learner's group waits longer than the check's, so that ranks that never meet
            # are reported by the check (which knows that the others finished), not by gloo.
            dist.init_process_group("gloo", store=dist.PrefixStore(f"{index}/{world}", store),
                                    rank=rank, world_size=world, timeout=timeout * 3)
            checker = dist.new_group(timeout=timeout)
            try:
                results = run_cases(function, name, rank)
            except LearnerError as error:
                raise stop_with(index, world, rank, error.feedback.message,
                                error.feedback.mistake) from None
            everyone: list[Any] = [None] * world
            try:
                dist.all_gather_object(everyone, results, group=checker)
            except Exception:
                raise stop_with(index, world, rank, "", "hang") from None
            if rank == 0:
                path = Path(folder) / f"{index}-{world}.pt"
                torch.save(everyone, path.with_suffix(".tmp"))
                os.replace(path.with_suffix(".tmp"), path)
            dist.destroy_process_group()


# ---------------------------------------------------------------------------
# The parent: launch, collect, judge
# ---------------------------------------------------------------------------

def run_all(functions: Sequence[Callable[..., Any]], name: str) -> list[dict[int, Any] | Feedback]:
    """For each function: {world: results of every rank} or a Feedback (it failed in a rank).

    One launch for all of them; a function that ends the launch gets its verdict, and the
    functions after it are run again in a new launch."""
    from descent.distributed import LaunchTimeout, RankError, launch

    outcomes: list[dict[int, Any] | Feedback | None] = [None] * len(functions)
    sent = [portable(f) for f in functions]
    start = 0
    while start < len(functions):
        with tempfile.TemporaryDirectory(prefix="descent-check-") as folder:
            failure: tuple[int, Feedback] | None = None
            seconds = feedback.SECONDS
            try:
                launch(worker, max(WORLDS), sent[start:], name, seconds, WAIT, folder,
                       timeout=LAUNCH_TIMEOUT + len(sent[start:]) * (seconds + WAIT), threads=1)
            except RankError as error:
                failure = rank_failure(error, name, sent, start)
            except LaunchTimeout as error:
                failure = None, failed(f"{name} did not finish: {error}. The ranks were waiting "
                                       "for each other: every rank must call the same "
                                       "collectives, in the same order.", "hang")
            for index in range(start, len(functions)):
                worlds = {w: torch.load(Path(folder) / f"{index - start}-{w}.pt")
                          for w in WORLDS if (Path(folder) / f"{index - start}-{w}.pt").exists()}
                if len(worlds) == len(WORLDS):
                    outcomes[index] = worlds
            if failure is None:
                start = len(functions)
            else:
                where, verdict = failure
                where = next((i for i in range(start, len(functions)) if outcomes[i] is None),
                             start) if where is None else where
                outcomes[where] = verdict
                start = where + 1
    return outcomes  # type: ignore[return-value]


def rank_failure(error: Any, name: str, sent: list[Portable],
                 start: int) -> tuple[int | None, Feedback]:
    """The verdict for a launch that a rank ended, and which function ended it."""
    if error.kind != "RemoteFeedback":
        return None, failed(f"{name} stopped a process: {error.message}. (Rank {error.rank} of "
                            f"the check's {error.world_size} processes.)", "exception")
    report = json.loads(error.message)
    index = start + report["index"]
    where = f"on rank {report['rank']} of {report['world']}"
    if report["mistake"] == "hang":
        return index, failed(
            f"{name}: the ranks waited for each other and never met. Rank {report['rank']} of "
            f"{report['world']} finished {name}, but another rank did not within "
            f"{feedback.SECONDS + WAIT:g} s: it is waiting in a collective that this rank did not "
            "call. Every rank must call the same collectives (all_reduce), in the same order, "
            "on tensors of the same shapes; do not make them depend on the rank.", "hang")
    message = report["message"].removeprefix("❌ ")
    if "NameError" in message:
        for missing, why in missing_names(sent[index]).items():
            if f"'{missing}'" in message:
                message += (f". The check runs {name} in new processes, and `{missing}` could "
                            f"not be sent there: {why}. Import what you need inside the "
                            "function, or use only picklable values")
                break
    if report["mistake"] == "not implemented":
        return index, failed(message, "not implemented")
    return index, failed(f"{message} ({where})", report["mistake"])


# ---------------------------------------------------------------------------
# 1. Gradient averaging with all_reduce
# ---------------------------------------------------------------------------

AVERAGE_EQUATION = ("on every rank, for every parameter: p.grad ← (1/N) Σ_r p.grad of rank r, "
                    "with N = dist.get_world_size(); all_reduce(p.grad) with op=SUM, then "
                    "p.grad /= N, both in place")


@dataclass
class Rank:
    """One rank's run of one case, beside what it was given."""

    case: Case
    world: int
    rank: int
    given: list[Tensor]
    got: list[Tensor | None]
    mean: list[Tensor]
    result: dict[str, Any]


def ranks(outcome: dict[int, Any]) -> list[Rank]:
    found = []
    for world, everyone in outcome.items():
        means = {case: expected_mean(case, world) for case in CASES}
        for rank, results in enumerate(everyone):
            for case, result in zip(CASES, results):
                found.append(Rank(case, world, rank, problem(case, rank)[1], result["grads"],
                                  means[case], result))
    return found


def near(got: Tensor | None, expected: Tensor) -> bool:
    return got is not None and got.shape == expected.shape and got.dtype.is_floating_point \
        and close(got, expected.to(got.dtype))


def all_near(runs: list[Rank], expect: Callable[[Rank, int], Tensor | None],
             only: Callable[[int], bool] = lambda i: True) -> bool:
    return all(near(r.got[i], expect(r, i)) for r in runs for i in range(len(r.got))
               if only(i) and expect(r, i) is not None)


def sum_over(r: Rank, i: int) -> Tensor:
    return r.mean[i] * r.world


AVERAGE_MISTAKES: list[tuple[str, str, Callable[[list[Rank]], bool]]] = [
    ("not divided by the number of ranks",
     "all_reduce with op=SUM leaves the *sum* of the N gradients on every rank: N times the "
     "mean, so every step would be N times too long. Divide by N = dist.get_world_size() "
     "afterwards (in place: p.grad /= N).",
     lambda runs: all_near(runs, sum_over)),
    ("no all_reduce: each rank divided its own gradient",
     "Each rank's gradient comes from its own share of the batch; dividing it by N alone "
     "averages nothing. The ranks must exchange their gradients: dist.all_reduce(p.grad) sums "
     "them over the ranks, in place, then divide by N.",
     lambda runs: all_near(runs, lambda r, i: r.given[i].double() / r.world)),
    ("the gradients left unchanged",
     "Every `.grad` is what it was: the averaging did not reach them. all_reduce works in "
     "place on the tensor it is given: give it `p.grad` itself (not a copy such as "
     "`p.grad.clone()`, or a tensor you compute), or assign the result back to `p.grad`.",
     lambda runs: all_near(runs, lambda r, i: r.given[i].double())),
    ("only rank 0 has the mean",
     "Rank 0's gradients are right, the other ranks' are not: `dist.reduce` leaves the sum on "
     "one rank only (and an `if rank == 0` does the same). Every rank steps its own copy of "
     "the model, so every rank needs the mean: use `dist.all_reduce`.",
     lambda runs: all_near([r for r in runs if r.rank == 0], lambda r, i: r.mean[i])),
    ("only the first parameter averaged",
     "The first parameter's gradient is the mean, the others are untouched: the loop must "
     "reach every parameter (a `return` or `break` inside it, or `next(iter(params))`, stops "
     "after the first).",
     lambda runs: all_near(runs, lambda r, i: r.mean[i] if i == 0 else r.given[i].double())),
]


def divided_by(runs: list[Rank]) -> dict[tuple[int, int], float] | None:
    """If every gradient is the sum divided by one number per rank: {(world, rank): number}."""
    found: dict[tuple[int, int], float] = {}
    for key in sorted({(r.world, r.rank) for r in runs}):
        these = [r for r in runs if (r.world, r.rank) == key]
        ratios = [float((sum_over(r, i).abs().sum() / r.got[i].double().abs().sum()).item())
                  for r in these for i in range(len(r.got))
                  if r.got[i] is not None and r.got[i].shape == r.mean[i].shape
                  and float(r.got[i].abs().sum()) > 0]
        if not ratios or not all_near(these, lambda r, i: sum_over(r, i) / ratios[0]):
            return None
        found[key] = ratios[0]
    return found


def say_divisors(ratios: dict[tuple[int, int], float]) -> str:
    """"by 2 on 3 ranks, by 2 on 2 ranks", or per rank when they differ."""
    parts = []
    for world in WORLDS:
        ks = [ratios[(world, rank)] for rank in range(world)]
        if all(abs(k - ks[0]) < 1e-6 for k in ks):
            parts.append(f"by {ks[0]:.4g} on {world} ranks")
        else:
            parts.append(f"by {', '.join(f'{k:.4g}' for k in ks)} on ranks "
                         f"{', '.join(map(str, range(world)))} of {world}")
    return ", ".join(parts)


def judge_average(name: str, outcome: dict[int, Any] | Feedback) -> Feedback:
    if isinstance(outcome, Feedback):
        return outcome
    runs = ranks(outcome)
    for r in runs:
        where = f"on rank {r.rank} of {r.world} ({r.case.label})"
        if any(r.result["params_changed"]):
            return failed(f"{name} changed the parameters themselves {where}: it averaged (or "
                          "changed) `p` rather than `p.grad`. The ranks start with the same "
                          "parameters and must keep them; it is the gradients that differ, and "
                          "are averaged: dist.all_reduce(p.grad).",
                          "parameters averaged instead of gradients")
        for i, (got, given) in enumerate(zip(r.got, r.given)):
            if got is None:
                return failed(f"{name} left parameter {i}'s `.grad` None {where}: average it "
                              "in place instead of removing it.", "gradient removed")
            if got.shape != given.shape or got.dtype != given.dtype:
                return failed(f"{name}: parameter {i}'s gradient became a tensor of shape "
                              f"{tuple(got.shape)} and dtype {got.dtype} {where}; it should keep "
                              f"its shape {tuple(given.shape)} and dtype {given.dtype}.",
                              "wrong shape")
            if not torch.isfinite(got).all():
                return failed(f"{name}: parameter {i}'s gradient holds NaN or infinity {where}.",
                              "not finite")
    if all_near(runs, lambda r, i: r.mean[i]):
        return passed(f"{name} gives every rank the mean of the ranks' gradients, for every "
                      f"parameter, on {' and on '.join(map(str, WORLDS))} processes "
                      f"({len(CASES)} models each).")
    for mistake, advice, matches in AVERAGE_MISTAKES:
        if matches(runs):
            return failed(f"{name}: {mistake}. {advice}", mistake)
    ratios = divided_by(runs)
    if ratios and any(abs(k - world) > 1e-6 for (world, _), k in ratios.items()):
        return failed(f"{name}: divided by the wrong number. Your gradients are the sum over the "
                      f"ranks divided {say_divisors(ratios)}; the mean divides by the number of ranks, "
                      "N = dist.get_world_size(), whatever it is (not a fixed number, and not "
                      "the rank).", "divided by the wrong number")
    r = next(r for r in runs if not all(near(g, m) for g, m in zip(r.got, r.mean)))
    i = next(i for i, (g, m) in enumerate(zip(r.got, r.mean)) if not near(g, m))
    return failed(f"{name}: parameter {i}'s gradient on rank {r.rank} of {r.world} "
                  f"({r.case.label}) is not the mean over the ranks: "
                  f"{largest_difference(r.got[i].double(), r.mean[i])}. Check: "
                  f"{AVERAGE_EQUATION}.", "unrecognized")


def preflight(name: str, function: Any, make_args: Callable[[], tuple]) -> Feedback | None:
    """Before starting processes: is it a function, and is it still the stub? Calling it here,
    where there is no process group, fails at its first collective, which costs nothing; only
    ``NotImplementedError`` (the stub) is reported from this call."""
    if not isinstance(function, types.FunctionType):
        return failed(f"{name} should be a function defined with `def`, got "
                      f"{type(function).__name__}.", "wrong type")
    if dist.is_initialized():
        return None                                 # a group here: do not call it in this one
    try:
        call(name, function, *make_args())
    except LearnerError as error:
        if error.feedback.mistake == "not implemented":
            return error.feedback
    return None


def preflight_args() -> tuple:
    values, grads = problem(CASES[0], 0)
    params = [v.clone().requires_grad_(True) for v in values]
    for p, g in zip(params, grads):
        p.grad = g
    return (iter(params),)


def grade_average(functions: Sequence[Callable[..., Any]]) -> list[Feedback]:
    """Check several functions in one launch (the tests' way of saving seconds)."""
    name = "average_gradients"
    verdicts: list[Feedback | None] = [preflight(name, f, preflight_args) for f in functions]
    todo = [i for i, v in enumerate(verdicts) if v is None]
    for i, outcome in zip(todo, run_all([functions[i] for i in todo], name)):
        verdicts[i] = judge_average(name, outcome)
    return verdicts  # type: ignore[return-value]


def average_gradients(learner: Callable[..., Any]) -> Feedback:
    """Check ``average_gradients(params)``: every rank's ``p.grad`` becomes the mean over the
    ranks, run on 3 and on 2 processes with ``descent.distributed.launch``."""
    return grade_average([learner])[0]
