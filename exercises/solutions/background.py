"""Solutions: accuracy, and what training much longer on a small training set does."""


def accuracy(logits, labels):
    """The fraction of examples whose largest logit is at the index of their label."""
    predictions = logits.argmax(dim=1)              # the predicted class of each row
    return (predictions == labels).double().mean().item()


def predict_long_training():
    """The network memorizes its few images: training loss down, test loss up after a while."""
    return "test rises"
