"""The built site (``make book`` -> _build/html): complete, self-contained, leak-free, and alive
in a real headless Chromium (Debian's package, driven by Playwright; no browser is downloaded)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, chromium_path, toc_files
from leaks import secret_lines

from coursekit import masters, paths

pytestmark = [pytest.mark.slow]

SITE = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("no built site: run `make book` first (`make test` does it)")
    return SITE


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def test_every_toc_page_was_built(site):
    for f in toc_files():
        assert (site / f"{f}.html").exists(), f"{f} is in _toc.yml but was not built"


def test_exercise_pages_show_the_student_version_unexecuted(site):
    for a in masters.assignments(paths.current()):
        html = (site / "chapters" / "exercises" / f"{a}.html").read_text()
        assert "NotImplementedError" in html
        assert 'class="cell_output' not in html, "an exercise page was executed"
        assert re.search(rf'href="[^"]*{re.escape(a)}\.ipynb"', html), "no download link for the notebook"


def _lessons() -> dict[Path, str]:
    return {p: p.read_text() for p in sorted((ROOT / "chapters").rglob("*.md"))}


@pytest.mark.parametrize("a", masters.assignments(paths.current()))
def test_site_leaks_no_solution_or_hidden_test(a, site):
    lesson_text = "\n".join(_lessons().values())
    # A line that a lesson teaches in the open (say `for i in range(len(a)):`) is public by design;
    # test_lessons_do_not_paste_a_solution makes sure no lesson holds a solution as a whole.
    secrets = [s for s in secret_lines(ROOT / "autograder" / "source" / a / f"{a}.md") if s not in lesson_text]
    assert secrets
    for f in site.rglob("*"):
        if f.is_file() and f.suffix in {".html", ".ipynb", ".md", ".txt", ".js", ".json"} and "mathjax" not in f.parts:
            text = f.read_text(errors="replace")
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"{f.relative_to(site)} contains {leaked[:2]}"


@pytest.mark.parametrize("a", masters.assignments(paths.current()))
def test_lessons_do_not_paste_a_solution(a):
    """No lesson holds three consecutive distinctive lines of a solution or hidden-test block."""
    import re as _re
    text = (ROOT / "autograder" / "source" / a / f"{a}.md").read_text()
    blocks = _re.findall(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)\n[ \t]*### END", text, _re.S)
    for path, lesson in _lessons().items():
        lines = set(l.strip() for l in lesson.splitlines())
        for block in blocks:
            run = 0
            for line in (l.strip() for l in block.splitlines()):
                if len(line) < 16 or line.startswith("#"):
                    continue
                run = run + 1 if line in lines else 0
                assert run < 3, f"{path.relative_to(ROOT)} repeats a solution of {a} around: {line}"


def test_pages_reference_no_other_host_for_scripts_styles_or_fonts(site):
    for page in pages(site):
        text = page.read_text()
        for m in re.finditer(r'<(script|link|img|iframe)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', text, re.I):
            tag, url = m.groups()
            if tag.lower() == "link" and re.search(r'rel="(canonical|alternate)"', m.group(0)):
                continue
            pytest.fail(f"{page.relative_to(site)} loads {url} from another host")
        assert "font-awesome" not in text and "maxcdn" not in text, page


def test_site_root_has_a_favicon(site):
    """Browsers ask for /favicon.ico on pages that name no icon (the root redirect): it must exist."""
    from PIL import Image

    with Image.open(site / "favicon.ico") as icon:
        assert icon.format == "ICO"
        assert icon.size == (32, 32)


def test_mathjax_is_vendored(site):
    mathjax = site / "_static" / "mathjax"
    for part in ("startup.js", "core.js", "input/tex.js", "output/chtml.js", "output/chtml/fonts/tex.js",
                 "a11y/assistive-mml.js"):
        assert (mathjax / part).is_file(), part
    assert (mathjax / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
    # only the components the pages load (every page's requests are checked in Chromium below, and
    # test_site_weight names what must not come back): not the combined tex-chtml.js with its menu, not
    # the menu's explorer and speech-rule engine, not the SVG output nor the MathML input
    for gone in ("tex-chtml.js", "tex-svg.js", "ui", "sre", "output/svg", "input/mml.js"):
        assert not (mathjax / gone).exists(), gone
    size = sum(f.stat().st_size for f in mathjax.rglob("*") if f.is_file())
    assert size < 2_000_000, f"the vendored MathJax is {size / 1e6:.1f} MB"
    page = (site / "chapters" / "01-continuous" / "rolling-up.html").read_text()
    assert "mathjax/startup.js" in page and '"load": ["input/tex", "output/chtml", "a11y/assistive-mml"]' in page


# ----------------------------------------------------------------------------- browser

@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    exe = chromium_path()
    if exe is None:
        pytest.skip("BROWSER TESTS SKIPPED: chromium is not installed (`apt-get install chromium`)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def _visit(browser, url):
    """Load a page; return it with the requests, failures and console errors it caused."""
    page = browser.new_page()
    log = {"requests": [], "failed": [], "console": [], "pageerrors": [], "status": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("response", lambda r: log["status"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: log["failed"].append(f"{r.url} ({r.failure})"))
    page.on("console", lambda m: log["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["pageerrors"].append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, log


def _typeset(page, rel: str, timeout_ms: float = 20000) -> bool:
    """Wait until MathJax has typeset the page ``rel``, if it has math; return whether it has.

    The timeout is only a backstop for a page whose MathJax never starts.
    """
    if "math notranslate" not in (SITE / rel).read_text():
        return False
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=timeout_ms)
    page.evaluate("MathJax.startup.promise")
    page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=timeout_ms)
    return True


def _page_ids():
    return [str(p.relative_to(SITE)) for p in pages(SITE)] if SITE.exists() else []


@pytest.mark.browser
@pytest.mark.parametrize("rel", _page_ids())
def test_page_loads_clean_in_chromium(rel, browser, served):
    page, log = _visit(browser, f"{served}/{rel}")
    try:
        html = page.content()
        if _typeset(page, rel):
            assert page.locator("mjx-merror").count() == 0, "MathJax reported a TeX error"
            html = page.content()
        foreign = [u for u in log["requests"] if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")]
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not log["failed"], f"failed requests: {log['failed']}"
        assert not log["status"], f"error responses: {log['status']}"
        assert not log["console"], f"console errors: {log['console']}"
        assert not log["pageerrors"], f"page errors: {log['pageerrors']}"
        assert "<title>" in html
    finally:
        page.close()


# Play answers the click itself: the click's handler shows the next frame before it returns (no timer
# involved, so this holds on a loaded machine too); then the timer keeps the frames coming.
_CLICK_PLAY_JS = """(id) => {
    const slider = document.getElementById('_anim_slider' + id), before = slider.value;
    document.querySelector(`button[onclick*='anim${id}.play_animation']`).click();
    return [before, slider.value];
}"""
_INTERVAL_RE = re.compile(r"new Animation\(frames, img_id, slider_id, ([0-9.]+),")


def _animated_pages():
    return [r for r in _page_ids() if "_anim_slider" in (SITE / r).read_text()]


@pytest.mark.parametrize("rel", _animated_pages())
def test_animation_intervals_are_at_most_500_ms(rel):
    intervals = [float(v) for v in _INTERVAL_RE.findall((SITE / rel).read_text())]
    assert intervals, "no animation found"
    assert max(intervals) <= 500, f"frame intervals {intervals} ms"


@pytest.mark.browser
@pytest.mark.parametrize("rel", _animated_pages())
def test_animations_play(rel, browser, served):
    page, log = _visit(browser, f"{served}/{rel}")
    try:
        sliders = page.locator("input[id^='_anim_slider']")
        assert sliders.count() >= 1
        for i in range(sliders.count()):
            slider = sliders.nth(i)
            slider.scroll_into_view_if_needed()
            anim_id = slider.get_attribute("id").removeprefix("_anim_slider")
            before, after = page.evaluate(_CLICK_PLAY_JS, anim_id)
            assert after != before, f"animation {i}: Play did not show the next frame at once"
            # and the animation goes on by itself (the timeout only stops a dead player)
            page.wait_for_function(f"document.getElementById('_anim_slider{anim_id}').value !== '{after}'",
                                   timeout=60000)
            page.locator(f"button[onclick*='anim{anim_id}.pause_animation']").click()
            img_src = page.locator(f"#_anim_img{anim_id}").get_attribute("src")
            assert img_src and img_src.startswith("data:image/"), "the frame is not an embedded image"
        assert not log["console"] and not log["pageerrors"], log
    finally:
        page.close()
