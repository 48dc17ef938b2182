"""Models of the programs app, one module per area:

* ``classification``: classification schemes of commitments and their categories;
* ``plan``: the RPJMD (plan, missions, goals, objectives, plan programs, indicators, targets);
* ``program``: the commitment programs units carry out, and their milestones;
* ``progress``: reporting periods and the quarterly progress reports;
* ``pending``: evidence files kept for a report form whose save failed.
"""

from programs.models.classification import Category, ClassificationScheme  # noqa: F401
from programs.models.pending import PendingEvidence  # noqa: F401
from programs.models.plan import (  # noqa: F401
    MONEY_DIGITS,
    MONEY_MAX,
    VALUE_DIGITS,
    VALUE_LIMIT,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Plan,
    PlanProgram,
)
from programs.models.program import (  # noqa: F401
    AdoptionIndicator,
    Horizon,
    Milestone,
    Program,
    ProgramBudget,
    ProgramGroupObjectPermission,
    ProgramUserObjectPermission,
)
from programs.models.progress import (  # noqa: F401
    AdoptionRealisation,
    IndicatorRealisation,
    MilestoneProgress,
    ProgressEvidence,
    ProgressReport,
    ReportingPeriod,
)
