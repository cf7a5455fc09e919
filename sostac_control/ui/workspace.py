"""Which workspace the dashboard shows, and who is looking: the registry, the URL's
`?workspace=`, the sidebar chooser, and Streamlit's own OIDC login (st.login) when
`.streamlit/secrets.toml` has an `[auth]` section. Without a registry: SOSTAC_DB/SOSTAC_PLAN
or the defaults; without `[auth]`: the local single user, who may do everything."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from sostac_control import access, workspaces
from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.i18n import _

CHOICE_KEY = "sostac_workspace"


@dataclass(frozen=True)
class Workspace:
    """Which plan file and which store (DuckDB file or DuckLake) the dashboard shows."""

    db: StoreRef
    plan: Path
    name: str = workspaces.DEFAULT_NAME
    title: str = ""
    sources: Path | None = None  # the workspace's API sources (None: the default file)


def login_configured() -> bool:
    """Whether `.streamlit/secrets.toml` has an `[auth]` section (then st.login is used)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def signed_in_email() -> str | None:
    """The signed-in user's e-mail (lower case), or None for the local single user."""
    if not login_configured() or not st.user.is_logged_in:
        return None
    return str(st.user.get("email") or "").strip().lower() or None


def visible() -> list[workspaces.Workspace]:
    """The registry's workspaces the current user has a role in."""
    registry = workspaces.load_registry()
    return access.visible_workspaces(registry, signed_in_email())


def chosen() -> workspaces.Workspace | None:
    """The workspace chosen (URL, sidebar, else the registry's default) among the visible
    ones; None when the user may see none."""
    registry = workspaces.load_registry()
    shown = access.visible_workspaces(registry, signed_in_email())
    if not shown:
        return None
    names = [ws.name for ws in shown]
    wanted = (
        st.session_state.get(CHOICE_KEY)
        or st.query_params.get("workspace")
        or workspaces.chosen_name()  # SOSTAC_WORKSPACE: the server's own default
    )
    if wanted not in names:
        wanted = registry.default if registry.default in names else names[0]
    return next(ws for ws in shown if ws.name == wanted)


def workspace() -> Workspace:
    """The workspace the current script run shows."""
    entry = chosen()
    if entry is None:  # the gate in `session` stops before any page asks
        st.stop()
        raise AssertionError("unreachable")
    return Workspace(entry.store, entry.plan, entry.name, entry.title, entry.sources)


@contextmanager
def session() -> Iterator[None]:
    """The gate around a script run: sign-in when configured, a workspace the user may see,
    and the user's role in it for every check (access.require) and record (who did it)."""
    if login_configured() and not st.user.is_logged_in:
        st.title("sostac-control")
        st.write(_("Sign in to see your workspaces."))
        if st.button(_("Sign in"), type="primary"):
            st.login()
        st.stop()
    email = signed_in_email()
    entry = chosen()
    if entry is None:
        st.warning(_("{email} has no role in any workspace of this server.").format(email=email))
        st.caption(_("Ask an admin to add your e-mail to a workspace's roles in the registry."))
        if st.button(_("Sign out")):
            st.logout()
        st.stop()
        return
    if workspaces.load_registry().path is not None:  # a link to this page names it
        st.query_params["workspace"] = entry.name
    grant = access.signed_in(entry, email) if email else nullcontext()
    with grant:
        yield


def choose_workspace() -> None:
    """The sidebar's workspace chooser (only when the user may see more than one)."""
    shown = visible()
    if len(shown) < 2:
        return
    current = chosen()
    names = [ws.name for ws in shown]
    titles = {ws.name: ws.shown_title for ws in shown}
    st.selectbox(
        _("Workspace"),
        names,
        index=names.index(current.name) if current else 0,
        format_func=lambda name: titles[name],
        key=CHOICE_KEY,
        help=_("The client or brand whose plan and data every page shows."),
    )


def who_line() -> str:
    """The sidebar's line about who is working: the signed-in user and role, or local."""
    email = signed_in_email()
    if email is None:
        return _("Local single-user: no sign-in configured (see the README's deployment section).")
    grant = access.current_grant()
    role = grant.role if grant else None
    return _("Signed in as {email} ({role}).").format(email=email, role=role or _("no role"))


def shown_path(path: StoreRef) -> str:
    """A path as the user would type it: relative to the working folder when inside it, else
    its folder and name (the sidebar is narrow; the full path is in the tooltip)."""
    if isinstance(path, LakeStore):
        return f"DuckLake {path.data_path}"
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return f"…/{path.parent.name}/{path.name}" if path.parent.name else str(path)
