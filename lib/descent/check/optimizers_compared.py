"""Checks for the exercises of the chapter optimizers_compared."""

from __future__ import annotations

__all__: list[str] = []
