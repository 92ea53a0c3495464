"""Numbers for the book's prose, taken from the computation.

A sentence such as "19 times slower" must not be typed by hand: the notebook
stores the computed value with :func:`glue`, and the text inserts it with
myst-nb's role, ``{glue:text}`slowdown:.0f```. When the book is built, the
stored value is what the page shows, and nbval checks on every test run that
the stored value is still what the code computes (unless the cell's output is
ignored as machine-dependent; then a hidden claims cell asserts what the
prose says about it).
"""

from __future__ import annotations

from typing import Any


def glue(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` for ``{glue:text}`name``` in the prose.

    This is myst-nb's ``glue`` with ``display=False``: the value is recorded
    in the cell's output and not shown. Glue a value rounded to the precision
    the sentence needs (``round(ratio)``, ``float(f"{x:.2g}")``): nbval then
    compares the rounded value, which is stable from machine to machine.

    Outside the book's tool chain (Colab, with only ``descent`` installed),
    myst-nb is absent and the call does nothing.
    """
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:
        return
    myst_nb_glue(name, value, display=False)
