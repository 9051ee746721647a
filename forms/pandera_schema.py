"""Generate the pandera schema that validates a whole table at once (vectorized, lazily), for pandas frames
(the accessor's form) or polars frames (what the build checks, straight from its Arrow tables)."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from japan_us_summit._layout import pandas_types

from .arrow_schema import ARROW_TYPES
from schema.field_spec import FieldSpec
from schema.table import Table

POLARS_TYPES = {"string": "String", "integer": "Int64", "number": "Float64", "boolean": "Boolean", "date": "Date"}


def import_checks_without_strategies() -> None:
    """Import pandera's pandas and polars checks now, with hypothesis hidden, for a process that validates and never
    synthesizes data (the build command). The checks import pandera's data-synthesis strategies, which import
    hypothesis (and through it pytest) whenever it is installed and fall back to placeholders when it is not
    (``pandera.strategies.base_strategies.HAS_HYPOTHESIS``). Where hypothesis is loaded already, or the checks
    are, nothing changes."""
    if "hypothesis" in sys.modules or "pandera.backends.polars.builtin_checks" in sys.modules:
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment] - makes `import hypothesis` raise ImportError
    try:
        import pandera.backends.pandas.builtin_checks  # noqa: F401 - what the first validate() would import
        import pandera.backends.pandas.builtin_hypotheses  # noqa: F401
        import pandera.backends.polars.builtin_checks  # noqa: F401 - what the build's validate() imports
    finally:
        del sys.modules["hypothesis"]


def pandas_dtype(kind: str) -> object:
    """The pandas dtype of a Table Schema type: the one the accessor gives."""
    return pandas_types()[ARROW_TYPES[kind]]


def polars_dtype(kind: str) -> object:
    """The polars dtype of a Table Schema type: the one polars gives the Arrow column."""
    return getattr(importlib.import_module("polars"), POLARS_TYPES[kind])


def column_checks(spec: FieldSpec, pa: Any) -> list:
    checks = []
    if spec.pattern is not None:
        checks.append(pa.Check.str_matches(spec.pattern))
    if spec.enum is not None:
        checks.append(pa.Check.isin(list(spec.enum)))
    if spec.minimum is not None:
        checks.append(pa.Check.ge(spec.minimum))
    if spec.maximum is not None:
        checks.append(pa.Check.le(spec.maximum))
    if spec.min_length is not None or spec.max_length is not None:
        checks.append(pa.Check.str_length(spec.min_length, spec.max_length))
    return checks


def pandera_schema(table: Table, *, written_checked: bool = False, backend: str = "pandas") -> Any:
    """Types, nullability, patterns, vocabularies, ranges, and primary-key uniqueness; ``backend`` is
    "pandas" or "polars".

    With ``written_checked`` (the build, which has checked every written value and written key as it read
    them), values and keys are checked only in columns the build derives; types are checked everywhere.
    """
    pa = importlib.import_module(f"pandera.{backend}")
    dtype = pandas_dtype if backend == "pandas" else polars_dtype
    key_checked = not written_checked or all(table.fields[name].derived for name in table.primary_key)
    single_key = table.primary_key[0] if len(table.primary_key) == 1 and key_checked else None
    compound_key = list(table.primary_key) if len(table.primary_key) > 1 and key_checked else None

    def values(spec: FieldSpec) -> bool:
        return spec.derived or not written_checked

    columns = {
        name: pa.Column(
            dtype(spec.kind),
            checks=column_checks(spec, pa) if values(spec) else [],
            nullable=not (spec.required and values(spec)),
            unique=name == single_key,
            description=spec.description,
        )
        for name, spec in table.fields.items()
    }
    return pa.DataFrameSchema(
        columns,
        name=table.name,
        strict=True,
        ordered=True,
        unique=compound_key,
        report_duplicates="all",
    )
