"""Package-level metadata of the published data package (the version lives in pyproject.toml).

CITATION.cff states the same title, description (its abstract), keywords and author, and REUSE.toml the same
licences file by file; tests/test_citation.py and tests/test_licences.py check that they agree.
"""

from .table import Table, TableKind

NAME = "japan-us-summit"
TITLE = "Japan-US summit, Tokyo, October 2025: facts from two news articles"
DESCRIPTION = (
    "Hand-annotated people, organizations, locations, meetings, commitments, figures, attributed claims, "
    "relations and comparisons from two English news articles about the first meeting of Japan's Prime "
    "Minister Sanae Takaichi and U.S. President Donald Trump in Tokyo in October 2025. Every row names the "
    "article and line it comes from, and every supporting quote is checked character for character "
    "against the source. The annotations are CC-BY-4.0; the articles' own text, which the package carries "
    "so that every quote can be checked, stays under its publishers' rights."
)
HOMEPAGE = None  # no public home yet; left empty rather than invented
KEYWORDS = ["Japan", "United States", "summit", "diplomacy", "defense", "trade", "news", "provenance", "annotation"]
ANNOTATION_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
SOURCE_TEXT_RIGHTS = {  # its text: LICENSES/LicenseRef-source-text-rights-reserved.txt
    "name": "LicenseRef-source-text-rights-reserved",
    "title": (
        "Source article text: copyright its publishers, all rights reserved, not under CC-BY-4.0; included only "
        "so that every quote can be checked (see articles.rights_notice)"
    ),
}
AUTHOR = "Seed 4a590ec0 maintainers"  # the name every commit of the project is made under; no person is named
CONTRIBUTORS = [{"title": AUTHOR, "roles": ["author", "annotator"]}]
# Tables whose cells hold verbatim source text carry the source rights besides the annotation licence.
VERBATIM_KINDS = (TableKind.SOURCE_LINES, TableKind.EVIDENCE)


def licenses(table: Table) -> list[dict[str, str]]:
    """The licences of ``table``'s files: the annotation licence, preceded by the source rights where cells hold verbatim text."""
    if table.kind in VERBATIM_KINDS:
        return [SOURCE_TEXT_RIGHTS, ANNOTATION_LICENSE]
    return [ANNOTATION_LICENSE]


def sources(articles: list[dict]) -> list[dict[str, str]]:
    """The descriptor's ``sources``: one per article, with its file and hash."""
    return [
        {"title": f"{a['publisher'] or 'Unattributed article'}: sources/{a['file']} (sha256 {a['sha256']})"}
        for a in articles
    ]


def languages(articles: list[dict]) -> list[str]:
    """The articles' languages (ISO 639-1), each once."""
    return sorted({a["language_code"] for a in articles})


def citation(version: str, released: str | None) -> str:
    """How to cite ``version``, as BibTeX; the year is that of its release, once it is released."""
    entries = {"title": TITLE, "author": " and ".join(f"{{{c['title']}}}" for c in CONTRIBUTORS)}
    if released:
        entries["year"] = released[:4]
    entries |= {"version": version, "note": "Dataset"}
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in entries.items())
    return f"@misc{{{NAME},\n{body}\n}}"
