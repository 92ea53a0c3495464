import random

import numpy as np
import pytest
import torch

import descent


def test_default_device_is_cuda_exactly_when_available():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert descent.default_device().type == expected


def test_seed_everything_repeats_every_generator():
    def draw():
        return random.random(), np.random.rand(), torch.rand(3)

    descent.seed_everything(123)
    first = draw()
    descent.seed_everything(123)
    second = draw()
    assert first[0] == second[0] and first[1] == second[1]
    assert torch.equal(first[2], second[2])


def test_seed_everything_returns_nothing_to_print():
    assert descent.seed_everything(0) is None


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_seed_everything_seeds_cuda():
    descent.seed_everything(7)
    a = torch.rand(3, device="cuda")
    descent.seed_everything(7)
    assert torch.equal(a, torch.rand(3, device="cuda"))


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (2**32, ValueError), (1.5, TypeError),
                                         ("0", TypeError), (True, TypeError)])
def test_seed_everything_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed"):
        descent.seed_everything(seed)
