"""A static site that shows the provenance of every fact: the articles with every evidence span
highlighted, a page per record, the two articles' readings side by side, and a timeline.

    python build.py site [OUT]      # from the checkout's datapackage/ into OUT (default: site/)

It reads the published package only: ``datapackage.json`` (the Frictionless descriptor: resources, their
paths and hashes) and each table's Parquet file; the declarations in ``schema/`` say which table is of which
kind and which columns are dates. It uses no other form (not the CSV files, the dataset card or Croissant)
and never reads ``annotations/``.
"""

from .render import SiteError, build

__all__ = ["SiteError", "build"]
