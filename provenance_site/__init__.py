"""A static site that shows the provenance of every fact: the articles with every evidence span
highlighted, a page per record, the two articles' readings side by side, and a timeline.

    python build.py site [OUT]      # from the checkout's datapackage/ into OUT (default: site/)
"""

from .render import SiteError, build

__all__ = ["SiteError", "build"]
