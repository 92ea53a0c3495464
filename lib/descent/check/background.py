"""Checks for the exercises of the chapter background (chapter: Background: what training is)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from descent.check.feedback import Feedback, devices, one_thread, seeded
from descent.check.functions import Case, check_function
from descent.check.kinds import check_prediction
from descent.check.mistakes import Mistake

__all__ = ["accuracy", "predict_long_training"]


# --- Accuracy ------------------------------------------------------------------------------

def accuracy_reference(logits: Tensor, labels: Tensor) -> float:
    return (logits.argmax(dim=1) == labels).double().mean().item()


def as_fraction(function: Callable[[Tensor, Tensor], Any]) -> Callable[[Tensor, Tensor], Any]:
    """``function``'s number rounded to 6 decimals (float32's `.float().mean()` is right too);
    anything else unchanged, for the check to report."""
    def rounded(logits: Tensor, labels: Tensor) -> Any:
        value = function(logits, labels)
        if isinstance(value, Tensor) and value.numel() == 1 and not value.dtype == torch.bool:
            value = value.item()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return round(float(value), 6)
        return value
    return rounded


def hits(logits: Tensor, labels: Tensor) -> Tensor:
    return logits.argmax(dim=1) == labels


ACCURACY_MISTAKES = [
    Mistake("argmax over the wrong dimension (dim 0, the examples)", "Each row holds one "
            "example's C logits: the predicted class is the argmax of the row, dim=1.",
            lambda z, k: (z.argmax(dim=0) == k).double().mean().item()),
    Mistake("argmin instead of argmax", "The predicted class is the one with the LARGEST "
            "logit: `logits.argmax(dim=1)`.",
            lambda z, k: (z.argmin(dim=1) == k).double().mean().item()),
    Mistake("argmax without dim (over the whole tensor)", "`logits.argmax()` flattens the "
            "tensor and returns one index; take the argmax of each row, `dim=1`.",
            lambda z, k: (z.argmax() == k).double().mean().item()),
    Mistake("the count of right predictions instead of the fraction", "Divide by the number "
            "of examples (or take the mean): accuracy is a fraction between 0 and 1.",
            lambda z, k: float(hits(z, k).sum())),
    Mistake("divided by the number of classes instead of the number of examples", "Average "
            "over the N examples (rows): divide the count by `len(labels)`.",
            lambda z, k: float(hits(z, k).sum()) / z.shape[1]),
    Mistake("a percentage instead of a fraction", "Return the fraction, between 0 and 1, "
            "not 100 times it.", lambda z, k: 100 * hits(z, k).double().mean().item()),
    Mistake("integer division", "`count // n` rounds down to 0 unless every prediction is "
            "right: divide with `/`, or take the mean of the float tensor.",
            lambda z, k: float(hits(z, k).sum() // len(k))),
    Mistake("the logits are compared with the labels", "A logit is a score, not a class: "
            "the predicted class is the index of the largest logit, `logits.argmax(dim=1)`.",
            lambda z, k: (z == k).double().mean().item()),
    Mistake("the largest logit's value is compared, not its index", "`logits.max(dim=1)` "
            "returns (values, indices): the predicted class is the index, "
            "`logits.max(dim=1).indices` or `logits.argmax(dim=1)`.",
            lambda z, k: (z.max(dim=1).values == k).double().mean().item()),
    Mistake("the error rate instead of the accuracy", "Accuracy is the fraction of "
            "predictions equal to the label, not the fraction that differ.",
            lambda z, k: (z.argmax(dim=1) != k).double().mean().item()),
]


def accuracy_cases() -> list[Case]:
    """Hand-made cases where the usual mistakes all give different numbers, then random ones."""
    cases = []
    for device in devices():
        for dtype in (torch.float64, torch.float32):
            # Five examples, five classes, all 25 logits different: argmax by row (the
            # answer, 0.2), by column (0.4), over everything (0.6), the error rate (0.8) and
            # logits == labels (0.04) all differ.
            square = torch.tensor([[12, 10, 24, 1, 8], [14, 5, 13, 23, 19], [20, 21, 2, 22, 7],
                                   [11, 3, 18, 17, 0], [4, 16, 6, 9, 15]], dtype=dtype)
            labels = torch.tensor([2, 2, 2, 4, 4])
            cases.append(Case((square.to(device), labels.to(device)),
                              label=f"5 examples, 5 classes, {dtype}, {device}"))
            for seed, (n, c) in enumerate([(8, 3), (12, 10), (7, 4)]):
                generator = torch.Generator().manual_seed(seed)
                logits = torch.randn(n, c, generator=generator, dtype=dtype)
                labels = torch.randint(0, c, (n,), generator=generator)
                labels[: n // 2] = logits[: n // 2].argmax(dim=1)   # about half right
                cases.append(Case((logits.to(device), labels.to(device)),
                                  label=f"{n} examples, {c} classes, {dtype}, {device}"))
            perfect = torch.randn(6, 3, generator=torch.Generator().manual_seed(5), dtype=dtype)
            cases.append(Case((perfect.to(device), perfect.argmax(dim=1).to(device)),
                              label=f"6 examples, all right, {dtype}, {device}"))
    return cases


def accuracy(learner: Callable) -> Feedback:
    """Check ``accuracy(logits, labels)``: the fraction of rows whose argmax is the label."""
    return check_function(as_fraction(learner), name="accuracy",
                          reference=as_fraction(accuracy_reference), cases=accuracy_cases(),
                          mistakes=[Mistake(m.name, m.advice, as_fraction(m.step))
                                    for m in ACCURACY_MISTAKES],
                          equation="accuracy = (1/N) Σᵢ [argmaxⱼ z_{ij} = kᵢ]")


# --- Predict: training much longer on a small training set ----------------------------------

LONG_TRAINING_CHOICES = {
    "both fall": "that both losses keep falling",
    "test rises": "that the training loss keeps falling while the test loss, after a minimum, "
                  "rises",
    "both level off": "that both losses level off and stay where they are",
}

LONG_TRAINING_WHY_NOT = {
    "both fall": "That is what happens with enough data (the chapter's full training set). "
                 "With 60 images the network can fit them one by one, and what it learns "
                 "about those particular images stops carrying over to new ones.",
    "both level off": "The training loss never stops falling: the cross-entropy reaches 0 "
                      "only as the logits grow without limit, so gradient descent keeps "
                      "growing them, and the confident mistakes on test images cost more "
                      "and more.",
}


def long_training_experiment() -> tuple[str, str]:
    """The chapter's network on 60 training images, 300 epochs of full-batch gradient descent
    in float64, with the loss on 500 test images after every epoch."""
    from descent.data import digits
    from descent.losses import cross_entropy
    from descent.train import fit

    x_train, y_train, x_test, y_test = digits(test_size=500, seed=0, dtype=torch.float64)
    train = (x_train[:60], y_train[:60])
    with seeded(0):
        model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(),
                                    torch.nn.Linear(32, 10)).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    with one_thread():
        history = fit(model, cross_entropy, optimizer, train, epochs=300,
                      eval_data={"train": train, "test": (x_test, y_test)})
    training, test = history["train_loss"], history["test_loss"]
    best = min(range(len(test)), key=lambda i: test[i])
    epochs = sorted({1, 20, best + 1, 150, 300})
    evidence = ("The chapter's network (64 → 32 → 10) trained on 60 images with full-batch "
                "gradient descent (α = 0.5), losses after each epoch: "
                + "; ".join(f"epoch {e}: training {training[e - 1]:.3f}, test {test[e - 1]:.3f}"
                            for e in epochs)
                + f". The test loss is lowest at epoch {best + 1}.")
    if training[-1] < training[best] / 2 and test[-1] > 1.05 * test[best]:
        outcome = "test rises"
    elif test[-1] <= 1.001 * test[best] and training[-1] < 0.9 * training[best]:
        outcome = "both fall"
    else:
        outcome = "both level off"
    return outcome, evidence


def predict_long_training(learner: Callable) -> Feedback:
    """Check the prediction for training much longer on a small training set, then run it."""
    return check_prediction(learner, name="predict_long_training",
                            choices=LONG_TRAINING_CHOICES, experiment=long_training_experiment,
                            why_not=LONG_TRAINING_WHY_NOT)
