from django.conf import settings

from corridor.core.navigation import menu_for


def node(request):
    return {
        "node_name": settings.NODE_NAME,
        "node_country": settings.NODE_COUNTRY,
        "menu": menu_for(getattr(request, "user", None)),
    }
