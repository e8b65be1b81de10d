"""The pieces every app's REST API shares: who may call, how a read is audited, how errors come out.

Each capability keeps its own ``api.py`` (serializers and viewsets) and ``api_urls.py`` (its
router), mounted once under ``/api/`` by ``corridor.api_urls``. Viewsets call the same services
and selectors as the pages and let errors rise: ``exception_handler`` turns them into JSON in the
request's language, so no endpoint needs its own try/except.

- a service's ``ValidationError`` is a 400 with the service's field names
  (``{"field": ["message"]}``, or ``non_field_errors``);
- ``PermissionDenied`` (Django's or DRF's) is a 403;
- a record outside the user's scope is a 404, never a 403, so its existence does not leak
  (``get_object`` goes through the scoped queryset; ``scoped_or_404`` does the same for ids
  in a request body).
"""

from __future__ import annotations

import re

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from corridor.audit.services import audit_read, audit_read_many
from corridor.core.forms import IMPLAUSIBLE_DATE, plausible_date

MAX_ID = 2**63 - 1
"""The largest id a record can have (``BigAutoField``); a larger number names no record, and
some databases refuse to compare with it, so the API refuses it as input."""


class IdField(serializers.IntegerField):
    """The id of a record named in a body or a query string: a whole number in the ids' range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class DateField(serializers.DateField):
    """A day given in a body or a query string, refused outside ``core.forms.plausible_date``."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not plausible_date(day):
            raise serializers.ValidationError(str(IMPLAUSIBLE_DATE), code="implausible")
        return day


class ModelSerializer(serializers.ModelSerializer):
    """A model's serializer whose date fields are ``DateField`` (the same bounds as the forms)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
    }


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ``ValidationError`` as the API's 400 body: field names kept, the rest under
    ``non_field_errors``."""
    if hasattr(exc, "error_dict"):
        return {
            (field if field != "__all__" else "non_field_errors"): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


UNTRANSLATED_404 = re.compile(r"No \w+ matches the given query\.")


def exception_handler(exc, context):
    """DRF's handler, taught the errors our services raise (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(validation_detail(exc))
    elif isinstance(exc, ObjectDoesNotExist) or (
        # get_object_or_404's "No Case matches the given query.": English whatever the reader's
        # language, and it names the model; a reader gets the translated "Not found." instead.
        isinstance(exc, Http404) and UNTRANSLATED_404.fullmatch(str(exc))
    ):
        exc = Http404(_("Not found."))
    elif isinstance(exc, RecursionError):  # JSON nested deeper than the parser can go
        exc = exceptions.ParseError(_("The JSON is nested too deeply."))
    return drf_exception_handler(exc, context)


class RoleRequired(permissions.BasePermission):
    """The API twin of ``role_required``: home staff with one of the view's roles for the action
    (``roles`` for reads, ``write_roles`` for writes, ``action_roles[action]`` for a named
    action). Anyone else gets 403, fail closed: a view that names no role admits no one."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        roles = getattr(view, "roles", ())
        if request.method not in permissions.SAFE_METHODS:
            roles = getattr(view, "write_roles", roles)
        if getattr(view, "action", None) in getattr(view, "action_roles", {}):
            roles = view.action_roles[view.action]
        return bool(roles) and user.has_role(*roles)


class ScopedViewSet(viewsets.GenericViewSet):
    """A viewset whose queryset is a fail-closed selector; reading one record is audited, and so
    is each page of a list (one entry per request, naming the ids returned and the ``q``
    searched for), unless the viewset audits its lists itself (``audit_lists = False``).

    A list takes the page and the fields of ``query_filter`` (a serializer; none by default) in
    its query string, and nothing else: ``?statut=open`` is a 400 naming what the list accepts,
    not the whole list as if unfiltered."""

    permission_classes = [RoleRequired]
    roles: tuple[str, ...] = ()
    audit_lists = True
    query_filter: type[serializers.Serializer] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # who may call comes first
        if self.action == "list":
            accepted = self.query_filter().fields if self.query_filter else ()
            reject_unknown_parameters(request, accepted)

    def query(self) -> dict:
        """The list's filter values from the query string, checked by ``query_filter``."""
        return parsed(self.query_filter, self.request, query=True)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.action == "list" and self.audit_lists:
            audit_read_many(
                actor=self.request.user,
                records=page if page is not None else queryset,
                kind=queryset.model._meta.label_lower,
                query=self.request.query_params.get("q", "")[:200],
            )
        return page

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit_read(actor=request.user, target=instance, summary="api")
        return Response(self.get_serializer(instance).data)


# What every query string may carry besides an endpoint's own parameters: DRF's page number and
# its format override.
ALWAYS_ACCEPTED = ("page", "format")


def reject_unknown_parameters(request, accepted) -> None:
    """A 400 naming each query parameter the endpoint does not take, and what it takes: a
    misspelt filter must not read as the whole list."""
    known = {*accepted, *ALWAYS_ACCEPTED}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        message = _("Unknown parameter. This address accepts: %(names)s.") % {
            "names": ", ".join(sorted(known))
        }
        raise serializers.ValidationError({name[:50]: [message] for name in unknown[:10]})


def parsed(serializer_class, request, *, query: bool = False, **context) -> dict:
    """The request's body (or, with ``query``, its query string) checked by
    ``serializer_class``: the validated values, or a 400 naming every bad field (and, in a query
    string, every parameter the serializer does not name)."""
    if query:
        reject_unknown_parameters(request, serializer_class().fields)
    serializer = serializer_class(
        data=request.query_params if query else request.data,
        context={"request": request, **context},
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def scoped_or_404(queryset, *, field: str, **lookup):
    """The one record of a scoped ``queryset`` that a request body names, or a 400 naming the
    body's ``field``: a record out of scope reads exactly like one that does not exist."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise serializers.ValidationError({field: [_("Not found in your scope.")]})
    return found
