"""The shared form helpers: a service's errors put on the form, and the page-action dispatch used
by the case page and the person page."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from corridor.core.forms import PageAction, error_text, errors_to_form, page_action


class NameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=5)
    password = forms.CharField(required=False)


def bound(**data) -> NameForm:
    form = NameForm(data)
    assert form.is_valid()
    return form


def test_field_errors_land_on_their_field_the_rest_on_the_form():
    form = bound(name="Ama")
    errors_to_form(form, ValidationError({"name": "taken", "birth_year": "too old"}))
    assert form.errors == {"name": ["taken"], "__all__": ["too old"]}


def test_a_message_without_field_goes_to_the_form_or_the_default_field():
    form = bound(name="Ama")
    errors_to_form(form, ValidationError(["short", "common"]))
    assert form.non_field_errors() == ["short", "common"]
    form = bound(name="Ama")
    errors_to_form(form, ValidationError("too short"), default_field="password")
    assert form.errors == {"password": ["too short"]}
    form = bound(name="Ama")
    errors_to_form(form, ValidationError("too short"), default_field="pin")
    assert form.non_field_errors() == ["too short"]


def test_error_text():
    assert error_text(ValidationError({"a": "one", "b": ["two", "three"]})) == "one two three"
    assert error_text(PermissionDenied("Not yours.")) == "Not yours."
    assert error_text(PermissionDenied()) == "You are not allowed to do this."


def post(data: dict):
    request = RequestFactory().post("/things/1/act/", data)
    request.user = "actor"
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def texts(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


class LimitForm(forms.Form):
    """A form that needs to know something of the page's object (``form_kwargs``)."""

    name = forms.CharField(label="Name")

    def __init__(self, *args, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit

    def clean_name(self):
        if len(self.cleaned_data["name"]) > self.limit:
            raise ValidationError(f"at most {self.limit} letters")
        return self.cleaned_data["name"]


def actions(calls: list):
    def run(actor, target, data):
        if data["name"] == "refused":
            raise ValidationError({"name": "Already taken."})
        if data["name"] == "denied":
            raise PermissionDenied("Not your case.")
        calls.append((actor, target, data["name"]))

    return {"rename": PageAction(LimitForm, run, form_kwargs=lambda target: {"limit": 7})}


def test_page_action_runs_the_posted_form_and_goes_back_to_its_anchor():
    calls: list = []
    request = post({"rename-name": "Kossi"})
    response = page_action(
        request, target="case 1", action="rename", actions=actions(calls), redirect_to="/c/1/"
    )
    assert (response.status_code, response["Location"]) == (302, "/c/1/#rename")
    assert calls == [("actor", "case 1", "Kossi")]
    assert texts(request) == ["Saved."]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Nothing was saved: Name: This field is required."),
        ("Kossivi-Komlan", "Nothing was saved: Name: at most 7 letters"),
        ("refused", "Nothing was saved: Already taken."),
        ("denied", "Nothing was saved: Not your case."),
    ],
)
def test_page_action_reports_a_bad_form_or_a_refusal_and_runs_nothing(name, message):
    calls: list = []
    request = post({"rename-name": name})
    response = page_action(
        request, target="case 1", action="rename", actions=actions(calls), redirect_to="/c/1/"
    )
    assert response["Location"] == "/c/1/#rename"
    assert calls == []
    assert texts(request)[0].startswith(message)


def test_page_action_refuses_an_unknown_action():
    with pytest.raises(PermissionDenied):
        page_action(
            post({}), target="case 1", action="delete", actions=actions([]), redirect_to="/c/1/"
        )


class ConsentForm(forms.Form):
    name = forms.CharField(label="Name")
    agree = forms.BooleanField(label="Import the valid rows", required=False)


def test_a_box_sits_before_its_label_without_a_colon_other_fields_keep_theirs():
    html = ConsentForm().as_div()
    assert '<label for="id_agree">Import the valid rows</label>' in html
    assert '<label for="id_name">Name:</label>' in html


def test_filters_fold_counts_what_the_reader_set():
    from django.http import QueryDict

    from corridor.core.templatetags.corridor import filter_fold

    class Filters(forms.Form):
        q = forms.CharField(required=False)
        status = forms.ChoiceField(required=False, choices=[("", "—"), ("open", "open")])
        since = forms.DateField(required=False)

    unbound = filter_fold(Filters(), search=True)
    assert ([f.name for f in unbound["shown"]], unbound["set"], unbound["open"]) == (
        ["q"],
        0,
        False,
    )
    # The search box is not counted; a field left at its initial value is not either.
    form = Filters(QueryDict("q=ama&status=open&since=2026-01-01"), initial={"since": "2026-01-01"})
    fold = filter_fold(form, search=True)
    assert ([f.name for f in fold["folded"]], fold["set"], fold["open"]) == (
        ["status", "since"],
        1,
        True,
    )
    refused = filter_fold(Filters(QueryDict("since=yesterday")))
    assert (refused["set"], refused["open"]) == (1, True)
    assert filter_fold(Filters(QueryDict("status=")))["open"] is False
