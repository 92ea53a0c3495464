"""Correct rewrites of the background exercises (accuracy, training much longer on a small
training set): different code, the same answer. Each must pass."""

import pytest
import torch

from descent import check


def accuracy_float32(logits, labels):
    return (logits.argmax(dim=1) == labels).float().mean()     # a 0-d float32 tensor


def accuracy_by_max(logits, labels):
    _, predicted = torch.max(logits, 1)
    return (predicted == labels).sum().item() / labels.size(0)


def accuracy_of_probabilities(logits, labels):
    probabilities = torch.softmax(logits, dim=-1)               # same argmax as the logits
    return torch.eq(probabilities.argmax(-1), labels).double().mean().item()


def accuracy_loop(logits, labels):
    right = sum(int(row.argmax()) == int(label) for row, label in zip(logits, labels))
    return right / len(labels)


@pytest.mark.parametrize("function", [accuracy_float32, accuracy_by_max,
                                      accuracy_of_probabilities, accuracy_loop])
def test_accuracy_rewrites_pass(function):
    result = check.accuracy(function)
    assert result.passed, result.message


@pytest.mark.parametrize("answer", ["test rises", "Test rises"])
def test_the_right_prediction_passes(answer):
    result = check.predict_long_training(lambda: answer)
    assert result.passed, result.message
    assert "epoch 300" in result.message
