"""A link to the same page in the other edition (English ⇄ 中文), at the top of every page.

The Chinese edition is built from ``zh/`` into ``_build/html/zh/`` (see the
Makefile), with the same file names as the English one, so page ``P`` of one
edition is page ``P`` of the other under another root. ``_config.yml`` says
where that root is, relative to this edition's root::

    language_switch:
      label: 中文          # the link's text
      lang: zh            # the other edition's language (hreflang)
      root: zh/           # English → Chinese; the Chinese edition says ../

The link is plain HTML placed before the page's body (no script), and the
page's head gets ``<link rel="alternate" hreflang=...>`` for search engines.
"""

from html import escape


def add_switch(app, pagename, templatename, context, doctree):
    settings = app.config.language_switch
    if not settings or doctree is None:
        return
    href = context["pathto"]("", 1) + settings["root"] + pagename + ".html"
    href = escape(href.replace("/./", "/"), quote=True)
    lang, label = escape(settings["lang"]), escape(settings["label"])
    link = (f'<p class="language-switch"><a href="{href}" hreflang="{lang}" lang="{lang}">'
            f'{label}</a></p>\n')
    context["body"] = link + context.get("body", "")
    context["metatags"] = (context.get("metatags", "")
                           + f'\n<link rel="alternate" hreflang="{lang}" href="{href}" />')


def setup(app):
    app.add_config_value("language_switch", None, "html")
    app.connect("html-page-context", add_switch)
    app.add_css_file("language_switch.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
