from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """The RPJMD plan now; commitment programs, milestones and progress later."""

    name = "programs"
    verbose_name = _("Plan and programs")

    def ready(self):
        from programs import models as m
        from tracker import policy

        # The RPJMD is a public regulation: every user of the government may
        # read all of it, so no unit path. Bappeda maintains it.
        bappeda = {policy.Role.BAPPEDA}
        for model, path in (
            (m.Plan, "government"),
            (m.Mission, "plan__government"),
            (m.Goal, "mission__plan__government"),
            (m.Objective, "goal__mission__plan__government"),
            (m.PlanProgram, "objective__goal__mission__plan__government"),
            (m.Indicator, "plan__government"),
            (m.IndicatorTarget, "indicator__plan__government"),
        ):
            policy.register(model, government=path, changed_by=bappeda)

        # Commitment programs belong to their owner unit: its members see them
        # and write their reports; the supporting units' members see them,
        # read-only. Both are read from the program as it is when a query
        # runs, so a change of owner or supporting units counts at once.
        from programs.reporting import report_authors

        government = "commitment__government"
        policy.register(
            m.Program,
            government=government,
            unit="owner_unit",
            seen_by=("supporting_units",),
            changed_by=bappeda,
            written_by_unit=True,
        )
        for model, to_program in (
            (m.Milestone, "program"),
            (m.ProgramBudget, "program"),
            (m.AdoptionIndicator, "program"),
            (m.ProgressReport, "program"),
            (m.MilestoneProgress, "report__program"),
            (m.IndicatorRealisation, "report__program"),
            (m.AdoptionRealisation, "report__program"),
            (m.ProgressEvidence, "report__program"),
        ):
            policy.register(
                model,
                government=f"{to_program}__{government}",
                unit=f"{to_program}__owner_unit",
                seen_by=(f"{to_program}__supporting_units",),
                changed_by=bappeda if model is not m.ProgressReport else (),
                written_by_unit=True,
                authors=report_authors if model is m.ProgressReport else None,
            )
        # Files kept for a report form whose save failed: only the owner unit's
        # members reach them (not the supporting units), and each lists only
        # their own (programs.evidence.pending_evidence_of).
        policy.register(
            m.PendingEvidence,
            government=f"program__{government}",
            unit="program__owner_unit",
            written_by_unit=True,
        )
        # Classification schemes of commitments: a government's own are read by everyone
        # of it and kept by its Bappeda and Administrator; the shared (national) ones,
        # of no government, are read by everyone and changed by a superuser only.
        keepers = {policy.Role.BAPPEDA, policy.Role.ADMINISTRATOR}
        policy.register(
            m.ClassificationScheme, government="government", changed_by=keepers, shared=True
        )
        policy.register(
            m.Category, government="scheme__government", changed_by=keepers, shared=True
        )
        # Periods are the government's calendar: everyone in it sees them.
        policy.register(m.ReportingPeriod, government="government", changed_by=bappeda)
