from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English source messages (French is the node's default language)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
