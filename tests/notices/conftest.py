"""The programs' fixtures (a DKISS program, the 2022 quarters) and the demo accounts'
email addresses, for the notice tests."""

from tests.programs.conftest import bappeda_user, dkiss_user, make_program, period_2022
from tests.reminders.conftest import with_emails

__all__ = ["bappeda_user", "dkiss_user", "make_program", "period_2022", "with_emails"]
