"""descent.widgets: the trajectory explorer's data, determinism, ids, errors, and a real browser."""

import html
import json
import math
import re
import subprocess
from pathlib import Path

import pytest
import torch

from descent import data, optim, train, widgets

BOWL = data.Quadratic((1.0, 10.0))
SETTINGS = dict(learning_rates=[0.05, 0.1, 0.21], momenta=[0.0, 0.9], steps=30,
                xlim=(-4.5, 4.5), ylim=(-2.2, 2.2), minimum=BOWL.minimum)
CHROMIUM = Path("/usr/bin/chromium")


def explorer(**changes):
    return widgets.trajectory_explorer(BOWL, BOWL.start, **{**SETTINGS, **changes}).data


def embedded_data(page: str) -> dict:
    """The JSON that the figure's script reads, parsed back out of the HTML."""
    match = re.search(r'<script type="application/json" class="explorer-data">(.*?)</script>',
                      page, re.S)
    return json.loads(match.group(1))


def ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


@pytest.fixture(scope="module")
def figure():
    return explorer()


@pytest.mark.parametrize("i, j", [(0, 0), (1, 1), (2, 1)])
def test_embedded_paths_are_the_trajectories(figure, i, j):
    lr, momentum = SETTINGS["learning_rates"][i], SETTINGS["momenta"][j]
    expected = train.trajectory(BOWL, BOWL.start,
                                lambda p: optim.SGD(p, lr=lr, momentum=momentum), SETTINGS["steps"])
    result = embedded_data(figure)["runs"][i][j]
    path = torch.tensor(result["path"], dtype=torch.float64)
    assert not result["diverged"] and len(path) == SETTINGS["steps"] + 1
    torch.testing.assert_close(path, expected, rtol=0, atol=5.01e-4)  # 3 decimals for this view
    assert result["text"] == f"After 30 steps, f(θ) = {float(BOWL(expected[-1])):.3g}."


@pytest.mark.parametrize("name, make", [
    ("Nesterov", lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)),
    ("RMSprop", lambda p: optim.RMSprop(p, lr=0.1, momentum=0.9)),
])
def test_other_optimizers(name, make):
    page = explorer(optimizer=name, learning_rates=[0.1], momenta=[0.9], steps=20)
    path = torch.tensor(embedded_data(page)["runs"][0][0]["path"], dtype=torch.float64)
    torch.testing.assert_close(path, train.trajectory(BOWL, BOWL.start, make, 20),
                               rtol=0, atol=5.01e-4)


def test_a_diverging_path_is_cut_where_it_leaves_the_box():
    # α = 0.21 > 2/L = 0.2: the θ2 oscillation grows by 1.1 per step.
    page = explorer(steps=80)
    result = embedded_data(page)["runs"][2][0]
    expected = train.trajectory(BOWL, BOWL.start, lambda p: optim.SGD(p, lr=0.21), 80)
    n = len(result["path"])
    assert result["diverged"] and 1 < n < 81
    torch.testing.assert_close(torch.tensor(result["path"], dtype=torch.float64), expected[:n],
                               rtol=0, atol=5.01e-4)
    assert abs(expected[n, 1]) > 2.2 + 10 * 4.4             # the first point outside the box
    assert result["text"] == f"Diverged at step {n}: the path runs off to infinity."


def test_same_inputs_same_html(figure):
    assert explorer() == figure


def test_two_figures_on_one_page_have_different_ids(figure):
    other = explorer(momenta=[0.0, 0.5])
    assert ids(figure) and ids(other) and not ids(figure) & ids(other)
    # The same paths with a different minimum or start setting are still another figure.
    assert not ids(figure) & ids(explorer(minimum=None))
    assert not ids(figure) & ids(explorer(initial=(0.1, 0.9)))


def test_accessible_and_responsive(figure):
    for name in ("lr", "momentum"):
        uid = re.search(rf'<input type="range" id="([^"]+)" class="explorer-{name}"', figure)[1]
        assert f'<label for="{uid}">' in figure
    assert 'role="img"' in figure and "aria-labelledby" in figure and "<title" in figure
    assert re.search(r'<svg viewBox="[^"]+"[^>]*width:100%', figure)
    assert "http" not in figure                             # nothing to fetch: works offline


@pytest.mark.parametrize("changes", [
    dict(learning_rates=[]), dict(momenta=[]), dict(steps=0), dict(steps=2.5), dict(steps=True),
    dict(learning_rates=[0.1, 0.05]), dict(momenta=[0.0, float("nan")]), dict(xlim=(1, -1)),
    dict(ylim=(0, 0)), dict(optimizer="Newton"), dict(levels=0), dict(levels=[]),
    dict(initial=(0.3, 0.0)),
])
def test_bad_inputs_raise_value_error(changes):
    with pytest.raises(ValueError):
        explorer(**changes)


# ---------------------------------------------------------------------------
# In a real browser: does the script run, and does a slider change the path?
# ---------------------------------------------------------------------------

# Runs after both figures' scripts: moves figure A's sliders and reports what happened.
PROBE = """<script>
(function () {
  var report = {errors: window.caughtErrors};
  try {
    var a = document.querySelectorAll(".descent-explorer")[0];
    var b = document.querySelectorAll(".descent-explorer")[1];
    var points = function (root) {
      return root.querySelector("polyline.explorer-path").getAttribute("points");
    };
    var move = function (root, name, value) {
      var slider = root.querySelector("input.explorer-" + name);
      slider.value = String(value);
      slider.dispatchEvent(new Event("input", {bubbles: true}));
    };
    report.before = points(a);
    report.other_before = points(b);
    move(a, "lr", 2);
    report.after_lr = points(a);
    report.status = a.querySelector(".explorer-status").textContent;
    report.shown_lr = a.querySelector("output.explorer-lr").textContent;
    move(a, "momentum", 1);
    move(a, "lr", 1);
    report.after_both = points(a);
    report.other_after = points(b);
  } catch (error) {
    report.errors.push(String(error));
  }
  document.getElementById("result").textContent = JSON.stringify(report);
})();
</script>"""


def browser_page(*figures: str) -> str:
    catch = ("<script>window.caughtErrors = [];"
             "window.addEventListener('error', function (e) {"
             " window.caughtErrors.push(e.message); });"
             "</script>")
    return ('<!doctype html><html><head><meta charset="utf-8">' + catch + '</head><body>'
            + "".join(figures) + '<pre id="result">no result</pre>' + PROBE + "</body></html>")


def svg_points(path: list[list[float]], view: dict) -> list[tuple[float, float]]:
    """Where the script should draw a path (the same mapping as widgets.View)."""
    return [(view["left"] + (x - view["x0"]) * view["scale"],
             view["top"] + (view["y1"] - y) * view["scale"]) for x, y in path]


def parse_points(attribute: str) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in attribute.split()]


def assert_drawn(attribute: str, path: list[list[float]], view: dict) -> None:
    drawn, expected = parse_points(attribute), svg_points(path, view)
    assert len(drawn) == len(expected)
    assert all(math.dist(p, q) < 0.11 for p, q in zip(drawn, expected))


def run_in_chromium(page: Path, tmp_path: Path) -> dict:
    """Open ``page`` in headless Chromium; return the JSON its probe wrote into <pre id="result">."""
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
               page.as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found, f"no result in the dumped DOM:\n{dom[:2000]}"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")
def test_sliders_redraw_the_path_in_a_browser(figure, tmp_path):
    other = explorer(momenta=[0.0, 0.5])
    page = tmp_path / "page.html"
    page.write_text(browser_page(figure, other), encoding="utf-8")
    report = run_in_chromium(page, tmp_path)

    assert report["errors"] == [], report["errors"]
    content = embedded_data(figure)
    runs, view = content["runs"], content["view"]
    assert_drawn(report["before"], runs[1][0]["path"], view)        # the initial setting, redrawn
    assert_drawn(report["after_lr"], runs[2][0]["path"], view)      # α = 0.21
    assert_drawn(report["after_both"], runs[1][1]["path"], view)    # α = 0.1, β = 0.9
    assert report["status"] == runs[2][0]["text"] and report["shown_lr"] == "0.21"
    assert report["before"] != report["after_lr"] != report["after_both"]
    assert report["other_before"] == report["other_after"]          # the other figure is untouched


# ---------------------------------------------------------------------------
# rates=True: the figure tied to descent.analysis
# ---------------------------------------------------------------------------

RATE_SETTINGS = dict(learning_rates=[0.05, 0.1, 0.19, 0.3], momenta=[0.0, 0.5, 0.9], steps=60,
                     rates=True)


@pytest.fixture(scope="module")
def rate_figure():
    return explorer(**RATE_SETTINGS)


def test_the_default_figure_has_no_rate_analysis(figure):
    assert "analysis" not in embedded_data(figure)
    assert "explorer-rate" not in figure and "explorer-current" not in figure
    assert all("predicted" not in run for row in embedded_data(figure)["runs"] for run in row)


def test_rates_are_descent_analysis(rate_figure):
    from descent import analysis
    content = embedded_data(rate_figure)
    mu, L = min(BOWL.curvatures), max(BOWL.curvatures)
    best = analysis.optimal_heavy_ball(mu, L)
    assert [content["analysis"]["optimal"][k] for k in ("lr", "momentum", "rate")] == \
        pytest.approx(best, abs=1e-6)
    for a, b in content["analysis"]["boundary"]:
        assert a == pytest.approx(2 * (1 + b) / L, abs=1e-6)
    for i, lr in enumerate(RATE_SETTINGS["learning_rates"]):
        for j, momentum in enumerate(RATE_SETTINGS["momenta"]):
            result = content["runs"][i][j]
            assert result["predicted"] == pytest.approx(
                analysis.convergence_rate(BOWL.curvatures, lr, momentum), abs=5e-5)
            assert result["stable"] == analysis.is_stable(L, lr, momentum)
            assert f"ρ = {result['predicted']:.3f}" in result["rate"]
            if result["measured"] is not None:
                path = train.trajectory(BOWL, BOWL.start,
                                        lambda p: optim.SGD(p, lr=lr, momentum=momentum), 60)
                assert result["measured"] == pytest.approx(
                    analysis.measured_rate(path, start=12, end=60), abs=5e-5)
                assert f"{result['measured']:.3f}" in result["rate"]
    # α = 0.3 > 2/L = 0.2 without momentum: beyond the boundary, and said so
    assert not content["runs"][3][0]["stable"]
    assert "beyond the stability boundary" in content["runs"][3][0]["text"] + \
        content["runs"][3][0]["rate"]
    # the map: one dot per setting, the star at the optimum, the ring on the initial setting
    assert rate_figure.count("<circle cx=") >= 12 and 'class="explorer-current"' in rate_figure
    assert "http" not in rate_figure


def test_measured_rates_follow_the_predictions(rate_figure):
    for row in embedded_data(rate_figure)["runs"]:
        for result in row:
            if result["stable"] and result["measured"] is not None:
                assert result["measured"] == pytest.approx(result["predicted"], abs=0.05)


@pytest.mark.parametrize("changes", [dict(optimizer="RMSprop"), dict(optimizer="Nesterov")])
def test_rates_need_the_heavy_ball(changes):
    with pytest.raises(ValueError):
        explorer(**RATE_SETTINGS, **changes)


def test_rates_need_a_quadratic():
    with pytest.raises(ValueError):
        widgets.trajectory_explorer(data.Rosenbrock(), (-1.5, 2.0), **{**SETTINGS, **RATE_SETTINGS})


RATE_PROBE = """<script>
(function () {
  var report = {errors: window.caughtErrors};
  try {
    var a = document.querySelector(".descent-explorer");
    var move = function (name, value) {
      var slider = a.querySelector("input.explorer-" + name);
      slider.value = String(value);
      slider.dispatchEvent(new Event("input", {bubbles: true}));
    };
    var ring = a.querySelector("circle.explorer-current");
    report.before = [ring.getAttribute("cx"), ring.getAttribute("cy")];
    move("lr", 3);
    move("momentum", 2);
    report.after = [ring.getAttribute("cx"), ring.getAttribute("cy")];
    report.rate = a.querySelector(".explorer-rate").textContent;
    report.status = a.querySelector(".explorer-status").textContent;
  } catch (error) {
    report.errors.push(String(error));
  }
  document.getElementById("result").textContent = JSON.stringify(report);
})();
</script>"""


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")
def test_sliders_move_the_ring_and_the_rates_in_a_browser(rate_figure, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(browser_page(rate_figure).replace(PROBE, RATE_PROBE), encoding="utf-8")
    report = run_in_chromium(page, tmp_path)
    assert report["errors"] == [], report["errors"]
    content = embedded_data(rate_figure)
    x, y = content["analysis"]["x"], content["analysis"]["y"]
    assert [float(v) for v in report["before"]] == [x[2], y[0]]     # the initial setting
    assert [float(v) for v in report["after"]] == [x[3], y[2]]      # α = 0.3, β = 0.9
    assert report["rate"] == content["runs"][3][2]["rate"]
    assert report["status"] == content["runs"][3][2]["text"]        # the path's own script ran too
