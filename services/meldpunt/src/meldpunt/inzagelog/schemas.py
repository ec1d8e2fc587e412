from __future__ import annotations

from integriteit_shared.http.auditlog import AuditRegel


class InzagelogRegel(AuditRegel):
    """An audit entry of the melding or what belongs to it; `reden` is the reason given
    for a `melder-inzage`, else absent."""

    reden: str | None = None
