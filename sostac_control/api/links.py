"""Paging links: Graph writes its own host and the access token into `paging.next`; these
helpers make such a link safe to follow through the configured session."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def without_token(url: str) -> str:
    """`url` without an access_token query parameter (the session sends it as a header)."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() != "access_token"
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def rebase(url: str, base_url: str) -> str:
    """A paging link moved onto the configured base URL's host, keeping its path and query.

    Graph writes its own host into `paging.next`; following it would bypass a configured proxy
    or test server and send the token to another host. A leading API version segment
    (`/v23.0`) is replaced by the base URL's path.
    """
    link, base = urlsplit(url), urlsplit(base_url)
    if not base.netloc or (link.scheme, link.netloc) == (base.scheme, base.netloc):
        return url
    path = re.sub(r"^/v\d+(\.\d+)?(?=/)", "", link.path)
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + path, link.query, ""))
