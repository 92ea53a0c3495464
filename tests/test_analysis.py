"""descent.analysis: every formula checked numerically, against simulated runs of descent.optim."""

import math

import pytest
import torch

from descent import analysis, data, optim, train


def run_1d(h, lr, momentum, steps, nesterov=False, theta0=1.0):
    """θ_0 .. θ_steps of descent.optim.SGD on f(θ) = ½hθ² (float64)."""
    theta = torch.tensor([theta0], dtype=torch.float64, requires_grad=True)
    optimizer = optim.SGD([theta], lr=lr, momentum=momentum, nesterov=nesterov and momentum > 0)
    path = [theta.item()]
    for _ in range(steps):
        optimizer.zero_grad()
        (0.5 * h * theta**2).sum().backward()
        optimizer.step()
        path.append(theta.item())
    return path


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("h, lr, momentum", [(1.0, 0.1, 0.9), (10.0, 0.05, 0.5), (3.0, 0.3, 0.0),
                                             (100.0, 0.0331, 0.669)])
def test_iteration_matrix_is_what_sgd_does(h, lr, momentum, nesterov):
    path = run_1d(h, lr, momentum, 30, nesterov)
    T = analysis.iteration_matrix(h, lr, momentum, nesterov)
    state = torch.tensor([path[2], path[1]], dtype=torch.float64)   # from the second step on
    for t in range(2, 30):
        assert state[0].item() == pytest.approx(path[t], rel=1e-9, abs=1e-300)
        state = T @ state


def test_the_first_step_is_gradient_descent_for_the_heavy_ball():
    # b_1 = g_1: θ_1 = θ_0 − αhθ_0, as T applied to (θ_0, θ_{−1} = θ_0).
    h, lr, momentum = 4.0, 0.1, 0.9
    T = analysis.iteration_matrix(h, lr, momentum)
    first = (T @ torch.tensor([1.0, 1.0], dtype=torch.float64))[0].item()
    assert first == pytest.approx(run_1d(h, lr, momentum, 1)[1], rel=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("h, lr, momentum", [(1.0, 0.1, 0.9), (10.0, 0.05, 0.5), (2.0, 0.99, 0.1),
                                             (1.0, 4.1, 0.3), (5.0, 0.2, 0.0)])
def test_eigenvalues_match_the_matrix(h, lr, momentum, nesterov):
    closed = sorted(analysis.iteration_eigenvalues(h, lr, momentum, nesterov),
                    key=lambda z: (z.real, z.imag))
    numeric = sorted(torch.linalg.eigvals(analysis.iteration_matrix(h, lr, momentum, nesterov))
                     .tolist(), key=lambda z: (z.real, z.imag))
    for a, b in zip(closed, numeric):
        assert abs(a - b) < 1e-7            # a repeated root is only √ε-accurate numerically
    assert abs(closed[0] * closed[1] - (momentum * (1 - lr * h) if nesterov else momentum)) < 1e-12


@pytest.mark.parametrize("curvatures, lr, momentum, nesterov", [
    ((1.0, 100.0), 0.01, 0.9, False), ((1.0, 100.0), 0.0198, 0.0, False),
    ((1.0, 100.0), 4 / 121, (9 / 11) ** 2, False), ((1.0, 10.0), 0.05, 0.3, False),
    ((1.0, 100.0), 0.01, 0.9, True), ((1.0, 10.0), 0.1, 0.5, True),
])
def test_rate_is_the_measured_decay_of_the_distance(curvatures, lr, momentum, nesterov):
    bowl = data.Quadratic(curvatures, angle=0.5)         # rotated: the rate does not care
    path = train.trajectory(bowl, bowl.start,
                            lambda p: optim.SGD(p, lr=lr, momentum=momentum,
                                                nesterov=nesterov and momentum > 0), 400)
    predicted = analysis.convergence_rate(curvatures, lr, momentum, nesterov)
    end = next((t for t in range(len(path)) if path[t].norm() < 1e-250), len(path) - 1)
    measured = analysis.measured_rate(path, start=end // 4, end=end)
    assert measured == pytest.approx(predicted, rel=0.02)


def test_an_unstable_setting_has_rate_above_one_and_diverges():
    lr, momentum = 2 * 1.5 / 100 + 1e-3, 0.5                 # just above 2(1 + β)/L
    assert not analysis.is_stable(100.0, lr, momentum)
    assert analysis.convergence_rate((1.0, 100.0), lr, momentum) > 1
    path = run_1d(100.0, lr, momentum, 2000)
    assert abs(path[-1]) > 1e3
    assert analysis.is_stable(100.0, lr - 2e-3, momentum)
    assert abs(run_1d(100.0, lr - 2e-3, momentum, 2000)[-1]) < 1e-3


@pytest.mark.parametrize("momentum", [0.0, 0.3, 0.9])
@pytest.mark.parametrize("nesterov", [False, True])
def test_largest_stable_lr_is_where_the_rate_crosses_one(momentum, nesterov):
    h = 7.0
    edge = analysis.largest_stable_lr(h, momentum, nesterov)
    assert analysis.spectral_radius(h, edge * 0.999, momentum, nesterov) < 1
    assert analysis.spectral_radius(h, edge * 1.001, momentum, nesterov) > 1
    if not nesterov:
        assert analysis.is_stable(h, edge * 0.999, momentum)
        assert not analysis.is_stable(h, edge * 1.001, momentum)


def test_gradient_descent_rate_and_its_optimum_against_a_grid():
    mu, L = 1.0, 100.0
    lr, rate = analysis.optimal_gradient_descent(mu, L)
    assert lr == pytest.approx(2 / 101) and rate == pytest.approx(99 / 101)
    grid = torch.linspace(1e-4, 2 / L, 20001, dtype=torch.float64).tolist()
    best = min(grid, key=lambda a: analysis.gradient_descent_rate((mu, L), a))
    assert best == pytest.approx(lr, rel=1e-3)
    assert analysis.gradient_descent_rate((mu, L), lr) == pytest.approx(rate, rel=1e-12)
    assert analysis.convergence_rate((mu, L), lr, 0.0) == pytest.approx(rate, rel=1e-12)


def test_heavy_ball_optimum_against_a_grid():
    mu, L = 1.0, 100.0
    lr, momentum, rate = analysis.optimal_heavy_ball(mu, L)
    assert (lr, momentum, rate) == pytest.approx((4 / 121, 81 / 121, 9 / 11))
    assert analysis.convergence_rate((mu, L), lr, momentum) == pytest.approx(rate, rel=1e-6)
    lrs = torch.linspace(0.02, 0.045, 251, dtype=torch.float64).tolist()
    momenta = torch.linspace(0.5, 0.8, 301, dtype=torch.float64).tolist()
    best = min((analysis.convergence_rate((mu, L), a, b), a, b) for a in lrs for b in momenta)
    assert best[0] >= rate - 1e-9                                   # nothing on the grid beats it
    assert best[0] == pytest.approx(rate, rel=2e-3)
    assert best[1] == pytest.approx(lr, rel=0.02) and best[2] == pytest.approx(momentum, abs=0.01)


def test_every_curvature_in_between_converges_at_the_optimal_rate():
    mu, L = 2.0, 50.0
    lr, momentum, rate = analysis.optimal_heavy_ball(mu, L)
    for h in torch.linspace(mu, L, 101).tolist():
        assert analysis.spectral_radius(h, lr, momentum) == pytest.approx(rate, rel=1e-6)
    assert analysis.damping(mu, lr, momentum, tolerance=1e-9) == "critically damped"
    assert analysis.damping(L, lr, momentum, tolerance=1e-9) == "critically damped"
    assert analysis.damping((mu + L) / 2, lr, momentum) == "under-damped"


def test_sqrt_kappa_against_kappa():
    """Steps to shrink the error by 1e-6: ~κ/2·ln(1e6) for GD, ~√κ/2·ln(1e6) for the heavy ball."""
    steps = {}
    for kappa in (1e2, 1e4, 1e6):
        _, gd = analysis.optimal_gradient_descent(1.0, kappa)
        _, _, hb = analysis.optimal_heavy_ball(1.0, kappa)
        steps[kappa] = (math.log(1e-6) / math.log(gd), math.log(1e-6) / math.log(hb))
        assert steps[kappa][0] == pytest.approx(kappa / 2 * math.log(1e6), rel=0.02)
        assert steps[kappa][1] == pytest.approx(math.sqrt(kappa) / 2 * math.log(1e6), rel=0.02)
    # a hundred times κ: GD needs a hundred times the steps, the heavy ball ten times
    assert steps[1e6][0] / steps[1e4][0] == pytest.approx(100, rel=0.01)
    assert steps[1e6][1] / steps[1e4][1] == pytest.approx(10, rel=0.01)


@pytest.mark.parametrize("h, lr", [(1.0, 0.01), (1.0, 0.3), (10.0, 0.2), (100.0, 0.035)])
def test_regimes_match_the_eigenvalues(h, lr):
    critical = analysis.critical_momentum(h, lr)
    assert critical == pytest.approx((1 - math.sqrt(lr * h)) ** 2)
    below, above = critical * 0.8, min(0.999, critical * 1.2 + 0.01)
    r = analysis.iteration_eigenvalues(h, lr, below)
    assert analysis.damping(h, lr, below) == "over-damped"
    assert all(abs(z.imag) < 1e-15 for z in r) and abs(r[0]) != pytest.approx(abs(r[1]))
    r = analysis.iteration_eigenvalues(h, lr, above)
    assert analysis.damping(h, lr, above) == "under-damped"
    assert all(abs(z.imag) > 0 for z in r)
    assert abs(r[0]) == pytest.approx(math.sqrt(above), rel=1e-12) == abs(r[1])
    r = analysis.iteration_eigenvalues(h, lr, critical)
    assert analysis.damping(h, lr, critical, tolerance=1e-9) == "critically damped"
    assert abs(r[0] - r[1]) < 1e-6


def test_critical_damping_is_the_fastest_for_a_single_direction():
    h, lr = 1.0, 0.05
    critical = analysis.critical_momentum(h, lr)
    grid = torch.linspace(0.0, 0.99, 991, dtype=torch.float64).tolist()
    best = min(grid, key=lambda b: analysis.spectral_radius(h, lr, b))
    assert best == pytest.approx(critical, abs=2e-3)


def test_under_damped_oscillates_and_over_damped_does_not():
    h, lr = 1.0, 0.05
    critical = analysis.critical_momentum(h, lr)
    signs = lambda path: sum(a * b < 0 for a, b in zip(path, path[1:]))   # noqa: E731
    assert signs(run_1d(h, lr, 0.95, 300)) >= 5
    assert signs(run_1d(h, lr, critical / 2, 300)) == 0


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        analysis.optimal_heavy_ball(0.0, 1.0)
    with pytest.raises(ValueError):
        analysis.optimal_gradient_descent(2.0, 1.0)
    with pytest.raises(ValueError):
        analysis.critical_momentum(1.0, 5.0)
    with pytest.raises(ValueError):
        analysis.convergence_rate((1.0, -1.0), 0.1)
    with pytest.raises(ValueError):
        analysis.largest_stable_lr(1.0, momentum=1.0)


# --- preconditioning --------------------------------------------------------------------------

def test_hessian_of_the_rotated_quadratic():
    bowl = data.Quadratic((1.0, 100.0), angle=math.pi / 6)
    H = analysis.hessian(bowl, (0.3, -0.2))
    c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)
    R = torch.tensor([[c, -s], [s, c]], dtype=torch.float64)
    torch.testing.assert_close(H, R @ torch.diag(torch.tensor([1.0, 100.0],
                                                              dtype=torch.float64)) @ R.T)
    assert analysis.condition_number(H) == pytest.approx(100.0)


def test_newton_solves_a_quadratic_in_one_step():
    bowl = data.Quadratic((1.0, 100.0), angle=0.7)
    theta = torch.tensor(bowl.start, dtype=torch.float64)
    H = analysis.hessian(bowl, theta)
    theta = theta - torch.linalg.solve(H, H @ theta)                   # g = Hθ
    assert theta.abs().max() < 1e-12


def test_preconditioning_with_h_gives_kappa_one_and_jacobi_fixes_an_axis_aligned_bowl():
    H = torch.diag(torch.tensor([1.0, 100.0, 7.0], dtype=torch.float64))
    assert analysis.condition_number(H) == pytest.approx(100.0)
    assert analysis.diagonal_preconditioned_condition_number(H) == pytest.approx(1.0)
    torch.testing.assert_close(analysis.jacobi_scaling(H), torch.eye(3, dtype=torch.float64))


def test_preconditioned_gradient_descent_is_gradient_descent_on_the_scaled_problem():
    bowl = data.Quadratic((1.0, 100.0), angle=0.4)
    H = analysis.hessian(bowl, (0.0, 0.0))
    d = torch.diagonal(H)
    lr = 1.0
    theta = torch.tensor(bowl.start, dtype=torch.float64)
    phi = d.sqrt() * theta
    S = analysis.jacobi_scaling(H)
    for _ in range(5):
        theta = theta - lr * (H @ theta) / d           # θ ← θ − α D⁻¹ g
        phi = phi - lr * S @ phi                        # plain GD on D^{-1/2} H D^{-1/2}
    torch.testing.assert_close(d.sqrt() * theta, phi)


@pytest.mark.parametrize("angle", [0.1, 0.5, math.pi / 4, 1.2])
def test_no_diagonal_scaling_beats_jacobi_on_a_rotated_2x2(angle):
    H = analysis.hessian(data.Quadratic((1.0, 100.0), angle=angle), (0.0, 0.0))
    jacobi = analysis.diagonal_preconditioned_condition_number(H)
    c = (H[0, 1] / (H[0, 0] * H[1, 1]).sqrt()).abs().item()
    assert jacobi == pytest.approx((1 + c) / (1 - c), rel=1e-9)
    for s in torch.logspace(-3, 3, 601, dtype=torch.float64).tolist():
        assert analysis.diagonal_preconditioned_condition_number(H, (1.0, s)) >= jacobi * (1 - 1e-9)
    if angle == math.pi / 4:
        assert jacobi == pytest.approx(100.0)          # turned by 45°: no help at all


def test_measured_rate():
    path = torch.tensor([[0.5**t, 0.0] for t in range(11)], dtype=torch.float64)
    assert analysis.measured_rate(path) == pytest.approx(0.5)
    assert analysis.measured_rate(path + 1, minimum=(1.0, 1.0), start=2, end=7) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        analysis.measured_rate(path, start=5, end=5)
