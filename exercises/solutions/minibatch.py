"""Solution: one epoch of mini-batch SGD on least squares."""


def sgd_epoch(w, x, y, lr, batch_size, order):
    """One pass over the data in the given order, one update per mini-batch."""
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]   # the last batch may be smaller
        xb, yb = x[batch], y[batch]
        gradient = xb.T @ (xb @ w - yb) / len(batch)
        w = w - lr * gradient
    return w
