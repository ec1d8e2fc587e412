"""Kafka topic names: constants, never literals elsewhere."""

from typing import Final

MELDPUNT: Final = "integriteit.meldpunt.v1"
VERTROUWENSPERSONEN: Final = "integriteit.vertrouwenspersonen.v1"
KLACHTEN: Final = "integriteit.klachten.v1"
KMAR_BPS: Final = "kmar.bps.v1"
ECLD_OPLEIDINGEN: Final = "ecld.opleidingen.v1"
DLQ: Final = "integriteit.dlq.v1"
# Control topic: producers announce how far they have published (their highest `sequence`),
# rapportage asks a producer to re-publish a range it is missing (messaging.herpublicatie).
HERPUBLICATIE: Final = "integriteit.herpublicatie.v1"
# each service's audit chain head (`AuditKetenkop`), kept by rapportage as an anchor
AUDIT: Final = "integriteit.audit.v1"

INTERNAL: Final = (MELDPUNT, VERTROUWENSPERSONEN, KLACHTEN)
EXTERNAL: Final = (KMAR_BPS, ECLD_OPLEIDINGEN)
ALL: Final = (*INTERNAL, *EXTERNAL, AUDIT, DLQ, HERPUBLICATIE)

# Partitions per topic in development (`make run`, the tests); production sets
# <PREFIX>KAFKA_PARTITIONS (deploy/example.env). Keys are aggregate ids, so a case's events
# stay in order on one partition whatever the count.
DEV_PARTITIONS: Final = 3

SOURCE_PREFIX: Final = "urn:nld:integriteit:systeem:"
TYPE_PREFIX: Final = "nl.integriteit."

# The CloudEvents source each producer uses; the topic follows from it.
SOURCES: Final = {
    "meldpunt": MELDPUNT,
    "vertrouwenspersonen": VERTROUWENSPERSONEN,
    "klachten": KLACHTEN,
    "kmar-bps": KMAR_BPS,
    "ecld": ECLD_OPLEIDINGEN,
}


# The services that keep an audit chain and publish its head on AUDIT.
AUDIT_SYSTEMS: Final = ("meldpunt", "vertrouwenspersonen", "klachten", "rapportage")


def source_urn(system: str) -> str:
    return f"{SOURCE_PREFIX}{system}"
