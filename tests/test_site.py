"""The provenance site (`python build.py site`): deterministic, self-contained, every evidence row
highlighted once on its article page, a page for every record; and, in a real browser, highlights
that open the record quoting them, keyboard use, no console errors, a phone-width layout."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow.parquet as pq
import pytest

from provenance_site import SiteError, build
from provenance_site.segments import Segment, Span, Wrapper, flat_text, layout, walk
from schema.table import TableKind
from schema.tables import TABLES

from .conftest import ROOT, run_build_process, tree_bytes

pytestmark = pytest.mark.xdist_group("site")  # its module-scoped fixtures are built once: every test of the module on one xdist worker

PACKAGE = ROOT / "datapackage"
SCREENSHOTS_ENV = "SITE_SCREENSHOTS"  # set to docs/screenshots to refresh the committed pictures
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def rows(table: str) -> list[dict]:
    return pq.read_table(PACKAGE / "parquet" / f"{table}.parquet").to_pylist()


def evidence_rows() -> list[dict]:
    return rows("evidence")


def record_pages() -> list[str]:
    """Every page a record of a record table must have, whatever tables are declared."""
    pages = []
    for name, table in TABLES.items():
        if table.kind == TableKind.RECORD:
            (key,) = table.primary_key
            pages += [f"records/{name}/{row[key]}.html" for row in rows(name)]
    return pages


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build(PACKAGE, out)
    return out


class Page(HTMLParser):
    """Links, ids, evidence elements and highlight segments of one HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.evidence_ids: list[str] = []  # data-evidence-id, one per element
        self.segments: list[tuple[list[str], str]] = []  # (data-evidence-ids, text) per <mark class="seg">
        self.noclaim = 0
        self.lang = None
        self._segment: tuple[list[str], list[str]] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append(attributes[name])
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "data-evidence-id" in attributes:
            self.evidence_ids.append(attributes["data-evidence-id"])
        if tag == "mark" and "seg" in (attributes.get("class") or "").split():
            self._segment = (attributes["data-evidence-ids"].split(), [])
        if "noclaim" in (attributes.get("class") or "").split():
            self.noclaim += 1

    def handle_endtag(self, tag):
        if tag == "mark" and self._segment is not None:
            self.segments.append((self._segment[0], "".join(self._segment[1])))
            self._segment = None

    def handle_data(self, data):
        if self._segment is not None:
            self._segment[1].append(data)


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


# --- without a browser -------------------------------------------------------------------------


def test_two_builds_are_byte_identical_and_a_rebuild_replaces_the_site(tmp_path, site):
    second = tmp_path / "second"
    build(PACKAGE, second)
    assert tree_bytes(second) == tree_bytes(site)
    (second / "index.html").write_text("an older build", encoding="utf-8")
    (second / "index.html").unlink()  # a page the manifest lists may be missing: the folder is still the site's
    build(PACKAGE, second)
    assert tree_bytes(second) == tree_bytes(site)
    assert not [p for p in tmp_path.iterdir() if p.name != "second"], "the staging folder or journal was left behind"


def test_the_command_writes_site_in_the_checkout_by_default_the_same_from_another_process(project, site):
    """A separate process (another hash seed) writes the same bytes: no order comes from a set."""
    code, out, err = run_build_process(project, "site")
    assert code == 0, err
    expected = 1 + len(rows("articles")) + len(record_pages()) + 3  # index, articles, records, comparisons, timeline, map
    assert f"Wrote {expected} pages to {(project / 'site').resolve()}/" in out
    assert tree_bytes(project / "site") == tree_bytes(site)


def test_the_command_refuses_to_replace_a_folder_it_did_not_write(tmp_path, run_build):
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    code, _, err = run_build(ROOT, "site", str(tmp_path))
    assert code == 1
    assert "is not a site written by `build.py site`" in err
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(SiteError, match="run `python build.py build` first"):
        build(tmp_path / "no-package", tmp_path / "out")


def test_every_internal_link_resolves_to_a_file_and_an_element(site):
    pages = {path: parse(path) for path in site.rglob("*.html")}
    assert len(pages) == 1 + len(rows("articles")) + len(record_pages()) + 3  # and comparisons, timeline, map
    broken = []
    for path, page in pages.items():
        assert page.lang == "en", path
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "data"):
                assert parts.scheme != "data" or link == "data:,", f"{path}: inline resource {link}"
                continue
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), f"{path}: not relative: {link}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{path.relative_to(site)}: {link}")
            elif parts.fragment and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{path.relative_to(site)}: {link} (no element with that id)")
    assert not broken, "\n".join(broken[:20])
    assert sorted(p.name for p in (site / "static").iterdir()) == ["site.css", "site.js"]


def test_every_evidence_row_is_one_highlight_element_on_its_article_page(site):
    pages = {a["article_id"]: parse(site / "articles" / f"{a['article_id']}.html") for a in rows("articles")}
    for article_id, page in pages.items():
        own = [e for e in evidence_rows() if e["article_id"] == article_id]
        assert Counter(page.evidence_ids) == Counter(e["evidence_id"] for e in own), article_id
        # the segments that list an evidence row, in order, spell its quote exactly
        spelled = defaultdict(str)
        for ids, text in page.segments:
            for evidence_id in ids:
                spelled[evidence_id] += text
        assert {e["evidence_id"]: e["quote"] for e in own} == dict(spelled)
        assert all(ids for ids, _ in page.segments)


def test_every_record_of_every_record_table_has_a_page_quoting_its_evidence(site):
    evidence = defaultdict(list)
    for row in evidence_rows():
        evidence[f"records/{row['record_table']}/{row['record_id']}.html"].append(row["evidence_id"])
    pages = record_pages()
    assert len(pages) == sum(len(rows(n)) for n, t in TABLES.items() if t.kind == TableKind.RECORD) > 0
    for page_path in pages:
        page = parse(site / page_path)
        assert {f"ev-{e}" for e in evidence[page_path]} <= page.ids, page_path
    assert set(evidence) <= set(pages)


def test_sentences_no_claim_quotes_are_marked(site):
    claims = {name for name, table in TABLES.items() if table.accounts_for_sentences}
    from pipeline.check.coverage import split_sentences

    for article in rows("articles"):
        expected = 0
        for line in rows("source_lines"):
            if line["article_id"] != article["article_id"]:
                continue
            spans = [(e["char_start"], e["char_end"]) for e in evidence_rows()
                     if (e["article_id"], e["line"]) == (line["article_id"], line["line"]) and e["record_table"] in claims]
            expected += sum(not any(s < end and e > start for s, e in spans) for start, end in split_sentences(line["text"]))
        page = parse(site / "articles" / f"{article['article_id']}.html")
        assert page.noclaim == expected
    kyodo = (site / "articles" / "kyodo-summit-report.html").read_text(encoding="utf-8")
    assert '<p class="flag">no claim</p>' in kyodo  # "Copyright kyodonews" states no claim


def test_the_map_draws_land_inside_its_frame_and_a_marker_per_place_with_coordinates(site):
    text = (site / "map.html").read_text(encoding="utf-8")
    panels = re.findall(r'<svg viewBox="0 0 ([0-9.]+) ([0-9.]+)".*?<path class="land" d="([^"]+)"(.*?)</svg>', text, re.S)
    assert panels
    for width, height, path, markers in panels:
        points = [tuple(map(float, pair.split(","))) for pair in re.findall(r"-?[0-9.]+,-?[0-9.]+", path)]
        assert len(points) > 10 and all(0 <= x <= float(width) and 0 <= y <= float(height) for x, y in points)
        for x, y in re.findall(r'<circle cx="([0-9.-]+)" cy="([0-9.-]+)"', markers):
            assert 0 <= float(x) <= float(width) and 0 <= float(y) <= float(height)
        assert "http" not in path + markers  # nothing fetched: no tile, no outside link
    placed = sorted(row["location_id"] for row in rows("locations") if row["latitude"] is not None)
    assert sorted(re.findall(r'class="marker" href="records/locations/([a-z0-9-]+)\.html"', text)) == placed


def test_overlapping_crossing_and_equal_spans_each_get_one_element():
    text = "Prime Minister Sanae Takaichi met Trump."
    spans = [Span("outer", 0, 29), Span("name", 15, 29), Span("same-name", 15, 29, rank=(1,)),
             Span("cross", 21, 39), Span("title", 0, 14), Span("tail", 34, 40)]
    nodes = layout(text, 0, len(text), spans)
    assert flat_text(nodes) == text
    wrappers = [n for n in walk(nodes) if isinstance(n, Wrapper)]
    assert sorted(w.evidence_id for w in wrappers) == sorted(s.evidence_id for s in spans)
    cross = next(w for w in wrappers if w.evidence_id == "cross")
    assert cross.clipped and cross.end == 29  # cut where the enclosing span ends
    segments = [n for n in walk(nodes) if isinstance(n, Segment)]
    for span in spans:
        assert "".join(s.text for s in segments if span.evidence_id in s.evidence_ids) == text[span.start:span.end]
    # equal spans nest, the more specific (smaller rank) inside; a segment lists the most specific first
    name = next(w for w in wrappers if w.evidence_id == "same-name")
    assert name.children[0].evidence_id == "name"
    assert next(s for s in segments if s.text == "Sanae ").evidence_ids[:2] == ("name", "same-name")


# --- in a real browser ---------------------------------------------------------------------------

needs_browser = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                   reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian packages chromium, chromium-driver)")


class Browser:
    """Headless Chromium on file:// pages; every page load is checked for console errors."""

    def __init__(self, site: Path):
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service

        self.site = site
        self.profile = tempfile.mkdtemp(prefix="site-test-chromium-")
        options = Options()
        options.binary_location = str(CHROMIUM)
        for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--hide-scrollbars", f"--user-data-dir={self.profile}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.size(1280, 900)

    def size(self, width: int, height: int) -> None:
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def url(self, page: str) -> str:
        return (self.site / page).as_uri()

    def get(self, page: str) -> None:
        self.driver.get(self.url(page))
        self.no_console_errors()

    def no_console_errors(self) -> None:
        severe = [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not severe, severe

    def page(self) -> str:
        """The current page, relative to the site."""
        return Path(unquote(urlsplit(self.driver.current_url).path)).relative_to(self.site.resolve()).as_posix()

    def quit(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(site):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER}")
    if importlib.util.find_spec("selenium") is None:
        pytest.skip('needs selenium: pip install -e ".[browser]"')
    session = Browser(site)
    yield session
    session.quit()


def wait_for_page(browser: Browser, previous: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser.driver, 10).until(lambda d: d.current_url != previous and d.execute_script("return document.readyState") == "complete")
    browser.no_console_errors()


@needs_browser
def test_browser_every_evidence_row_is_one_visible_highlight(browser):
    for article in rows("articles"):
        browser.get(f"articles/{article['article_id']}.html")
        found = browser.driver.execute_script("""
            const counts = {};
            for (const el of document.querySelectorAll('[data-evidence-id]')) {
              const id = el.getAttribute('data-evidence-id');
              const visible = el.getClientRects().length > 0 && el.querySelector('mark.seg') !== null;
              counts[id] = (counts[id] || 0) + (visible ? 1 : 1000);
            }
            return counts;""")
        expected = {e["evidence_id"]: 1 for e in evidence_rows() if e["article_id"] == article["article_id"]}
        assert found == expected


@needs_browser
def test_browser_clicking_a_highlight_opens_a_record_page_that_quotes_it(browser):
    from selenium.webdriver.common.by import By

    by_id = {e["evidence_id"]: e for e in evidence_rows()}
    for article in rows("articles"):
        own = [e for e in evidence_rows() if e["article_id"] == article["article_id"]]
        for evidence in own[:: max(1, len(own) // 12)]:
            browser.get(f"articles/{article['article_id']}.html")
            element = browser.driver.find_element(By.CSS_SELECTOR, f'[data-evidence-id="{evidence["evidence_id"]}"]')
            link = element.find_element(By.CSS_SELECTOR, "mark.seg a")
            mark = link.find_element(By.XPATH, "..")
            opened = by_id[mark.get_attribute("data-evidence-ids").split()[0]]  # the most specific span here
            assert evidence["evidence_id"] in mark.get_attribute("data-evidence-ids").split()
            segment_text = browser.driver.execute_script("return arguments[0].textContent", link)
            browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
            previous = browser.driver.current_url
            link.click()
            wait_for_page(browser, previous)
            assert browser.page() == f"records/{opened['record_table']}/{opened['record_id']}.html"
            quote = browser.driver.find_element(By.ID, f"ev-{opened['evidence_id']}")
            marked = quote.find_element(By.CSS_SELECTOR, "blockquote mark").get_attribute("textContent")
            assert marked == opened["quote"] and segment_text in marked


@needs_browser
def test_browser_keyboard_tab_to_a_highlight_shows_its_records_and_enter_opens_one(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get("articles/unattributed-preview.html")
    body = browser.driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(60):
        active = browser.driver.switch_to.active_element
        if browser.driver.execute_script("return arguments[0].matches('mark.seg a')", active):
            break
        active.send_keys(Keys.TAB)
    else:
        pytest.fail("no highlight is reachable with Tab")
    tip = browser.driver.find_element(By.ID, "tip")
    assert tip.is_displayed()
    ids = active.find_element(By.XPATH, "..").get_attribute("data-evidence-ids").split()
    first = next(e for e in evidence_rows() if e["evidence_id"] == ids[0])
    label_start = tip.find_element(By.CSS_SELECTOR, "li.first .tip-label").text
    assert label_start and label_start[:15] in browser.driver.execute_script(
        "return JSON.parse(document.getElementById('page-data').textContent).records[arguments[0]].label",
        f"{first['record_table']}/{first['record_id']}")
    assert active.get_attribute("aria-describedby") == "tip"
    previous = browser.driver.current_url
    active.send_keys(Keys.ENTER)
    wait_for_page(browser, previous)
    assert browser.page() == f"records/{first['record_table']}/{first['record_id']}.html"


@needs_browser
def test_browser_hover_names_every_record_and_field_a_segment_supports(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.get("articles/kyodo-summit-report.html")
    mark = browser.driver.find_elements(By.CSS_SELECTOR, "#s-3-5 mark.seg.d4")[0]
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    ActionChains(browser.driver).move_to_element(mark).perform()
    tip = browser.driver.find_element(By.ID, "tip")
    assert tip.is_displayed()
    supported = {(e["record_table"], e["record_id"], e["field"]) for e in evidence_rows()
                 if e["evidence_id"] in mark.get_attribute("data-evidence-ids").split()}
    assert len(tip.find_elements(By.CSS_SELECTOR, "li")) == len(supported) > 1
    assert all(field in tip.text for _, _, field in supported if field)
    ActionChains(browser.driver).move_to_element(browser.driver.find_element(By.TAG_NAME, "h1")).perform()
    assert not tip.is_displayed()


@needs_browser
def test_browser_index_filter_and_timeline_bars(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get("index.html")
    box = browser.driver.find_element(By.ID, "filter")
    assert box.is_displayed()
    visible = """return Array.from(document.querySelectorAll('.record-list li'))
                   .filter(li => li.getClientRects().length > 0).map(li => li.getAttribute('data-filter'))"""
    total = len(browser.driver.execute_script(visible))
    assert total == len(record_pages())
    box.send_keys("takaichi")
    shown = browser.driver.execute_script(visible)
    assert 0 < len(shown) < total
    assert all("takaichi" in text for text in shown)
    assert "records match" in browser.driver.find_element(By.ID, "filter-count").text

    browser.get("timeline.html")
    bars = browser.driver.find_elements(By.CSS_SELECTOR, "a.bar")
    dated = [m for m in rows("meetings") if m["start_date"]]
    assert len(bars) == len(dated)
    wide = {m["meeting_id"]: m for m in dated if m["start_date_precision"] == "month"}
    for bar in bars:
        assert bar.size["width"] >= 8 and bar.size["height"] > 0
        assert bar.get_attribute("href").split("/records/meetings/")[1].removesuffix(".html") in {m["meeting_id"] for m in dated}
    for meeting_id in wide:  # a month-precise date spans the detail panel's month
        bar = browser.driver.find_element(By.CSS_SELECTOR, f'#m-{meeting_id} a.bar')
        track = bar.find_element(By.XPATH, "..")
        assert bar.size["width"] > track.size["width"] * 0.8
    browser.driver.execute_script("arguments[0].focus()", bars[0])
    assert browser.driver.switch_to.active_element == bars[0]
    previous = browser.driver.current_url
    bars[0].send_keys(Keys.ENTER)
    wait_for_page(browser, previous)
    assert browser.page().startswith("records/meetings/")


@needs_browser
def test_browser_map_shows_one_marker_per_place_with_coordinates(browser):
    """One marker per place the data give coordinates for, east of each other and north of each other as their
    longitudes and latitudes say, each opening its record."""
    from selenium.webdriver.common.by import By

    browser.get("map.html")
    placed = {row["location_id"]: row for row in rows("locations") if row["latitude"] is not None}
    markers = browser.driver.find_elements(By.CSS_SELECTOR, "svg a.marker")
    assert placed and len(markers) == len(placed)
    shown, panel = {}, {}
    for marker in markers:
        table, record_id = marker.get_attribute("data-record").split("/")
        assert table == "locations" and record_id in placed
        circle = marker.find_element(By.TAG_NAME, "circle")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", circle)
        assert circle.is_displayed() and circle.size["width"] > 0
        shown[record_id] = (circle.rect["x"], circle.rect["y"])
        panel[record_id] = marker.find_element(By.XPATH, "ancestor::*[local-name()='svg']").id
    assert shown.keys() == placed.keys()
    for a in placed:
        for b in placed:
            if panel[a] != panel[b]:
                continue  # far-apart places are drawn in panels of their own
            if placed[a]["longitude"] < placed[b]["longitude"] - 0.1:
                assert shown[a][0] < shown[b][0], f"{a} is west of {b} but drawn east of it"
            if placed[a]["latitude"] < placed[b]["latitude"] - 0.1:
                assert shown[a][1] > shown[b][1], f"{a} is south of {b} but drawn north of it"
    assert all(land.size["width"] > 100 for land in browser.driver.find_elements(By.CSS_SELECTOR, "svg path.land"))
    record_id = sorted(placed)[0]
    previous = browser.driver.current_url
    circle = browser.driver.find_element(By.CSS_SELECTOR, f'a.marker[data-record="locations/{record_id}"] circle')
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", circle)
    circle.click()
    wait_for_page(browser, previous)
    assert browser.page() == f"records/locations/{record_id}.html"


def scroll_to(browser: Browser, element_id: str, margin: int) -> None:
    browser.driver.execute_script(
        "const e = document.getElementById(arguments[0]); window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - arguments[1])",
        element_id, margin)


PAGES = {
    "index": "index.html",
    "article": "articles/kyodo-summit-report.html",
    "record": "records/meetings/takaichi-trump-tokyo-talks.html",
    "comparison": "comparisons.html",
    "timeline": "timeline.html",
    "map": "map.html",
}


@needs_browser
def test_browser_pages_fit_a_phone_screen(browser):
    browser.size(375, 800)
    try:
        for page in PAGES.values():
            browser.get(page)
            width, inner = browser.driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width <= inner, f"{page} scrolls sideways at 375px ({width} > {inner})"
    finally:
        browser.size(1280, 900)


@needs_browser
def test_browser_screenshots_of_each_page_type(browser, tmp_path):
    """A screenshot of each kind of page, at 1280x900, into a temporary folder, or into the folder that
    SITE_SCREENSHOTS names (`SITE_SCREENSHOTS=docs/screenshots pytest tests/test_site.py` refreshes the
    committed pictures)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    SCREENSHOTS = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in PAGES.items():
        browser.get(page)
        if name == "article":  # the one long line, with the tooltip of a highlight in its second sentence
            scroll_to(browser, "line-3", 8)
            mark = browser.driver.find_element(By.ID, "s-3-2").find_elements(By.CSS_SELECTOR, "mark.seg a")[1]
            ActionChains(browser.driver).move_to_element(mark).perform()
        if name == "record":  # the fields with quotes, dates with their precision and basis, citations
            scroll_to(browser, "f-location_id", 10)
        if name == "comparison":  # the first comparison: both readings and the assessment
            scroll_to(browser, browser.driver.find_element(By.CSS_SELECTOR, "article.comparison").get_attribute("id"), 10)
        assert browser.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
