"""The grader's language: English, or Chinese for the Chinese edition's exercise sheets.

``check.language("zh")`` (the first code cell of a Chinese sheet) makes every
verdict print in Chinese; ``check.language("en")`` goes back. A verdict is
composed in English (its mistake's name and advice, the generic phrases
around them) and translated when it is shown: each known English text is
replaced by its Chinese, longest first, from the catalogues in
:mod:`descent.check.zh` (one module per chapter, plus the generic phrases).
Numbers, code and formulas in a verdict stay as they are.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re

LANGUAGES = ("en", "zh")
_current = "en"


def language(code: str | None = None) -> str:
    """Set the grader's language to ``code`` ("en" or "zh"); return the language now in use."""
    global _current
    if code is not None:
        if code not in LANGUAGES:
            raise ValueError(f"the grader speaks {' and '.join(LANGUAGES)}, not {code!r}")
        _current = code
    return _current


@functools.cache
def catalogue() -> tuple[list[tuple[str, str]], list[tuple[re.Pattern[str], str]]]:
    """Every known English text and its Chinese (longest first), and the generic patterns."""
    from descent.check import zh
    texts: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for info in pkgutil.iter_modules(zh.__path__):
        module = importlib.import_module(f"descent.check.zh.{info.name}")
        texts.update(getattr(module, "MESSAGES", {}))
        patterns += [(re.compile(p), r) for p, r in getattr(module, "PATTERNS", [])]
    return sorted(texts.items(), key=lambda item: -len(item[0])), patterns


def translate(message: str) -> str:
    """``message`` in the current language (unchanged in English)."""
    if _current == "en":
        return message
    texts, patterns = catalogue()
    for english, chinese in texts:
        if english in message:
            message = message.replace(english, chinese)
    for pattern, replacement in patterns:
        message = pattern.sub(replacement, message)
    return message
