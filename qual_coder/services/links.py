"""Personal links for `qual-coder serve`: one random token per coder (192 bits from
`secrets`), stored only as its SHA-256 so a copy of the project gives no one access;
compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ..errors import QualCoderError
from ..storage import Project

PREFIX = "serve.token."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_link_token(project: Project, coder: str) -> str:
    """A fresh token for `coder` (any earlier one stops working); returned once."""
    coder = coder.strip()
    if not coder:
        raise QualCoderError("a link needs a coder's name (--coder NAME)")
    token = secrets.token_urlsafe(24)
    project.set_setting(PREFIX + coder, _digest(token))
    return token


def revoke(project: Project, coder: str) -> bool:
    if project.setting(PREFIX + coder) is None:
        return False
    project.delete_setting(PREFIX + coder)
    return True


def coders_with_links(project: Project) -> list[str]:
    return sorted(k[len(PREFIX):] for k in project.settings_with_prefix(PREFIX))


def coder_for(project: Project, token: str | None) -> str | None:
    """The coder a token belongs to, or None; every stored digest is compared, in
    constant time, so timing says nothing about which coders exist."""
    if not token:
        return None
    wanted = _digest(token)
    found = None
    for key, digest in project.settings_with_prefix(PREFIX).items():
        if hmac.compare_digest(digest, wanted):
            found = key[len(PREFIX):]
    return found
