"""Checks for the exercises of the chapter background."""

from __future__ import annotations

__all__: list[str] = []
