"""Who may do what in a workspace: roles from the registry, checked where the work is done.

viewer: read. editor: also load files, fetch from APIs, undo loads, edit the plan. admin: also
change alert rules and workspaces. Without a sign-in (the CLI, or a dashboard without an
`[auth]` section) the local single user may do everything. The dashboard wraps each script run
in `signed_in(workspace, email)`; ingest, fetch, undo and plan edits call `require(...)`, so a
viewer calling those functions gets a product error, not only a hidden button.
May import: errors, dbfile, workspaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sostac_control.dbfile import acting_as
from sostac_control.errors import SostacError
from sostac_control.workspaces import ROLES, Registry, Workspace

# What each action needs at least.
ACTIONS = {
    "read": "viewer",
    "load files": "editor",
    "fetch from APIs": "editor",
    "undo loads": "editor",
    "edit the plan": "editor",
    "change alert rules": "admin",
    "manage workspaces": "admin",
}


class AccessDenied(SostacError):
    """The signed-in user's role in the workspace does not allow the action."""


@dataclass(frozen=True)
class Grant:
    """A signed-in user in one workspace, with their role there (None: no role)."""

    workspace: Workspace
    email: str
    role: str | None


_grant: ContextVar[Grant | None] = ContextVar("grant", default=None)


def role_of(workspace: Workspace, email: str | None) -> str | None:
    """The user's role in the workspace; None for a user the registry does not name there.
    Without a sign-in (email None) the local single user is admin."""
    if email is None:
        return "admin"
    return workspace.roles.get(email.strip().lower())


def allows(role: str | None, action: str) -> bool:
    """Whether `role` may do `action` (an entry of ACTIONS)."""
    return role is not None and ROLES.index(role) >= ROLES.index(ACTIONS[action])


def visible_workspaces(registry: Registry, email: str | None) -> list[Workspace]:
    """The workspaces a user has any role in (all of them without a sign-in)."""
    return [ws for ws in registry.workspaces.values() if role_of(ws, email) is not None]


@contextmanager
def signed_in(workspace: Workspace, email: str) -> Iterator[Grant]:
    """Within the block the work is the signed-in user's: checked by `require` and recorded
    as theirs (loads, undo, changes)."""
    grant = Grant(workspace, email.strip().lower(), role_of(workspace, email))
    token = _grant.set(grant)
    try:
        with acting_as(grant.email):
            yield grant
    finally:
        _grant.reset(token)


def current_grant() -> Grant | None:
    """The signed-in user of the current work, or None for the local single user."""
    return _grant.get()


def may(action: str) -> bool:
    """Whether the current user may do `action` (for showing or hiding a control)."""
    grant = _grant.get()
    return grant is None or allows(grant.role, action)


def require(action: str) -> None:
    """Raise AccessDenied unless the current user may do `action` in the current workspace."""
    grant = _grant.get()
    if grant is None or allows(grant.role, action):
        return
    needed = ACTIONS[action]
    has = f"your role there is {grant.role}" if grant.role else "you have no role there"
    raise AccessDenied(
        f"{grant.email} may not {action} in workspace {grant.workspace.shown_title!r}: "
        f"that needs the {needed} role, and {has}.",
        hint="Ask an admin of the workspace to give you the role in the workspace registry "
        "(its [workspaces.NAME.roles] section).",
    )
