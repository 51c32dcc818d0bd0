"""Which groups a staff member may see, as a query."""

import sqlalchemy as sa

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group


def visible_groups_query(user: User) -> sa.Select:
    """The groups ``user`` may see, as a query (facilitators: their own)."""
    query = sa.select(Group)
    if user.has_role("coordinator"):
        return query
    from veiligthuis.sessions.models import GroupSession

    substitute_in = sa.select(GroupSession.group_id).where(GroupSession.substitute_id == user.id)
    return query.where(
        Group.programme_id.in_([p.id for p in user.programmes]),
        sa.or_(
            Group.facilitator_a_id == user.id,
            Group.facilitator_b_id == user.id,
            Group.id.in_(substitute_in),
        ),
    )
