"""Lighthouse (mobile profile) on a town's home, booking and registration pages.

Runs in a scratch database with the demo towns (bench/_setup.py; no environment
needed), served by gunicorn as the image does (DEBUG off, WhiteNoise serving the
collected static files: bench/settings_served.py), with Lighthouse from npm
(pinned below, fetched by ``npx`` on first use) driving Debian's Chromium headless:

    .venv/bin/python bench/lighthouse.py

Prints each page's scores (performance, accessibility, best practices, 0-100) of
the median of three runs, its failing audits, and the ratio of each score to the
goal of issue 18 (performance >= 90, accessibility 100, best practices >= 95): a
ratio below 1 misses the goal.

Then axe-core (WCAG 2.2 AA, as the browser journeys check) on every citizen page
of the demo town a visitor and the logged-in demo citizen reach by following
links on a phone: ``axe_pages: N`` and ``axe_violations: V`` (goal 0), each
violation with its page.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from _setup import ROOT, _manage, bench_setup

# Our settings module lives here, beside the bench; gunicorn and manage.py find it too.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
)
sys.path.insert(0, str(Path(__file__).parent))
bench = bench_setup("lighthouse", timeout=1800, django=False, settings="settings_served")

from _servers import gunicorn_serving  # noqa: E402 (after the bench's set-up)

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, axe_violations  # noqa: E402
from tests.local_servers import free_port  # noqa: E402 (ROOT on the path now)

LIGHTHOUSE = "lighthouse@12.8.2"  # 13.x needs Node 22; Debian's Node is 20
GOALS = {"performance": 90, "accessibility": 100, "best-practices": 95}
HOST = "tangerhuette.localhost"
RUNS = 3
PAGES = {
    "home": "/",
    "booking": "/appointments/",
    "registration": "/accounts/register/",
}


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("[bench] no Chromium found: run `make test` once (it installs Debian's)")


def _warm_up(port: int) -> None:
    """Each page once, so the workers have imported the app before Lighthouse times them."""
    for path in PAGES.values():
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            assert answer.status == 200, (path, answer.status)


def _lighthouse(url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run; a second try if the first fails (on a busy machine Chromium's
    trace now and then misses the navigation: NO_NAVSTART)."""
    for attempt in (1, 2):
        try:
            return _lighthouse_once(url, out)
        except subprocess.CalledProcessError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _lighthouse_once(url: str, out: Path) -> dict[str, Any]:
    subprocess.run(  # noqa: S603 (npx, fixed arguments)
        [
            shutil.which("npx") or "npx", "--yes", LIGHTHOUSE, url,
            "--output=json", f"--output-path={out}", "--quiet",
            "--only-categories=performance,accessibility,best-practices",
            f"--chrome-path={_chromium()}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(out.read_text())
    return report


# Not citizen pages, or not pages at all: the back office, the API, files, leaving.
SKIP = ("/staff/", "/admin/", "/api/", "/static/", "/media/", "/accounts/logout/", "/billing/")
SKIP_ENDINGS = (".pdf", ".json", ".csv", ".ics", ".png", ".xml", ".js", "/export/")
MAX_PAGES = 60  # for each of visitor and citizen
CITIZEN = ("buerger@tangerhuette.localhost", "rathaus-demo")  # from manage.py load_demo


def _crawl(base: str) -> tuple[int, list[str]]:
    """Follows same-host links from the home page, as a visitor then as the demo citizen,
    and runs axe-core on each page once; returns the pages checked and the violations."""
    from urllib.parse import urldefrag, urljoin, urlsplit

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    seen: set[str] = set()
    found: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for logged_in in (False, True):
            context = browser.new_context(
                locale="de-DE", viewport={"width": 390, "height": 844}, is_mobile=True
            )
            page = context.new_page()
            if logged_in:
                page.goto(f"{base}/accounts/login/")
                page.get_by_label("E-Mail-Adresse").fill(CITIZEN[0])
                page.get_by_label("Passwort", exact=True).fill(CITIZEN[1])
                page.get_by_role("button", name="Anmelden", exact=True).last.click()
                page.wait_for_load_state("load")
            queue = ["/", "/accounts/"] if logged_in else ["/"]
            visited: set[str] = set()
            while queue and len(visited) < MAX_PAGES:
                path = queue.pop(0)
                if path in visited:
                    continue
                visited.add(path)
                try:
                    answer = page.goto(f"{base}{path}")
                except PlaywrightError:  # no page at all (e.g. 405 for a POST-only address)
                    continue
                if answer is None or answer.status != 200 or urlsplit(page.url).path != path:
                    continue  # a redirect is checked where it lands, if linked
                if not answer.headers.get("content-type", "").startswith("text/html"):
                    continue  # a feed, a calendar file: no page for axe
                key = f"{'citizen' if logged_in else 'visitor'} {path}"
                seen.add(key)
                for problem in axe_violations(page):
                    found.append(f"{key}: {problem['rule']} ({problem['impact']}) "
                                 f"{problem['help']} at {problem['where']}")  # fmt: skip
                for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                    url = urlsplit(urldefrag(urljoin(page.url, href))[0])
                    if url.netloc != urlsplit(base).netloc or url.query:
                        continue
                    if url.path.startswith(SKIP) or url.path.endswith(SKIP_ENDINGS):
                        continue
                    if url.path not in visited:
                        queue.append(url.path)
            context.close()
        browser.close()
    return len(seen), found


def _performance(report: dict[str, Any]) -> int:
    return round(100 * (report["categories"]["performance"]["score"] or 0))


def _where(item: dict[str, Any]) -> str:
    """What a failing audit points at: the element, or the console message and its source."""
    node = item.get("node") or {}
    if node:
        return f"{node.get('selector', '')} {node.get('snippet', '')}"[:200]
    source = item.get("sourceLocation") or {}
    return f"{item.get('description', '')} {source.get('url', item.get('url', ''))}"[:200]


def _summary(name: str, report: dict[str, Any]) -> list[float]:
    categories = report["categories"]
    ratios = []
    scores = []
    for key, goal in GOALS.items():
        score = round(100 * (categories[key]["score"] or 0))
        scores.append(f"{key} {score}")
        ratios.append(score / goal)
    print(f"{name:<14}" + ", ".join(scores))
    audits = report["audits"]
    metrics = [
        f"{label} {audits[key]['numericValue'] / divisor:.{digits}f}{unit}"
        for label, key, divisor, digits, unit in (
            ("FCP", "first-contentful-paint", 1000, 1, " s"),
            ("LCP", "largest-contentful-paint", 1000, 1, " s"),
            ("TBT", "total-blocking-time", 1, 0, " ms"),
            ("CLS", "cumulative-layout-shift", 1, 3, ""),
            ("bytes", "total-byte-weight", 1024, 0, " KiB"),
        )
        if key in audits and audits[key].get("numericValue") is not None
    ]
    print(f"{'':<14}" + ", ".join(metrics))
    for blocking in (audits.get("render-blocking-resources", {}).get("details") or {}).get(
        "items", []
    ):
        print(f"    render-blocking: {blocking.get('url')} ({blocking.get('wastedMs', 0):.0f} ms)")
    for table in (audits.get("largest-contentful-paint-element", {}).get("details") or {}).get(
        "items", []
    )[:1]:
        for item in table.get("items", [])[:1]:
            print(f"    LCP element: {_where(item)}")
    for key in GOALS:
        for ref in categories[key]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 0.9:
                print(f"    {key}: {audit['id']} ({audit['score']}): {audit['title']}")
                for item in (audit.get("details") or {}).get("items", [])[:4]:
                    print(f"      - {_where(item)}")
    return ratios


def main() -> None:
    started = time.perf_counter()
    os.environ["DEBUG"] = "true"  # the demo's known passwords need it for this one command
    _manage("load_demo", "-v", "0")
    os.environ["DEBUG"] = "false"
    _manage("collectstatic", "--noinput", "-v", "0")  # WhiteNoise serves var/static, as the image
    print(f"[bench] demo towns loaded in {time.perf_counter() - started:.0f} s")
    port = free_port()
    env = {**os.environ, "LOG_LEVEL": "ERROR", "TOWN_URL_PORT": str(port)}
    base = f"http://{HOST}:{port}"
    worst: dict[str, float] = {}
    with gunicorn_serving(port, env), tempfile.TemporaryDirectory() as folder:
        _warm_up(port)
        for name, path in PAGES.items():
            # The median of three runs by performance, as Lighthouse CI does: one run
            # on a shared machine swings by ten points and more.
            reports = [
                _lighthouse(f"{base}{path}", Path(folder) / f"{name}-{run}.json")
                for run in range(RUNS)
            ]
            reports.sort(key=lambda report: report["categories"]["performance"]["score"] or 0)
            performance = [
                round(100 * (r["categories"]["performance"]["score"] or 0)) for r in reports
            ]
            print(f"[bench] {name}: performance of the {RUNS} runs {performance}, the median:")
            report = reports[RUNS // 2]
            for key, ratio in zip(GOALS, _summary(name, report), strict=True):
                worst[key] = min(worst.get(key, ratio), ratio)
        pages, violations = _crawl(base)
    for key, goal in GOALS.items():
        print(f"ratio {key} (worst page) / goal {goal}: {worst[key]:.3f}")
    for violation in violations:
        print(f"    axe: {violation}")
    print(f"axe_pages: {pages}")
    print(f"axe_violations: {len(violations)}")


if __name__ == "__main__":
    main()
