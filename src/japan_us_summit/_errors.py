"""The errors the accessor raises, each with a message that says what to do."""

REINSTALL = "Reinstall the package: pip install --force-reinstall japan-us-summit"


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
