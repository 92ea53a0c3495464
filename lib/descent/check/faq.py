"""Checks for the exercises of the chapter faq."""

from __future__ import annotations

__all__: list[str] = []
