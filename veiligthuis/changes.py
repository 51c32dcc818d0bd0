"""A token that changes with every committed change to the data, for caches that must never be
stale (the yearly report).

Every transaction that wrote anything besides the bookkeeping of a page view (audit entries,
staff sessions) sets a new random token in the one row of ``data_version``, in the same
transaction, just before it commits. A cache keyed on the token read at the start of a request
therefore misses as soon as any change is committed, on any app server sharing the database, and
a rolled-back change leaves the token as it was. The token is random rather than a counter so
that a database emptied and refilled (tests, a restore) never repeats an earlier key.

What is noticed: every ORM flush of an object outside the bookkeeping tables, and every other
statement run through a session that is not a SELECT on those tables (bulk ``update``/``delete``,
``insert`` of many rows, and textual SQL unless it starts with SELECT).
Writes that bypass the sessions (``engine.begin()``) are only used for the bookkeeping tables.
"""

import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, TypeVar, cast

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from veiligthuis.models import Base, DbSession

#: written by merely looking at pages: these never change what a cached figure shows
BOOKKEEPING_TABLES = frozenset({"audit_log", "web_sessions", "data_version"})
_CHANGED = "veiligthuis.changed"
#: the token as read in this transaction (``Session.info``)
_TOKEN_READ = "veiligthuis.token"

T = TypeVar("T")


class DataVersion(Base):
    """The one row (id 1) whose token changes with every committed change."""

    __tablename__ = "data_version"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    token: so.Mapped[str] = so.mapped_column(sa.String(32))


_TOKEN = sa.select(DataVersion.token).where(DataVersion.id == 1)
#: the token as a column of another statement (her session's, read at the start of a request)
TOKEN_COLUMN = _TOKEN.scalar_subquery().label("data_token")


def current_token(db_session: DbSession) -> str | None:
    """The token as this transaction sees it; None before anything was ever written.

    Read once per transaction (a page may ask for several cached values). What is pending is
    flushed first, as reading it would, so that a transaction that wrote is known to have."""
    if db_session.new or db_session.dirty or db_session.deleted:
        db_session.flush()
    if _TOKEN_READ not in db_session.info:
        db_session.info[_TOKEN_READ] = db_session.scalar(_TOKEN)
    return db_session.info[_TOKEN_READ]


def note_token(db_session: DbSession, token: str | None) -> None:
    """The token as this transaction read it in another statement (:data:`TOKEN_COLUMN`), before
    it wrote anything: :func:`current_token` then needs no statement of its own."""
    db_session.info.setdefault(_TOKEN_READ, token)


def _touches_data(tables: set[str]) -> bool:
    return bool(tables - BOOKKEEPING_TABLES)


@sa.event.listens_for(so.Session, "after_flush")
def _note_flush(session: so.Session, _context) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _touches_data({table.name for table in sa.inspect(obj).mapper.tables}):
            session.info[_CHANGED] = True
            return


@sa.event.listens_for(so.Session, "do_orm_execute")
def _note_statement(state: so.ORMExecuteState) -> None:
    if state.is_select or state.session.info.get(_CHANGED):
        return
    statement = state.statement
    if isinstance(statement, sa.TextClause) and statement.text.lstrip()[:7].upper() == "SELECT ":
        return
    table = getattr(statement, "table", None)
    if isinstance(table, sa.Table) and not _touches_data({table.name}):
        return
    state.session.info[_CHANGED] = True


@sa.event.listens_for(so.Session, "before_commit")
def _record_change(session: so.Session) -> None:
    # Only at the outermost commit, never at a savepoint's: the row's lock is then the last a
    # transaction takes, so two writers can never wait for each other through it (deadlock).
    if session.in_nested_transaction():
        return
    # what is still pending is flushed now, so that it is seen before the token is written
    session.flush()
    if not session.info.pop(_CHANGED, False):
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    token = secrets.token_hex(16)
    # the plain table: the ORM's bulk machinery costs more here
    table = cast(sa.Table, DataVersion.__table__)
    session.execute(
        insert(table)
        .values(id=1, token=token)
        .on_conflict_do_update(index_elements=[table.c.id], set_={"token": token})
    )


@sa.event.listens_for(so.Session, "after_transaction_end")
def _forget(session: so.Session, transaction: so.SessionTransaction) -> None:
    # only the outermost transaction's end: a rolled-back savepoint keeps what came before it
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
        session.info.pop(_TOKEN_READ, None)


class _Cache:
    """A small least-recently-used map, safe for a worker's threads."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict[Hashable, Any](), Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = compute()
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value


def cached(db_session: DbSession, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave for ``key`` since the data last changed (per app).

    Only for values that follow from the data and ``key`` alone, never from who asks: the
    caller checks access before, and puts in ``key`` whatever else the value depends on.

    A transaction that has written anything (reading the token flushes what is pending) sees
    data no other has: what it works out is not kept, for it may yet be rolled back."""
    token = current_token(db_session)
    if token is None or db_session.info.get(_CHANGED):
        return compute()
    caches = current_app.extensions.setdefault("veiligthuis.changes", {})
    cache = caches.setdefault(name, _Cache(32))
    return cache.get((token, key), compute)
