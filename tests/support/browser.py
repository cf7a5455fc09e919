"""Helpers for the tests that run the real app: its page list, a streamlit server, Chromium.

The page list is read from app.py's `pages = [st.Page(...), ...]` literal, so that a page added
there is opened by the AppTest and browser tests without touching them.
"""

from __future__ import annotations

import ast
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
APP = ROOT / "app.py"


@dataclass(frozen=True)
class AppPage:
    """One st.Page entry of app.py."""

    path: str  # the page's script, relative to the project root
    title: str
    url_path: str  # "" for the default page

    @property
    def slug(self) -> str:
        return self.url_path or "overview"


def _literal(node: ast.AST) -> Any:
    """A keyword's constant, also inside `_("…")` (a title marked for translation: the English
    title, which the app shows unless a person chose Dutch)."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_" and node.args:
        node = node.args[0]
    return node.value if isinstance(node, ast.Constant) else None


def app_pages() -> list[AppPage]:
    """The pages app.py lists, in order, with their titles and URL paths."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    found: list[AppPage] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"):
            continue
        path = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else ""
        words = {k.arg: _literal(k.value) for k in node.keywords if _literal(k.value) is not None}
        stem = Path(str(path)).stem
        url_path = "" if words.get("default") else str(words.get("url_path") or stem)
        found.append(AppPage(str(path), str(words.get("title") or stem), url_path))
    return found


def find_chromium() -> str | None:
    """A Chromium or Chrome executable on this machine, or None."""
    for candidate in (
        os.environ.get("SOSTAC_CHROMIUM", ""),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        shutil.which("chromium") or "",
        shutil.which("google-chrome") or "",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class StreamlitServer:
    """A `streamlit run app.py` process on a free port, for one test session."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start_server(
    db: Path,
    plan: Path,
    log: Path,
    timeout_s: float = 90,
    *,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> StreamlitServer:
    """Start the app against this workspace and wait until /_stcore/health says ok."""
    port = port or free_port()
    env = {**os.environ, "SOSTAC_DB": str(db), "SOSTAC_PLAN": str(plan), **(extra_env or {})}
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *extra_args,
    ]  # fmt: skip
    handle = log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)
    server = StreamlitServer(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return server
        except OSError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout_s:.0f} s")


SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ARTIFACTS = ROOT / "test-artifacts"


def wait_for_app(page: Any, timeout_ms: float = 180_000) -> None:
    """Wait until the script run has finished and the page has drawn its main block."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout_ms)
    page.wait_for_selector(SCRIPT_DONE, timeout=timeout_ms)
    # A rerun may start right after the first paint (e.g. widgets settling): wait it out.
    page.wait_for_timeout(300)
    page.wait_for_selector(SCRIPT_DONE, timeout=timeout_ms)


def open_app_page(page: Any, server: StreamlitServer, app_page: AppPage) -> None:
    """Go to one of the app's pages by its URL and wait until it has run."""
    page.goto(f"{server.url}/{app_page.url_path}", wait_until="domcontentloaded")
    wait_for_app(page)


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/ (and docs/ when SOSTAC_SCREENSHOTS=docs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("SOSTAC_SCREENSHOTS") == "docs" and name in DOC_SCREENSHOTS:
        page.screenshot(path=str(ROOT / "docs" / f"{name}.png"), full_page=False)
    return path


# The screenshots the README uses; `make screenshot` refreshes them.
DOC_SCREENSHOTS = {"overview"}
