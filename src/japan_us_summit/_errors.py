"""The errors the accessor raises, each with a message that says what to do."""

# The package is not on PyPI: it is reinstalled from where it came from, not by name.
REINSTALL = (
    "Reinstall the package from the wheel or checkout it was installed from: "
    "pip install --force-reinstall <that .whl file or checkout folder>"
)


class DataFileError(OSError):
    """A shipped data file is missing, corrupted or unreadable; reinstalling fixes it."""


class UnsafePathError(DataFileError):
    """The descriptor names a file outside the data folder, or reaches it through a symlink."""


class UnknownTableError(LookupError):
    """No table has this name; the message lists the valid names."""


class UnknownRecordError(LookupError):
    """The table has no record with this id."""


class MissingBackendError(ImportError):
    """The library a backend needs is not installed; the message names the extra to install."""
