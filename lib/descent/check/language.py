"""The grader's language: English, or Chinese for the Chinese edition's exercise sheets.

``check.language("zh")`` (the first code cell of a Chinese sheet) makes every
verdict print in Chinese; ``check.language("en")`` goes back. A verdict is
composed in English and translated when it is shown, from the catalogues in
:mod:`descent.check.zh` (one module per module of :mod:`descent.check`):

- ``MESSAGES``: a plain English text (a mistake's name or advice, a hint)
  and its Chinese; the text is replaced wherever it appears.
- ``TEMPLATES``: an f-string of the source, its values written as
  placeholders (``"{name} returned None. Did you forget `return`?"``), and
  its Chinese with the same placeholders, in any order. The values found in
  the verdict are put back where the Chinese has their placeholders.
- ``PATTERNS``: a regular expression and its replacement, for what the code
  joins from pieces too short to be texts (labels, lists); applied after the
  texts, then ``PUNCTUATION``.

Texts are translated longest first, so a text inside a longer one is left to
the longer one's translation. Numbers, code and formulas stay as they are.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

LANGUAGES = ("en", "zh")
_current = "en"


def language(code: str | None = None) -> str | None:
    """``language("zh")`` sets the grader's language ("en" or "zh"); ``language()`` returns
    the language in use. (Setting returns nothing, so a notebook cell shows nothing.)"""
    global _current
    if code is None:
        return _current
    if code not in LANGUAGES:
        raise ValueError(f"the grader speaks {' and '.join(LANGUAGES)}, not {code!r}")
    _current = code
    return None


def split_template(template: str) -> list[tuple[str, bool]]:
    """A template's parts in order: (text, False) for literal text, ({…}, True) for a
    placeholder. ``{{`` and ``}}`` are literal braces; a placeholder may hold braces."""
    parts: list[tuple[str, bool]] = []
    literal, i = "", 0
    while i < len(template):
        pair = template[i:i + 2]
        if pair in ("{{", "}}"):
            literal, i = literal + pair[0], i + 2
        elif template[i] == "{":
            depth, j = 0, i
            while True:
                depth += {"{": 1, "}": -1}.get(template[j], 0)
                if depth == 0:
                    break
                j += 1
                if j == len(template):
                    raise ValueError(f"unbalanced '{{' in template {template!r}")
            if literal:
                parts.append((literal, False))
            parts.append((template[i:j + 1], True))
            literal, i = "", j + 1
        else:
            literal, i = literal + template[i], i + 1
    if literal:
        parts.append((literal, False))
    return parts


#: A placeholder formatted as a number ({x:.3f}, {x:g}, {x:.1%}) holds one: 1.25, -3e-05, −1.02, 12.5%, inf.
NUMERIC_FORMAT = re.compile(r":[^:{}]*[eEfFgGdn%]\}$|:[,_]?\.\d+\}$")
NUMBER = r"[-+−]?(?:inf|nan|[\d,_]*\.?\d+(?:[eE][-+−]?\d+)?)%?"


@dataclass(frozen=True)
class Template:
    """An English template and its Chinese, ready to find in a verdict."""

    english: str
    chinese: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]          # the placeholder of each group of ``pattern``
    anchor: str                     # the template's longest literal part: a quick test

    @classmethod
    def compile(cls, english: str, chinese: str) -> "Template":
        parts = split_template(english)
        regex, names = "", []
        for index, (text, is_placeholder) in enumerate(parts):
            if not is_placeholder:
                # "{x}." ends at the sentence's period, not at the point of 1.5 or torch.float32
                regex += r"\.(?=\s|$)" if index > 0 and text == "." else re.escape(text)
            elif text in names:
                regex += f"(?P=g{names.index(text)})"
            else:
                last = index == len(parts) - 1
                value = NUMBER if NUMERIC_FORMAT.search(text) else ".*" if last else ".*?"
                regex += f"(?P<g{len(names)}>{value})"
                names.append(text)
        anchor = max((text for text, is_placeholder in parts if not is_placeholder), key=len)
        return cls(english, chinese, re.compile(regex, re.DOTALL), tuple(names), anchor)

    def fill(self, match: re.Match[str]) -> str:
        values = {name: match.group(f"g{i}") for i, name in enumerate(self.names)}
        return "".join(values[text] if is_placeholder else text
                       for text, is_placeholder in split_template(self.chinese))

    def apply(self, message: str) -> str:
        if self.anchor not in message:
            return message
        return self.pattern.sub(self.fill, message)


def literal_length(template: str) -> int:
    return sum(len(text) for text, is_placeholder in split_template(template) if not is_placeholder)


#: Last, the punctuation of a verdict in Chinese. A verdict is often joined from parts in
#: code ("{name}: {mistake.name}. {mistake.advice}"): its ": " and ". " become "：" and "。"
#: where Chinese stands next to them, and a sentence glued to the previous one loses its
#: leading space after "。" (the catalogues keep it, in case the previous one stays English).
PUNCTUATION = [
    (r"^([❌✅] [\w.]+): (?=.*[\u4e00-\u9fff])", r"\1："),
    (r"(?<=[\u4e00-\u9fff）])\. ", "。"),
    (r"(?<=[^.\s])\. (?=[\u4e00-\u9fff])", "。"),
    (r"^([❌✅] [\w.]+：[^。\n]*?[^.\s])\. (?=\S)", r"\1。"),   # "该用 ε² 的地方用了 ε. ε 是…"
    # A template keeps the "." after a value ("…{equation}."): the sentence ends there.
    (r"^([❌✅] .*[\u4e00-\u9fff].*[^.\s])\.$", r"\1。"),
    (r"(?<=[。？！]) +(?=\S)", ""),
]


@functools.cache
def catalogue() -> list[Callable[[str], str]]:
    """Every translation as a function of a message, in the order they are applied."""
    from descent.check import zh
    entries: list[tuple[int, Callable[[str], str]]] = []
    patterns: list[Callable[[str], str]] = []
    for info in pkgutil.iter_modules(zh.__path__):
        module = importlib.import_module(f"descent.check.zh.{info.name}")
        for english, chinese in getattr(module, "MESSAGES", {}).items():
            entries.append((len(english), functools.partial(replace, english, chinese)))
        for english, chinese in getattr(module, "TEMPLATES", {}).items():
            entries.append((literal_length(english), Template.compile(english, chinese).apply))
        for pattern, replacement in getattr(module, "PATTERNS", []):
            patterns.append(functools.partial(re.compile(pattern).sub, replacement))
    entries.sort(key=lambda entry: -entry[0])
    punctuation = [functools.partial(re.compile(pattern).sub, replacement)
                   for pattern, replacement in PUNCTUATION]
    return [apply for _, apply in entries] + patterns + punctuation


def replace(english: str, chinese: str, message: str) -> str:
    return message.replace(english, chinese)


def translate(message: str, to: str | None = None) -> str:
    """``message`` in the language ``to`` (by default the one in use; unchanged in English)."""
    if (to or _current) == "en":
        return message
    for apply in catalogue():
        message = apply(message)
    return message
