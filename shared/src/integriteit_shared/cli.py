"""`integriteit`: the developer and operator command line.

integriteit token --rol ROL [--onderdeel CODE] [--sub ID]   a dev bearer token
integriteit migrate [SERVICE ...]                           Alembic upgrade head
integriteit run [--zonder-demo]                             the whole dev stack (make run)
integriteit demo                                            load the demo data into a running stack
integriteit openapi SERVICE                                 print a service's OpenAPI
integriteit audit-verify SERVICE [--zonder-anker]           check a service's audit chain
                                                            (exit 1: fault; 3: no anchor)
integriteit bewaartermijnen SERVICE [--dry-run]             destroy what is past its retention
                                                            (--dry-run: list ids and kinds only)

`run` and `demo` come with the development install (package integriteit-dev).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from integriteit_shared.auth.cli import token_main
from integriteit_shared.commands import Command, data_dir, installed_commands
from integriteit_shared.service import (
    UnknownService,
    registered_service,
    registered_services,
    service_names,
    workflows_by_service,
)


def _migrate(args: argparse.Namespace) -> int:
    from integriteit_shared.db.migrations import migrate

    migrate(
        args.services or [r.name for r in registered_services()],
        data_dir(args.data_dir) if args.data_dir else None,
    )
    return 0


def _openapi(args: argparse.Namespace) -> int:
    app = registered_service(args.service).create_app(None)
    print(json.dumps(app.openapi(), indent=2, ensure_ascii=False))
    return 0


def _asyncapi(args: argparse.Namespace) -> int:
    from integriteit_shared.events.asyncapi import asyncapi_document

    print(json.dumps(asyncapi_document(), indent=2, ensure_ascii=False))
    return 0


def _toestanden(args: argparse.Namespace) -> int:
    from integriteit_shared.workflow import workflows_markdown

    print(workflows_markdown(workflows_by_service()), end="")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select
    from sqlalchemy.exc import DBAPIError

    from integriteit_shared.crypto.audit import AuditKeys, AuditQueued, verify_audit_chain
    from integriteit_shared.db.session import Database

    settings = registered_service(args.service).settings()

    async def run() -> int:
        anchor, anchor_problem = await _latest_anchor(args.service, args.zonder_anker)
        db = Database(settings.database_url)
        queued: int | None = None
        try:
            async with db.transaction() as session:
                result = await verify_audit_chain(
                    session, keys=AuditKeys.from_setting(settings.audit_keys), anchor=anchor
                )
        except DBAPIError as exc:
            await db.dispose()
            print(f"audit-verify: database niet leesbaar ({type(exc).__name__})", file=sys.stderr)
            return 2
        try:
            # entries written but not chained yet (services that queue their writes)
            with contextlib.suppress(DBAPIError):
                async with db.transaction() as session:
                    queued = await session.scalar(select(func.count()).select_from(AuditQueued))
        finally:
            await db.dispose()
        print(json.dumps({**dataclasses.asdict(result), "queued": queued, "anker": anchor_problem}))
        if not result.ok:
            return 1
        return 0 if anchor is not None or args.zonder_anker else 3

    return asyncio.run(run())


def _ledger_exists(database_url: str) -> bool:
    """False for a SQLite file that is not there (opening it would create an empty one)."""
    from sqlalchemy import make_url

    url = make_url(database_url)
    return url.get_backend_name() != "sqlite" or Path(url.database or "").is_file()


async def _latest_anchor(service: str, skip: bool) -> tuple[Any, str | None]:
    """The service's latest chain head in rapportage's ledger, read with rapportage's own
    settings (RAPPORTAGE_DATABASE_URL); with a note when there is none to check against."""
    from sqlalchemy.exc import DBAPIError

    from integriteit_shared.crypto.anker import latest_anchor
    from integriteit_shared.db.session import Database
    from integriteit_shared.events.topics import source_urn

    if skip:
        return None, "niet gecontroleerd (--zonder-anker)"
    try:
        ledger = registered_service("rapportage").settings()
    except UnknownService:
        return None, "geen rapportage geïnstalleerd: geen anker om tegen te controleren"
    if not _ledger_exists(ledger.database_url):
        return None, "grootboek van rapportage niet gevonden"
    db = Database(ledger.database_url)
    try:
        async with db.transaction(writes=False) as session:
            anchor = await latest_anchor(session, source_urn(service))
    except (DBAPIError, OSError) as exc:
        return None, f"grootboek van rapportage niet leesbaar ({type(exc).__name__})"
    finally:
        await db.dispose()
    if anchor is None:
        return None, "nog geen anker van deze dienst in het grootboek van rapportage"
    return anchor, None


def _rotate(args: argparse.Namespace) -> int:
    from integriteit_shared.crypto.fields import FieldCipher
    from integriteit_shared.crypto.rotation import rotate_fields
    from integriteit_shared.db.session import Database

    registration = registered_service(args.service)
    settings = registration.settings()

    async def run() -> dict[str, int]:
        db = Database(settings.database_url)
        try:
            return await rotate_fields(
                db,
                FieldCipher.from_setting(settings.encryption_keys),
                registration.encrypted_fields,
            )
        finally:
            await db.dispose()

    print(json.dumps(asyncio.run(run())))
    return 0


def _bewaartermijnen(args: argparse.Namespace) -> int:
    from integriteit_shared.bewaartermijnen import bewaartermijnen_toepassen
    from integriteit_shared.db.session import Database

    registration = registered_service(args.service)
    if not registration.bewaarregels:
        print(f"bewaartermijnen: {args.service} bewaart niets met een termijn", file=sys.stderr)
        return 2
    settings = registration.settings()

    async def run() -> Any:
        db = Database(settings.database_url)
        try:
            return await bewaartermijnen_toepassen(
                db, settings, registration.bewaarregels, dry_run=args.dry_run
            )
        finally:
            await db.dispose()

    gedaan = asyncio.run(run())
    if gedaan is None:
        print("bewaartermijnen: een andere opschoning loopt al; die doet het werk", file=sys.stderr)
        return 3
    print(
        json.dumps(
            {
                "service": args.service,
                "dryRun": args.dry_run,
                "termijnen": [
                    {
                        "soort": r.soort,
                        "eindtoestand": r.eindtoestand,
                        "dagen": getattr(settings, r.instelling),
                    }
                    for r in registration.bewaarregels
                ],
                "vernietigd" if not args.dry_run else "teVernietigen": [v.json() for v in gedaan],
            }
        )
    )
    return 0


def _moment(value: str) -> datetime:
    """An ISO 8601 date or moment; without a time zone it is UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"geen datum of moment (ISO 8601, bijv. 2026-12-01T08:00+01:00): {value!r}"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _republish(args: argparse.Namespace) -> int:
    from integriteit_shared.db.session import Database
    from integriteit_shared.messaging.herpublicatie import republish_between

    settings = registered_service(args.service).settings()

    async def run() -> int:
        db = Database(settings.database_url)
        try:
            return await republish_between(db, args.vanaf, args.tot)
        finally:
            await db.dispose()

    if args.tot is not None and args.tot <= args.vanaf:
        print("outbox-herpubliceren: --tot moet na --vanaf liggen", file=sys.stderr)
        return 2
    marked = asyncio.run(run())
    print(
        json.dumps(
            {
                "service": args.service,
                "vanaf": args.vanaf.isoformat(),
                "tot": None if args.tot is None else args.tot.isoformat(),
                "opnieuwTeVersturen": marked,
            }
        )
    )
    return 0


# Commands of the dev install (package integriteit-dev, `integriteit.commands` entry points);
# without it they say where they are instead of being unknown.
DEV_COMMANDS = ("run", "demo", "bootstrap", "mail")


def _dev_install_needed(args: argparse.Namespace) -> int:
    print(
        f"integriteit {args.command}: part of the development install (package "
        "integriteit-dev), which this environment does not have; run it from a checkout "
        "of the repository (`make install`, then `.venv/bin/integriteit "
        f"{args.command}`, or `make run`)",
        file=sys.stderr,
    )
    return 2


def _parser(plugins: dict[str, Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="integriteit",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    services = service_names()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("token", help="print a dev bearer token (see `integriteit token -h`)")
    p_migrate = sub.add_parser("migrate", help="upgrade the databases to the latest schema")
    p_migrate.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(services))
    p_migrate.add_argument("--data-dir")
    p_migrate.set_defaults(handler=_migrate)
    p_openapi = sub.add_parser("openapi", help="print a service's OpenAPI document")
    p_openapi.add_argument("service", choices=services)
    p_openapi.set_defaults(handler=_openapi)
    p_asyncapi = sub.add_parser("asyncapi", help="print the AsyncAPI document of every topic")
    p_asyncapi.set_defaults(handler=_asyncapi)
    p_states = sub.add_parser(
        "toestanden", help="print every aggregate's state diagram (docs/toestanden.md)"
    )
    p_states.set_defaults(handler=_toestanden)
    p_rot = sub.add_parser(
        "sleutels-roteren", help="move a service's encrypted fields to the active key"
    )
    p_rot.add_argument("service", choices=services)
    p_rot.set_defaults(handler=_rotate)
    p_audit = sub.add_parser("audit-verify", help="verify a service's audit chain")
    p_audit.add_argument("service", choices=services)
    p_audit.add_argument(
        "--zonder-anker",
        action="store_true",
        help="only the chain itself, not against the latest anchor in rapportage's ledger",
    )
    p_audit.set_defaults(handler=_audit_verify)
    p_bewaar = sub.add_parser(
        "bewaartermijnen",
        help="destroy the personal data and text of records past their retention period",
    )
    p_bewaar.add_argument("service", choices=services)
    p_bewaar.add_argument(
        "--dry-run", action="store_true", help="only list what would go (ids and kinds)"
    )
    p_bewaar.set_defaults(handler=_bewaartermijnen)
    p_rep = sub.add_parser(
        "outbox-herpubliceren",
        help="send a range of a service's outbox again (its relay does; consumers dedupe)",
    )
    p_rep.add_argument("service", choices=services)
    p_rep.add_argument("--vanaf", type=_moment, required=True, help="written at or after")
    p_rep.add_argument("--tot", type=_moment, help="written before (default: up to now)")
    p_rep.set_defaults(handler=_republish)
    for name, command in plugins.items():
        p_plugin = sub.add_parser(name, help=command.help)
        command.configure(p_plugin)
        p_plugin.set_defaults(handler=command.run)
    for name in DEV_COMMANDS:
        if name not in plugins:
            p_dev = sub.add_parser(name, help="(needs the development install)", add_help=False)
            p_dev.set_defaults(handler=_dev_install_needed)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "token":
        return token_main(argv[1:])
    parser = _parser(installed_commands())
    # what parse_args does, except that a missing dev command takes any arguments
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.handler is not _dev_install_needed:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UnknownService as exc:
        parser.error(str(exc))


__all__ = ["main"]


if __name__ == "__main__":
    raise SystemExit(main())
