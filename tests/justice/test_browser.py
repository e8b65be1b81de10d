"""A prosecutor's journey in Chromium (French UI): signs in with the second factor, opens a
criminal case of their jurisdiction, records a step, reads the GLOTIP table, downloads the court
file and drafts a request to the other country."""

from __future__ import annotations

from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from corridor.accounts.management.commands.totp_code import current_code
from corridor.federation.models import Peer
from corridor.justice import services
from corridor.justice.models import MlaRequest, MlaStatus, ProceedingEvent
from tests.browser_support import login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "JBSWY3DPEHPK3PXP"


def test_prosecutor_records_a_step_reads_glotip_downloads_the_file_and_drafts_a_request(
    live_server, page
):
    office = make_agency(name="Parquet de Lomé (test)", org_type="LegalService")
    office.city = "Lomé"
    office.save(update_fields=["city"])
    prosecutor = make_user("prosecutor", agency=office, username="tg.procureur")
    TOTP.activate(prosecutor, SECRET)
    Peer.objects.create(name="gabon", country="GA", url="http://127.0.0.1:9")
    case = services.criminal_case_open(
        actor=prosecutor,
        title="Filière FICTIVE de Kpalimé",
        jurisdiction="tg_lome",
        opened_on=date(2026, 1, 5),
    )
    accused = services.accused_add(
        actor=prosecutor,
        criminal_case=case,
        name="Kossi FICTIF",
        complaint_on=date(2026, 1, 5),
        offences=["tip_child"],
        exploitation="Servitude",
        sex="M",
        citizenship="TG",
    )
    base = live_server.url

    login(page, base, "tg.procureur", PASSWORD)
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", current_code(SECRET))
    page.press("input[name=code]", "Enter")  # (the page's last button cancels the sign-in)
    try:
        page.wait_for_url(f"{base}/", timeout=15000)
    except Exception:
        raise AssertionError((page.url, page.content()[:3000])) from None

    page.goto(f"{base}/justice/")
    assert "Procédures pénales" in page.content() or "procédures" in page.content().lower()
    page.click(f"a[href='/justice/{case.pk}/']")
    page.wait_for_selector("#accused-list")
    page.select_option("select[name=event-accused]", str(accused.pk))
    page.select_option("select[name=event-kind]", "arrest")
    page.fill("input[name=event-date]", "2026-01-10")
    page.locator("#event button[type=submit]").click()
    page.wait_for_selector("#accused-list .t-arrest")
    assert ProceedingEvent.objects.filter(accused=accused, kind="arrest").exists()

    page.goto(f"{base}/justice/glotip/?year=2026")
    table = page.locator("table.glotip").first.inner_text()
    assert "Personnes" in table

    page.goto(f"{base}/justice/{case.pk}/")
    with page.expect_download() as download:
        page.click(f"a[href='/justice/{case.pk}/file.pdf']")
    assert download.value.suggested_filename == f"{case.ref}.pdf"

    page.click(f"a[href='/justice/{case.pk}/requests/new/']")
    page.wait_for_selector("select[name=kind]")
    assert "Rédiger une demande transfrontalière" in page.content()
    page.select_option("select[name=peer]", index=1)
    page.select_option("select[name=kind]", "suspect_info")
    page.select_option("select[name=jurisdiction]", "ga_libreville")
    page.fill("textarea[name=subject]", "Antécédents du suspect à Libreville.")
    page.fill("input[name=suspect_name]", "Kossi FICTIF")
    page.fill("input[name=deadline]", "2099-01-31")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector("#mla-status")
    assert "approbation" in page.locator("#mla-status").inner_text()
    request = MlaRequest.objects.get()
    assert request.status == MlaStatus.DRAFT and request.drafted_by == prosecutor
    assert page.locator("#approve").count() == 0  # the author cannot approve
