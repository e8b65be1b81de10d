from django.conf import settings

from corridor.core.navigation import menu_for, menu_parts


def node(request):
    return {
        "node_name": settings.NODE_NAME,
        "node_country": settings.NODE_COUNTRY,
        # What the node writes for itself (the audit log's summaries) is in its own language.
        "node_language": settings.LANGUAGE_CODE,
        "menu": menu_parts(menu_for(getattr(request, "user", None))),
    }
