"""Facts about the October 2025 Takaichi-Trump meeting in Tokyo, as typed tables.

The package ships the data package it was built with (``datapackage.json``, Parquet and CSV);
every read checks the file's size and SHA-256 against the descriptor first.

    import japan_us_summit as jus

    jus.tables()                               # table names, in descriptor order
    people = jus.load("people")                # pandas; backend="arrow" or "polars" too
    jus.describe("people")                     # each field's type, constraints, description
    jus.evidence("people", "donald-trump")     # supporting quotes with their source lines
    jus.path("people")                         # the Parquet file, e.g. for DuckDB
    jus.timeline()                             # events with the date range their precision allows
    jus.claims_about("people", "sanae-takaichi")  # who asserts what about a record, and how sure
    jus.comparisons()                          # each point where the articles differ, readings side by side
    jus.record("people", "sanae-takaichi")     # one record: its values, evidence, claims and relations
    jus.search("Abe")                          # every value that contains the text, in every table
    jus.facts("relations", voice="reported")   # records only reported (a "widely regarded" relation), not stated
    print(jus.verify())                        # are the shipped files intact?

``__version__`` is the data package's version, read from the shipped descriptor on first use.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import REINSTALL, DataFileError, MissingBackendError, UnknownRecordError, UnknownTableError, UnsafePathError
from ._files import DataPackage, FileCheck, Verification, data_folder

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

    from . import _records

__all__ = [
    "DataFileError",
    "FileCheck",
    "MissingBackendError",
    "UnknownRecordError",
    "UnknownTableError",
    "UnsafePathError",
    "Verification",
    "__version__",
    "claims_about",
    "comparisons",
    "describe",
    "descriptor",
    "evidence",
    "facts",
    "load",
    "path",
    "record",
    "search",
    "tables",
    "timeline",
    "verify",
]


@lru_cache(maxsize=1)
def _package() -> DataPackage:
    return DataPackage(data_folder())


def __getattr__(name: str) -> Any:
    # Read lazily, so that a damaged installation still imports and verify() can say what is wrong.
    if name == "__version__":
        return _package().descriptor["version"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def tables() -> list[str]:
    """The table names, in descriptor order."""
    return _package().tables()


def load(name: str, *, backend: str = "pandas") -> pandas.DataFrame | pyarrow.Table | polars.DataFrame:
    """Table ``name`` read from its Parquet file: backend "pandas" (default), "arrow" or "polars".

    Vocabulary columns are categoricals over the declared categories, dates are dates, and pandas
    columns use nullable dtypes (``string``, ``Int64``, ``Float64``, ``boolean``).
    """
    from . import _load  # imported on use: `import japan_us_summit` stays quick (pyarrow is not needed to import it)

    return _package().consistently(lambda: _load.load(_package(), name, backend))


def describe(name: str) -> pandas.DataFrame:
    """One row per field of table ``name``, in order, with columns ``name``, ``type``, ``constraints``
    (the descriptor's constraints as a dict, empty when none) and ``description``."""
    import pandas as pd

    rows = [
        {"name": f["name"], "type": f["type"], "constraints": dict(f.get("constraints", {})), "description": f.get("description")}
        for f in _package().fields(name)
    ]
    return pd.DataFrame(rows, columns=["name", "type", "constraints", "description"])


def evidence(table: str, record_id: str) -> pandas.DataFrame:
    """Every span supporting record ``record_id`` of ``table``: article_id, line, char_start, char_end,
    quote, prefix, suffix, field, basis, and ``line_text``, the full source line (``quote`` is
    ``line_text[char_start:char_end]``)."""
    from . import _evidence

    return _package().consistently(lambda: _evidence.evidence(_package(), table, record_id))


def timeline() -> pandas.DataFrame:
    """Every meeting and event, ordered by date: ``first_day`` and ``last_day`` are the first and last day its
    start date (and end date) can denote, so a month-precision date spans the month; ``start_date_precision`` and
    ``start_date_basis`` say how precise the date is and how it is known."""
    from . import _views

    return _package().consistently(lambda: _views.timeline(_package()))


def claims_about(table: str, record_id: str) -> pandas.DataFrame:
    """The claims about record ``record_id`` of ``table``: who asserts what, to whom, with what modality."""
    from . import _views

    return _package().consistently(lambda: _views.claims_about(_package(), table, record_id))


def facts(table: str, *, voice: str | None = None) -> pandas.DataFrame:
    """The records of ``table`` with who asserts them: ``voice`` is "article" when the article states the record
    itself (no claim asserts it, or a claim in the article's own voice does) and "reported" when only claims of
    others assert it (``claim_subjects.asserts``; for ``table="claims"``, the claim's own claimant);
    ``asserted_by`` lists the asserting claims and ``attribution`` who reports whom, outermost first, following
    ``claims.within_claim_id`` (``reported_consensus (widely)``). ``voice="article"`` or ``"reported"`` keeps
    only those records."""
    return _views.facts(_package(), table, voice)


def comparisons() -> pandas.DataFrame:
    """One row per point where the articles differ: its kind, subject and assessment, and for each article
    ``reading_<article>`` and ``recorded_<article>``, the article id with ``_`` for ``-`` so that no column name
    needs quoting in SQL (``reading_kyodo_summit_report``; empty where the article omits the point)."""
    from . import _views

    return _package().consistently(lambda: _views.comparisons(_package()))


def record(table: str, record_id: str) -> _records.Record:
    """Record ``record_id`` of ``table`` with all that is said about it: ``.values`` (field -> value), ``.evidence``
    (as ``evidence()`` gives it; None for a table without evidence), ``.claims`` (as ``claims_about()``) and
    ``.relations`` (the rows of ``relations`` where it is the subject or the object)."""
    from . import _records

    return _package().consistently(lambda: _records.record(_package(), table, record_id))


def search(text: str, *, tables: list[str] | None = None) -> list[dict[str, Any]]:
    """Every text value containing ``text`` (case ignored) in ``tables`` (default: all), as dicts with ``table``,
    ``id`` (the primary key, parts joined by "/"), ``field`` and ``text`` (the match in context)."""
    from . import _records

    return _package().consistently(lambda: _records.search(_package(), text, tables))


def path(name: str, format: str = "parquet") -> Path:
    """The file holding table ``name`` as ``format`` ("parquet" or "csv")."""
    package = _package()
    file = package.file(package.resource(name, format))
    if not file.is_file():
        raise DataFileError(f"{file} is missing. {REINSTALL}")
    return file


def descriptor() -> dict[str, Any]:
    """The shipped ``datapackage.json``, as a dict (a copy: changing it changes nothing)."""
    return copy.deepcopy(_package().descriptor)


def verify(*, strict: bool = False) -> Verification:
    """Check every shipped file against its ``bytes`` and ``hash`` in the descriptor.

    The result is truthy when all match; ``result.failures`` names the files that differ and
    ``print(result)`` says so. With ``strict=True`` a mismatch raises ``DataFileError`` instead.
    """
    result = _package().verify()
    if strict and not result:
        raise DataFileError(str(result))
    return result
