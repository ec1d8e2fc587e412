"""Database plumbing: declarative base with a naming convention, async engine and sessions."""

from integriteit_shared.db.base import Base, utcnow
from integriteit_shared.db.session import Database

__all__ = ["Base", "Database", "utcnow"]
