"""Render every page with Jinja2 and write the site: deterministic, relative links only."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipeline.publish.journal import Change, JournalError, pending, recover
from schema.table import ARTICLE, LINE, TableKind
from schema.tables import TABLES

from . import geo, timeline
from .load import Package, SiteError, load_package
from .manifest import MANIFEST, not_owned, write_manifest
from .model import (
    CLAIMS, COMPARISONS, MEETINGS, READINGS, REFERENCES, RELATIONS,
    Key, Site, date_group_fields, date_text, display, file_name, humanize, shorten,
)
from .segments import Segment, Wrapper, walk

HERE = Path(__file__).resolve().parent
TEMPLATES, STATIC = HERE / "templates", HERE / "static"
LEVELS = (1, 2, 4, 6, 9)  # shading: a segment covered by at least LEVELS[i] spans takes level i + 1


def level(depth: int) -> int:
    """The shade of a segment covered by ``depth`` spans: 1 (lightest) to len(LEVELS)."""
    return sum(depth >= threshold for threshold in LEVELS)


def legend() -> list[tuple[int, str]]:
    """(level, what it means) for each shade."""
    result = []
    for index, low in enumerate(LEVELS):
        high = LEVELS[index + 1] - 1 if index + 1 < len(LEVELS) else None
        text = f"{low} span" if low == high else (f"{low}–{high} spans" if high else f"{low} or more")
        result.append((index + 1, "1 span" if low == 1 and high == 1 else text))
    return result


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["humanize"] = humanize
    env.filters["display"] = display
    env.filters["day"] = date_text
    env.filters["shorten"] = shorten
    env.filters["level"] = level
    env.filters["file_name"] = file_name
    env.globals["legend"] = legend()
    return env


class Pages:
    """Builds each page's context from the site's indexes."""

    def __init__(self, site: Site):
        self.site = site
        self.articles = [a[site.key_column(site.source_table.name)] for a in site.tables[site.source_table.name]]

    # --- shared pieces --------------------------------------------------------------------------

    def ref(self, key: Key) -> dict[str, Any]:
        """A record as a link: its label, table title, and page."""
        return {"table": key[0], "id": key[1], "label": self.site.label(key), "table_title": self.site.title(key[0]),
                "href": self.site.href(key)}

    def date(self, row: dict, prefix: str) -> dict[str, Any] | None:
        if row.get(prefix) is None:
            return None
        return {name: row.get(f"{prefix}{suffix}") for name, suffix in (
            ("value", ""), ("precision", "_precision"), ("earliest", "_earliest"), ("latest", "_latest"),
            ("basis", "_basis"), ("as_written", "_as_written"), ("note", "_note"))}

    def citation(self, citation: dict) -> dict[str, Any]:
        reference = self.site.rows[REFERENCES].get(citation["reference_id"], {})
        return {"field": citation.get("field"), "note": citation.get("note"), "reference": reference,
                "ref": self.ref((REFERENCES, citation["reference_id"]))}

    def fields(self, key: Key) -> tuple[list[dict[str, Any]], list]:
        """Each field (a date as one entry) with its value, link, quotes and citations; and the
        quotes that support the record as a whole."""
        site, table = self.site, TABLES[key[0]]
        row = site.row(key)
        dates = date_group_fields(table)
        key_columns = {column: table_column for table_column, column in table.record_keys}
        citations = site.citations_of.get(key, [])
        quotes_by_field = defaultdict(list)
        for quote in site.quotes(key, any_field=True):
            quotes_by_field[quote.evidence.get("field")].append(quote)
        entries = []
        for name, spec in table.fields.items():
            if name in dates and dates[name] != name:
                continue
            if table.kind == TableKind.RECORD and name in (ARTICLE, LINE):
                continue
            entry: dict[str, Any] = {"name": name, "description": spec.description, "derived": spec.derived,
                                     "value": row.get(name), "link": None, "date": None,
                                     "quotes": quotes_by_field.pop(name, []),
                                     "citations": [self.citation(c) for c in citations if c.get("field") == name]}
            if name in dates:
                entry["date"] = self.date(row, name)
            target = next((fk.table for fk in table.foreign_keys if fk.fields == (name,)), None)
            if target is None and name in key_columns:
                target = row.get(key_columns[name])
            if target is not None and row.get(name) is not None and site.exists((target, row[name])):
                entry["link"] = self.ref((target, row[name]))
            entries.append(entry)
        whole = [q for field_name in list(quotes_by_field) for q in quotes_by_field.pop(field_name)]
        return entries, whole

    # --- pages ----------------------------------------------------------------------------------

    def record(self, key: Key) -> dict[str, Any]:
        site = self.site
        fields, whole = self.fields(key)
        row = site.row(key)
        linked_from = defaultdict(list)
        for source, field_name in site.links_to.get(key, []):
            if source[0] != RELATIONS:
                linked_from[(source[0], field_name)].append(self.ref(source))
        relations = []
        for side, relation in site.relations_of.get(key, []):
            relations.append({
                "side": side,
                "subject": self.ref((relation["subject_table"], relation["subject_id"])),
                "object": self.ref((relation["object_table"], relation["object_id"])),
                "predicate": relation["predicate"],
                "start": self.date(relation, "start_date"), "end": self.date(relation, "end_date"),
                "ref": self.ref((RELATIONS, relation[site.key_column(RELATIONS)])),
            })
        claims = [self.claim(claim_id) for claim_id in site.claims_about.get(key, [])]
        about = [self.ref(subject) for subject in site.subjects_of.get(key[1], [])] if key[0] == CLAIMS else []
        cited_by = []
        if key[0] == REFERENCES:
            cited_by = [{"ref": self.ref((c["record_table"], c["record_id"])), "field": c.get("field"), "note": c.get("note")}
                        for c in site.cited_by.get(key[1], [])]
        see_also = []
        if key[0] == COMPARISONS:
            see_also.append(("The two readings side by side", f"comparisons.html#c-{key[1]}"))
        if key[0] == READINGS:
            see_also.append(("The two readings side by side", f"comparisons.html#c-{row['comparison_id']}"))
        if key[0] == MEETINGS and row.get("start_date_earliest"):
            see_also.append(("On the timeline", f"timeline.html#m-{key[1]}"))
        table = TABLES[key[0]]
        return {
            "root": "../../", "key": key, "table": table, "row": row, "label": site.label(key),
            "fields": fields, "whole": whole,
            "first": {"article": row.get(ARTICLE), "line": row.get(LINE), "label": site.article_label(row[ARTICLE])} if row.get(ARTICLE) else None,
            "links_to": [dict(self.ref((l.table, l.id)), field=l.field) for l in site.links_from(key)],
            "linked_from": [{"table_title": site.title(t), "field": f, "records": refs} for (t, f), refs in linked_from.items()],
            "claims": claims, "about": about, "relations": relations,
            "citations": [self.citation(c) for c in site.citations_of.get(key, [])],
            "cited_by": cited_by, "see_also": see_also,
        }

    def claim(self, claim_id: str) -> dict[str, Any]:
        row = self.site.rows[CLAIMS][claim_id]
        claimant = None
        for column in ("claimant_person_id", "claimant_organization_id"):
            target = next((fk.table for fk in TABLES[CLAIMS].foreign_keys if fk.fields == (column,)), None)
            if row.get(column) and target:
                claimant = self.ref((target, row[column]))
        return {"ref": self.ref((CLAIMS, claim_id)), "statement": row["statement"], "claimant_kind": row["claimant_kind"],
                "claimant": claimant, "claimant_description": row.get("claimant_description"),
                "modality": row["modality"], "polarity": row["polarity"]}

    def article(self, article_id: str) -> dict[str, Any]:
        site = self.site
        key = (site.source_table.name, article_id)
        fields, _ = self.fields(key)
        lines = []
        records: dict[str, dict] = {}
        evidence: dict[str, list] = {}
        for (article, number), _text in sorted(site.line_text.items()):
            if article != article_id:
                continue
            sentences = site.sentences(article_id, number)
            for sentence in sentences:
                for node in walk(sentence.nodes):
                    if isinstance(node, Wrapper):
                        row = site.evidence[node.evidence_id]
                        record = site.record_of(row)
                        evidence[node.evidence_id] = [f"{record[0]}/{record[1]}", row.get("field")]
                        records[f"{record[0]}/{record[1]}"] = self.ref(record)
            lines.append({"number": number, "sentences": sentences})
        sentences = [s for line in lines for s in line["sentences"]]
        return {
            "root": "../", "article_id": article_id, "label": site.article_label(article_id), "fields": fields,
            "citations": [self.citation(c) for c in site.citations_of.get(key, [])],
            "lines": lines, "sentence_count": len(sentences), "unclaimed": sum(not s.claimed for s in sentences),
            "evidence_count": len(site.evidence_on_article(article_id)),
            "data": {"records": records, "evidence": dict(sorted(evidence.items()))},
        }

    def segment_href(self, segment: Segment) -> str:
        """The page of the most specific record the segment supports, at that quote."""
        evidence = self.site.evidence[segment.evidence_ids[0]]
        return f"{self.site.href(self.site.record_of(evidence))}#ev-{segment.evidence_ids[0]}"

    def segment_title(self, segment: Segment) -> str:
        seen, parts = set(), []
        for evidence_id in segment.evidence_ids:
            row = self.site.evidence[evidence_id]
            key = self.site.record_of(row)
            item = (key, row.get("field"))
            if item in seen:
                continue
            seen.add(item)
            field_name = f" [{row['field']}]" if row.get("field") else ""
            parts.append(f"{self.site.title(key[0])}: {shorten(self.site.label(key), 60)}{field_name}")
        first = parts[0]
        return f"Opens {first}" + (f". Also supports: {'; '.join(parts[1:])}" if len(parts) > 1 else "")

    def comparisons(self) -> dict[str, Any]:
        site = self.site
        items = []
        readings_of = defaultdict(list)
        for reading in site.tables[READINGS]:
            readings_of[reading["comparison_id"]].append(reading)
        for comparison in site.tables[COMPARISONS]:
            comparison_id = comparison[site.key_column(COMPARISONS)]
            columns = []
            for article_id in self.articles:
                readings = [{"ref": self.ref((READINGS, r[site.key_column(READINGS)])), "reading": r["reading"],
                             "recorded": r.get("recorded"), "note": r.get("note"),
                             "quotes": site.quotes((READINGS, r[site.key_column(READINGS)]), any_field=True)}
                            for r in readings_of[comparison_id] if r[ARTICLE] == article_id]
                columns.append({"article_id": article_id, "label": site.article_label(article_id), "readings": readings})
            items.append({"id": comparison_id, "row": comparison, "ref": self.ref((COMPARISONS, comparison_id)),
                          "subject": self.ref((comparison["subject_table"], comparison["subject_id"])), "columns": columns})
        return {"root": "", "comparisons": items}

    def timeline(self) -> dict[str, Any]:
        panels, undated = timeline.panels(self.site)
        return {"root": "", "panels": panels, "undated": [self.ref((MEETINGS, r[self.site.key_column(MEETINGS)])) for r in undated]}

    def map(self) -> dict[str, Any]:
        """Every place with coordinates as a marker on the land around them; the places without, listed."""
        site = self.site
        placed, unplaced = [], []
        for table in site.record_tables:
            if not {geo.LATITUDE, geo.LONGITUDE} <= set(table.fields):
                continue
            for record_id, row in site.rows[table.name].items():
                ref = self.ref((table.name, record_id))
                if row.get(geo.LATITUDE) is None:
                    unplaced.append(ref)
                else:
                    placed.append((ref, row))
        points = [(row[geo.LONGITUDE], row[geo.LATITUDE]) for _, row in placed]
        panels = []
        for group in geo.groups(points):
            box = geo.region([points[i] for i in group])
            markers = []
            for i in group:
                ref, row = placed[i]
                x, y = box.project(points[i])
                markers.append({"ref": ref, "x": x, "y": y, "latitude": row[geo.LATITUDE], "longitude": row[geo.LONGITUDE],
                                "geonames_id": row.get("geonames_id"), "subdivision_code": row.get("subdivision_code")})
            panels.append({"box": box, "height": box.height, "path": geo.land_path(box), "markers": markers})
        return {"root": "", "panels": panels, "unplaced": unplaced, "width": geo.WIDTH,
                "markers": [m for panel in panels for m in panel["markers"]]}

    def index(self) -> dict[str, Any]:
        site, package = self.site, self.site.package
        tables = []
        for name, table in TABLES.items():
            resource = package.resource(name)
            tables.append({"name": name, "title": resource.get("title", table.title), "description": resource.get("description", ""),
                           "rows": len(site.tables[name]), "kind": table.kind.value,
                           "href": f"#t-{name}" if table.kind == TableKind.RECORD else ("#articles" if table.kind == TableKind.SOURCE else None)})
        groups = []
        for table in site.record_tables:
            records = [self.ref((table.name, record_id)) for record_id in site.rows[table.name]]
            groups.append({"name": table.name, "title": table.title, "records": records})
        articles = [dict(self.ref((site.source_table.name, a)), row=site.row((site.source_table.name, a))) for a in self.articles]
        return {"root": "", "descriptor": package.descriptor, "tables": tables, "groups": groups, "articles": articles,
                "comparison_count": len(site.tables[COMPARISONS]), "meeting_count": len(site.tables[MEETINGS]),
                "record_count": sum(len(g["records"]) for g in groups)}


def _write(out: Path, relative: str, data: str | bytes) -> Path:
    """Write ``data`` to ``out/relative``, refusing a path that would leave ``out``."""
    path = out / relative
    if not path.resolve().is_relative_to(out.resolve()):
        raise SiteError(f"refusing to write {relative!r}: it would lie outside {out}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def render_site(package: Package, out: Path) -> list[Path]:
    """Write every page and asset under ``out`` (an empty folder); return the pages written."""
    site = Site(package)
    pages = Pages(site)
    env = environment()
    env.globals.update(
        version=package.version, site_title=package.descriptor.get("title", "Provenance"),
        article_links=[pages.ref((site.source_table.name, a)) for a in pages.articles],
        article_label=site.article_label, segment_href=pages.segment_href, segment_title=pages.segment_title,
    )
    written = []

    def page(template: str, target: str, context: dict[str, Any], current: str) -> None:
        written.append(_write(out, target, env.get_template(template).render(current=current, **context)))

    page("index.html", "index.html", pages.index(), "index")
    for article_id in pages.articles:
        page("article.html", site.href((site.source_table.name, article_id)), pages.article(article_id), f"article-{article_id}")
    for table in site.record_tables:
        for record_id in site.rows[table.name]:
            page("record.html", site.href((table.name, record_id)), pages.record((table.name, record_id)), "record")
    page("comparisons.html", "comparisons.html", pages.comparisons(), "comparisons")
    page("timeline.html", "timeline.html", pages.timeline(), "timeline")
    page("map.html", "map.html", pages.map(), "map")
    for asset in sorted(STATIC.iterdir()):
        if asset.is_file():
            _write(out, f"static/{asset.name}", asset.read_bytes())
    write_manifest(out)
    return written


def build(package_dir: Path, out: Path, say: Callable[[str], None] = lambda line: None) -> list[Path]:
    """Build the site from the package in ``package_dir`` into ``out``, as a journalled change
    (``pipeline.publish.journal``): written beside ``out``, then swapped in, so a failed build leaves the
    previous site as it was and the next build finishes or undoes one a crash interrupted (``say`` is told
    which). Refuses a folder inside the package or holding it, and a folder holding anything but a site this
    module wrote, as its manifest records it."""
    out, package_dir = out.resolve(), package_dir.resolve()
    if out.is_relative_to(package_dir) or package_dir.is_relative_to(out):
        raise SiteError(f"{out} overlaps the data package {package_dir}, which only `build.py build` writes; choose a folder outside it")
    journal = out.parent / f".{out.name}.site-journal"
    if pending(journal):
        try:
            line = recover(journal)
        except JournalError as error:
            raise SiteError(str(error)) from None
        if line is not None:
            say(line)
    refusal = not_owned(out)
    if refusal is not None:
        raise SiteError(refusal)
    package = load_package(package_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    change = Change(journal, f"site build in {out}")
    change.begin({out: MANIFEST}, [])
    try:
        written = render_site(package, change.new(out))
        os.chmod(change.new(out), 0o755)
        change.ready()
    except BaseException:
        change.abandon()
        raise
    change.apply()
    return [out / p.relative_to(change.new(out)) for p in written]
