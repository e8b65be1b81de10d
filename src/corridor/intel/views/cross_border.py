"""Cross-border intelligence requests to and from the other node."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from corridor.core.forms import errors_to_form
from corridor.core.pagination import paginate
from corridor.intel import forms, selectors
from corridor.intel.views.common import audit_page, investigator_only


@investigator_only
@require_http_methods(["GET", "POST"])
def requests(request):
    from corridor.federation.selectors import active_peers
    from corridor.intel import exchange

    user = request.user
    form = forms.IntelRequestForm(request.POST or None, peers=active_peers())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange.intel_request_send(
                actor=user,
                peer=data["peer"],
                identifiers=data["identifiers"],
                purpose=data["purpose"],
                legal_basis=data["legal_basis"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Request queued for the other node."))
            return redirect("intel:requests")
    audit_page(request, "requests")
    page = paginate(selectors.visible_intel_requests(user), request.GET.get("page"))
    return render(
        request,
        "intel/requests.html",
        {"form": form, "page": page, "items": page},
    )


@investigator_only
@require_POST
def request_answer(request, pk: int):
    from corridor.intel import exchange

    item = get_object_or_404(selectors.visible_intel_requests(request.user), pk=pk)
    try:
        exchange.intel_response_send(actor=request.user, request=item)
        messages.success(request, _("Answer queued for the other node."))
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    return redirect("intel:requests")
