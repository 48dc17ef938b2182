"""Who issues and who signs the quarterly report.

Who signs depends on the report's scope (see DOMAIN.md, "Who signs"):

- the whole government's report is "Disusun oleh" the head of Bappeda and
  "Mengetahui" the regional head, titled by the government's kind (Wali Kota,
  Bupati or Gubernur: ``tracker.regional_head``);
- a unit's report (a Perangkat Daerah's evaluation) is "Disusun oleh" the head of
  that unit and "Dievaluasi oleh" the head of Bappeda.

Every signer is the head in office on the report's date.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tracker import policy, regional_head
from tracker.models import Official, Unit


@dataclass
class Signer:
    caption: str  # "Disusun oleh" / "Mengetahui" / "Dievaluasi oleh"
    position: str  # the full position, with the government
    name: str
    rank: str  # as stored; the PDF writes it with format_rank
    nip: str  # digits; empty for an elected head
    dated: bool = False  # the place and date are printed above this signer


def issuing_unit_of(government):
    """The unit that issues the report: Bappeda, i.e. the unit most members of the
    Bappeda group work in (the group is what makes someone Bappeda in the policy)."""
    return (
        Unit.objects.filter(
            government=government,
            members__user__groups__name=policy.BAPPEDA_GROUP,
        )
        .annotate(n=Count("members"))
        .order_by("-n", "name")
        .first()
    )


def full_position(position, government_name, place_name=""):
    """The position as a signature block writes it, with the government it serves.

    The government's short name is its name without a leading "Pemerintah "
    ("Pemerintah Kota Cilegon" -> "Kota Cilegon"). It is appended to the position
    unless the position already ends with it or with the place name:

    >>> full_position("Kepala Badan Perencanaan Pembangunan Daerah",
    ...               "Pemerintah Kota Cilegon", "Cilegon")
    'Kepala Badan Perencanaan Pembangunan Daerah Kota Cilegon'
    >>> full_position("Walikota Cilegon", "Pemerintah Kota Cilegon", "Cilegon")
    'Walikota Cilegon'

    An empty position stays empty.
    """
    position = " ".join((position or "").split())
    name = regional_head.short_name(government_name)
    if not position or not name:
        return position
    for suffix in (name, " ".join((place_name or "").split())):
        if suffix and (
            position.lower() == suffix.lower() or position.lower().endswith(" " + suffix.lower())
        ):
            return position
    return f"{position} {name}"


def signers(request, issuing_unit):
    """The signers of the report, left to right, as ``Signer`` rows.

    The whole government (``request.unit`` is None): "Mengetahui" the regional head,
    then "Disusun oleh" the head of Bappeda (``issuing_unit``). A unit's report:
    "Dievaluasi oleh" the head of Bappeda, then "Disusun oleh" the head of that unit.
    The place and date go above the "Disusun oleh" signer. A head nobody holds on the
    report's date gives a signer with empty fields, so the gap shows on paper; the
    regional head's position is printed even then (``_leader``).
    """
    government = request.government
    if request.unit is None:
        wanted = Q(unit__government=government, unit__kind=Unit.Kind.KEPALA_DAERAH)
    else:
        wanted = Q(unit=request.unit)
    if issuing_unit is not None:
        wanted |= Q(unit=issuing_unit)
    heads = list(
        Official.objects.in_office(request.report_date)
        .filter(is_head=True)
        .filter(wanted)
        .select_related("unit")
        .order_by("-start_date", "pk")
    )

    def head_of(unit):
        if unit is None:
            return None
        return next((o for o in heads if o.unit_id == unit.pk), None)

    planner = head_of(issuing_unit)
    if request.unit is None:
        leader = next((o for o in heads if o.unit.kind == Unit.Kind.KEPALA_DAERAH), None)
        return [
            _leader(_("Acknowledged by"), leader, government),
            _signer(_("Prepared by"), planner, government, True),
        ]
    pairs = (
        (_("Evaluated by"), planner, False),
        (_("Prepared by"), head_of(request.unit), True),
    )
    return [_signer(caption, official, government, dated) for caption, official, dated in pairs]


def _leader(caption, official, government):
    """The regional head's column, titled by the government's kind: "Wali Kota Cilegon",
    "Bupati Serang", "Gubernur Banten" (``Government.head_position``).

    A recorded position that names that office is kept as written ("Walikota Cilegon",
    "Pj. Bupati Serang": an acting head signs as such); any other (another kind's
    title, a typing slip) gives way to the office's title, and with nobody in office
    the title is still printed above the empty name.
    """
    signer = _signer(caption, official, government, False)
    if not regional_head.names_head(signer.position, government.kind):
        signer.position = government.head_position
    return signer


def _signer(caption, official, government, dated):
    if official is None:
        return Signer(caption=caption, position="", name="", rank="", nip="", dated=dated)
    return Signer(
        caption=caption,
        position=full_position(official.position, government.name, government.place_name),
        name=official.name,
        rank=official.rank,
        nip=official.nip,
        dated=dated,
    )
