"""Fresh, migrated databases for tests: PostgreSQL when TEST_DATABASE_URL is set, else SQLite.

Each service's schema is migrated once per session into a template; every test gets its
own copy (PostgreSQL `CREATE DATABASE ... TEMPLATE`, SQLite a file copy), so tests never
see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from integriteit_shared.db.migrations import upgrade
from integriteit_shared.service import registered_service


def database_url_for_tests() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres", "postgresql+psycopg2"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


class TestDatabases:
    __test__ = False  # not a test class

    def __init__(self, workdir: Path, *, sqlite: bool = False) -> None:
        """`sqlite=True`: SQLite files even when TEST_DATABASE_URL names a server (for a
        test that runs on both engines)."""
        self.server_url = None if sqlite else database_url_for_tests()
        self.workdir = workdir
        self.run_id = uuid.uuid4().hex[:8]
        self._templates: dict[str, str] = {}
        self._created: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return self.server_url is not None

    async def _admin(self, sql: str) -> None:
        assert self.server_url is not None
        engine = create_async_engine(self.server_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    def _url_for(self, dbname: str) -> str:
        assert self.server_url is not None
        return make_url(self.server_url).set(database=dbname).render_as_string(hide_password=False)

    async def _template(self, service: str) -> str:
        if service in self._templates:
            return self._templates[service]
        migrations = registered_service(service).migrations
        if self.is_postgres:
            name = f"itest_{self.run_id}_{service}_tpl"
            await self._admin(f'CREATE DATABASE "{name}"')
            self._created.append(name)
            await asyncio.to_thread(upgrade, migrations, self._url_for(name))
        else:
            path = self.workdir / f"{service}-template.db"
            await asyncio.to_thread(upgrade, migrations, f"sqlite+aiosqlite:///{path}")
            name = str(path)
        self._templates[service] = name
        return name

    async def create(self, service: str) -> str:
        """A new, migrated, empty database for `service`; returns its async URL."""
        template = await self._template(service)
        suffix = uuid.uuid4().hex[:8]
        if self.is_postgres:
            name = f"itest_{self.run_id}_{service}_{suffix}"
            await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            self._created.append(name)
            return self._url_for(name)
        path = self.workdir / f"{service}-{suffix}.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"

    async def drop_all(self) -> None:
        if not self.is_postgres:
            return
        for name in reversed(self._created):
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()
