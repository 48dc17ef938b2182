"""Reads and writes of classification schemes and their categories
(``programs.models.classification``). Pages, commands and the demo call these.

A scheme is saved with its whole list of categories at once: the rows' order
is the categories' order, a row with a ``pk`` changes that category, one
without adds a category, and a category left out is removed, unless a program
carries it (then it stays and the save is refused).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Category, ClassificationScheme, Program
from programs.program_services import Errors, row_key
from tracker import policy
from tracker.history import delete_tracked, save_tracked

SCHEME_FIELDS = ("name", "description", "categories_required")
CATEGORY_FIELDS = ("code", "name", "description")


def schemes_visible_to(user):
    """The schemes ``user`` may see: the shared ones and their government's own."""
    return policy.visible(user, ClassificationScheme.objects.select_related("government"))


@transaction.atomic
def create_scheme(*, actor, government, categories=(), reason="", **fields):
    """A new scheme of ``government`` (``None``: a shared one) with its ``categories``
    (dicts of code, name, description, in order). Returns the scheme."""
    scheme = ClassificationScheme(government=government)
    return _save(scheme, actor=actor, fields=fields, rows=list(categories), reason=reason)


@transaction.atomic
def update_scheme(scheme, *, actor, categories=None, reason="", **fields):
    """Change a scheme's fields and, if given, its whole list of categories (rows as
    :func:`create_scheme`'s, with ``pk`` for the existing ones). Returns the scheme."""
    scheme = ClassificationScheme.objects.select_for_update().get(pk=scheme.pk)
    rows = list(categories) if categories is not None else None
    return _save(scheme, actor=actor, fields=fields, rows=rows, reason=reason)


def _save(scheme, *, actor, fields, rows, reason):
    unknown = set(fields) - set(SCHEME_FIELDS)
    if unknown:
        raise TypeError(f"cannot set {sorted(unknown)}")
    errors = Errors()
    changed = scheme.pk is None
    for name, value in fields.items():
        if getattr(scheme, name) != value:
            setattr(scheme, name, value)
            changed = True
    try:
        scheme.full_clean()
    except ValidationError as error:
        errors.absorb(error)
    plan = _category_plan(errors, scheme, rows) if rows is not None else None
    required = scheme.categories_required and (
        (plan is not None and not plan.kept) or (plan is None and not scheme.pk)
    )
    if required:
        errors.add("categories_required", _("A scheme that requires categories needs some."))
    errors.raise_if_any()
    if changed:
        save_tracked(scheme, actor=actor, reason=reason)
    if plan is not None:
        plan.apply(scheme, actor=actor, reason=reason)
    return scheme


def _check_codes_free(errors, kept, removed):
    """A category cannot take a code another kept category still has until that one is
    saved (codes are unique per scheme): swapping two codes takes two saves."""
    held = {c.saved_code: c for c in kept if c.pk is not None}
    for category in kept:
        other = held.get(category.code)
        if other is not None and other is not category:
            errors.add(
                row_key(category.row_index, "code"),
                _("Another category still has the code %(code)s: change it in a second save.")
                % {"code": category.code},
            )


class _CategoryPlan:
    """What saving a list of category rows does: categories to save (in order) and to
    remove."""

    def __init__(self):
        self.kept, self.removed = [], []

    def apply(self, scheme, *, actor, reason):
        for category in self.removed:
            delete_tracked(category, actor=actor, reason=reason)
        for category in self.kept:
            category.scheme = scheme
            if category.pk is None or category.changed:
                save_tracked(category, actor=actor, reason=reason)


def _category_plan(errors, scheme, rows):
    existing = {c.pk: c for c in scheme.categories.all()} if scheme.pk else {}
    plan = _CategoryPlan()
    codes = {}
    for index, row in enumerate(rows):
        pk = row.get("pk")
        if pk is not None and pk not in existing:
            errors.add(row_key(index, NON_FIELD_ERRORS), _("Unknown category."))
            continue
        category = existing.pop(pk) if pk is not None else Category(scheme=scheme)
        category.saved_code, category.row_index = category.code, index
        before = {name: getattr(category, name) for name in (*CATEGORY_FIELDS, "order")}
        for name in CATEGORY_FIELDS:
            setattr(category, name, (row.get(name) or "").strip())
        category.order = index + 1
        category.changed = before != {n: getattr(category, n) for n in before}
        if category.code in codes:
            errors.add(row_key(index, "code"), _("This code is listed twice."))
        codes[category.code] = index
        try:
            category.full_clean(exclude=["scheme"], validate_unique=False)
        except ValidationError as error:
            errors.absorb(error, prefix=index)
        plan.kept.append(category)
    left_out = list(existing.values())
    _check_codes_free(errors, plan.kept, left_out)
    used = set(
        Program.categories.through.objects.filter(category__in=left_out).values_list(
            "category_id", flat=True
        )
    )
    for category in left_out:
        if category.pk in used:
            errors.add(
                NON_FIELD_ERRORS,
                _("%(category)s is carried by programs: it cannot be removed.")
                % {"category": category},
            )
        plan.removed.append(category)
    return plan
