"""Forms on pages: a service's refusal shown on the form that caused it, and one dispatch for the
pages made of several small forms (the case page, the person page), each posting to one service.

Services validate (``full_clean`` and their own rules) and raise ``ValidationError`` or
``PermissionDenied``; the view only puts the messages where the user will read them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.core.numbers import in_a_list, labelled

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


IMPLAUSIBLE_DATE = gettext_lazy("Give a date between 1900 and 2100: a year has four digits.")


def plausible_date(value: date | None) -> bool:
    """A birth, an event and a deadline all fall between 1900 and 2100: a year typed "0026" or
    "20266" does not (a service on 1 January of year 1 would become the case's first
    assistance). Forms (``DateField``) and the API (``core.api.DateField``) refuse the others."""
    return value is None or EARLIEST_DATE <= value <= LATEST_DATE


class _PlausibleDay:
    """Refuses a value whose day is outside ``plausible_date``."""

    default_error_messages = {"implausible": IMPLAUSIBLE_DATE}

    def validate(self, value):
        super().validate(value)
        if not plausible_date(value.date() if isinstance(value, datetime) else value):
            raise ValidationError(self.error_messages["implausible"], code="implausible")


class DateField(_PlausibleDay, forms.DateField):
    """A day a person types; a date input gets the bounds as ``min`` and ``max``."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "date" in (widget.attrs.get("type"), getattr(widget, "input_type", None)):
            attrs.update(min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
        return attrs


class DateTimeField(_PlausibleDay, forms.DateTimeField):
    """A moment a person types."""


class PhoneInput(forms.TextInput):
    """A phone number: a phone opens its dial pad (the number is checked by the service)."""

    input_type = "tel"


def name_grid_cells(rows: Mapping[str, list[forms.BoundField]] | list[list[forms.BoundField]]):
    """Give each field of a grid (a table of inputs whose labels are its column headers) an
    ``aria-label`` naming its column and its row, so that a screen reader says which cell it is
    in. ``rows`` maps a row's label to its fields; a plain list of rows is read as numbered
    lines."""
    if not isinstance(rows, Mapping):
        rows = {_("line %(line)d") % {"line": i}: row for i, row in enumerate(rows, start=1)}
    for row, fields in rows.items():
        for field in fields:
            field.field.widget.attrs["aria-label"] = _("%(column)s, %(row)s") % {
                "column": field.label,
                "row": row,
            }


def error_text(error: ValidationError | PermissionDenied) -> str:
    """One line for a message: every message of a ``ValidationError``, or the refusal's reason."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do this.")


def errors_to_form(
    form: forms.BaseForm, error: ValidationError, *, default_field: str | None = None
) -> None:
    """Put a service's ``ValidationError`` on ``form``: each field's errors on that field when the
    form has it, everything else on the form as a whole (or on ``default_field`` when the form has
    that field, e.g. the password a validator refused)."""
    fallback = default_field if default_field in form.fields else None
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else fallback, errors)
    else:
        form.add_error(fallback, error.messages)


def form_problems(form: forms.BaseForm) -> str:
    """A bound, invalid form's errors on one line, each after its field's label."""
    return in_a_list(
        labelled(form.fields[f].label if f in form.fields else "", " ".join(e))
        for f, e in form.errors.items()
    )


@dataclass(frozen=True)
class PageAction:
    """One small form of a page and the service call it feeds: ``run(actor, target, data)``
    with the form's cleaned data. ``form_kwargs(target)`` gives the form what it needs to know
    about the page's object (e.g. who a case may be assigned to)."""

    form: type[forms.BaseForm]
    run: Callable[[Any, Any, dict], object]
    form_kwargs: Callable[[Any], dict] | None = None


def page_action(
    request: HttpRequest,
    *,
    target,
    action: str,
    actions: Mapping[str, PageAction],
    redirect_to: str,
) -> HttpResponse:
    """Run the form ``action`` posted from the page of ``target`` (already read through its
    scoped selector) and go back to the page at that form's anchor.

    An unknown action is refused; an invalid form or a service's refusal is shown as "Nothing was
    saved: …" and writes nothing (services are atomic)."""
    if action not in actions:
        raise PermissionDenied
    spec = actions[action]
    extra = spec.form_kwargs(target) if spec.form_kwargs else {}
    form = spec.form(request.POST, request.FILES, prefix=action, **extra)
    if not form.is_valid():
        messages.error(
            request, _("Nothing was saved: %(problems)s") % {"problems": form_problems(form)}
        )
        _keep_for_the_page(request, redirect_to, action, {})
    else:
        try:
            spec.run(request.user, target, form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request, _("Nothing was saved: %(problems)s") % {"problems": error_text(error)}
            )
            _keep_for_the_page(request, redirect_to, action, _error_dict(error))
        else:
            messages.success(request, _("Saved."))
    return redirect(f"{redirect_to}#{action}")


PENDING_FORM = "corridor.page_form"


def _error_dict(error: ValidationError | PermissionDenied) -> dict[str, list[str]]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {NON_FIELD_ERRORS: [error_text(error)]}


def _keep_for_the_page(request: HttpRequest, path: str, action: str, errors: dict) -> None:
    """Keep what was typed and the service's refusal for the page the user goes back to, which
    shows that form again, open, with every error beside its field (``page_forms``)."""
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key != "csrfmiddlewaretoken" and key.startswith(f"{action}-")
    }
    request.session[PENDING_FORM] = {
        "path": path,
        "action": action,
        "data": data,
        "errors": errors,
    }


def page_forms(
    request: HttpRequest,
    forms_by_action: dict[str, forms.BaseForm],
    *,
    actions: Mapping[str, PageAction],
    target,
) -> dict[str, forms.BaseForm]:
    """The page's forms, with the one whose post failed rebuilt from what was typed and carrying
    all its errors (the form's own and the service's), once: a reload shows the page clean."""
    pending = request.session.get(PENDING_FORM)
    if not pending or pending.get("path") != request.path:
        return forms_by_action
    del request.session[PENDING_FORM]
    action = pending["action"]
    if action not in forms_by_action or action not in actions:
        return forms_by_action
    spec = actions[action]
    extra = spec.form_kwargs(target) if spec.form_kwargs else {}
    data = QueryDict(mutable=True)
    for key, values in pending["data"].items():
        data.setlist(key, values)
    form = spec.form(data, prefix=action, **extra)
    form.is_valid()
    for field, errors in pending["errors"].items():
        form.add_error(field if field in form.fields else None, errors)
    return {**forms_by_action, action: form}
