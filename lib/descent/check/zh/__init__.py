"""The grader's Chinese: one catalogue per module of :mod:`descent.check`.

Each module ``descent.check.zh.NAME`` has ``MESSAGES``, a dict from an
English text of ``descent.check.NAME`` (a mistake's name or advice, exactly
as in the source) to its Chinese, and may have ``PATTERNS``, a list of
``(regular expression, replacement)`` for phrases that carry numbers.
:func:`descent.check.language.translate` uses them all.
"""
