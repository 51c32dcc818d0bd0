"""The audit log is append-only from the app: no update or delete of an entry passes a flush.

Only the retention term may remove entries, and it does so with one bulk statement
(``service.purge_audit``), which does not go through the unit of work.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import AuditEntry


class AuditLogIsAppendOnly(Exception):
    """Someone tried to change or remove an audit entry."""


@sa.event.listens_for(so.Session, "before_flush")
def _refuse_audit_changes(session: so.Session, _context, _instances) -> None:
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries cannot be removed")


@sa.event.listens_for(so.Session, "do_orm_execute")
def _refuse_bulk_audit_changes(state: so.ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete) or state.execution_options.get("audit_purge"):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ is AuditEntry:
        raise AuditLogIsAppendOnly("audit entries cannot be changed or removed")
