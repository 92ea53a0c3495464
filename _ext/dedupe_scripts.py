"""Include each script only once per page.

sphinx-thebe adds its configuration script (`const THEBE_JS_URL = ...`) in an
event that fires twice in a Jupyter Book build, so every page declared the
same constants twice and the browser logged "Identifier 'THEBE_JS_URL' has
already been declared". This drops repeated script entries.
"""


def script_key(script):
    filename = getattr(script, "filename", script) or ""  # None and "" both mean an inline script
    return filename, tuple(sorted(getattr(script, "attributes", {}).items()))


def dedupe(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", dedupe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
