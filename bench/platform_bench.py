"""The platform as a newcomer meets it: `corridor demo` timings and the weight of home pages.

    .venv/bin/python bench/platform_bench.py [--pages / /cases/ ...] [--keep DIR]

Runs `corridor demo --no-serve` in a fresh data directory (first run: migrate and seed both
nodes), runs it again (nothing to do), then `corridor demo` serving both nodes, and times until
both answer. Then, in Debian's Chromium, each demo account without a second factor signs in to
Togo's node and loads each page: bytes transferred cold (empty cache) and warm (reload), counted
from the browser's Resource Timing (compressed sizes, 0 for what came from the cache), and the
time to first byte of the page itself. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Corridor-demo-2026!"
ACCOUNTS = ["tg.caseworker", "tg.supervisor", "tg.coordinator", "tg.border", "tg.partner"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WEIGHT_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const bytes = [nav, ...resources].reduce((sum, e) => sum + (e.transferSize || 0), 0);
  return {bytes, requests: 1 + resources.length, ttfb: nav.responseStart - nav.requestStart};
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def corridor(*args: str) -> list[str]:
    return [sys.executable, "-m", "corridor.cli", *args]


def timed(command: list[str], env: dict) -> float:
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True, timeout=900)
    return time.monotonic() - started


def serve(env: dict, ports: dict[str, int]) -> tuple[subprocess.Popen, float]:
    started = time.monotonic()
    proc = subprocess.Popen(
        corridor("demo", "--togo-port", str(ports["togo"]), "--gabon-port", str(ports["gabon"])),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for node, port in ports.items():
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"corridor demo stopped before {node} answered")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
    return proc, time.monotonic() - started


def page_weights(base: str, pages: list[str]) -> list[tuple[str, str, dict, dict]]:
    from playwright.sync_api import sync_playwright

    rows = []
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for account in ACCOUNTS:
            context = browser.new_context(locale="fr-FR")
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=login]", account)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            for path in pages:
                # A fresh context per measure of "cold": same session, empty cache.
                cold_context = browser.new_context(
                    locale="fr-FR", storage_state=context.storage_state()
                )
                cold_page = cold_context.new_page()
                response = cold_page.goto(f"{base}{path}", wait_until="networkidle")
                if response is None or response.status != 200:
                    cold_context.close()
                    continue  # a page this role may not open
                cold = cold_page.evaluate(WEIGHT_JS)
                cold_page.reload(wait_until="networkidle")
                warm = cold_page.evaluate(WEIGHT_JS)
                rows.append((account, path, cold, warm))
                cold_context.close()
            context.close()
        browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=["/"], help="paths to weigh (default: /)")
    parser.add_argument("--keep", type=Path, help="data directory to use and keep")
    args = parser.parse_args()
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="corridor-platform-bench-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CORRIDOR_NODE")
    }
    env["CORRIDOR_DATA_DIR"] = str(data_dir)
    print(f"data directory: {data_dir}", file=sys.stderr)
    first = timed(corridor("demo", "--no-serve"), env)
    print(f"first run {first:.1f} s", file=sys.stderr)
    again = timed(corridor("demo", "--no-serve"), env)
    ports = {"togo": free_port(), "gabon": free_port()}
    proc, ready = serve(env, ports)
    try:
        rows = page_weights(f"http://127.0.0.1:{ports['togo']}", args.pages)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    print("| measure | value |\n|---|---|")
    print(f"| `corridor demo` first run (migrate + seed both nodes) | {first:.1f} s |")
    print(f"| `corridor demo` re-run (nothing to do) | {again:.1f} s |")
    print(f"| `corridor demo` serve (both nodes answering, data ready) | {ready:.1f} s |")
    print("\n| account | page | cold: KB over requests | warm: KB over requests | TTFB |")
    print("|---|---|---|---|---|")
    for account, path, cold, warm in rows:
        print(
            f"| {account} | `{path}` | {cold['bytes'] / 1024:.1f} KB / {cold['requests']} "
            f"| {warm['bytes'] / 1024:.1f} KB / {warm['requests']} | {cold['ttfb']:.0f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
