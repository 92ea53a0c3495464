"""Serve MathJax from the built book itself, so the math renders offline.

A default build loads MathJax from a CDN; without a network (CI, a reader
offline, a download of the site) the formulas stay raw TeX. This extension
copies the MathJax that ships inside the `jupyter-server-mathjax` package
(pinned in constraints.txt) into `_static/mathjax/`; `_config.yml` points
`mathjax_path` at it.
"""

from pathlib import Path

import jupyter_server_mathjax
from sphinx.util.fileutil import copy_asset

MATHJAX = Path(jupyter_server_mathjax.__file__).parent / "static"


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        copy_asset(str(MATHJAX), str(Path(app.outdir) / "_static" / "mathjax"))


def setup(app):
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
