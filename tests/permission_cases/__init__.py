"""Permission-matrix cases of each area's pages, one module per area.

Each module defines ``CASES`` in the matrix's format (see
``tests/test_permission_matrix.py``), built with the helpers of
``tests/permission_roles.py``.
"""

from tests.permission_cases import (
    api,
    api_reports,
    bulk,
    conversations,
    everyday,
    health,
    jobs,
    notices,
    organisation,
    programs_setup,
    reminders,
    rpjmd,
    schemes,
    signing,
    targets,
    transparency,
)


def all_cases():
    cases = {}
    for module in (
        api,
        api_reports,
        bulk,
        conversations,
        everyday,
        health,
        jobs,
        notices,
        organisation,
        programs_setup,
        reminders,
        rpjmd,
        schemes,
        signing,
        targets,
        transparency,
    ):
        overlap = set(cases) & set(module.CASES)
        assert not overlap, overlap
        cases.update(module.CASES)
    return cases
