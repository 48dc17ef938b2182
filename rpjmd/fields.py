"""The fields of each RPJMD level that a person may write: one list, read by the
services, the forms, the Excel workbook and the API, so they cannot drift apart."""

PLAN_FIELDS = ("name", "start_year", "end_year", "legal_basis", "vision")
MISSION_FIELDS = ("number", "text")
GOAL_FIELDS = ("mission", "code", "text")
OBJECTIVE_FIELDS = ("goal", "code", "text")
PLAN_PROGRAM_FIELDS = ("objective", "code", "name", "responsible_unit")
INDICATOR_FIELDS = (
    "code",
    "name",
    "unit_of_measure",
    "direction",
    "is_cumulative",
    "decimal_places",
    "combination",
    "designated_program",
    "baseline_value",
    "baseline_year",
    "final_target",
    "responsible_unit",
)
# The level an indicator measures: exactly one of these is set.
LEVEL_FIELDS = ("goal", "objective", "plan_program")
# The workbook's indicator columns that are plain values: the code is the row's key,
# and the designated program and responsible unit are references read separately.
INDICATOR_SCALARS = tuple(
    name
    for name in INDICATOR_FIELDS
    if name not in ("code", "designated_program", "responsible_unit")
)
