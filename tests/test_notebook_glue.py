"""descent.notebook.glue: the values the prose quotes, stored for myst-nb."""

from __future__ import annotations

import sys

import myst_nb.ext.glue

from descent.notebook import glue


def test_glue_stores_the_value_for_the_prose_and_shows_nothing(monkeypatch):
    shown = []
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display",
                        lambda bundle, raw, metadata: shown.append((bundle, metadata)))

    glue("slowdown", 19)

    [(bundle, metadata)] = shown
    assert bundle == {"application/papermill.record/text/plain": "19"}  # nothing shown
    assert metadata["scrapbook"]["name"] == "slowdown"


def test_glue_does_nothing_without_myst_nb(monkeypatch):
    """In Colab only `descent` is installed: a chapter must still run."""
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb raises ImportError

    assert glue("slowdown", 19) is None
