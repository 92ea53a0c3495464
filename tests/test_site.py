"""The website: it builds with zero warnings, and it works in a real browser.

The book is built once for this module (`make html`, as `make book` does);
the static checks read the HTML files, and the browser checks open every page
in Debian's Chromium, driven by Playwright, served from a local HTTP server.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from book import ROOT, make

HTML = ROOT / "_build/html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


@pytest.fixture(scope="module")
def site() -> Path:
    result = make("html", ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return HTML


REDIRECT = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"', re.IGNORECASE)


def is_redirect(page: Path) -> bool:
    """A stub that only sends the browser elsewhere (Jupyter Book's root index.html)."""
    return bool(REDIRECT.search(page.read_text(encoding="utf-8")[:500]))


def pages(site: Path) -> list[Path]:
    """Every page of the book (not Sphinx's index and search pages, not redirect stubs)."""
    return sorted(p for p in site.rglob("*.html")
                  if not any(part.startswith("_") for part in p.relative_to(site).parts)
                  and p.name not in {"genindex.html", "search.html"}
                  and not is_redirect(p))


def chapter_pages(site: Path) -> list[Path]:
    return [p for p in pages(site) if p.parent.name in {"chapters", "exercises"}]


def test_book_builds_without_warnings(site):
    assert (site / "chapters/background.html").exists()


def test_math_is_served_by_the_site_not_a_cdn(site):
    assert (site / "_static/mathjax/tex-chtml.js").exists()
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net/npm/mathjax" not in text, page


def internal_links(page: Path, site: Path):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"]
        if urlparse(href).scheme or href.startswith(("mailto:", "javascript:")):
            continue
        yield href


@functools.cache
def ids_in(page: Path) -> set[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {tag["id"] for tag in soup.find_all(id=True)}


def test_no_broken_internal_link_or_anchor(site):
    broken = []
    for page in pages(site):
        for href in internal_links(page, site):
            target_url = urlparse(urljoin(page.as_uri(), href))
            target = Path(unquote(target_url.path))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {href} (no such file)")
            elif target_url.fragment and target.suffix == ".html" \
                    and unquote(target_url.fragment) not in ids_in(target):
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_every_chapter_page_has_a_download_button(site):
    for page in chapter_pages(site):
        if page.with_suffix(".ipynb").name in {p.name for p in (ROOT / page.parent.name).glob("*.ipynb")}:
            label = "下载源文件" if page.relative_to(site).parts[0] == "zh" else "Download source file"
            assert label in page.read_text(encoding="utf-8"), page


# --- in a real browser -------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a page closed before its last file arrived: not the site's fault


@contextlib.contextmanager
def serving(directory: Path):
    """Serve `directory` over HTTP on a free local port; yield its URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(site):
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (`apt-get install chromium`; .ci/run does it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def open_page(browser, url, width=1280):
    """Open `url`; return the page and the list that collects its console errors."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed to load {r.url}"))
    page.on("response", lambda r: errors.append(f"{r.status} for {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    page.wait_for_function("() => !window.MathJax || !MathJax.startup || "
                           "MathJax.startup.promise.then(() => true)")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    return page, errors


def url_of(server, site, page):
    return f"{server}/{page.relative_to(site).as_posix()}"


def test_every_page_loads_without_errors_and_typesets_its_math(site, server, browser):
    problems = []
    for path in pages(site):
        page, errors = open_page(browser, url_of(server, site, path))
        text = page.inner_text("article")
        raw = [m for m in re.findall(r"\\\(|\\\[|\$\$", text)]
        if errors:
            problems.append(f"{path.name}: console errors {errors}")
        if raw:
            problems.append(f"{path.name}: {len(raw)} pieces of raw TeX left: {raw[:3]}")
        has_math = page.locator("span.math, div.math").count()
        typeset = page.locator("mjx-container").count()
        if has_math and typeset < has_math:
            problems.append(f"{path.name}: {has_math - typeset} formulas not typeset")
        problems += [f"{path.name}: {problem}" for problem in broken_math(page)]
        page.close()
    assert not problems, "\n".join(problems)


# MathJax typesets a formula it cannot read too: an unknown macro such as
# `\alphah` becomes red text "\alphah", and `\_` inside `\text{}` stays "\_".
# So read each typeset formula back as MathML, and look for a backslash in its
# text or an error node.
BROKEN_MATH = """() => {
    const broken = [];
    for (const item of MathJax.startup.document.math) {
        const mathml = MathJax.startup.toMML(item.root);
        const text = mathml.replace(/<[^>]*>/g, "");
        if (text.includes("\\\\") || mathml.includes("<merror")) {
            broken.push(item.math.trim());
        }
    }
    return broken;
}"""


def broken_math(page) -> list[str]:
    """The TeX source of every formula on `page` that MathJax could not typeset properly."""
    if not page.evaluate("() => !!(window.MathJax && MathJax.startup && MathJax.startup.document)"):
        return []
    problems = [f"formula typeset with raw TeX or an error: {tex!r}"
                for tex in page.evaluate(BROKEN_MATH)]
    errors = page.locator("mjx-merror").count()
    if errors:
        problems.append(f"{errors} MathJax error boxes (mjx-merror)")
    return problems


def test_planted_broken_math_is_caught(site, browser, tmp_path):
    """An unknown macro, `\\_` in `\\text{}` and a TeX error (a double exponent) each fail the math check."""
    planted = ["\\alphah", "\\text{fan\\_in}", "x^2^3"]
    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    page_file = copy / "chapters/preface.html"
    html = page_file.read_text(encoding="utf-8")
    formulas = "".join(f'<p><span class="math notranslate nohighlight">\\({tex}\\)</span></p>'
                       for tex in ["\\alpha h", *planted])
    page_file.write_text(html.replace("</article>", formulas + "</article>", 1), encoding="utf-8")
    with serving(copy) as url:
        page, _ = open_page(browser, f"{url}/chapters/preface.html")
        problems = broken_math(page)
        page.close()
    for tex in planted:
        assert any(repr(tex) in problem for problem in problems), (tex, problems)
    assert not any(repr("\\alpha h") in problem for problem in problems), problems


def test_every_image_loads_and_has_alt_text_or_a_caption(site, server, browser):
    problems = []
    for path in pages(site):
        page, _ = open_page(browser, url_of(server, site, path))
        for image in page.evaluate("""() => [...document.querySelectorAll('article img')].map(img => ({
            src: img.getAttribute('src'), alt: (img.getAttribute('alt') || '').trim(),
            loaded: img.complete && img.naturalWidth > 0,
            caption: !!(img.closest('figure') && img.closest('figure').querySelector('figcaption'))
        }))"""):
            if not image["loaded"]:
                problems.append(f"{path.name}: {image['src']} did not load")
            described = image["alt"] and not re.search(r"\.(png|jpe?g|svg)$", image["alt"])
            if not (described or image["caption"]):
                problems.append(f"{path.name}: {image['src']} has no alt text or caption")
        page.close()
    assert not problems, "\n".join(problems)


def test_the_front_page_opens_the_preface(site, server, browser):
    """index.html is a redirect stub; the browser must land on the preface, typeset."""
    page, errors = open_page(browser, f"{server}/index.html")
    page.wait_for_url("**/chapters/preface.html", timeout=20_000)
    page.wait_for_load_state("load")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    assert page.locator("article h1").count() >= 1
    assert not errors
    # The stub has no <link rel="icon">, so browsers ask for /favicon.ico (a 404
    # in the console, whenever the browser gets to it, unless the site has one).
    assert page.request.get(f"{server}/favicon.ico").status == 200
    page.close()


def test_search_finds_adam(server, browser):
    page, errors = open_page(browser, f"{server}/search.html?q=Adam")
    page.wait_for_selector("#search-results li", timeout=20_000)
    results = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
    assert any("optimizers" in href for href in results), results
    assert not errors


def test_exercise_solutions_stay_hidden_until_clicked(server, browser):
    page, _ = open_page(browser, f"{server}/exercises/optimizers.html")
    solution = page.locator(".solution").first
    code = solution.locator("pre").first
    assert not code.is_visible(), "a solution is visible before it is clicked"
    solution.locator(".admonition-title, summary, button").first.click()
    code.wait_for(state="visible", timeout=5_000)
    assert "def momentum_step" in code.inner_text()


def test_chapter_pages_fit_a_phone_screen(site, server, browser):
    too_wide = []
    for path in chapter_pages(site):
        page, _ = open_page(browser, url_of(server, site, path), width=375)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 376:
            too_wide.append(f"{path.name}: {width} px")
        page.close()
    assert not too_wide, "\n".join(too_wide)


def test_the_trajectory_explorer_responds_to_its_sliders(server, browser):
    page, errors = open_page(browser, f"{server}/chapters/optimizers.html")
    explorer = page.locator("input[type=range]").first
    explorer.scroll_into_view_if_needed()
    path = page.locator("svg polyline.explorer-path").first
    before = path.get_attribute("points")
    explorer.evaluate("(slider) => { slider.value = slider.max; "
                      "slider.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert path.get_attribute("points") != before
    assert not errors


# --- the Chinese edition (zh/, built into _build/html/zh/) ------------------------------

def test_search_finds_chinese_words_and_adam_in_the_chinese_edition(server, browser):
    for query, expected in [("动量", "optimizers"), ("Adam", "optimizers")]:
        page, errors = open_page(browser, f"{server}/zh/search.html?q={query}")
        page.wait_for_selector("#search-results li", timeout=20_000)
        results = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
        assert any(f"/zh/chapters/{expected}" in href for href in results), (query, results)
        assert not errors, errors
        page.close()


def test_the_language_switch_goes_to_the_same_page_both_ways(server, browser):
    page, errors = open_page(browser, f"{server}/chapters/optimizers.html")
    page.locator("p.language-switch a").click()
    page.wait_for_url("**/zh/chapters/optimizers.html", timeout=20_000)
    assert page.locator("p.language-switch a").inner_text() == "English"
    page.locator("p.language-switch a").click()
    page.wait_for_url(f"{server}/chapters/optimizers.html", timeout=20_000)
    assert page.locator("p.language-switch a").inner_text() == "中文"
    assert not errors, errors
    page.close()


# Tofu: without a font for them, Chinese characters are drawn as identical empty
# boxes. Two different characters drawn in the page's own font must differ.
GLYPHS_DIFFER = """() => {
    const font = getComputedStyle(document.querySelector('article p')).fontFamily;
    const draw = (text) => {
        const canvas = document.createElement('canvas');
        canvas.width = 64; canvas.height = 64;
        const context = canvas.getContext('2d');
        context.font = `48px ${font}`;
        context.fillText(text, 4, 52);
        return Array.from(context.getImageData(0, 0, 64, 64).data).join(',');
    };
    return draw('动') !== draw('量') && draw('量') !== draw('\\u{10FFFD}');
}"""


def test_chinese_text_is_drawn_with_a_chinese_font(server, browser):
    page, _ = open_page(browser, f"{server}/zh/chapters/optimizers.html")
    assert page.evaluate(GLYPHS_DIFFER), "Chinese characters are drawn as empty boxes (no CJK font)"
    page.close()
