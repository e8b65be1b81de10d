"""Person search and the person page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read
from corridor.cases.selectors import visible_cases
from corridor.core.pagination import paginate
from corridor.people.selectors import PERSON_ROLES, person_search, visible_persons


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
        "cases": visible_cases(request.user).filter(person=person),
        "names": person.other_names.all(),
        "phones": person.phones.all(),
        "documents": person.documents.all(),
        "relatives": person.relationships.select_related("relative"),
    }
    return render(request, "people/person_detail.html", context)
