"""The organisation: governments, their units, the officials who head them,
and the users who work in them.

Every other app reaches a government through these models; the permission
policy (``tracker/policy.py``) speaks only of them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from tracker import regional_head
from tracker.validators import normalize_nip, validate_nip

# Texts that people type: long enough for a real answer, short enough for a
# printed report (the PDF prints them). Report texts (factors, obstacles,
# follow-up), descriptions, legal bases: 4,000 characters (about a page);
# plan texts (vision, mission, goal, objective) and commitment points: 2,000;
# notes and reasons: 1,000.
LONG_TEXT_MAX = 4000
PLAN_TEXT_MAX = 2000
NOTE_MAX = 1000


def bounded_text(verbose_name, limit, **kwargs):
    """A ``TextField`` of at most ``limit`` characters.

    ``max_length`` makes model forms show and enforce the limit; the validators
    make ``full_clean`` (and so every service) refuse a longer text, and a NUL
    character, which PostgreSQL cannot store.
    """
    return models.TextField(
        verbose_name,
        max_length=limit,
        validators=[MaxLengthValidator(limit), ProhibitNullCharactersValidator()],
        **kwargs,
    )


class NIPField(models.CharField):
    """A NIP stored as its 18 digits; typed with or without the usual spaces."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_nip(value) if value else value

    def formfield(self, **kwargs):
        # Room for the written form "19860926 201505 1 001" (21 characters).
        return super().formfield(**{**kwargs, "max_length": 24})


class Government(models.Model):
    """A Pemda: a city, regency or province government."""

    class Kind(models.TextChoices):
        KOTA = "kota", _("City (Kota)")
        KABUPATEN = "kabupaten", _("Regency (Kabupaten)")
        PROVINSI = "provinsi", _("Province")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region_code = models.CharField(
        _("Kemendagri region code"),
        max_length=13,
        unique=True,
        help_text=_("For example 36.72 for Kota Cilegon."),
    )
    place_name = models.CharField(
        _("place name"),
        max_length=100,
        help_text=_('Written before the date in signature blocks, e.g. "Cilegon".'),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("government")
        verbose_name_plural = _("governments")

    def __str__(self):
        return self.name

    # The regional head and deputy by the government's kind (tracker/regional_head.py).
    @property
    def head_title(self):
        """ "Wali Kota", "Bupati" or "Gubernur"."""
        return regional_head.head_title(self.kind)

    @property
    def deputy_title(self):
        """ "Wakil Wali Kota", "Wakil Bupati" or "Wakil Gubernur"."""
        return regional_head.deputy_title(self.kind)

    @property
    def head_position(self):
        """ "Wali Kota Cilegon", "Bupati Serang", "Gubernur Banten"."""
        return regional_head.head_position(self)

    @property
    def deputy_position(self):
        return regional_head.deputy_position(self)


class Unit(models.Model):
    """A unit of a government: Setda, an Asda, an OPD, a Kecamatan or Kelurahan."""

    class Kind(models.TextChoices):
        KEPALA_DAERAH = "kdh", _("Regional head")
        SETDA = "setda", _("Regional secretariat")
        ASDA = "asda", _("Regional assistant")
        OPD = "opd", _("Regional agency (OPD)")
        KECAMATAN = "kecamatan", _("District (Kecamatan)")
        KELURAHAN = "kelurahan", _("Urban village (Kelurahan)")

    class OpdType(models.TextChoices):
        DINAS = "dinas", _("Agency (Dinas)")
        BADAN = "badan", _("Board (Badan)")
        INSPEKTORAT = "inspektorat", _("Inspectorate")
        BAGIAN = "bagian", _("Secretariat division (Bagian)")
        SEKRETARIAT = "sekretariat", _("Secretariat")
        SATUAN = "satuan", _("Unit (Satuan)")
        UPT = "upt", _("Technical unit (UPT)")

    # Units that an Asda coordinates.
    COORDINATED_KINDS = (Kind.OPD, Kind.KECAMATAN)

    government = models.ForeignKey(
        Government, on_delete=models.PROTECT, related_name="units", verbose_name=_("government")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    opd_type = models.CharField(_("OPD type"), max_length=20, choices=OpdType.choices, blank=True)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=50, blank=True)
    coordinator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_units",
        verbose_name=_("coordinating Asda"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["government", "kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "code"], name="unit_code_unique_per_government"
            ),
        ]
        indexes = [models.Index(fields=["government", "kind", "name"])]

    def __str__(self):
        return self.abbreviation or self.name

    def clean(self):
        errors = {}
        if self.coordinator_id:
            coordinator = self.coordinator
            if self.kind not in self.COORDINATED_KINDS:
                errors["coordinator"] = _("Only an OPD or a Kecamatan is coordinated by an Asda.")
            elif coordinator.kind != Unit.Kind.ASDA:
                errors["coordinator"] = _(
                    "%(unit)s is not an Asda unit; only an Asda may coordinate units."
                ) % {"unit": coordinator}
            elif coordinator.government_id != self.government_id:
                errors["coordinator"] = _(
                    "The coordinating Asda must belong to the same government."
                )
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("A unit cannot be its own parent.")
            elif self.parent.government_id != self.government_id:
                errors["parent"] = _("The parent unit must belong to the same government.")
            elif self.kind == Unit.Kind.KELURAHAN and self.parent.kind != Unit.Kind.KECAMATAN:
                errors["parent"] = _("A Kelurahan belongs to a Kecamatan.")
        if self.opd_type and self.kind != Unit.Kind.OPD:
            errors["opd_type"] = _("Only an OPD has an OPD type.")
        if errors:
            raise ValidationError(errors)


class UnitUserObjectPermission(UserObjectPermissionBase):
    """Explicit grants on a unit to a user (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("unit permission of a user")
        verbose_name_plural = _("unit permissions of users")


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    """Explicit grants on a unit to a group (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("unit permission of a group")
        verbose_name_plural = _("unit permissions of groups")


class OfficialQuerySet(models.QuerySet):
    def in_office(self, on):
        """Officials whose term covers the date ``on``."""
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


# What a person writes about an official besides the unit: the forms and the API
# read this one list.
OFFICIAL_DETAILS = ("name", "nip", "rank", "position", "is_head", "start_date", "end_date")


class Official(models.Model):
    """A person in an office of a unit for a period.

    A new term is a new row, so "who headed Dinkes on 11 October 2019?" has an
    answer even after people move.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="officials", verbose_name=_("unit")
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("With academic titles, as signed.")
    )
    nip = NIPField(
        _("NIP"),
        blank=True,
        validators=[validate_nip],
        help_text=_("18 digits; spaces are allowed. Empty for elected officials."),
    )
    rank = models.CharField(
        _("rank / grade"),
        max_length=100,
        blank=True,
        help_text=_('Pangkat / golongan, e.g. "Pembina Tk. I / IV/b".'),
    )
    position = models.CharField(_("position"), max_length=200)
    is_head = models.BooleanField(_("heads the unit"), default=False)
    start_date = models.DateField(_("start of office"))
    end_date = models.DateField(_("end of office"), null=True, blank=True)
    history = HistoricalRecords()

    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-is_head", "-start_date", "name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="official_term_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["unit", "is_head", "start_date"])]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The office cannot end before it starts.")})
        if self.is_head and self.unit_id and self.start_date:
            overlapping = Official.objects.filter(unit_id=self.unit_id, is_head=True).exclude(
                pk=self.pk
            )
            overlapping = overlapping.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
            )
            if self.end_date:
                overlapping = overlapping.filter(start_date__lte=self.end_date)
            clash = overlapping.first()
            if clash:
                raise ValidationError(
                    _("%(name)s already heads this unit in that period; end that term first.")
                    % {"name": clash.name}
                )


class Profile(models.Model):
    """Where a user works: their government and unit, and whether they head it.

    The role groups (Administrator, Bappeda, Pimpinan) say what they do; see
    ``tracker/policy.py`` for what that lets them see.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    government = models.ForeignKey(
        Government, on_delete=models.PROTECT, related_name="profiles", verbose_name=_("government")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("unit"),
    )
    is_unit_head = models.BooleanField(_("head of the unit"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return str(self.user)

    def clean(self):
        if self.unit_id and self.unit.government_id != self.government_id:
            raise ValidationError({"unit": _("The unit must belong to the user's government.")})


class LeaveDay(models.Model):
    """A collective leave day (cuti bersama) of a government: not a working day.

    Public holidays come from the ``holidays`` package (``tracker.working_days``);
    collective leave is decided each year by joint ministerial decree and may be
    followed differently by each Pemda, so the Administrator records it here.
    """

    government = models.ForeignKey(
        Government,
        on_delete=models.PROTECT,
        related_name="leave_days",
        verbose_name=_("government"),
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["government", "date"]
        verbose_name = _("collective leave day")
        verbose_name_plural = _("collective leave days")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "date"], name="leave_day_unique_per_government"
            ),
        ]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}"


class DataVersion(models.Model):
    """The data version of one government (``tracker/data_version.py``).

    Cached reads are stored under it, and every committed write bumps it. It
    lives here, in the database, rather than in the cache, so that every
    process (every gunicorn worker, whatever cache it has) sees a bump at its
    next request, and a cache restart or a database restore cannot bring an
    old version back with the data.

    ``scope`` is the government's id, or 0 for the epoch that every key also
    holds (bumped by ``bump_all`` and by each ``migrate``). Not a foreign key,
    since the epoch row names no government. A missing row counts as 0.
    """

    scope = models.PositiveBigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.scope}: {self.version}"
