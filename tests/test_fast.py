"""descent.fast against descent.optim: same numbers, same interface, flat buffers underneath."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from descent import fast, kernels, optim

ROOT = Path(__file__).resolve().parents[1]
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
SHAPES = [(5, 3), (7,), (2, 3, 4), (), (33, 17)]
TOLERANCE = dict(rtol=1e-5, atol=1e-6)
#: The kernels each device can run besides its default (None: fused on CPU where PyTorch has
#: that kernel, else numba; compile on CUDA).
KERNELS = {"cpu": [None, "numba", "eager"], "cuda": [None, "fused", "eager"]}
DEVICE_KERNELS = [(device, kernel) for device in DEVICES for kernel in KERNELS[device]]

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, eps=1e-3, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, betas=(0.5, 0.9), weight_decay=0.1, amsgrad=False)),
]


def case_id(case):
    name, options = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in options.items() if k != "lr")


def make_params(device, shapes=SHAPES, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(s, generator=generator).to(device).requires_grad_() for s in shapes]


def twins(device, shapes=SHAPES):
    """Two identical, independent lists of parameters."""
    return make_params(device, shapes), make_params(device, shapes)


def set_gradients(params, generator, skip=()):
    for i, p in enumerate(params):
        p.grad = None if i in skip else torch.randn(p.shape, generator=generator).to(p.device)


def run_side_by_side(name, options, device, steps=50, skip=lambda step: (), kernel=None):
    """Step fast and reference on the same random gradients; return both parameter lists."""
    ours, theirs = twins(device)
    fast_optimizer = getattr(fast, name)(ours, **options, kernel=kernel)
    reference = getattr(optim, name)(theirs, **options)
    for step in range(steps):
        for params, optimizer in [(ours, fast_optimizer), (theirs, reference)]:
            set_gradients(params, torch.Generator().manual_seed(step), skip=skip(step))
            optimizer.step()
    return ours, theirs, fast_optimizer, reference


def assert_same(ours, theirs, **tolerance):
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a.detach(), b.detach(), **(tolerance or TOLERANCE))


# --- the same numbers as descent.optim -----------------------------------------

@pytest.mark.parametrize("device, kernel", DEVICE_KERNELS)
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_reference_after_50_steps(case, device, kernel):
    if kernel == "fused" and case[0] == "RMSprop":
        pytest.skip("PyTorch has no fused RMSprop kernel")
    ours, theirs, *_ = run_side_by_side(*case, device, kernel=kernel)
    assert_same(ours, theirs)


@pytest.mark.parametrize("kernel", ["numba", "fused"])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_long_buffers_on_several_threads_match_reference(case, threads, kernel):
    """Buffers long enough for a parallel loop (and a tail): every thread's slice is right."""
    name, options = case
    if kernel == "fused" and name == "RMSprop":
        pytest.skip("PyTorch has no fused RMSprop kernel")
    shapes = [(300, 200), (7,), (kernels.PARALLEL_GRAIN + 5,)]
    ours, theirs = make_params("cpu", shapes), make_params("cpu", shapes)
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        fast_optimizer = getattr(fast, name)(ours, **options, kernel=kernel)
        reference = getattr(optim, name)(theirs, **options)
        for step in range(10):
            for params, optimizer in [(ours, fast_optimizer), (theirs, reference)]:
                set_gradients(params, torch.Generator().manual_seed(step))
                optimizer.step()
    finally:
        torch.set_num_threads(previous)
    assert_same(ours, theirs)


@pytest.mark.parametrize("name, on_cpu", [("SGD", "fused"), ("Adam", "fused"),
                                           ("AdamW", "fused"), ("RMSprop", "numba")])
def test_the_default_kernel_is_fused_then_numba_on_cpu_and_compile_on_cuda(name, on_cpu):
    optimizer = getattr(fast, name)([torch.zeros(3, requires_grad=True),
                                     torch.zeros(3, dtype=torch.float64, requires_grad=True),
                                     torch.zeros(3, dtype=torch.float16, requires_grad=True)])
    kinds = {bucket.param.dtype: optimizer.kernel_for(bucket)
             for bucket in optimizer.flat_buffers()}
    half = "fused" if on_cpu == "fused" else "eager"   # Numba's loops are float32/float64 only
    assert kinds == {torch.float32: on_cpu, torch.float64: on_cpu, torch.float16: half}
    if torch.cuda.is_available():
        on_gpu = getattr(fast, name)([torch.zeros(3, device="cuda", requires_grad=True)])
        assert on_gpu.kernel_for(on_gpu.buckets[0][0]) == "compile"


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_fused_kernel_reads_gradients_outside_the_flat_buffer_where_they_are(name):
    """Fresh gradient tensors every step (as after model.zero_grad()): read, not copied."""
    options = dict(lr=0.1, momentum=0.9) if name == "SGD" else dict(lr=0.01, amsgrad=True)
    ours, theirs, optimizer, _ = run_side_by_side(name, options, "cpu", steps=20,
                                                  skip=lambda step: {step % 3})
    [[bucket]] = optimizer.buckets
    assert optimizer.kernel_for(bucket) == "fused"
    last_skipped = 19 % 3         # its gradient was None: the flat buffer's (zeroed) view now
    assert [p.grad is view for p, view in zip(ours, bucket.grad_views)] == [
        i == last_skipped for i in range(len(ours))]
    assert_same(ours, theirs)


def test_without_numba_rmsprop_runs_the_eager_update_on_cpu(monkeypatch):
    monkeypatch.setattr(fast, "kernels", None)
    ours, theirs, optimizer, _ = run_side_by_side("RMSprop", dict(lr=0.01), "cpu", steps=5)
    assert optimizer.kernel_for(optimizer.buckets[0][0]) == "eager"
    assert_same(ours, theirs)
    with pytest.raises(ValueError, match="needs Numba"):
        fast.Adam(make_params("cpu"), kernel="numba")


def test_an_unknown_kernel_or_an_unsupported_dtype_is_a_value_error():
    with pytest.raises(ValueError, match="Invalid kernel: 'triton'"):
        fast.SGD(make_params("cpu"), lr=0.1, kernel="triton")
    with pytest.raises(ValueError, match="PyTorch has no fused RMSprop kernel"):
        fast.RMSprop(make_params("cpu"), kernel="fused")
    w = torch.zeros(3, dtype=torch.float16, requires_grad=True)
    w.grad = torch.ones(3, dtype=torch.float16)
    with pytest.raises(ValueError, match="float32 or float64 CPU tensors, not torch.float16"):
        fast.SGD([w], lr=0.1, kernel="numba").step()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="compiles by default on CUDA only")
@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW"])
def test_compiled_update_matches_reference_on_cuda(name):
    ours, theirs = twins("cuda")
    fast_optimizer = getattr(fast, name)(ours, lr=0.01)  # the default on CUDA: compiled
    reference = getattr(optim, name)(theirs, lr=0.01)
    for step in range(20):
        for params, optimizer in [(ours, fast_optimizer), (theirs, reference)]:
            for group in optimizer.param_groups:
                group["lr"] = 0.01 * (1 + step / 10)   # a schedule must not break the kernel
            set_gradients(params, torch.Generator().manual_seed(step))
            optimizer.step()
    assert_same(ours, theirs)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_training_a_model_with_backward_matches_reference(name, device):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(),
                                torch.nn.Linear(8, 1)).to(device)
    twin = copy.deepcopy(model)
    x, y = torch.randn(32, 4, device=device), torch.randn(32, 1, device=device)
    options = dict(lr=0.05, momentum=0.9) if name == "SGD" else dict(lr=0.01)
    ours = getattr(fast, name)(model.parameters(), **options)
    theirs = getattr(optim, name)(twin.parameters(), **options)
    for _ in range(30):
        for net, optimizer in [(model, ours), (twin, theirs)]:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(net(x), y).backward()
            optimizer.step()
    assert_same(model.parameters(), twin.parameters())
    bucket = ours.buckets[0][0]
    assert all(p.grad is view for p, view in zip(bucket.params, bucket.grad_views))


def test_closure_is_called_and_its_loss_returned():
    w = torch.zeros(3, requires_grad=True)
    optimizer = fast.SGD([w], lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = ((w - 1) ** 2).sum()
        loss.backward()
        return loss

    assert optimizer.step(closure).item() == 3.0
    torch.testing.assert_close(w.detach(), torch.full((3,), 0.2))


# --- flat buffers ------------------------------------------------------------

@pytest.mark.parametrize("device", DEVICES)
def test_parameters_and_gradients_are_views_of_one_flat_buffer(device):
    params = make_params(device)
    values = [p.detach().clone() for p in params]
    optimizer = fast.Adam(params)
    [[bucket]] = optimizer.buckets
    for flat, tensors in [(bucket.param, params), (bucket.grad, [p.grad for p in params])]:
        begin = flat.data_ptr()
        end = begin + flat.numel() * flat.element_size()
        for t in tensors:
            assert begin <= t.data_ptr() and t.data_ptr() + t.numel() * t.element_size() <= end
            assert (t.data_ptr() - begin) % fast.ALIGNMENT_BYTES == 0
    for p, value in zip(params, values):
        assert torch.equal(p.detach(), value)   # copied in unchanged
    bucket.param.add_(1.0)                       # writing the buffer writes the parameters
    assert torch.equal(params[0].detach(), values[0] + 1)


def test_one_bucket_per_param_group_device_and_dtype():
    a = torch.zeros(3, requires_grad=True)
    b = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    c = torch.zeros(4, requires_grad=True)
    d = torch.zeros(5, requires_grad=True)
    optimizer = fast.SGD([{"params": [a, b, c]}, {"params": [d], "lr": 0.5}], lr=0.1)
    assert [[bucket.params for bucket in group] for group in optimizer.buckets] == [
        [[a, c], [b]], [[d]]]


def test_replacing_a_parameters_data_is_an_error():
    model = torch.nn.Linear(3, 2)
    optimizer = fast.SGD(model.parameters(), lr=0.1)
    model.double()
    with pytest.raises(RuntimeError, match="create the optimizer afterwards"):
        optimizer.step()


# --- gradients: None, zero_grad ---------------------------------------------------

@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW"])
def test_a_parameter_that_never_gets_a_gradient_is_untouched(name, device):
    options = dict(lr=0.1, momentum=0.9, weight_decay=0.1) if name != "Adam" else dict(lr=0.1)
    if name == "AdamW":
        options.pop("momentum")
    ours, theirs, fast_optimizer, reference = run_side_by_side(
        name, options, device, steps=10, skip=lambda step: {1})
    start = make_params(device)[1]
    assert torch.equal(ours[1].detach(), start)
    assert fast_optimizer.state_dict()["state"].get(1, {}) == {}
    assert reference.state_dict()["state"].get(1, {}) == {}
    assert_same(ours, theirs)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_gradients_missing_now_and_then_match_reference(name, device):
    """Skipped parameters keep their step count, which splits the flat buffer into runs."""
    options = dict(lr=0.1, momentum=0.9) if name == "SGD" else dict(lr=0.01, weight_decay=0.1)
    ours, theirs, fast_optimizer, reference = run_side_by_side(
        name, options, device, steps=30, skip=lambda step: {step % 5, (3 * step) % 4})
    assert_same(ours, theirs)
    steps = [s.get("step") for s in fast_optimizer.state_dict()["state"].values()]
    assert steps == [s.get("step") for s in reference.state_dict()["state"].values()]


def unused_sometimes(optimizer_class, set_to_none, zero_grad_of="optimizer"):
    """Train a two-layer model where the second layer is skipped every third step."""
    torch.manual_seed(0)
    first, second = torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)
    optimizer = optimizer_class([*first.parameters(), *second.parameters()], lr=0.01,
                                weight_decay=0.1)
    x = torch.randn(8, 3)
    for step in range(12):
        if zero_grad_of == "optimizer":
            optimizer.zero_grad(set_to_none=set_to_none)
        else:
            first.zero_grad(set_to_none=set_to_none)
            second.zero_grad(set_to_none=set_to_none)
        out = first(x)
        out = out.sum() if step % 3 == 0 else second(out).sum()
        out.backward()
        optimizer.step()
    return [*first.parameters(), *second.parameters()]


@pytest.mark.parametrize("set_to_none", [True, False])
@pytest.mark.parametrize("zero_grad_of", ["optimizer", "model"])
def test_zero_grad_semantics_match_reference(set_to_none, zero_grad_of):
    """set_to_none=True: an unused layer is skipped; False: it is stepped on a zero gradient."""
    ours = unused_sometimes(fast.AdamW, set_to_none, zero_grad_of)
    theirs = unused_sometimes(optim.AdamW, set_to_none, zero_grad_of)
    assert_same(ours, theirs)


@pytest.mark.parametrize("kernel", ["fused", "numba", "eager"])
def test_zero_grad_zeroes_the_flat_buffer_and_keeps_the_views(kernel):
    model = torch.nn.Linear(3, 2)
    optimizer = fast.Adam(model.parameters(), kernel=kernel)
    model(torch.randn(4, 3)).sum().backward()
    [[bucket]] = optimizer.buckets
    assert bucket.grad.abs().sum() > 0 and all(bucket.has_grad)
    optimizer.zero_grad()
    assert model.weight.grad is not None and model.weight.grad is bucket.grad_views[0]
    assert bucket.grad.abs().sum() == 0 and not any(bucket.has_grad)
    by_hand = model.weight.grad = torch.ones_like(model.weight)
    optimizer.step()
    # the fused kernel reads a gradient where it is; the others copy it into the flat buffer
    assert model.weight.grad is (by_hand if kernel == "fused" else bucket.grad_views[0])
    assert bucket.has_grad == [True, False]
    optimizer.zero_grad()
    assert model.weight.grad is bucket.grad_views[0]
    assert optimizer.state[model.bias] == {}


# --- param groups, state_dict -----------------------------------------------------

@pytest.mark.parametrize("device", DEVICES)
def test_param_groups_with_their_own_options_match_reference(device):
    ours, theirs = twins(device)
    optimizers = []
    for params, module in [(ours, fast), (theirs, optim)]:
        groups = [{"params": params[:2]}, {"params": params[2:], "lr": 0.1, "weight_decay": 0.0}]
        optimizers.append(module.AdamW(groups, lr=0.01, weight_decay=0.1))
    for step in range(20):
        for params, optimizer in zip([ours, theirs], optimizers):
            set_gradients(params, torch.Generator().manual_seed(step))
            optimizer.step()
    assert_same(ours, theirs)
    assert len(optimizers[0].buckets) == 2


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", [CASES[2], CASES[6], CASES[9], CASES[11]],
                         ids=[case_id(c) for c in [CASES[2], CASES[6], CASES[9], CASES[11]]])
def test_state_dict_round_trip_continues_identically(case, device):
    name, options = case

    def steps(params, optimizer, first, last):
        for step in range(first, last):
            set_gradients(params, torch.Generator().manual_seed(step))
            optimizer.step()

    params = make_params(device)
    optimizer = getattr(fast, name)(params, **options)
    steps(params, optimizer, 0, 10)
    saved_params = [p.detach().clone() for p in params]
    saved_state = copy.deepcopy(optimizer.state_dict())
    steps(params, optimizer, 10, 20)

    resumed = [p.clone().requires_grad_() for p in saved_params]
    optimizer2 = getattr(fast, name)(resumed, **options)
    optimizer2.load_state_dict(saved_state)
    steps(resumed, optimizer2, 10, 20)
    for a, b in zip(resumed, params):
        assert torch.equal(a.detach(), b.detach())
    # the loaded state lives in optimizer2's flat buffers, not in saved_state's tensors
    [[bucket]] = optimizer2.buckets
    for state in optimizer2.state.values():
        for value in state.values():
            if isinstance(value, torch.Tensor):
                assert value.untyped_storage().data_ptr() in {
                    b.untyped_storage().data_ptr() for b in bucket.state.values()}


def test_load_own_live_state_dict_without_copying():
    params = make_params("cpu")
    optimizer = fast.Adam(params, lr=0.01)
    set_gradients(params, torch.Generator().manual_seed(0))
    optimizer.step()
    before = copy.deepcopy(optimizer.state_dict())
    optimizer.load_state_dict(optimizer.state_dict())   # sources alias the flat buffers
    after = optimizer.state_dict()
    for i, state in before["state"].items():
        assert state["step"] == after["state"][i]["step"]
        assert torch.equal(state["exp_avg_sq"], after["state"][i]["exp_avg_sq"])


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_state_dict_is_interchangeable_with_the_reference(name):
    options = dict(lr=0.1, momentum=0.9) if name == "SGD" else dict(lr=0.01)
    ours, theirs, fast_optimizer, reference = run_side_by_side(name, options, "cpu", steps=5)
    swapped_fast = getattr(fast, name)([p.detach().clone().requires_grad_() for p in theirs],
                                       **options)
    swapped_fast.load_state_dict(copy.deepcopy(reference.state_dict()))
    swapped_reference = getattr(optim, name)(
        [p.detach().clone().requires_grad_() for p in ours], **options)
    swapped_reference.load_state_dict(copy.deepcopy(fast_optimizer.state_dict()))
    finals = []
    for optimizer in [fast_optimizer, reference, swapped_fast, swapped_reference]:
        params = optimizer.param_groups[0]["params"]
        for step in range(5, 10):
            set_gradients(params, torch.Generator().manual_seed(step))
            optimizer.step()
        finals.append(params)
    for other in finals[1:]:
        assert_same(finals[0], other)


# --- hyperparameters ----------------------------------------------------------

INVALID = [
    ("SGD", dict(lr=-0.1)), ("SGD", dict(momentum=-0.5)), ("SGD", dict(weight_decay=-1)),
    ("SGD", dict(nesterov=True)), ("RMSprop", dict(alpha=-0.1)), ("RMSprop", dict(eps=-1)),
    ("Adam", dict(betas=(1.0, 0.999))), ("Adam", dict(betas=(0.9, -0.1))),
    ("Adam", dict(eps=-1e-8)), ("AdamW", dict(lr=-1.0)), ("AdamW", dict(weight_decay=-0.1)),
]


@pytest.mark.parametrize("name, options", INVALID, ids=[case_id(c) for c in INVALID])
def test_invalid_hyperparameters_raise_torchs_value_error(name, options):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **options)
    with pytest.raises(ValueError) as ours:
        getattr(fast, name)([torch.zeros(1, requires_grad=True)], **options)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam", "AdamW"])
def test_defaults_match_the_reference_and_misspelt_options_are_type_errors(name):
    ours = getattr(fast, name)([torch.zeros(1, requires_grad=True)])
    theirs = getattr(optim, name)([torch.zeros(1, requires_grad=True)])
    assert ours.defaults == theirs.defaults
    with pytest.raises(TypeError):
        getattr(fast, name)([torch.zeros(1, requires_grad=True)], learning_rate=0.1)


# --- the benchmark script ---------------------------------------------------------

def test_benchmark_script_runs_and_writes_its_json(tmp_path):
    out = tmp_path / "tmp.json"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "optimizer_step.py"), "--params", "2e5",
         "--repeats", "2", "--warmup", "1", "--no-compile", "--out", str(out)],
        capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(out.read_text())
    for key in ["device", "device_name", "cpu", "torch_threads", "torch", "numba", "python",
                "date", "command", "commit", "params", "tensors", "copy_GBps", "threads", "rows"]:
        assert key in result, key
    assert 150 <= result["tensors"] <= 250 and 1e5 < result["params"] < 4e5
    assert result["threads"] == [1, 2] and set(result["copy_GBps"]) == {"1", "2"}
    implementations = {row["implementation"] for row in result["rows"]}
    assert implementations == {"reference", "fast", "fast-numba", "fast-eager", "forloop",
                               "foreach", "fused"}
    assert {row["optimizer"] for row in result["rows"]} == {"Adam", "AdamW", "SGD", "RMSprop"}
    assert {(row["optimizer"], row["threads"]) for row in result["rows"]} == {
        (name, threads) for name in ["Adam", "AdamW", "SGD", "RMSprop"] for threads in [1, 2]}
    for row in result["rows"]:
        assert ("ms" in row and row["GBps"] > 0 and row["share_of_copy"] > 0
                and row["compilations_in_warmup"] == row["compilations_while_timed"] == 0
                ) or "skipped" in row, row
    defaults = {row["optimizer"]: row["kernel"] for row in result["rows"]
                if row["implementation"] == "fast"}
    assert defaults == {"Adam": "fused", "AdamW": "fused", "SGD": "fused", "RMSprop": "numba"}
    assert "Adam" in completed.stdout and "ms/step" in completed.stdout


def test_benchmark_script_takes_a_mix_of_equal_tensors(tmp_path):
    out = tmp_path / "tmp.json"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "optimizer_step.py"), "--params", "1e5",
         "--tensors", "40", "--repeats", "2", "--warmup", "1", "--optimizers", "Adam",
         "--implementations", "fast", "fused", "--threads", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(out.read_text())
    assert result["tensors"] == 40 and result["params"] == 100_000 and result["mix"] == "equal"
    assert [row["implementation"] for row in result["rows"]] == ["fast", "fused"]
    assert "--tensors 40" in result["command"]
