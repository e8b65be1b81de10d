"""Person search and the person page."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read, audit_read_many, node_text
from corridor.core.forms import PageAction, page_action
from corridor.core.pagination import paginate
from corridor.people import services
from corridor.people.forms import DocumentForm, NameForm, PhoneForm, PhotoForm
from corridor.people.registry import person_panels
from corridor.people.selectors import PERSON_ROLES, person_search, visible_persons
from corridor.people.services import PERSON_WRITERS


@role_required(*PERSON_ROLES)
def person_list(request):
    query = request.GET.get("q", "").strip()
    people = person_search(request.user, query) if query else visible_persons(request.user)
    page = paginate(people.order_by("family_name", "given_names", "pk"), request.GET.get("page"))
    audit_read_many(actor=request.user, records=page, kind="people.person", query=query)
    return render(request, "people/person_list.html", {"page": page, "q": query})


@role_required(*PERSON_ROLES)
def person_detail(request, pk: int):
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    audit_read(actor=request.user, target=person, summary=node_text(gettext_noop("person opened")))
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


def _do_photo(actor, person, data):
    upload = data["photo"]
    if upload.size > services.PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photo": _("The photo is larger than 2 MB. Send a smaller picture.")}
        )
    return services.person_set_photo(actor=actor, person=person, content=upload.read())


ACTIONS = {
    "name": PageAction(
        NameForm, lambda actor, person, d: services.person_add_name(actor=actor, person=person, **d)
    ),
    "phone": PageAction(
        PhoneForm,
        lambda actor, person, d: services.person_add_phone(actor=actor, person=person, **d),
    ),
    "document": PageAction(
        DocumentForm,
        lambda actor, person, d: services.person_add_document(actor=actor, person=person, **d),
    ),
    "photo": PageAction(PhotoForm, _do_photo),
}


@require_POST
@role_required(*PERSON_WRITERS)
def person_action(request, pk: int, action: str):
    """One form, one service; errors come back as a message and nothing is written."""
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    return page_action(
        request,
        target=person,
        action=action,
        actions=ACTIONS,
        redirect_to=reverse("people:detail", args=[person.pk]),
    )


@role_required(*PERSON_ROLES)
def person_photo(request, pk: int):
    """The photo is served only to those who may see the person, and each view is audited."""
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    if not person.photo:
        raise Http404
    audit_read(actor=request.user, target=person, summary=node_text(gettext_noop("photo viewed")))
    response = HttpResponse(base64.b64decode(person.photo), content_type=person.photo_type)
    response["Cache-Control"] = "private, no-store"
    return response
