"""Fixtures of the cache tests: the programs app's, and an empty cache per test."""

from tests.programs.conftest import bappeda_user, dkiss_user, make_program, period_2022
from tests.test_cache_versioning import _empty_cache

__all__ = ["_empty_cache", "bappeda_user", "dkiss_user", "make_program", "period_2022"]
