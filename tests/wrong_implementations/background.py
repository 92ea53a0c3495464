"""Wrong solutions, written the way learners write them: accuracy, and the prediction about
training much longer on a small training set."""

import torch

from wrong_implementations.registry import wrong

# --- accuracy ---------------------------------------------------------------------

@wrong("accuracy", "argmax over the wrong dimension (dim 0, the examples)")
def accuracy_columns(logits, labels):
    return (logits.argmax(0) == labels).float().mean().item()


@wrong("accuracy", "the count of right predictions instead of the fraction")
def accuracy_count(logits, labels):
    return (logits.argmax(dim=1) == labels).sum().item()


@wrong("accuracy", "the logits are compared with the labels")
def accuracy_of_the_logits(logits, labels):
    return (logits == labels).float().mean().item()


@wrong("accuracy", "a percentage instead of a fraction")
def accuracy_in_percent(logits, labels):
    correct = (logits.argmax(dim=1) == labels).sum().item()
    return 100 * correct / len(labels)


@wrong("accuracy", "integer division")
def accuracy_floor_division(logits, labels):
    return (logits.argmax(dim=1) == labels).sum().item() // len(labels)


@wrong("accuracy", "the largest logit's value is compared, not its index")
def accuracy_of_the_max_values(logits, labels):
    predictions = torch.max(logits, dim=1)[0]
    return (predictions == labels).double().mean().item()


@wrong("accuracy", "argmax without dim (over the whole tensor)")
def accuracy_flat_argmax(logits, labels):
    return (logits.argmax() == labels).float().mean()


@wrong("accuracy", "the error rate instead of the accuracy")
def accuracy_inverted(logits, labels):
    return 1 - (logits.argmax(dim=1) == labels).double().mean().item()


# --- predict_long_training --------------------------------------------------------

@wrong("predict_long_training", "wrong prediction")
def predict_both_fall():
    return "both fall"


@wrong("predict_long_training", "wrong prediction")
def predict_level_off():
    return "Both level off"


@wrong("predict_long_training", "invalid prediction")
def predict_as_a_sentence():
    return "the test loss goes up"
