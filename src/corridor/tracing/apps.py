from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class TracingConfig(AppConfig):
    name = "corridor.tracing"
    label = "tracing"
    verbose_name = _("Family tracing")

    def ready(self) -> None:
        from corridor.core.navigation import (
            ADMINISTRATION,
            PROTECTION,
            HomePanel,
            MenuItem,
            register_menu,
            register_panel,
        )
        from corridor.core.seeding import register_seeder
        from corridor.people.registry import (
            PersonPanel,
            on_person_created,
            register_person_panel,
        )
        from corridor.tracing import lookup
        from corridor.tracing.seed import seed_tracing
        from corridor.tracing.selectors import (
            MODEL_ROLES,
            TRACING_ROLES,
            person_duplicate_pairs,
            tracing_counts,
        )
        from corridor.tracing.services import duplicates_for

        roles = frozenset(TRACING_ROLES)
        register_menu(
            MenuItem(
                label=_("Family tracing"),
                url_name="tracing:list",
                roles=roles,
                order=40,
                group=PROTECTION,
            )
        )
        register_menu(
            MenuItem(
                label=_("Duplicates"),
                url_name="tracing:duplicates",
                roles=roles,
                order=45,
                group=PROTECTION,
            )
        )
        register_menu(
            MenuItem(
                label=_("Match model"),
                url_name="tracing:models",
                roles=frozenset(MODEL_ROLES),
                order=47,
                group=ADMINISTRATION,
            )
        )
        register_menu(
            MenuItem(
                label=_("Peer look-ups"),
                url_name="tracing:lookups",
                roles=frozenset(lookup.LOOKUP_MANAGERS),
                order=48,
                group=PROTECTION,
            )
        )
        register_panel(
            HomePanel(
                template="tracing/_panel.html",
                roles=roles,
                context=lambda request: {"tracing": tracing_counts(request.user)},
                order=40,
            )
        )
        register_seeder(60, gettext_noop("tracing"), seed_tracing)
        lookup.register()
        # A new person is scored against the people sharing a name key; the person page shows
        # the possible duplicates the reader may see.
        on_person_created("tracing.duplicates", duplicates_for)
        register_person_panel(
            "tracing.duplicates",
            PersonPanel(
                template="tracing/_duplicates.html",
                context=lambda request, person: {
                    "pairs": person_duplicate_pairs(request.user, person)
                },
                order=30,
            ),
        )
