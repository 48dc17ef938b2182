"""Fixtures of the infrastructure tests: the other apps' fixtures they drive the pages with."""

from tests.commitments.conftest import smart_city  # noqa: F401
from tests.programs.conftest import bappeda_user, make_program, period_2022  # noqa: F401
from tests.rpjmd.conftest import plan, rows  # noqa: F401
