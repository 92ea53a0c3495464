"""Solution: linear warm-up, then cosine decay."""

import math


def warmup_cosine(step, warmup_steps, total_steps):
    """The factor that multiplies the base learning rate at `step`."""
    if step < warmup_steps:
        return step / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return 0.5 * (1 + math.cos(math.pi * progress))
