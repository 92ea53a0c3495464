"""Checks for the exercises of the chapter performance."""

from __future__ import annotations

__all__: list[str] = []
