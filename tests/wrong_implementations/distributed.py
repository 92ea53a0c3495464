"""Wrong solutions, written the way learners write them: gradient averaging with all_reduce."""

import torch
import torch.distributed as dist

from wrong_implementations.registry import wrong


@wrong("average_gradients", "not divided by the number of ranks")
def average_sum(params):
    for p in params:
        dist.all_reduce(p.grad)


@wrong("average_gradients", "divided by the wrong number")
def average_by_two(params):
    for p in params:
        dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
        p.grad /= 2                                  # "two workers", as in the chapter


@wrong("average_gradients", "divided by the wrong number")
def average_by_rank_plus_one(params):
    for p in params:
        dist.all_reduce(p.grad)
        p.grad /= dist.get_rank() + 1


@wrong("average_gradients", "no all_reduce: each rank divided its own gradient")
def average_alone(params):
    for p in params:
        p.grad /= dist.get_world_size()


@wrong("average_gradients", "the gradients left unchanged")
def average_a_copy(params):
    n = dist.get_world_size()
    for p in params:
        grad = p.grad.clone()
        dist.all_reduce(grad)
        grad = grad / n


@wrong("average_gradients", "only rank 0 has the mean")
def average_with_reduce(params):
    n = dist.get_world_size()
    for p in params:
        dist.reduce(p.grad, dst=0)
        if dist.get_rank() == 0:
            p.grad /= n


@wrong("average_gradients", "only the first parameter averaged")
def average_first_only(params):
    for p in params:
        dist.all_reduce(p.grad)
        p.grad /= dist.get_world_size()
        return


@wrong("average_gradients", "parameters averaged instead of gradients")
def average_the_parameters(params):
    n = dist.get_world_size()
    with torch.no_grad():
        for p in params:
            dist.all_reduce(p)
            p /= n
