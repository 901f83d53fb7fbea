"""Shared fixtures; they live in tests/fixtures_release.py so conftest files merge easily."""

from tests.fixtures_release import good_release, sample_tables  # noqa: F401
from tests.prefect_harness import prefect_harness  # noqa: F401
