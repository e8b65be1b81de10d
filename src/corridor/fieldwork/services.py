"""Field work without network: the pack a social worker downloads, and the sync of what she
recorded on her device.

The pack holds her assigned children's cases with the minimal fields a visit needs, the forms'
field definitions (labels translated here, so the device shows them in her language) and the
records she may correct offline with their version. Each operation the device sends comes back
with one answer:

* ``applied``: recorded through the same service as the web form (same rules, same audit);
* ``conflict``: she changed a field that someone changed on the server meanwhile; her other
  fields are applied, both values of each disputed field wait for a person to choose
  (``conflict_resolve``): never a silent overwrite;
* ``refused``: the case is no longer hers, or the record breaks a rule (a visit dated before the
  placement, a score outside its scale); the device keeps it and shows why, and the node keeps
  it too, encrypted, for her supervisor to reassign.

An operation is sent with a device-made id: sending it again (a lost answer, a retry) returns the
first answer and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms as django_forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_read_many, audit_record, choice_label, node_about
from corridor.cases.models import Case
from corridor.cases.selectors import can_manage, visible_cases
from corridor.core.forms import EARLIEST_DATE, LATEST_DATE, error_text, form_problems
from corridor.fieldwork.models import Conflict, Operation

SESSION_KEY = "fieldwork_device_secret"
MAX_OPERATIONS = 200


@dataclass(frozen=True)
class OfflineForm:
    """A form a device may fill without network. ``create(actor, case, data)`` records a new
    record; ``update(actor, record, expected_version, **fields)`` corrects one (None: records of
    this form are not corrected offline); ``records(case)`` lists the correctable ones and
    ``fields_of(record)`` their current values."""

    name: str
    label: str
    form: Callable[..., django_forms.Form]
    create: Callable
    update: Callable | None = None
    records: Callable | None = None
    fields_of: Callable | None = None


FORMS: dict[str, OfflineForm] = {}


def register_offline_form(form: OfflineForm) -> None:
    FORMS[form.name] = form


def form_field(operation: Operation, name: str) -> django_forms.Field | None:
    """The field ``name`` of the form an operation was sent with (None for a form no longer
    offered offline)."""
    spec = FORMS.get(operation.form)
    return spec.form(case=operation.case).fields.get(name) if spec else None


def value_shown(field: django_forms.Field | None, stored: str) -> str:
    """A value a conflict keeps (JSON) for ``field`` as a person reads it: a choice by its label,
    a yes or no, a date in the reader's format, nothing as "—"."""
    from django.utils.formats import date_format

    try:
        value = json.loads(stored) if stored else None
    except ValueError:
        return stored
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(field, django_forms.ChoiceField):
        return str(dict((str(v), label) for v, label in field.choices).get(str(value), value))
    if isinstance(field, django_forms.DateField):
        try:
            return date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    return str(value)


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _field_spec(name: str, field: django_forms.Field) -> dict:
    spec = {
        "name": name,
        "label": str(field.label or name),
        "required": field.required,
        "help": str(field.help_text or ""),
    }
    if isinstance(field, django_forms.DateField):
        spec |= {"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
    elif isinstance(field, django_forms.IntegerField):
        spec |= {"type": "number", "min": field.min_value, "max": field.max_value}
    elif isinstance(field, django_forms.BooleanField):
        spec["type"] = "checkbox"
    elif isinstance(field, django_forms.ChoiceField):
        spec |= {
            "type": "select",
            "choices": [[str(v), str(label)] for v, label in field.choices if str(v) != ""],
        }
    elif isinstance(getattr(field, "widget", None), django_forms.Textarea):
        spec["type"] = "textarea"
    else:
        spec |= {"type": "text", "maxlength": getattr(field, "max_length", None)}
    return spec


def assigned_cases(user):
    """The children's cases a social worker carries: those she owns or is assigned, open."""
    return (
        visible_cases(user)
        .filter(Q(assigned_to=user) | Q(owner=user), is_child=True)
        .exclude(status="closed")
    )


def pack(request) -> dict:
    """What the device downloads: the cases (minimal fields), the forms, the records she may
    correct, and the secret her device derives its storage key from (kept in her session, so a
    new sign-in gives a new key and the old store can no longer be read)."""
    user = request.user
    # Derived from the session's key (a new sign-in cycles it), never stored: the device can
    # read its store only while this sign-in lasts.
    secret = salted_hmac(SESSION_KEY, request.session.session_key or "").hexdigest()
    cases = list(assigned_cases(user).select_related("person").order_by("ref"))
    audit_read_many(actor=user, records=cases, kind="cases.case", query="fieldwork pack")
    out = []
    for case in cases:
        records = {}
        for name, spec in FORMS.items():
            if spec.records is None:
                continue
            records[name] = [
                {"uid": str(r.uid), "version": r.version, "fields": spec.fields_of(r)}
                for r in spec.records(case)
            ]
        person = case.person
        out.append(
            {
                "case": case.pk,
                "ref": case.ref,
                "name": f"{person.given_names} {person.family_name}".strip(),
                "age": person.age_today,
                "place": person.place_of_origin or "",
                "stage": case.get_stage_display(),
                "records": records,
            }
        )
    forms = {}
    for name, spec in FORMS.items():
        form = spec.form(case=None)
        forms[name] = {
            "label": str(spec.label),
            "fields": [_field_spec(n, f) for n, f in form.fields.items()],
            "correctable": spec.update is not None,
        }
    return {
        "user": user.get_username(),
        "secret": secret,
        "downloaded_at": timezone.now().isoformat(),
        "cases": out,
        "forms": forms,
    }


def _answer(operation: Operation) -> dict:
    return {
        "id": str(operation.uid),
        "status": operation.status,
        "message": operation.message,
        "conflicts": [
            {"field": c.field, "server": c.server_value, "device": c.device_value}
            for c in operation.conflicts.all()
        ],
    }


def _apply(actor, case: Case, spec: OfflineForm, op: dict) -> tuple[str, str, list[tuple]]:
    """(status, message, conflicts) for one operation whose case the actor may change."""
    fields = op.get("fields")
    if not isinstance(fields, dict):
        raise ValidationError(_("The record sent has no fields."))
    if not op.get("record"):
        form = spec.form(data=fields, case=case)
        if not form.is_valid():
            raise ValidationError(form_problems(form))
        data = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
        spec.create(actor, case, data)
        return Operation.Status.APPLIED, "", []
    if spec.update is None:
        raise ValidationError(_("Records of this form are not corrected offline."))
    record = next((r for r in spec.records(case) if str(r.uid) == str(op["record"])), None)
    if record is None:
        raise ValidationError(_("The record corrected offline no longer exists."))
    current = spec.fields_of(record)
    base = op.get("base") if isinstance(op.get("base"), dict) else {}
    form = spec.form(data={**current, **fields}, case=case)
    if not form.is_valid():
        raise ValidationError(form_problems(form))
    cleaned = form.cleaned_data
    changed = {f for f in fields if f in cleaned and fields[f] != base.get(f, current.get(f))}
    disputed = [
        (f, current.get(f), fields[f])
        for f in sorted(changed)
        if current.get(f) != base.get(f, current.get(f)) and current.get(f) != fields[f]
    ]
    apply = {f: cleaned[f] for f in changed if f not in {d[0] for d in disputed}}
    if apply:
        spec.update(actor, record, record.version, **apply)
    if disputed:
        return (
            Operation.Status.CONFLICT,
            _("Changed on the server meanwhile: %(fields)s. A person chooses which value stays.")
            % {"fields": ", ".join(str(form.fields[f].label) for f, _s, _d in disputed)},
            disputed,
        )
    return Operation.Status.APPLIED, "", []


def sync(*, actor, operations: list) -> list[dict]:
    """Apply each operation in its own transaction; return one answer per operation."""
    if not isinstance(operations, list) or len(operations) > MAX_OPERATIONS:
        raise ValidationError(
            _("Send between 1 and %(n)s records at a time.") % {"n": MAX_OPERATIONS}
        )
    return [sync_one(actor, op) for op in operations]


def sync_one(actor, op) -> dict:
    if not isinstance(op, dict):
        return {"id": "", "status": "refused", "message": _("Not a record.")}
    try:
        import uuid

        uid = uuid.UUID(str(op.get("id")))
    except ValueError:
        return {"id": str(op.get("id"))[:40], "status": "refused", "message": _("No record id.")}
    done = Operation.objects.filter(uid=uid, user=actor).first()
    if done is not None:
        return _answer(done)
    spec = FORMS.get(str(op.get("form")))
    case_pk = op.get("case") if isinstance(op.get("case"), int) else None
    case = visible_cases(actor).filter(pk=case_pk).first()
    if spec is None:
        return {"id": str(uid), "status": "refused", "message": _("Unknown form.")}
    if case is None and not Case.objects.filter(pk=case_pk).exists():
        return {"id": str(uid), "status": "refused", "message": _("Unknown case.")}
    recorded_at = (
        parse_datetime(str(op.get("recorded_at") or "")) if op.get("recorded_at") else None
    )
    payload = json.dumps({"base": op.get("base"), "fields": op.get("fields")}, default=str)
    try:
        with transaction.atomic():
            if case is None or not can_manage(actor, case):
                raise PermissionDenied(
                    _(
                        "This case is no longer yours: the record is kept on your device and on "
                        "the node for your supervisor, who can reassign the case."
                    )
                )
            status, message, disputed = _apply(actor, case, spec, op)
            operation = Operation.objects.create(
                uid=uid,
                user=actor,
                case=case,
                form=spec.name,
                record_uid=op.get("record") or None,
                base_version=op.get("base_version")
                if isinstance(op.get("base_version"), int)
                else None,
                payload=payload,
                recorded_at=recorded_at,
                status=status,
                message=message,
            )
            for field, server, device in disputed:
                Conflict.objects.create(
                    operation=operation,
                    field=field,
                    server_value=json.dumps(_jsonable(server)),
                    device_value=json.dumps(_jsonable(device)),
                )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                target=operation,
                summary=node_about(
                    case.ref,
                    gettext_noop("%(form)s (%(status)s)"),
                    form=spec.label,
                    status=choice_label(Operation.Status, status),
                ),
            )
            return _answer(operation)
    except (ValidationError, PermissionDenied, IntegrityError) as exc:
        # The same record sent twice at once: the first request recorded it meanwhile (so this
        # one met its unique id, or the record it made); answer with what the first did.
        done = Operation.objects.filter(uid=uid, user=actor).first()
        if done is not None:
            return _answer(done)
        message = error_text(exc) if not isinstance(exc, IntegrityError) else _("Already recorded.")
        target = case or Case.objects.get(pk=case_pk)
        with transaction.atomic():
            operation = Operation.objects.create(
                uid=uid,
                user=actor,
                case=target,
                form=spec.name,
                record_uid=op.get("record") or None,
                payload=payload,
                recorded_at=recorded_at,
                status=Operation.Status.REFUSED,
                message=message,
            )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                target=operation,
                summary=node_about(
                    target.ref,
                    gettext_noop("%(form)s (%(status)s)"),
                    form=spec.label,
                    status=Operation.Status.REFUSED.label,
                ),
            )
        return _answer(operation)


def visible_conflicts(user):
    """Conflicts a person may resolve: her own, and for a supervisor those of her agency's cases,
    for a coordinator all."""
    from corridor.accounts.models import Role

    conflicts = Conflict.objects.select_related("operation__case", "operation__user").filter(
        resolved_at__isnull=True
    )
    if user.role == Role.COORDINATOR:
        return conflicts
    if user.role == Role.SUPERVISOR:
        return conflicts.filter(operation__case__agency_id=user.agency_id)
    return conflicts.filter(operation__user=user)


def visible_refused(user):
    from corridor.accounts.models import Role

    refused = Operation.objects.select_related("case", "user").filter(
        status=Operation.Status.REFUSED
    )
    if user.role == Role.COORDINATOR:
        return refused
    if user.role == Role.SUPERVISOR:
        return refused.filter(case__agency_id=user.agency_id)
    return refused.filter(user=user)


@transaction.atomic
def conflict_resolve(*, actor, conflict: Conflict, keep: str) -> Conflict:
    """Keep the server's value or take the device's (through the form's own service)."""
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict not in visible_conflicts(actor):
        raise PermissionDenied(_("This conflict is not yours to resolve."))
    if keep not in ("server", "device"):
        raise ValidationError(_("Choose which value stays."))
    operation = conflict.operation
    spec = FORMS[operation.form]
    if keep == "device":
        record = next(r for r in spec.records(operation.case) if r.uid == operation.record_uid)
        current = spec.fields_of(record)
        form = spec.form(
            data={**current, conflict.field: json.loads(conflict.device_value)}, case=operation.case
        )
        if not form.is_valid():
            raise ValidationError(form_problems(form))
        spec.update(
            actor, record, record.version, **{conflict.field: form.cleaned_data[conflict.field]}
        )
    conflict.resolved_at, conflict.resolved_by, conflict.kept = timezone.now(), actor, keep
    conflict.save()
    if not operation.conflicts.filter(resolved_at__isnull=True).exists():
        operation.status = Operation.Status.RESOLVED
        operation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=operation,
        summary=node_about(
            operation.case.ref,
            gettext_noop("conflict on “%(field)s”: the device's value kept")
            if keep == "device"
            else gettext_noop("conflict on “%(field)s”: the server's value kept"),
            field=lambda: conflict.field_label,
        ),
    )
    return conflict
