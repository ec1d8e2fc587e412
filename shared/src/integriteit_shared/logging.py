"""structlog JSON logging. Log codes, ids, counts and timings only: never names or free text."""

from __future__ import annotations

import logging
import sys

import structlog

_FORBIDDEN_KEYS = frozenset(
    {
        "omschrijving",
        "naam",
        "email",
        "telefoon",
        "tekst",
        "notitie",
        "volgcode",
        "melder",
        "reden",
        "token",
        "authorization",
        "body",
    }
)


def _drop_personal_data(
    _logger: object, _method: str, event_dict: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    # A safety net: a field that may hold personal data never reaches the log sink.
    for key in list(event_dict):
        if key.lower() in _FORBIDDEN_KEYS:
            event_dict[key] = "[verwijderd]"
    return event_dict


def configure_logging(level: str = "INFO", *, service: str = "integriteit") -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level.upper())
    # libraries that log every operation at DEBUG (aiosqlite: each statement), so that
    # LOG_LEVEL=DEBUG shows our own lines, the request lines among them
    for noisy in ("aiokafka", "uvicorn.access", "aiosqlite", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _drop_personal_data,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str | None = None) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
