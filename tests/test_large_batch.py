import torch

import descent
from descent.large_batch import noise_scale, per_example_gradients, steps_to_target


def test_per_example_gradients_match_a_loop():
    torch.manual_seed(0)
    model = descent.models.mlp(3, [4], 2).double()
    x, y = torch.randn(5, 3, dtype=torch.float64), torch.tensor([0, 1, 1, 0, 1])
    loss_fn = torch.nn.functional.cross_entropy
    g = per_example_gradients(model, loss_fn, x, y)
    for i in range(5):
        model.zero_grad()
        loss_fn(model(x[i:i + 1]), y[i:i + 1]).backward()
        expected = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
        torch.testing.assert_close(g[i], expected)
    scale = noise_scale(model, loss_fn, x, y)
    mean = g.mean(0)
    torch.testing.assert_close(scale["grad_sq"], mean.pow(2).sum().item())
    torch.testing.assert_close(scale["b_simple"], scale["trace"] / scale["grad_sq"])


def test_steps_to_target_stops_at_the_target_and_gives_up():
    torch.manual_seed(0)
    x, y = torch.randn(40, 2), (torch.arange(40) % 2)
    x[:, 0] += 3 * y
    loss_fn = torch.nn.functional.cross_entropy
    steps, losses = steps_to_target(torch.nn.Linear(2, 2), loss_fn, x, y, batch_size=8, lr=0.5,
                                    target=0.3, max_steps=500)
    assert steps == len(losses) and losses[-1] < 0.3 and all(v >= 0.3 for v in losses[:-1])
    steps, losses = steps_to_target(torch.nn.Linear(2, 2), loss_fn, x, y, batch_size=8, lr=1e3,
                                    target=0.3, max_steps=500)
    assert steps is None and len(losses) < 500
