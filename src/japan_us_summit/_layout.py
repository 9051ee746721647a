"""The data package's layout, written once and shared with the build (which imports it; never the reverse).

Where each table's files lie, which formats there are, which resource paths are safe to open, and
which pandas dtypes the Arrow types become.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

PACKAGE_DIR = "datapackage"  # the checkout's folder; a wheel ships it as japan_us_summit/data
DESCRIPTOR = "datapackage.json"
CARD = "README.md"  # the dataset card (Hugging Face layout), beside the descriptor
CROISSANT = "croissant.json"  # the Croissant (ML Commons) description of the same package
AGREEMENT = "agreement.json"  # the agreement of a second, blind annotation with the data, when one is measured
FORMATS = ("parquet", "csv")  # each is a folder of the package and the extension of its files


def resource_path(name: str, form: str) -> str:
    """The package-relative path of table ``name`` in ``form``."""
    return f"{form}/{name}.{form}"


def is_plain_relative(path: str) -> bool:
    """Whether ``path`` is a normalized relative POSIX path that stays inside its folder: no '..', no
    absolute path or drive, no backslash, no empty, '.' or repeated parts."""
    pure = PurePosixPath(path)
    return (
        bool(path)
        and "\\" not in path
        and not pure.is_absolute()
        and not PureWindowsPath(path).drive
        and ".." not in pure.parts
        and pure.as_posix() == path
    )


def pandas_types() -> dict[pa.DataType, object]:
    """Arrow type -> pandas dtype: nullable extension types, and dates as Arrow dates."""
    import pandas as pd  # imported on use, so arrow and polars users do not pay for it
    import pyarrow as pa

    return {
        pa.string(): pd.StringDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.date32(): pd.ArrowDtype(pa.date32()),
    }
