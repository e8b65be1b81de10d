"""Serve this node with waitress (a production-grade pure-Python WSGI server)."""

import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def collect_static() -> None:
    """Static files under hashed, compressed names (core/storage.py), collected again whenever
    the files the node ships have changed (an upgrade), so it never serves old ones."""
    import hashlib
    from pathlib import Path

    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            found = Path(storage.path(path)).stat()
            digest.update(f"{path}:{found.st_size}:{found.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".collected"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    call_command("collectstatic", "--no-input", verbosity=0)
    stamp.write_text(digest.hexdigest())


class Command(BaseCommand):
    help = _("Serve this node over HTTP (put TLS in front of it in production).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-federation-worker",
            action="store_true",
            help="do not deliver the federation outbox from this process",
        )

    def handle(self, *args, host, port, threads, no_federation_worker=False, **options):
        from waitress import serve

        from corridor.core.database import not_ready_message

        message = not_ready_message()
        if message:  # a node without its tables would answer its sign-in page, then fail
            raise SystemExit(message)
        port = port or settings.NODE.default_port
        if not port_free(host, port):
            raise CommandError(
                _(
                    "Port %(port)s on %(host)s is already in use. Stop what uses it or choose another port with --port."
                )
                % {"port": port, "host": host}
            )
        collect_static()
        # The matching engine's compiled loops, before a first look-up waits for the compiler.
        from corridor.matching.gather import warm

        warm()
        # Only now: WhiteNoise indexes the collected files when the application is built, so a
        # file collected after it (an upgrade, a fresh data directory) would answer 404.
        from corridor.wsgi import application

        if not no_federation_worker:
            from corridor.federation import worker

            worker.start()
        serve(application, host=host, port=port, threads=threads, ident="corridor", _quiet=True)
