"""Checks for the exercises of the chapter future."""

from __future__ import annotations

__all__: list[str] = []
