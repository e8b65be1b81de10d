"""The audit page for administrators and national coordinators."""

from __future__ import annotations

from django.shortcuts import render

from corridor.accounts.permissions import role_required
from corridor.audit.forms import AuditFilterForm
from corridor.audit.selectors import AUDIT_READERS, visible_audit_entries
from corridor.core.pagination import paginate


@role_required(*AUDIT_READERS)
def audit_list(request):
    entries = visible_audit_entries(request.user)
    kinds = entries.exclude(object_type="").values_list("object_type", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, kinds=kinds.order_by())
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            entries = entries.filter(actor_username__icontains=data["user"])
        if data["kind"]:
            entries = entries.filter(object_type=data["kind"])
        if data["number"].strip():
            entries = entries.filter(object_id=data["number"].strip())
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
    page = paginate(entries, request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"form": form, "page": page})
