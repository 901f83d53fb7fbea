"""market-claims: raw commentary → validated, versioned dataset of checkable market claims."""

__version__ = "0.1.0"
