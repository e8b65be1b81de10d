from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class CasesConfig(AppConfig):
    name = "corridor.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from corridor.cases import panels, seed
        from corridor.cases.selectors import cases_of_person, persons_of_visible_cases
        from corridor.core.seeding import register_seeder
        from corridor.people.registry import (
            PersonPanel,
            register_person_access,
            register_person_panel,
        )

        panels.register()
        register_seeder(40, gettext_noop("cases"), seed.seed_cases)
        register_seeder(41, gettext_noop("approvals"), seed.seed_approvals)
        register_seeder(65, gettext_noop("smuggling"), seed.seed_smuggling)
        # Whoever sees a case sees its person; the person page lists the cases the reader sees.
        register_person_access("cases", persons_of_visible_cases)
        register_person_panel(
            "cases",
            PersonPanel(
                template="cases/_person_cases.html",
                context=lambda request, person: {"cases": cases_of_person(request.user, person)},
                order=40,
            ),
        )
