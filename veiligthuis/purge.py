"""After retention: make what it removed unreadable in the live database files.

An UPDATE or DELETE leaves the old values behind: in SQLite in freed page space and in the
``-wal`` file until a checkpoint, in PostgreSQL as dead tuples in the table file until it is
rewritten. SQLite runs with ``secure_delete`` (freed space is overwritten with zeros, set on
every connection in ``create_app``) and the WAL is checkpointed and truncated after the purge;
PostgreSQL rewrites the purged tables with ``VACUUM FULL``. Old backups, and PostgreSQL's WAL
archive if one is kept, still hold the values until they expire (docs/safety.md).
"""

import sqlalchemy as sa

from veiligthuis.groups.models import Participant
from veiligthuis.partners.models import PartnerReferral, ReferralAttempt
from veiligthuis.support.models import Referral, Signal, SupportContact

# the tables anonymise_expired, anonymise_support and purge_expired_referrals write to
PURGED_TABLES = tuple(
    m.__tablename__
    for m in (Participant, SupportContact, Referral, Signal, PartnerReferral, ReferralAttempt)
)


class RetentionRun:
    """What the retention run's audit entry is about (no row of its own)."""

    id = None


def shred_freed_space(engine: sa.Engine, tables: tuple[str, ...]) -> None:
    """Overwrite or drop the freed space that still holds purged values."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            # TRUNCATE: copies every page back into the database file and empties the -wal
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    existing = set(sa.inspect(engine).get_table_names())
    # VACUUM cannot run inside a transaction block
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            if table in existing:
                connection.exec_driver_sql(f'VACUUM FULL "{table}"')
