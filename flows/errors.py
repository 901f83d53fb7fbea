"""Errors the CLI turns into one clear message and a non-zero exit (never a bare traceback)."""

from __future__ import annotations


class MarketClaimsError(Exception):
    """Base class: a failure the user can act on; `exit_code` is what the CLI exits with."""

    exit_code = 1


class InputError(MarketClaimsError):
    """Raw inputs are missing or unusable as a whole (a single bad file is a reject, not this)."""


class ReferenceDataError(MarketClaimsError):
    """Reference data is missing, corrupt, or a provider could not deliver it."""


class ValidationFailed(MarketClaimsError):
    """An expectation suite failed: nothing was published."""


class ReleaseError(MarketClaimsError):
    """A release could not be read, written, published or downloaded intact."""

    exit_code = 2


class ServerUnavailable(MarketClaimsError):
    """No Prefect server answers: scheduling needs `prefect server start` and PREFECT_API_URL."""


class BuildInProgress(MarketClaimsError):
    """Another build holds the output folder's lock; this one changed nothing."""

    exit_code = 3
