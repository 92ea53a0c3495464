"""benchmarks/training_step.py runs, tiny, and writes a sane JSON file (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--mlp-widths", "20", "16", "5", "--mlp-batch", "8", "--d-model", "16", "--heads", "2",
        "--length", "8", "--batch", "2", "--vocab", "30", "--repeats", "5", "--warmup", "1",
        "--threads", "1", "2"]
PHASES = ["forward_ms", "backward_ms", "step_ms", "zero_grad_ms"]


def test_training_benchmark_runs_and_writes_its_json(tmp_path):
    out = tmp_path / "tmp.json"
    arguments = [*TINY, "--note", "tiny", "--out", str(out)]
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "training_step.py"), *arguments],
        capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(out.read_text())
    for key in ["device", "device_name", "cpu", "torch", "python", "date", "command", "note",
                "repeats", "warmup", "models", "rows"]:
        assert key in result, key
    assert result["command"] == " ".join(["python", "benchmarks/training_step.py", *arguments])
    assert result["note"] == "tiny" and result["repeats"] == 5
    assert set(result["models"]) == {"mlp", "transformer"}
    mlp = result["models"]["mlp"]
    assert mlp["params"] == 20 * 16 + 16 + 16 * 5 + 5 and mlp["tensors"] == 4
    assert mlp["input_shape"] == [8, 20]
    assert result["models"]["transformer"]["input_shape"] == [2, 8]

    rows = result["rows"]
    assert {(row["model"], row["implementation"], row["threads"]) for row in rows} == {
        (model, implementation, threads) for model in ["mlp", "transformer"]
        for implementation in ["foreach", "fused", "fast"] for threads in [1, 2]}
    for row in rows:
        assert "error" not in row, row
        assert all(row[key] > 0 for key in [*PHASES, "total_ms"]), row
        assert row["step_share"] == row["step_ms"] / row["total_ms"]

    table = completed.stdout
    assert "descent.fast.Adam" in table and "torch.optim.Adam, fused" in table
    assert "forward" in table and "step %" in table and "parameters in" in table
