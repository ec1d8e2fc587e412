"""What meldpunt's domain packages share beyond `integriteit_shared`: its Location paths."""

from __future__ import annotations

from fastapi import Request


def location(request: Request, path: str) -> str:
    """An absolute path under this API's base for the Location header."""
    return f"{request.scope.get('root_path', '')}/api/meldpunt/v1{path}"
