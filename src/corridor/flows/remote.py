"""Pulling submissions from ODK Central or KoboToolbox through their documented REST APIs.

ODK Central (docs.getodk.org/central-api): a session token from ``POST /v1/sessions``, then
the form's OData data document ``GET /v1/projects/{project}/forms/{form}.svc/Submissions``
read page by page (``$top``/``$skip``, following ``@odata.nextLink`` when the server gives
one), and each submission's attachments from
``GET /v1/projects/{project}/forms/{form}/submissions/{instance}/attachments[/{name}]``.

KoboToolbox (support.kobotoolbox.org/api.html): ``GET /api/v2/assets/{asset}/data/?format=json``
with ``Authorization: Token …``, following ``next`` until it is null; attachments are listed in
each submission's ``_attachments`` with their ``download_url``.

The pages go through the same importer as an uploaded export (``importers.import_records``):
each submission in its own transaction, keyed by its instance id, so pulling twice changes
nothing and an edited submission replaces the version it was edited from. Attachments are kept
under the node's private data directory, each checked for type and size.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.flows import importers

PAGE = 250
TIMEOUT = 60
MAX_PAGES = 10_000
ATTACHMENT_TYPES = {"image/jpeg", "image/png", "audio/mpeg", "audio/mp4", "application/pdf"}
ATTACHMENT_BYTES = 10 * 2**20
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class RemoteError(Exception):
    """The server could not be read; the message says why and what to check."""


@dataclass(frozen=True)
class Source:
    """Where a form's submissions live. ``kind`` is ``central`` or ``kobo``; ``secret`` is the
    Central account's password or the Kobo API token (read from a file only the node reads)."""

    kind: str
    url: str
    form: str
    secret: str
    project: str = ""  # Central's project id
    asset: str = ""  # Kobo's asset uid
    email: str = ""  # Central's account


@dataclass
class PullReport:
    pages: int = 0
    submissions: int = 0
    attachments: int = 0
    refused_attachments: list[str] = field(default_factory=list)
    report: importers.Report = field(default_factory=importers.Report)

    def as_text(self) -> str:
        lines = [
            _("%(submissions)s in %(pages)s, %(attachments)s")
            % {
                "submissions": ngettext(
                    "%(n)s submission read", "%(n)s submissions read", self.submissions
                )
                % {"n": self.submissions},
                "pages": ngettext("%(n)s page", "%(n)s pages", self.pages) % {"n": self.pages},
                "attachments": ngettext(
                    "%(n)s attachment kept", "%(n)s attachments kept", self.attachments
                )
                % {"n": self.attachments},
            },
            self.report.as_text(),
        ]
        lines += [_("attachment refused: %(why)s") % {"why": w} for w in self.refused_attachments]
        return "\n".join(lines)


Opener = Callable[[urllib.request.Request], object]


def read_secret(path: Path) -> str:
    """The password or token of a secret file, which only the node's account may read."""
    if not path.is_file():
        raise RemoteError(_("No such file: %(path)s") % {"path": path})
    if path.stat().st_mode & 0o077:
        raise RemoteError(_("%(path)s is readable by others: chmod 600 it first.") % {"path": path})
    return path.read_text(encoding="utf-8").strip()


def _open(request: urllib.request.Request, opener: Opener | None = None):
    try:
        return (opener or urllib.request.urlopen)(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise RemoteError(
                _("%(url)s refused the credentials (HTTP %(code)s): check the account or token.")
                % {"url": request.full_url, "code": exc.code}
            ) from exc
        raise RemoteError(
            _("%(url)s answered HTTP %(code)s.") % {"url": request.full_url, "code": exc.code}
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise RemoteError(
            _("%(url)s cannot be reached (%(why)s): check the address and the network.")
            % {"url": request.full_url, "why": getattr(exc, "reason", exc)}
        ) from exc


def _json(request: urllib.request.Request, opener: Opener | None = None) -> dict:
    with _open(request, opener) as response:
        body = response.read(importers.LIMITS.max_bytes + 1)
    if len(body) > importers.LIMITS.max_bytes:
        raise RemoteError(_("%(url)s sent a page over 10 MB.") % {"url": request.full_url})
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise RemoteError(
            _("%(url)s did not answer with JSON.") % {"url": request.full_url}
        ) from exc
    if not isinstance(data, dict):
        raise RemoteError(_("%(url)s did not answer with JSON.") % {"url": request.full_url})
    return data


def _same_server(base: str, link: str) -> str:
    """A next-page link must stay on the configured server (never follow a link elsewhere)."""
    absolute = urllib.parse.urljoin(base, link)
    if urllib.parse.urlsplit(absolute)[:2] != urllib.parse.urlsplit(base)[:2]:
        raise RemoteError(_("The server sent a next page on another host: %(l)s") % {"l": link})
    return absolute


def _central_token(source: Source, opener: Opener | None) -> str:
    body = json.dumps({"email": source.email, "password": source.secret}).encode()
    request = urllib.request.Request(
        f"{source.url.rstrip('/')}/v1/sessions",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    token = _json(request, opener).get("token")
    if not token:
        raise RemoteError(_("ODK Central gave no session token."))
    return token


def _pages(source: Source, headers: dict, opener: Opener | None) -> Iterator[list[dict]]:
    base = source.url.rstrip("/")
    if source.kind == "central":
        form = urllib.parse.quote(source.form, safe="")
        url = f"{base}/v1/projects/{source.project}/forms/{form}.svc/Submissions"
        skip = 0
        next_url = f"{url}?%24top={PAGE}&%24skip=0&%24count=true"
        for _page in range(MAX_PAGES):
            data = _json(urllib.request.Request(next_url, headers=headers), opener)
            rows = data.get("value") or []
            yield rows
            if data.get("@odata.nextLink"):
                next_url = _same_server(base, data["@odata.nextLink"])
            elif len(rows) == PAGE:
                skip += PAGE
                next_url = f"{url}?%24top={PAGE}&%24skip={skip}&%24count=true"
            else:
                return
    else:
        asset = urllib.parse.quote(source.asset, safe="")
        next_url = f"{base}/api/v2/assets/{asset}/data/?format=json&limit={PAGE}"
        for _page in range(MAX_PAGES):
            data = _json(urllib.request.Request(next_url, headers=headers), opener)
            yield data.get("results") or []
            if not data.get("next"):
                return
            next_url = _same_server(base, data["next"])
    raise RemoteError(_("More than %(n)s pages: stopped.") % {"n": MAX_PAGES})


def _attachments(
    source: Source, record: dict, headers: dict, opener: Opener | None
) -> list[tuple[str, str]]:
    """(file name, URL) of each attachment the server says it holds for the submission."""
    base = source.url.rstrip("/")
    if source.kind == "kobo":
        out = []
        for item in record.get("_attachments") or []:
            name = Path(str(item.get("filename") or "")).name
            link = item.get("download_url") or item.get("download_large_url") or ""
            if name and link:
                out.append((name, _same_server(base, link)))
        return out
    instance = record.get("__id") or ""
    system = record.get("__system") or {}
    if not instance or not system.get("attachmentsPresent"):
        return []
    form = urllib.parse.quote(source.form, safe="")
    root = (
        f"{base}/v1/projects/{source.project}/forms/{form}/submissions/"
        f"{urllib.parse.quote(instance, safe='')}/attachments"
    )
    with _open(urllib.request.Request(root, headers=headers), opener) as response:
        try:
            listed = json.loads(response.read(importers.LIMITS.max_bytes))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RemoteError(_("%(url)s did not answer with JSON.") % {"url": root}) from exc
    return [
        (Path(str(item["name"])).name, f"{root}/{urllib.parse.quote(str(item['name']), safe='')}")
        for item in (listed if isinstance(listed, list) else [])
        if isinstance(item, dict) and item.get("exists") and item.get("name")
    ]


def attachments_dir() -> Path:
    return Path(settings.NODE.data_dir) / "attachments"


def _keep_attachment(
    instance: str, name: str, url: str, headers: dict, opener: Opener | None
) -> str:
    """Download one attachment into the private attachments folder; return "" when kept, else
    why it was refused (its type or size)."""
    folder = attachments_dir() / SAFE_NAME.sub("_", importers._clean_id(instance) or "unknown")
    target = folder / SAFE_NAME.sub("_", name)
    if target.exists():  # kept by an earlier pull
        return ""
    kind = mimetypes.guess_type(name)[0] or ""
    if kind not in ATTACHMENT_TYPES:
        return _("%(name)s: type %(kind)s is not accepted") % {"name": name, "kind": kind or "?"}
    with _open(urllib.request.Request(url, headers=headers), opener) as response:
        content = response.read(ATTACHMENT_BYTES + 1)
    if len(content) > ATTACHMENT_BYTES:
        return _("%(name)s: over 10 MB") % {"name": name}
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = target.with_suffix(target.suffix + ".part")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    os.replace(temporary, target)
    return ""


def pull(
    *,
    actor,
    source: Source,
    form_id: str = "",
    opener: Opener | None = None,
    progress: Callable[[PullReport], None] | None = None,
) -> PullReport:
    """Read every submission of the source's form, page by page, import each page (in one
    transaction per submission) and keep the attachments. Safe to interrupt and to rerun: a
    page already imported is found unchanged."""
    if source.kind not in ("central", "kobo"):
        raise RemoteError(_("Unknown server kind %(k)s: central or kobo.") % {"k": source.kind})
    if source.kind == "central":
        headers = {"Authorization": f"Bearer {_central_token(source, opener)}"}
    else:
        headers = {"Authorization": f"Token {source.secret}"}
    result = PullReport()
    kind = "odk" if source.kind == "central" else "kobo"
    for rows in _pages(source, headers, opener):
        result.pages += 1
        result.submissions += len(rows)
        records = [importers._flatten(row) for row in rows]
        page = importers.import_records(
            actor=actor, records=records, source=kind, form_id=form_id or source.form
        )
        for name in ("imported", "replaced", "unchanged", "pending"):
            setattr(result.report, name, getattr(result.report, name) + getattr(page, name))
        offset = result.submissions - len(rows)
        result.report.errors += [(n + offset, i, m) for n, i, m in page.errors]
        for row in rows:
            instance = row.get("__id") or row.get("_uuid") or ""
            for name, url in _attachments(source, row, headers, opener):
                why = _keep_attachment(str(instance), name, url, headers, opener)
                if why:
                    result.refused_attachments.append(why)
                else:
                    result.attachments += 1
        if progress:
            progress(result)
    return result
