"""index.html in a real browser: headless Chromium (Debian's chromium, from scripts/setup)
loads the page `mpyforge publish` wrote from `mpyforge serve`.

The page is published without --base-url, so its script must fill in its own address in
every command. Screenshots (desktop and 390 px phone width) are kept under test-artifacts/
for people to look at; the phone layout is measured in the browser, not judged by eye."""

import json
import shutil
import struct
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import REPO
from publish_support import IndexServer, client_env, publish_example

ARTIFACTS = REPO / "test-artifacts"
PHONE_WIDTH = 390
PHONE_HEIGHT = 844

# Loads index.html in a phone-sized frame of the same origin and reports what sticks out.
LAYOUT_PROBE = """<!doctype html>
<html><body style="margin:0">
<iframe id="page" src="index.html" style="width:%(width)dpx;height:%(height)dpx;border:0"></iframe>
<pre id="report">pending</pre>
<script>
document.getElementById("page").addEventListener("load", () => {
  const doc = document.getElementById("page").contentDocument;
  const root = doc.documentElement;
  const width = root.clientWidth;
  const wide = [...doc.body.querySelectorAll("*")]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName + ": " + e.textContent.slice(0, 60));
  const viewport = doc.querySelector('meta[name="viewport"]');
  document.getElementById("report").textContent = JSON.stringify({
    clientWidth: width, scrollWidth: root.scrollWidth, wide: wide,
    viewport: viewport ? viewport.content : null,
    cards: doc.querySelectorAll("#builds tr[data-build]").length,
    cardDisplay: getComputedStyle(doc.querySelector("#builds tr[data-build]")).display,
  });
});
</script>
</body></html>
""" % {"width": PHONE_WIDTH, "height": PHONE_HEIGHT}


def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed for this test: run ./scripts/setup (Debian package chromium)"
    return found


def browse(url, tmp_path, *args):
    """One headless Chromium run with a throwaway profile; returns its standard output."""
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-proxy-server", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=5000", *args, url],
        capture_output=True, text=True, timeout=60, env=client_env(tmp_path / "browser-home"),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


class CodeAndRows(HTMLParser):
    """The text of every <code> and <pre> element and the data-build of every row of table#builds."""

    def __init__(self):
        super().__init__()
        self.codes, self.builds, self.ids = [], [], set()
        self._depth = 0
        self._table = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "table":
            self._table = attrs.get("id")
        if tag == "tr" and self._table == "builds" and "data-build" in attrs:
            self.builds.append(attrs["data-build"])
        if tag in ("code", "pre"):
            if self._depth == 0:
                self.codes.append("")
            self._depth += 1

    def handle_endtag(self, tag):
        if tag in ("code", "pre") and self._depth:
            self._depth -= 1
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._depth:
            self.codes[-1] += data


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = publish_example(tmp_path_factory.mktemp("page"), [("x64", "6.3"), ("armv6m", "6.3")])
    (site / "layout-probe.html").write_text(LAYOUT_PROBE)
    return site


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    with IndexServer(site, tmp_path_factory.mktemp("page-serve") / "serve.log") as running:
        yield running


def test_page_shows_the_board_table_with_its_own_address_filled_in(server, tmp_path):
    dom = browse(server.url + "/", tmp_path, "--dump-dom")
    page = CodeAndRows()
    page.feed(dom)
    assert page.builds == ["x64_6.3", "armv6m_6.3"], page.builds
    assert "BASE_URL" not in dom, "the page's script did not fill in its address"
    url = server.url
    for command in (
        f"mpremote mip install --index {url}/x64_6.3 mpyforge_example",
        f'import mip; mip.install("mpyforge_example", index="{url}/armv6m_6.3")',
        f"mpyforge install mpyforge_example --index {url}",
        f"mpremote mip install {url}/<build>/mpyforge_example.mpy",
    ):
        assert command in page.codes, (command, page.codes)
    assert any(f'mpyforge_install.install("mpyforge_example", base="{url}")' in code for code in page.codes), page.codes
    assert "wrong-level" in page.ids and "unpublished" in page.ids
    assert '"GET / HTTP/1.1" 200' in server.log()


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_screenshots_at_desktop_and_phone_width_are_kept(server, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {"index-page-desktop.png": (1280, 1100), "index-page-phone.png": (PHONE_WIDTH, 1600)}
    for name, (width, height) in shots.items():
        target = ARTIFACTS / name
        target.unlink(missing_ok=True)
        browse(server.url + "/", tmp_path, f"--window-size={width},{height}", f"--screenshot={target}")
        assert png_size(target) == (width, height)
        assert target.stat().st_size > 20_000, f"{target} looks blank"


def test_page_fits_a_phone_without_sideways_scrolling(server, tmp_path):
    dom = browse(server.url + "/layout-probe.html", tmp_path, "--dump-dom")
    start, end = dom.index('<pre id="report">') + len('<pre id="report">'), dom.index("</pre>")
    text = dom[start:end].replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert text != "pending", "the probe page never measured index.html"
    report = json.loads(text)
    assert report["viewport"] == "width=device-width, initial-scale=1"
    assert report["clientWidth"] == PHONE_WIDTH
    assert report["scrollWidth"] <= PHONE_WIDTH and report["wide"] == [], report
    assert report["cards"] == 2 and report["cardDisplay"] == "block", report
