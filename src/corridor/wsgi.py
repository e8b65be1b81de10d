"""WSGI entry point of a Corridor node (served by waitress in the demo)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corridor.settings")
application = get_wsgi_application()
