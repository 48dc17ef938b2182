"""Creating what a setup workbook holds (``tracker.setup_workbook``): the preview is
computed again from the same bytes and, if it is clean and still the one the person
confirmed, every row is created through the services (``create_unit``,
``appoint_official``, ``accounts.invite_user``) in one transaction: all of it or
nothing. Accounts come last, so their invitations go out only once the units and
officials are in.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tracker import accounts, services
from tracker.models import Unit
from tracker.setup_workbook import ACCOUNTS, OFFICIALS, UNITS, preview_setup
from tracker.workbook_io import Problem


class SetupRefused(Exception):
    """The workbook cannot be imported (``preview`` says why); nothing was saved."""

    def __init__(self, preview, stale=False):
        super().__init__(_("The workbook was not imported."))
        self.preview, self.stale = preview, stale


def _ordered_units(items):
    """Unit items so that a unit comes after the in-file units it names."""
    pending = {item.values["code"]: item for item in items}
    done, ordered = set(), []
    while pending:
        ready = [
            code
            for code, item in pending.items()
            if all(
                ref not in pending or ref == code
                for ref in (item.values["coordinator"], item.values["parent"])
            )
        ]
        if not ready:  # a loop of parents: refuse rather than guess
            item = next(iter(pending.values()))
            raise ValidationError(_("The units' parents form a loop."), params={"row": item.row})
        for code in ready:
            ordered.append(pending.pop(code))
            done.add(code)
    return ordered


def apply_setup(government, content, file_name, *, actor, request_or_site_url, fingerprint=None):
    """Create the workbook's units, officials and accounts in one transaction, through
    the services. Raises :class:`SetupRefused` (nothing saved) when the file has
    problems, when it no longer matches the previewed ``fingerprint``, or when a
    service refuses a row. Invitations are sent as the accounts are made, last."""
    preview = preview_setup(government, content, file_name)
    if not preview.is_valid:
        raise SetupRefused(preview)
    if fingerprint is not None and fingerprint != preview.fingerprint:
        raise SetupRefused(preview, stale=True)
    reason = _("Setup workbook %(file)s") % {"file": file_name}
    current = None
    try:
        with transaction.atomic():
            units = {u.code: u for u in Unit.objects.filter(government=government)}
            for item in _ordered_units(preview.of(UNITS)):
                current, v = item, item.values
                units[v["code"]] = services.create_unit(
                    actor=actor,
                    government=government,
                    kind=v["kind"],
                    code=v["code"],
                    name=v["name"],
                    abbreviation=v["abbreviation"] or "",
                    opd_type=v["opd_type"] or "",
                    coordinator=units.get(v["coordinator"]) if v["coordinator"] else None,
                    parent=units.get(v["parent"]) if v["parent"] else None,
                    reason=reason,
                )
            for item in preview.of(OFFICIALS):
                current, v = item, item.values
                services.appoint_official(
                    actor=actor,
                    unit=units[v["unit"]],
                    name=v["name"],
                    nip=v["nip"],
                    rank=v["rank"] or "",
                    position=v["position"],
                    is_head=v["is_head"],
                    start_date=v["start_date"],
                    reason=reason,
                )
            for item in preview.of(ACCOUNTS):
                current, v = item, item.values
                accounts.invite_user(
                    actor=actor,
                    government=government,
                    username=v["username"],
                    full_name=v["full_name"],
                    email=v["email"],
                    unit=units[v["unit"]] if v["unit"] else None,
                    role=v["role"],
                    is_unit_head=v["is_unit_head"],
                    reason=reason,
                    request_or_site_url=request_or_site_url,
                )
    except ValidationError as error:
        sheet = current.sheet.title if current else ""
        row = current.row if current else None
        preview.problems.append(Problem(" ".join(error.messages), sheet, row))
        preview.items = []
        raise SetupRefused(preview) from None
    return preview
