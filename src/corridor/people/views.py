"""Person search and the person page."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read
from corridor.core.pagination import paginate
from corridor.people import services
from corridor.people.forms import DocumentForm, NameForm, PhoneForm, PhotoForm
from corridor.people.registry import person_panels
from corridor.people.selectors import PERSON_ROLES, person_search, visible_persons
from corridor.people.services import PERSON_WRITERS


def error_text(error: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one line for a message (stand-in until the shared helper of
    ``corridor.core.forms`` lands: people may not import ``cases.views``)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do this.")


@role_required(*PERSON_ROLES)
def person_list(request):
    query = request.GET.get("q", "").strip()
    people = person_search(request.user, query) if query else visible_persons(request.user)
    page = paginate(people.order_by("family_name", "given_names", "pk"), request.GET.get("page"))
    return render(request, "people/person_list.html", {"page": page, "q": query})


@role_required(*PERSON_ROLES)
def person_detail(request, pk: int):
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    audit_read(actor=request.user, target=person, summary=person.display_name)
    context = {
        "person": person,
        "can_edit": request.user.has_role(*PERSON_WRITERS),
        "forms": {
            "name": NameForm(prefix="name"),
            "phone": PhoneForm(prefix="phone"),
            "document": DocumentForm(prefix="document"),
            "photo": PhotoForm(prefix="photo"),
        },
        "panels": person_panels(request, person),
        "names": person.other_names.all(),
        "phones": person.phones.all(),
        "documents": person.documents.all(),
        "relatives": person.relationships.select_related("relative"),
    }
    return render(request, "people/person_detail.html", context)


def _do_name(actor, person, data, files):
    return services.person_add_name(actor=actor, person=person, **data)


def _do_phone(actor, person, data, files):
    return services.person_add_phone(actor=actor, person=person, **data)


def _do_document(actor, person, data, files):
    return services.person_add_document(actor=actor, person=person, **data)


def _do_photo(actor, person, data, files):
    upload = data["photo"]
    if upload.size > services.PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photo": _("The photo is larger than 2 MB. Send a smaller picture.")}
        )
    return services.person_set_photo(actor=actor, person=person, content=upload.read())


ACTIONS = {
    "name": (NameForm, _do_name),
    "phone": (PhoneForm, _do_phone),
    "document": (DocumentForm, _do_document),
    "photo": (PhotoForm, _do_photo),
}


@require_POST
@role_required(*PERSON_WRITERS)
def person_action(request, pk: int, action: str):
    """One form, one service; errors come back as a message and nothing is written."""
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    if action not in ACTIONS:
        raise PermissionDenied
    form_class, run = ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        problems = "; ".join(" ".join(errors) for errors in form.errors.values())
        messages.error(request, _("Nothing was saved: %(problems)s") % {"problems": problems})
    else:
        try:
            run(request.user, person, form.cleaned_data, request.FILES)
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request, _("Nothing was saved: %(problems)s") % {"problems": error_text(error)}
            )
        else:
            messages.success(request, _("Saved."))
    return redirect(reverse("people:detail", args=[person.pk]) + f"#{action}")


@role_required(*PERSON_ROLES)
def person_photo(request, pk: int):
    """The photo is served only to those who may see the person, and each view is audited."""
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    if not person.photo:
        raise Http404
    audit_read(actor=request.user, target=person, summary=_("photo viewed"))
    response = HttpResponse(base64.b64decode(person.photo), content_type=person.photo_type)
    response["Cache-Control"] = "private, no-store"
    return response
