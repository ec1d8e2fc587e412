"""`integriteit run`, `demo`, `bootstrap` and `mail`: the dev install's subcommands (entry
points)."""

from __future__ import annotations

import argparse
import asyncio
import sys

import httpx

from integriteit_shared.commands import Command, data_dir


def _configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir")
    parser.add_argument("--broker-port", type=int, default=9092)
    parser.add_argument(
        "--zonder-demo", action="store_true", help="do not load the demo data on first start"
    )


def _run(args: argparse.Namespace) -> int:
    from integriteit_dev.stack import run_stack

    return run_stack(
        data_dir(args.data_dir), broker_port=args.broker_port, demo=not args.zonder_demo
    )


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir")


def _demo(args: argparse.Namespace) -> int:
    from integriteit_dev.demo.laden import MARKER, DemoFout, laad_demo

    directory = data_dir(args.data_dir)
    try:
        uitslag = asyncio.run(laad_demo(directory))
    except DemoFout as exc:
        print(f"demodata: niet (volledig) geladen: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(
            f"demodata: de diensten zijn niet bereikbaar ({exc}); eerst `make run`?",
            file=sys.stderr,
        )
        return 1
    if uitslag is None:
        print(f"demodata: al eerder geladen ({directory / MARKER})")
    else:
        print(uitslag.samenvatting())
    return 0


def _bootstrap(args: argparse.Namespace) -> int:
    from integriteit_dev.stack import bootstrap

    return bootstrap()


RUN = Command(help="start broker and services with demo data", run=_run, configure=_configure_run)
DEMO = Command(
    help="load the demo data (the 2024 annual report) once into the running stack",
    run=_demo,
    configure=_configure_demo,
)


def _configure_mail(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir")
    parser.add_argument("nummer", nargs="?", type=int, help="show this message in full")


def _mail(args: argparse.Namespace) -> int:
    from integriteit_dev.mail import ontvangen

    directory = data_dir(args.data_dir) / "mail"
    berichten = ontvangen(directory)
    if args.nummer is None:
        if not berichten:
            print(f"geen mail in {directory}")
        for i, b in enumerate(berichten, start=1):
            m = b.message
            print(f"{i:>4}  {m['Date']}  {m['To']}  {m['Subject']}")
        return 0
    if not 1 <= args.nummer <= len(berichten):
        print(f"mail {args.nummer} bestaat niet ({len(berichten)} in {directory})", file=sys.stderr)
        return 1
    print(berichten[args.nummer - 1].path.read_text(), end="")
    return 0


MAIL = Command(
    help="list the mail the development mail server received (`integriteit mail N` shows one)",
    run=_mail,
    configure=_configure_mail,
)
BOOTSTRAP = Command(help="(used by run) topics, readiness, demo data, URLs", run=_bootstrap)
