"""descent: exact, readable reference code for the course on how neural networks are trained.

Every chapter of the book imports this package, and every formula in the book
has a function here and a test that checks it against PyTorch.
"""

from descent.device import default_device, seed_everything

__all__ = ["default_device", "seed_everything"]
__version__ = "0.1.0"
