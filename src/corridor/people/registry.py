"""What capability apps add to people, without people importing them.

``people`` is part of the foundation (docs/architecture.md): it never imports a capability app.
The apps that build on people fill these three registries from their ``AppConfig.ready()``:

- ``on_person_created``: run once a new person is committed (tracing proposes possible
  duplicates);
- ``register_person_access``: another way a user may see a person (cases: the people of the
  cases the user can see), added by ``selectors.visible_persons``;
- ``register_person_panel``: a panel of the person page (cases: the person's cases; tracing:
  possible duplicates), each scoped by its own app's selectors.

Registries are keyed by name, so registering twice replaces instead of running a hook twice.
"""

from __future__ import annotations

from collections.abc import Callable

from corridor.core.page_panels import Panel, PanelRegistry

PERSON_CREATED: dict[str, Callable] = {}
PERSON_ACCESS: dict[str, Callable] = {}


def on_person_created(name: str, hook: Callable) -> None:
    """``hook(person)`` runs after the transaction that registered the person commits."""
    PERSON_CREATED[name] = hook


def person_created(person) -> None:
    for hook in PERSON_CREATED.values():
        hook(person)


def register_person_access(name: str, grant: Callable) -> None:
    """``grant(user)`` returns the ids of further people ``user`` may see, as a queryset of ids
    (``values("person_id")``) that ``visible_persons`` uses as a subquery. It must fail closed
    like any selector: nothing for a user it does not know."""
    PERSON_ACCESS[name] = grant


def person_access(user) -> list:
    return [grant(user) for grant in PERSON_ACCESS.values()]


# A panel of the person page: ``PersonPanel(template, context, order)``.
PersonPanel = Panel
PERSON_PANELS = PanelRegistry()


def register_person_panel(name: str, panel: Panel) -> None:
    PERSON_PANELS.register(name, panel)


def person_panels(request, person) -> list[dict]:
    return PERSON_PANELS.render(request, person)
