"""Subcommands that other installed packages add to `integriteit`.

A package publishes a `Command` under the entry point group `integriteit.commands`; the
entry point's name is the subcommand. The dev tools (`integriteit run`, `demo`) come in
this way, so a production install, which lacks them, has no such commands.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

ENTRY_POINT_GROUP = "integriteit.commands"
DATA_DIR_ENV = "INTEGRITEIT_DATA_DIR"


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    pass


@dataclass(frozen=True)
class Command:
    help: str
    run: Callable[[argparse.Namespace], int]
    # adds the subcommand's own arguments to its parser
    configure: Callable[[argparse.ArgumentParser], None] = _no_arguments


def installed_commands() -> dict[str, Command]:
    commands: dict[str, Command] = {}
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        command = entry_point.load()
        if not isinstance(command, Command):
            raise TypeError(f"entry point {entry_point.value} ({ENTRY_POINT_GROUP}) is no Command")
        commands[entry_point.name] = command
    return commands


def data_dir(value: str | None) -> Path:
    """The data dir a command works in: `--data-dir`, else $INTEGRITEIT_DATA_DIR, else ./data."""
    return Path(value or os.environ.get(DATA_DIR_ENV, "data")).resolve()
