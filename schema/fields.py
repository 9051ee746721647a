"""The field dictionary: every reusable field type, declared once with its constraints and description.

A field type is an ``Annotated`` pydantic type. Besides pydantic's own constraints it may carry
markers that the generators and the build read: ``References`` (a foreign key), ``RecordKey`` (a key
into whichever record table another column names), ``Derived`` (computed by the build, never written
in an annotation file), ``DateValue`` (an ISO 8601 date of reduced precision, published with its
derived precision and bounds), ``Coded`` (a code such as an ISO country code, which needs field
evidence for the name it codes) and ``ExactCopy`` (text copied from the source: kept as written and
found in the record's evidence).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field


@dataclass(frozen=True)
class References:
    """Marks a foreign key: the value is a primary key of ``table``."""

    table: str


@dataclass(frozen=True)
class Derived:
    """Marks a field that the build computes; annotators never write it."""


@dataclass(frozen=True)
class DateValue:
    """Marks an ISO 8601 date at year, month or day precision."""


@dataclass(frozen=True)
class Coded:
    """Marks a code that never appears in the text: each value needs evidence naming what it codes."""


@dataclass(frozen=True)
class ExactCopy:
    """Marks text copied character for character from the source: exempt from the NFC rule, and it must
    occur in one of the record's evidence quotes."""


@dataclass(frozen=True)
class RecordTableName:
    """Marks a column whose value names a record table; its vocabulary is every declared record table."""


@dataclass(frozen=True)
class RecordKey:
    """Marks a column holding a primary key of the record table that column ``table_field`` names."""

    table_field: str


ID_PATTERN = r"^[a-z0-9]+(?:--?[a-z0-9]+)*$"  # words joined by "-"; "--" joins compound ids
ISO_DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
TEXT_PATTERN = r"^\S(?:.*\S)?$"

# What each pattern asks for, in words: a message names these, never the regular expression.
PATTERN_WORDS = {
    ID_PATTERN: "an id of lowercase letters and digits, words joined by '-', such as 'donald-trump'",
    ISO_DATE_PATTERN: "a date written YYYY, YYYY-MM or YYYY-MM-DD, such as '2025', '2025-10' or '2025-10-28'",
    SHA256_PATTERN: "a SHA-256 digest: 64 lowercase hexadecimal digits",
    TEXT_PATTERN: "text that neither starts nor ends with a space",
    r"^[A-Z]{2}$": "a two-letter ISO 3166-1 country code in capitals, such as 'JP'",
    r"^[A-Z]{3}$": "a three-letter ISO 4217 currency code in capitals, such as 'USD'",
    r"^[a-z]{2}$": "a two-letter ISO 639-1 language code in lowercase, such as 'en'",
}


def _country_code(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _currency_code(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    return code


def _language_code(code: str) -> str:
    if pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{code!r} is not an ISO 639-1 language code")
    return code


EARLIEST_YEAR, LATEST_YEAR = 1800, 2200  # a plausible range, inside what every backend's date type holds


def calendar_date(value: str) -> str:
    year, month, day = (value.split("-") + [None, None])[:3]
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(f"{value!r} is not a calendar date ({error})") from None
    if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
        raise ValueError(f"{value!r} lies outside {EARLIEST_YEAR} to {LATEST_YEAR} (expected a plausible date)")
    return value


def record_id(what: str) -> type[str]:
    """A stable, readable id: lowercase words joined by hyphens."""
    return Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80, description=what)]


def reference(table: str, what: str) -> type[str]:
    """A foreign key to ``table``'s primary key."""
    return Annotated[str, Field(pattern=ID_PATTERN, description=what), References(table)]


def text(what: str, max_length: int = 2000) -> type[str]:
    """Free text; never empty, never padded."""
    return Annotated[
        str, Field(min_length=1, max_length=max_length, pattern=TEXT_PATTERN, description=what)
    ]


CountryCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 country code, normalized from the country named in this field's evidence",
    ),
    AfterValidator(_country_code),
    Coded(),
]
CurrencyCode = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code, normalized from the currency named in this field's evidence"),
    AfterValidator(_currency_code),
    Coded(),
]
LanguageCode = Annotated[
    str,
    Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code of the article's language"),
    AfterValidator(_language_code),
]
IsoDate = Annotated[
    str,
    Field(
        pattern=ISO_DATE_PATTERN,
        description="ISO 8601 date at the precision the source supports: YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    AfterValidator(calendar_date),
    DateValue(),
]
ArticleId = Annotated[
    str,
    Field(pattern=ID_PATTERN, description="The article the row's first evidence comes from"),
    References("articles"),
]
LineNumber = Annotated[
    int,
    Field(ge=1, description="1-based line number in the article of the row's first evidence"),
]
CharOffset = Annotated[int, Field(ge=0, description="0-based character offset within the line")]
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN, description="SHA-256 of the file, lowercase hex")]
