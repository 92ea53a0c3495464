"""Wrong solutions, written the way learners write them: the largest stable learning rate,
where gradient descent ends on an underdetermined least-squares problem, and the
prediction just above 2/L."""

import torch

from wrong_implementations.registry import wrong

# --- largest_stable_lr --------------------------------------------------------------

@wrong("largest_stable_lr", "1/L instead of 2/L")
def lr_one_over_l(curvatures):
    return 1 / curvatures.max()


@wrong("largest_stable_lr", "the smallest curvature instead of the largest")
def lr_from_the_flattest_direction(curvatures):
    return 2 / min(curvatures)


@wrong("largest_stable_lr", "1/λ_min: the smallest curvature, and 1 instead of 2")
def lr_one_over_smallest(curvatures):
    return (1 / curvatures).max().item()


@wrong("largest_stable_lr", "the mean curvature instead of the largest")
def lr_from_the_average(curvatures):
    return 2 / curvatures.mean()


@wrong("largest_stable_lr", "the sum of the curvatures instead of the largest")
def lr_from_the_trace(curvatures):
    return 2 / torch.sum(curvatures)


@wrong("largest_stable_lr", "that is the best learning rate, 2/(λ_min + λ_max), not the "
                            "largest stable one")
def lr_best_instead_of_largest(curvatures):
    return 2 / (curvatures.min() + curvatures.max())


# --- gradient_descent_limit ----------------------------------------------------------

@wrong("gradient_descent_limit", "the minimum-norm solution X⁺y: the start θ₀ is ignored")
def limit_minimum_norm(x, y, theta0):
    return torch.linalg.pinv(x) @ y


@wrong("gradient_descent_limit", "the minimum-norm solution X⁺y: the start θ₀ is ignored")
def limit_by_lstsq(x, y, theta0):
    return torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)


@wrong("gradient_descent_limit", "the start θ₀ itself")
def limit_is_the_start(x, y, theta0):
    return theta0.clone()


@wrong("gradient_descent_limit", "normal equations are singular")
def limit_by_normal_equations(x, y, theta0):
    return torch.linalg.solve(x.T @ x, x.T @ y)


@wrong("gradient_descent_limit", "normal equations are singular")
def limit_by_inverting(x, y, theta0):
    return theta0 + torch.linalg.inv(x.T @ x) @ x.T @ (y - x @ theta0)


@wrong("gradient_descent_limit", "Xᵀ instead of the pseudo-inverse X⁺")
def limit_with_transpose(x, y, theta0):
    return theta0 + x.T @ (y - x @ theta0)


@wrong("gradient_descent_limit", "θ₀ is not added back")
def limit_step_only(x, y, theta0):
    return torch.linalg.pinv(x) @ (y - x @ theta0)


@wrong("gradient_descent_limit", "approximated by iterating, not the exact limit")
def limit_by_running_gradient_descent(x, y, theta0):
    theta = theta0.clone()
    lr = 1 / torch.linalg.matrix_norm(x, ord=2) ** 2
    for _ in range(300):
        theta = theta - lr * x.T @ (x @ theta - y)
    return theta


# --- predict_just_above_2_over_L ---------------------------------------------------

@wrong("predict_just_above_2_over_L", "wrong prediction")
def predict_same_amplitude():
    return "oscillates"


@wrong("predict_just_above_2_over_L", "wrong prediction")
def predict_converges():
    return "converges"


@wrong("predict_just_above_2_over_L", "invalid prediction")
def predict_in_other_words():
    return "it blows up"
