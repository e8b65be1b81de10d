from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from corridor.accounts import views as account_views
from corridor.core import views as core_views

handler400 = "corridor.core.views.error_400"
handler403 = "corridor.core.views.error_403"
handler404 = "corridor.core.views.error_404"
handler500 = "corridor.core.views.error_500"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("corridor/icon.svg"), permanent=True)),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("accounts/password/reset/", account_views.forgotten_password, name="forgotten_password"),
    # allauth's reset by a mailed key: no key is ever mailed, so its pages say who helps instead
    re_path(r"^accounts/password/reset/(?:key/|done/)", account_views.forgotten_password),
    path("accounts/email/", account_views.own_email, name="own_email"),
    # allauth's "we sent you an e-mail" page: addresses are never verified by mail here
    re_path(r"^accounts/confirm-email/", account_views.not_here),
    path("accounts/", include("allauth.urls")),
    path("admin/", include("corridor.accounts.urls")),
    path("account/", include("corridor.accounts.urls_account")),
    path("audit/", include("corridor.audit.urls")),
    path("people/", include("corridor.people.urls")),
    path("screening/", include("corridor.screening.urls")),
    path("cases/", include("corridor.cases.urls")),
    path("childcare/", include("corridor.childcare.urls")),
    path("referrals/", include("corridor.referrals.urls")),
    path("tracing/", include("corridor.tracing.urls")),
    path("intel/", include("corridor.intel.urls")),
    path("flows/", include("corridor.flows.urls")),
    path("reports/", include("corridor.reports.urls")),
    path("intake/", include("corridor.intake.urls")),
    path("justice/", include("corridor.justice.urls")),
    path("governance/", include("corridor.governance.urls")),
    path("fieldwork/", include("corridor.fieldwork.urls")),
    path("federation/", include("corridor.referrals.legacy_urls")),
    path("federation/", include("corridor.federation.urls")),
    path("api/", include("corridor.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
