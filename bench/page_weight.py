"""Page weight and time to first byte against a running node (issue 17's benchmark).

    .venv/bin/corridor demo            # or: corridor serve --node togo on a seeded node
    .venv/bin/python bench/page_weight.py --base http://127.0.0.1:8000 [--markdown]

Signs in as each demo role of the node (the roles that need a second factor, administrator and
investigator, are left out) and, for each role's home page, the case list, a case page and the
flow dashboard (where the role may open them), measures:

- time to first byte: from sending the request to the response's headers, the first request
  (nothing cached server-side) and the median of the two that follow;
- cold weight: the page and every stylesheet, script and image it references, as transferred
  (compressed bodies plus headers) by a browser with an empty cache;
- warm weight: the same with the cache filled: assets with a long ``max-age`` are not asked for
  again, others are revalidated (a 304's headers).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from urllib.parse import urljoin, urlparse

import requests

PASSWORD = "Corridor-demo-2026!"
ROLES = ["caseworker", "supervisor", "coordinator", "border", "partner", "hotline"]
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"#]+)"')
CASE_LINK = re.compile(r'href="(/cases/\d+/)"')
ENCODING = {"Accept-Encoding": "gzip, br", "Accept-Language": "fr"}


def _headers_size(response: requests.Response) -> int:
    return sum(len(k) + len(v) + 4 for k, v in response.raw.headers.items()) + 17


def _get(session: requests.Session, url: str, **headers) -> tuple[requests.Response, int]:
    """The response and the bytes it took on the wire (compressed body plus headers)."""
    response = session.get(url, headers={**ENCODING, **headers}, stream=True)
    body = response.raw.read(decode_content=False)
    response._content = body
    return response, len(body) + _headers_size(response)


def _long_lived(response: requests.Response) -> bool:
    match = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
    return bool(match and int(match.group(1)) >= 86400)


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", headers=ENCODING)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/", **ENCODING},
    )
    if response.url.rstrip("/") != base.rstrip("/"):
        raise SystemExit(f"{username} could not sign in (landed on {response.url})")
    return session


def measure(session: requests.Session, url: str) -> dict:
    ttfb = []
    for _i in range(3):
        response, html = _get(session, url)
        ttfb.append(response.elapsed.total_seconds() * 1000)
    if response.status_code != 200:
        return {"status": response.status_code}
    text = response.content.decode(response.encoding or "utf-8", "replace")
    if response.headers.get("Content-Encoding") == "gzip":
        import gzip

        text = gzip.decompress(response.content).decode()
    elif response.headers.get("Content-Encoding") == "br":
        import brotli

        text = brotli.decompress(response.content).decode()
    cold = warm = html
    host = urlparse(url).netloc
    for src in sorted(set(ASSET.findall(text))):
        if src.startswith("data:"):
            continue
        asset_url = urljoin(url, src)
        if urlparse(asset_url).netloc != host:
            continue
        asset, size = _get(session, asset_url)
        cold += size
        if not _long_lived(asset):
            validators = {
                k: v
                for k, v in (
                    ("If-None-Match", asset.headers.get("ETag")),
                    ("If-Modified-Since", asset.headers.get("Last-Modified")),
                )
                if v
            }
            _again, size = _get(session, asset_url, **validators)
            warm += size
    return {
        "status": 200,
        "ttfb_first_ms": round(ttfb[0]),
        "ttfb_ms": round(statistics.median(ttfb[1:])),
        "cold_kb": round(cold / 1024, 1),
        "warm_kb": round(warm / 1024, 1),
        "html": text,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--prefix", default="tg", help="demo account prefix: tg or ga")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    rows = []
    for role in ROLES:
        session = login(base, f"{args.prefix}.{role}")
        home = measure(session, f"{base}/")
        rows.append((role, "home", home))
        cases = measure(session, f"{base}/cases/")
        if cases.get("status") == 200:
            rows.append((role, "case list", cases))
            link = CASE_LINK.search(cases["html"])
            if link:
                rows.append((role, "case page", measure(session, f"{base}{link.group(1)}")))
        flows = measure(session, f"{base}/flows/")
        if flows.get("status") == 200:
            rows.append((role, "flows", flows))
    if args.markdown:
        print("| role | page | TTFB first (ms) | TTFB (ms) | cold (KiB) | warm (KiB) |")
        print("|---|---|---:|---:|---:|---:|")
    for role, page, m in rows:
        if args.markdown:
            print(
                f"| {role} | {page} | {m['ttfb_first_ms']} | {m['ttfb_ms']} "
                f"| {m['cold_kb']} | {m['warm_kb']} |"
            )
        else:
            print(role, page, {k: v for k, v in m.items() if k != "html"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
