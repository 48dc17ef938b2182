"""The setup workbook: a government's units, officials and accounts in one .xlsx.

Three sheets to fill (Unit, Pejabat, Akun), an instruction sheet and a reference
list of the units the government already has, so rows can refer to them. An
account row names its official by NIP and takes the name (and, unless given,
the unit and "heads the unit") from that official: a head's name is typed once.

:func:`preview_setup` reads the file and checks every row against the
government as it is and against the rest of the file; it writes nothing.
:func:`tracker.setup_apply.apply_setup` creates the rows of a clean preview.
An import only creates; it never changes or removes a record.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from tracker import accounts
from tracker.models import Official, Unit
from tracker.validators import normalize_nip, validate_nip
from tracker.workbook_io import (
    Column,
    ImportPreview,
    Problem,
    Sheet,
    build_book,
    read_workbook,
    word_for,
)

K = Unit.Kind
KINDS = {
    K.OPD: ("opd", "dinas", "badan", "organisasi perangkat daerah"),
    K.KECAMATAN: ("kecamatan", "kec"),
    K.KELURAHAN: ("kelurahan", "kel"),
    K.ASDA: ("asda", "asisten"),
    K.SETDA: ("setda", "sekretariat daerah"),
    K.KEPALA_DAERAH: ("kepala daerah", "kdh", "wali kota", "walikota", "bupati", "gubernur"),
}
OPD_TYPES = {value: (value, label.lower()) for value, label in Unit.OpdType.choices}
ROLES = {
    accounts.UNIT_MEMBER: ("anggota unit", "unit", "operator", "kepala unit"),
    "Administrator": ("administrator", "admin"),
    "Bappeda": ("bappeda",),
    "Pimpinan": ("pimpinan", "leadership"),
}
CHOICES = {"unit_kind": KINDS, "opd_type": OPD_TYPES, "role": ROLES}

UNIT_CODE = "Kode Unit"
UNITS = Sheet(
    "units",
    "Unit",
    (
        Column("code", UNIT_CODE, "code", width=14),
        Column("name", "Nama Unit", "text", width=50),
        Column("abbreviation", "Singkatan", "text", required=False),
        Column("kind", "Jenis", "unit_kind", width=14),
        Column("opd_type", "Tipe OPD", "opd_type", required=False, width=14),
        Column("coordinator", "Kode Asda Koordinator", "code", required=False, width=20),
        Column("parent", "Kode Unit Induk", "code", required=False, width=18),
    ),
)
OFFICIALS = Sheet(
    "officials",
    "Pejabat",
    (
        Column("nip", "NIP", "code", required=False, width=24),
        Column("name", "Nama (dengan gelar)", "text", width=36),
        Column("unit", UNIT_CODE, "code", width=14),
        Column("position", "Jabatan", "text", width=40),
        Column("rank", "Pangkat/Golongan", "text", required=False, width=24),
        Column("is_head", "Kepala Unit", "bool", required=False, width=12),
        Column("start_date", "Mulai Menjabat", "date", width=16),
    ),
)
ACCOUNTS = Sheet(
    "accounts",
    "Akun",
    (
        Column("username", "Nama Pengguna", "code", width=20),
        Column("nip", "NIP Pejabat", "code", required=False, width=24),
        Column("full_name", "Nama Lengkap (tanpa NIP)", "text", required=False, width=30),
        Column("email", "Email", "text", width=30),
        Column("role", "Peran", "role", width=16),
        Column("unit", "Kode Unit (tanpa NIP)", "code", required=False, width=18),
        Column("is_unit_head", "Kepala Unit (tanpa NIP)", "bool", required=False, width=14),
    ),
)
SHEETS = (UNITS, OFFICIALS, ACCOUNTS)
INSTRUCTIONS = "Petunjuk"
EXISTING = "Unit yang Ada"


def instructions(government):
    return [
        _("Setup workbook of %(government)s: units, officials and accounts")
        % {"government": government},
        _(
            "Fill in the sheets Unit, Pejabat and Akun, one row per record, and upload the "
            "file. Nothing is saved until you have seen the preview and confirmed it; a "
            "file with one bad row saves nothing."
        ),
        _(
            "Unit: a new unit per row. Its code must be new in the government. Jenis: "
            "opd, kecamatan, kelurahan, asda, setda or kepala daerah. Tipe OPD (only for an "
            "OPD): dinas, badan, inspektorat, bagian, sekretariat, satuan or upt. The Asda "
            "and the parent unit are given by their code, from this sheet or the sheet "
            "“%(existing)s”."
        )
        % {"existing": EXISTING},
        _(
            "Pejabat: a person in an office. NIP: 18 digits, spaces allowed (empty for an "
            "elected official). Kode Unit: a unit of this file or of “%(existing)s”. "
            "Kepala Unit: ya or tidak. Mulai Menjabat: a date such as 02/01/2025."
        )
        % {"existing": EXISTING},
        _(
            "Akun: an account per row. Give the official's NIP and leave the name, unit and "
            "“heads the unit” empty: they are taken from the official. Without a NIP, write "
            "the full name and the unit. Peran: anggota unit, administrator, bappeda or "
            "pimpinan. Each account gets an email with a link to set its password."
        ),
        _("The header row and the sheet names must stay as they are."),
    ]


def template_workbook(government):
    """The empty workbook to fill in, with the government's units listed for reference."""
    reference = Sheet(
        "existing",
        EXISTING,
        (
            Column("code", UNIT_CODE, "code"),
            Column("name", "Nama Unit", "text", width=50),
            Column("kind", "Jenis", "text"),
        ),
    )
    units = Unit.objects.filter(government=government, is_active=True).order_by("kind", "code")
    existing = [[u.code, u.name, word_for(KINDS, u.kind)] for u in units]
    sheets = [*((sheet, []) for sheet in SHEETS), (reference, existing)]
    return build_book(INSTRUCTIONS, instructions(government), sheets)


@dataclass
class Item:
    """A row that will be created: its sheet, row number, what it shows and its values."""

    sheet: Sheet
    row: int
    label: str
    values: dict


@dataclass
class SetupPreview(ImportPreview):
    def of(self, sheet):
        return [item for item in self.items if item.sheet is sheet]

    def sheets(self):
        return [(sheet, self.of(sheet)) for sheet in SHEETS]


class _Checker:
    """Checks each row against the government and the rest of the file."""

    def __init__(self, government, parsed, file_name):
        self.government = government
        self.preview = SetupPreview(file_name=file_name, problems=list(parsed.problems))
        self.rows = parsed.rows
        self.units = {u.code: u for u in Unit.objects.filter(government=government)}
        self.new_units = {}  # code -> values
        self.new_officials = {}  # nip -> values
        self.heads = {}  # unit code -> row of the head in the file

    def problem(self, sheet, row, key, message):
        column = sheet.column(key).header if key else ""
        self.preview.problems.append(Problem(message, sheet.title, row.number, column))

    def kind_of(self, code):
        if code in self.new_units:
            return self.new_units[code]["kind"]
        unit = self.units.get(code)
        return unit.kind if unit else None

    def known_unit(self, sheet, row, key, code):
        if code in self.new_units or code in self.units:
            return True
        self.problem(
            sheet,
            row,
            key,
            _("there is no unit with the code “%(code)s” in this file or in %(government)s")
            % {"code": code, "government": self.government},
        )
        return False

    def run(self):
        for row in self.rows["units"]:
            if row.values["_ok"]:
                self.unit(UNITS, row, row.values)
        for row in self.rows["units"]:
            if row.values["_ok"] and row.values["code"] in self.new_units:
                self.unit_links(UNITS, row, row.values)
        for row in self.rows["officials"]:
            if row.values["_ok"]:
                self.official(OFFICIALS, row, row.values)
        usernames, emails = set(), set()
        for row in self.rows["accounts"]:
            if row.values["_ok"]:
                self.account(ACCOUNTS, row, row.values, usernames, emails)
        order = {sheet.title: index for index, sheet in enumerate(SHEETS)}
        self.preview.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row or 0))
        if self.preview.problems:
            self.preview.items = []
        digest = hashlib.sha256()
        for item in self.preview.items:
            digest.update(repr((item.sheet.key, sorted(item.values.items()))).encode())
        self.preview.fingerprint = digest.hexdigest()
        return self.preview

    def unit(self, sheet, row, v):
        code = v["code"]
        if code in self.new_units:
            self.problem(
                sheet, row, "code", _("the code “%(code)s” appears twice") % {"code": code}
            )
            return
        if code in self.units:
            self.problem(
                sheet,
                row,
                "code",
                _("The code %(code)s is already used by %(unit)s.")
                % {"code": code, "unit": self.units[code].name},
            )
            return
        instance = Unit(
            government=self.government,
            kind=v["kind"],
            code=code,
            name=v["name"],
            abbreviation=v["abbreviation"] or "",
            opd_type=v["opd_type"] or "",
        )
        try:
            instance.clean_fields(exclude=["government", "coordinator", "parent"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = name if name in {c.key for c in sheet.columns} else None
                for message in messages:
                    self.problem(sheet, row, key, message)
            return
        if v["opd_type"] and v["kind"] != K.OPD:
            self.problem(sheet, row, "opd_type", _("Only an OPD has an OPD type."))
            return
        self.new_units[code] = {**v, "_row": row.number}

    def unit_links(self, sheet, row, v):
        ok = True
        coordinator, parent = v["coordinator"], v["parent"]
        if coordinator and self.known_unit(sheet, row, "coordinator", coordinator):
            if v["kind"] not in Unit.COORDINATED_KINDS:
                ok = False
                self.problem(
                    sheet,
                    row,
                    "coordinator",
                    _("Only an OPD or a Kecamatan is coordinated by an Asda."),
                )
            elif self.kind_of(coordinator) != K.ASDA:
                ok = False
                self.problem(
                    sheet,
                    row,
                    "coordinator",
                    _("%(unit)s is not an Asda unit; only an Asda may coordinate units.")
                    % {"unit": coordinator},
                )
        elif coordinator:
            ok = False
        if parent and self.known_unit(sheet, row, "parent", parent):
            if parent == v["code"]:
                ok = False
                self.problem(sheet, row, "parent", _("A unit cannot be its own parent."))
            elif v["kind"] == K.KELURAHAN and self.kind_of(parent) != K.KECAMATAN:
                ok = False
                self.problem(sheet, row, "parent", _("A Kelurahan belongs to a Kecamatan."))
        elif parent:
            ok = False
        if ok:
            self.preview.items.append(Item(sheet, row.number, f"{v['code']} {v['name']}", v))

    def official(self, sheet, row, v):
        ok = True
        nip = ""
        if v["nip"]:
            try:
                nip = validate_nip(v["nip"])
            except ValidationError as error:
                ok = False
                self.problem(sheet, row, "nip", " ".join(error.messages))
            else:
                if nip in self.new_officials:
                    ok = False
                    self.problem(
                        sheet,
                        row,
                        "nip",
                        _("the NIP %(nip)s appears twice (also in row %(row)s)")
                        % {"nip": nip, "row": self.new_officials[nip]["_row"]},
                    )
        ok &= self.known_unit(sheet, row, "unit", v["unit"])
        for key, limit in (("name", 200), ("position", 200), ("rank", 100)):
            if v[key] and len(v[key]) > limit:
                ok = False
                self.problem(sheet, row, key, _("at most %(limit)s characters") % {"limit": limit})
        if ok and v["is_head"]:
            ok = self.head_is_free(sheet, row, v)
        if ok:
            values = {**v, "nip": nip, "is_head": bool(v["is_head"]), "_row": row.number}
            if nip:
                self.new_officials[nip] = values
            self.preview.items.append(Item(sheet, row.number, f"{v['name']} ({v['unit']})", values))

    def head_is_free(self, sheet, row, v):
        """Two heads of one unit at once: within the file, or with the stored head."""
        code = v["unit"]
        if code in self.heads:
            self.problem(
                sheet,
                row,
                "is_head",
                _("the unit %(code)s already has a head in row %(row)s")
                % {"code": code, "row": self.heads[code]},
            )
            return False
        unit = self.units.get(code)
        if unit is not None:
            clash = (
                Official.objects.filter(unit=unit, is_head=True).in_office(v["start_date"]).first()
            )
            if clash:
                self.problem(
                    sheet,
                    row,
                    "is_head",
                    _("%(name)s already heads this unit in that period; end that term first.")
                    % {"name": clash.name},
                )
                return False
        self.heads[code] = row.number
        return True

    def official_by_nip(self, nip):
        """``(name, unit code, heads)`` of the official with ``nip`` in the file or,
        failing that, in office in the government now."""
        if nip in self.new_officials:
            o = self.new_officials[nip]
            return o["name"], o["unit"], o["is_head"]
        stored = (
            Official.objects.filter(unit__government=self.government, nip=nip, end_date=None)
            .select_related("unit")
            .order_by("-start_date")
            .first()
        )
        if stored is None:
            return None
        return stored.name, stored.unit.code, stored.is_head

    def account(self, sheet, row, v, usernames, emails):
        ok = True
        username = v["username"]
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as error:
            ok = False
            self.problem(sheet, row, "username", " ".join(error.messages))
        User = get_user_model()
        if username in usernames or User.objects.filter(username__iexact=username).exists():
            ok = False
            self.problem(
                sheet,
                row,
                "username",
                _("the user name “%(name)s” is already taken") % {"name": username},
            )
        usernames.add(username)
        email = (v["email"] or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            ok = False
            self.problem(sheet, row, "email", " ".join(error.messages))
        else:
            if email in emails or User.objects.filter(email__iexact=email).exists():
                ok = False
                self.problem(
                    sheet,
                    row,
                    "email",
                    _(
                        "Another account already uses this email address; each person "
                        "needs their own."
                    ),
                )
        emails.add(email)
        name, unit, head = v["full_name"], v["unit"], v["is_unit_head"]
        if v["nip"]:
            found = self.official_by_nip(normalize_nip(v["nip"]))
            if found is None:
                ok = False
                self.problem(
                    sheet,
                    row,
                    "nip",
                    _("no official with the NIP %(nip)s in this file or in %(government)s")
                    % {"nip": v["nip"], "government": self.government},
                )
            else:
                name = name or found[0]
                unit = unit or found[1]
                head = found[2] if head is None else head
        if not name:
            ok = False
            self.problem(
                sheet, row, "full_name", _("Write the person's full name, or the official's NIP.")
            )
        if unit:
            ok &= self.known_unit(sheet, row, "unit", unit)
            stored = self.units.get(unit)
            if stored is not None and not stored.is_active:
                ok = False
                self.problem(
                    sheet,
                    row,
                    "unit",
                    _("%(unit)s is deactivated; choose an active unit.") % {"unit": stored},
                )
        elif v["role"] == accounts.UNIT_MEMBER:
            ok = False
            self.problem(sheet, row, "unit", _("A unit member, and a unit head, needs a unit."))
        if ok:
            values = {
                "username": username,
                "full_name": name,
                "email": email,
                "role": v["role"],
                "unit": unit or None,
                "is_unit_head": bool(head and unit),
            }
            self.preview.items.append(Item(sheet, row.number, f"{username} · {name}", values))


def preview_setup(government, content, file_name=""):
    """What importing the setup workbook ``content`` (bytes) into ``government`` would
    create, with every problem found (naming sheet, row and column). Writes nothing."""
    parsed = read_workbook(content, SHEETS, choices=CHOICES, optional=("accounts",))
    if parsed.problems and not parsed.row_count:
        return SetupPreview(file_name=file_name, problems=parsed.problems)
    return _Checker(government, parsed, file_name).run()
