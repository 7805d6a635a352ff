"""The report page in a real browser: headless Chromium (the Debian package) loads
``reports/index.html`` from disk; the DOM must hold the funnel chart and the counts."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .conftest import BuiltReports

pytestmark = pytest.mark.slow


_VOID = {"meta", "link", "br", "hr", "img", "input", "rect", "path", "line", "circle"}


@dataclass
class Node:
    """A DOM element as the browser serialised it (the stdlib parser builds these)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find(self, tag: str | None = None, **attrs: str) -> Node | None:
        return next(iter(self.find_all(tag, **attrs)), None)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        attrs = {("class" if k == "class_" else k): v for k, v in attrs.items()}
        return [
            n for n in self.iter()
            if n is not self and (tag is None or n.tag == tag)
            and all(v in n.attrs.get(k, "").split() if k == "class" else n.attrs.get(k) == v
                    for k, v in attrs.items())
        ]

    def get_text(self, sep: str = "", strip: bool = False) -> str:
        parts = [t.strip() if strip else t for n in self.iter() for t in n.text]
        return sep.join(p for p in parts if p or not strip)


class _DomBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse_dom(html: str) -> Node:
    builder = _DomBuilder()
    builder.feed(html)
    return builder.root


@pytest.fixture(scope="module")
def chromium() -> str:
    """The browser, looked up before the report build: no build when the test must skip."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip(
        "no Chromium on this machine: install the Debian package (apt-get install -y chromium; "
        ".ci/run does this) to run the browser test"
    )


def _browser(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-dev-shm-usage", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_index_page_renders_in_chromium(chromium: str, built: BuiltReports, tmp_path: Path) -> None:
    index = Path(built.result.index_uri)
    url = index.resolve().as_uri()
    dom = _browser(chromium, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = parse_dom(dom.stdout)

    chart = page.find("svg", id="funnel-chart")
    assert chart is not None
    stages = chart.find_all("g", class_="funnel-stage")
    funnel = built.result.funnel
    assert [g["data-stage"] for g in stages] == [s.stage for s in funnel]
    t = built.tables
    assert int(stages[0]["data-videos"]) == len(t["videos"])
    assert int(stages[-1]["data-rows"]) == len(t["therapeutic_pairs"])
    widths = [float(g.find("rect")["width"]) for g in stages]
    assert widths[0] > widths[-1] > 0

    def text(element_id: str) -> str:
        return page.find(id=element_id).get_text(strip=True)

    assert text("count-videos") == str(len(t["video_sources"]))
    assert text("count-pairs") == str(len(t["therapeutic_pairs"]))
    assert text("count-failures") == str(len(t["pipeline_failures"]))
    kept = t["dataset_pairs"][t["dataset_pairs"]["kept"]].groupby("split").size()
    for split, n in kept.items():
        row = page.find("tr", **{"data-split": split})
        assert row is not None and row.find_all("td")[1].get_text(strip=True) == str(n)
    reasons = page.find(id="rejection-reasons").get_text(" ", strip=True)
    assert "min_dnsmos_ovrl" in reasons and "min_confidence" in reasons

    # Every link points at a file that exists next to the page.
    links = [a["href"] for a in page.find(id="report-links").find_all("a")]
    assert {"quality/utterance_features.html", "quality/exchange_scores.html",
            "quality/therapeutic_pairs.html", "dbt_docs/index.html"} <= set(links)
    for href in links:
        assert (index.parent / href).stat().st_size > 1000, href

    shot = tmp_path / "index.png"
    taken = _browser(chromium, f"--screenshot={shot}", "--window-size=1100,2200", url)
    assert taken.returncode == 0 and shot.stat().st_size > 10_000, taken.stderr[-2000:]


def test_funnel_png_and_svg_are_well_formed(built: BuiltReports) -> None:
    png = built.result.funnel_png
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    stored = Path(built.result.files["funnel_png"]).read_bytes()
    assert stored == png
    from pixel_assets.reports.funnel import funnel_svg

    svg = ElementTree.fromstring(funnel_svg(built.result.funnel))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}g")) == len(built.result.funnel)
