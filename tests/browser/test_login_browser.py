"""Sign-in through Streamlit's own OIDC login against a mock provider on 127.0.0.1, with a real
Streamlit server and Chromium: a viewer cannot upload, and a user sees only their workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import (
    StreamlitServer,
    free_port,
    screenshot,
    start_server,
    wait_for_app,
)

oidc = pytest.importorskip("oidc_provider_mock")
pytestmark = pytest.mark.browser

USERS = ("client@koffiebar.example", "lead@agency.example")


@pytest.fixture(scope="module")
def login_server(demo_workspace, tmp_path_factory) -> Iterator[tuple[StreamlitServer, Any]]:
    """The app with a two-workspace registry and [auth] pointing at a mock OIDC provider."""
    folder = tmp_path_factory.mktemp("login")
    users = [oidc.User(sub=email, claims={"email": email, "name": email}) for email in USERS]
    with oidc.run_server_in_thread(port=free_port(), user_claims=users) as provider:
        port = free_port()
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-secret-for-the-test-only"\n'
            'client_id = "sostac-control"\nclient_secret = "test-secret"\n'
            f'server_metadata_url = "http://127.0.0.1:{provider.server_port}'
            '/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        registry = folder / "workspaces.toml"
        registry.write_text(
            'default = "koffiebar"\n'
            f'[workspaces.koffiebar]\ntitle = "Koffiebar Noord"\nplan = "{demo_workspace.plan}"\n'
            f'db = "{demo_workspace.db}"\n[workspaces.koffiebar.roles]\n'
            '"client@koffiebar.example" = "viewer"\n"lead@agency.example" = "admin"\n'
            f'[workspaces.acme]\ntitle = "Acme Bikes"\nplan = "{folder / "acme.yaml"}"\n'
            f'db = "{folder / "acme.duckdb"}"\n[workspaces.acme.roles]\n'
            '"lead@agency.example" = "admin"\n',
            encoding="utf-8",
        )
        server = start_server(
            demo_workspace.db,
            demo_workspace.plan,
            folder / "streamlit.log",
            port=port,
            extra_args=("--secrets.files", str(secrets)),
            extra_env={"SOSTAC_WORKSPACES": str(registry)},
        )
        try:
            yield server, provider
        finally:
            server.stop()


def _sign_in(page: Any, server: StreamlitServer, email: str) -> None:
    page.goto(server.url, wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('input[name="sub"]')
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}/**")
    wait_for_app(page)


def test_before_sign_in_nothing_of_a_workspace_shows(chromium_browser, login_server) -> None:
    server, _ = login_server
    page = chromium_browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{server.url}/data", wait_until="domcontentloaded")
        wait_for_app(page)
        assert page.get_by_role("button", name="Sign in").count() == 1
        assert page.get_by_text("Koffiebar Noord").count() == 0
    finally:
        page.close()


def test_a_viewer_sees_only_their_workspace_and_cannot_upload(
    chromium_browser, login_server
) -> None:
    server, _ = login_server
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        _sign_in(page, server, "client@koffiebar.example")
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert "Signed in as client@koffiebar.example (viewer)" in sidebar.inner_text()
        assert page.get_by_role("combobox", name="Workspace").count() == 0  # only one to see
        page.goto(f"{server.url}/data?workspace=acme", wait_until="domcontentloaded")
        wait_for_app(page)
        assert "Acme Bikes" not in page.inner_text("body")  # not theirs: the URL cannot open it
        assert page.get_by_text("Your role in this workspace is viewer").count() == 1
        assert page.get_by_role("button", name="Load files").is_disabled()
        screenshot(page, "login-viewer-data")
    finally:
        context.close()


def test_an_admin_of_two_workspaces_chooses_between_them(chromium_browser, login_server) -> None:
    server, _ = login_server
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        _sign_in(page, server, "lead@agency.example")
        chooser = page.get_by_role("combobox", name="Workspace")
        assert chooser.input_value() == "Koffiebar Noord"
        page.goto(f"{server.url}/data?workspace=acme", wait_until="domcontentloaded")
        wait_for_app(page)
        assert page.get_by_role("combobox", name="Workspace").input_value() == "Acme Bikes"
        assert page.get_by_role("button", name="Load files").is_enabled()
    finally:
        context.close()
