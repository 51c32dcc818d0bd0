"""A programme is one kind of group offer with its own method, staff and data."""

from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.models import Base, TimestampMixin

if TYPE_CHECKING:
    from veiligthuis.auth.models import User


class ProgrammeKind(StrEnum):
    """Who a programme is for; the values are what the database stores."""

    WOMEN = "women"
    MEN = "men"
    CHILDREN = "children"


PROGRAMME_KINDS: dict[str, str] = {
    ProgrammeKind.WOMEN: "vrouwengroep",
    ProgrammeKind.MEN: "mannengroep",
    ProgrammeKind.CHILDREN: "kindergroep",
}

#: the women's group as it ran before the parallel offer: the default programme
DEFAULT_PROGRAMME = {
    "name": "Een veilig thuis (vrouwengroep)",
    "kind": ProgrammeKind.WOMEN,
    "session_count": 12,
    "session_minutes": 150,
    "min_participants": 6,
    "max_participants": 12,
}

memberships = sa.Table(
    "programme_members",
    Base.metadata,
    sa.Column(
        "programme_id",
        sa.ForeignKey("programmes.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class KeepApart(TimestampMixin, Base):
    """Two participants (in different programmes) whose groups never meet at one location
    within the margin. Only coordinators see it; it holds nothing but the two records."""

    __tablename__ = "keep_aparts"
    __table_args__ = (
        sa.CheckConstraint("participant_a_id < participant_b_id", name="ordered_pair"),
        sa.UniqueConstraint("participant_a_id", "participant_b_id", name="uq_keep_aparts_pair"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_a_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    participant_b_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )

    def __repr__(self) -> str:
        return f"<KeepApart {self.id}>"


class Programme(TimestampMixin, Base):
    __tablename__ = "programmes"
    __table_args__ = (
        sa.CheckConstraint("session_count >= 1", name="session_count"),
        sa.CheckConstraint("session_minutes >= 15", name="session_minutes"),
        sa.CheckConstraint("min_participants <= max_participants", name="group_size"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    #: women, men or children (ProgrammeKind)
    kind: so.Mapped[str] = so.mapped_column(sa.String(12))
    #: the number of meetings a group of this programme has
    session_count: so.Mapped[int] = so.mapped_column(default=12)
    session_minutes: so.Mapped[int] = so.mapped_column(default=150)
    min_participants: so.Mapped[int] = so.mapped_column(default=6)
    max_participants: so.Mapped[int] = so.mapped_column(default=12)
    #: the women's group that existed before programmes; groups without one land here
    is_default: so.Mapped[bool] = so.mapped_column(default=False)

    members: so.Mapped[list["User"]] = so.relationship(
        secondary=memberships, order_by="User.name", back_populates="programmes"
    )

    @property
    def kind_label(self) -> str:
        return PROGRAMME_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.kind} {self.name}>"


def _fill_default_programme(session: so.Session, _context, _instances) -> None:
    # Code written before the parallel offer (imports, the demo, old callers) makes groups,
    # methodiek versions and staff without a programme: they belong to the women's group.
    from veiligthuis.auth.models import User
    from veiligthuis.programmes.service import default_programme

    for obj in list(session.new):
        if isinstance(obj, User):
            if not obj.programmes:
                with session.no_autoflush:
                    obj.programmes.append(default_programme(session))
        elif (
            hasattr(obj, "programme_id")
            and not isinstance(obj, Programme)
            and obj.programme_id is None
            and getattr(obj, "programme", None) is None
        ):
            with session.no_autoflush:
                obj.programme = default_programme(session)


sa.event.listen(so.Session, "before_flush", _fill_default_programme)
