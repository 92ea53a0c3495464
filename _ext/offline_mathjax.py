"""Serve MathJax 3 from the built book itself, so the math renders offline.

A default build loads MathJax from a CDN; without a network (CI, a reader
offline, a downloaded copy of the site) the formulas stay raw TeX. The PyPI
package `sphinx-mathjax-offline` (pinned in constraints.txt) carries MathJax
3.2's browser files, but its own Sphinx extension cannot be imported (its
folder name has hyphens), so this extension copies the files it needs into
`_static/mathjax/`; `_config.yml` points `mathjax_path` at them.
"""

from importlib.metadata import distribution
from pathlib import Path

from sphinx.util.fileutil import copy_asset

MATHJAX = Path(distribution("sphinx-mathjax-offline").locate_file(
    "sphinx-mathjax-offline/static/mathjax"))
# The TeX-to-HTML bundle and what it loads on demand (fonts, menu, accessibility).
PARTS = ["tex-chtml.js", "output/chtml", "input/tex", "ui", "a11y", "adaptors", "sre"]


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "mathjax"
        for part in PARTS:  # a file goes into its folder; a folder's contents into its copy
            source = MATHJAX / part
            copy_asset(str(source), str(target / (part if source.is_dir() else Path(part).parent)))


def setup(app):
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
