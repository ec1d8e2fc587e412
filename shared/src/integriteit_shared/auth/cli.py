"""`integriteit token`: print a dev bearer token the `make run` stack accepts."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from integriteit_shared.auth.keys import DEV_ALGORITHM, ensure_dev_keys
from integriteit_shared.auth.roles import Rol
from integriteit_shared.auth.tokens import mint_token
from integriteit_shared.commands import DATA_DIR_ENV
from integriteit_shared.settings import DEFAULT_AUDIENCE, DEV_ISSUER


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="integriteit token",
        description=(
            "Print a bearer token signed with the dev key under <data-dir>/dev-keys "
            "(created on first use)."
        ),
    )
    parser.add_argument(
        "--rol",
        dest="rollen",
        action="append",
        required=True,
        metavar="ROL",
        help="role claim; repeat for several. One of: " + ", ".join(r.value for r in Rol),
    )
    parser.add_argument("--onderdeel", help="defensieonderdeel claim (e.g. CLSK); omit for all")
    parser.add_argument("--sub", help="subject claim (default: dev-<first role>)")
    parser.add_argument(
        "--ttl", type=int, default=3600, metavar="SECONDS", help="lifetime (default 3600)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"data directory (default: ${DATA_DIR_ENV}, else ./data)",
    )
    return parser


def token_main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        rollen: list[str] = []
        for rol in args.rollen:
            if rol not in Rol.__members__.values():
                parser.error(f"unknown role {rol!r}; choose from: {', '.join(Rol)}")
            if rol not in rollen:
                rollen.append(rol)
        if args.ttl <= 0:
            parser.error("--ttl must be a positive number of seconds")
        if args.onderdeel is not None and not args.onderdeel.strip():
            parser.error("--onderdeel may not be empty")
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 0

    data_dir: Path = args.data_dir or Path(os.environ.get(DATA_DIR_ENV) or "data")
    keys = ensure_dev_keys(data_dir / "dev-keys")
    token = mint_token(
        private_key=keys.private_key,
        kid=keys.kid,
        sub=args.sub or f"dev-{rollen[0]}",
        roles=rollen,
        issuer=DEV_ISSUER,
        audience=DEFAULT_AUDIENCE,
        defensieonderdeel=args.onderdeel,
        ttl_s=args.ttl,
        algorithm=DEV_ALGORITHM,
    )
    sys.stdout.write(token + "\n")
    return 0
