"""Package-level metadata of the published data package (the version lives in pyproject.toml)."""

NAME = "japan-us-summit"
TITLE = "Japan-US summit, Tokyo, October 2025: facts from two news articles"
DESCRIPTION = (
    "Hand-annotated people, organizations, locations, meetings, commitments and figures from two English "
    "news articles about the first meeting of Japan's Prime Minister Sanae Takaichi and U.S. President "
    "Donald Trump in Tokyo. Every row names the article and line it comes from, and every supporting quote "
    "is checked character for character against the source."
)
HOMEPAGE = None  # no public home yet; left empty rather than invented
KEYWORDS = ["Japan", "United States", "summit", "diplomacy", "defense", "trade", "news", "provenance", "annotation"]
ANNOTATION_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
SOURCE_TEXT_RIGHTS = {
    "name": "source-text-rights-reserved",
    "title": (
        "Source article text is quoted under the rights of its publishers (e.g. 'Copyright kyodonews'), "
        "not under CC-BY-4.0; see articles.rights_notice"
    ),
}
CONTRIBUTORS = [{"title": "japan-us-summit annotators", "roles": ["author", "annotator"]}]
# Tables whose cells hold verbatim source text carry the source rights besides the annotation licence.
VERBATIM_TABLES = ("source_lines", "evidence")
