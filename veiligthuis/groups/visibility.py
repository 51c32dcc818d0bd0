"""Which groups a staff member may see, as a condition on ``Group``."""

from functools import cache

import sqlalchemy as sa

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group
from veiligthuis.programmes.models import memberships


def visible_scope(user: User) -> tuple[bool, dict]:
    """Whether ``user`` sees every group, and the parameters :func:`visible_groups_where`
    takes."""
    return user.has_role("coordinator"), {"viewer_id": user.id}


@cache
def visible_groups_where(every: bool) -> sa.ColumnElement[bool]:
    """The groups the viewer (``:viewer_id``) may see: all of them, or, for a facilitator, her
    own and those she stands in for, in the programmes she works in.

    Built once per process with the viewer as a bound parameter, so a statement that uses it
    can be built once too: building and keying a statement anew cost more than running it."""
    if every:
        return sa.true()
    from veiligthuis.sessions.models import GroupSession

    viewer: sa.BindParameter[int] = sa.bindparam("viewer_id", type_=sa.Integer)
    substitute_in = sa.select(GroupSession.group_id).where(GroupSession.substitute_id == viewer)
    hers = sa.select(memberships.c.programme_id).where(memberships.c.user_id == viewer)
    return sa.and_(
        Group.programme_id.in_(hers),
        sa.or_(
            Group.facilitator_a_id == viewer,
            Group.facilitator_b_id == viewer,
            Group.id.in_(substitute_in),
        ),
    )
