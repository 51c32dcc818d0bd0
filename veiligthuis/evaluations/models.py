"""Evaluation rounds, their one-time codes, and anonymous answers.

Anonymity is a property of the schema: an answer row holds its round, the question, the value,
the day and whether staff typed it in from paper. Nothing in it (or anywhere else) points from
an answer to a code, a participant, an address, a browser or a moment finer than the day.
"""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group
from veiligthuis.methodiek.models import QuestionSet
from veiligthuis.models import Base, UTCDateTime, utcnow
from veiligthuis.sessions.models import GroupSession

#: round kind -> Dutch label
ROUND_KINDS = {
    "sessie": "korte evaluatie van een bijeenkomst",
    "afsluiting": "eindevaluatie",
    "voor": "voormeting",
    "na": "nameting",
}
#: round kind -> the kind of question set it asks
QUESTION_SET_KIND = {
    "sessie": "sessie",
    "afsluiting": "afsluiting",
    "voor": "voor-na",
    "na": "voor-na",
}


class EvaluationRound(Base):
    """One moment of asking for evaluations, with its one-time codes."""

    __tablename__ = "evaluation_rounds"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    #: sessie, afsluiting, voor (before session 1) or na (after session 12)
    kind: so.Mapped[str] = so.mapped_column(sa.String(12))
    #: the meeting a "sessie" round evaluates; None for the other kinds
    group_session_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("group_sessions.id", ondelete="SET NULL"), index=True
    )
    #: the questions asked, fixed when the round opens (the group's pinned methodiek version)
    question_set_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("methodiek_question_sets.id"))
    opened_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    #: last day (Europe/Amsterdam) on which its codes work
    closes_date: so.Mapped[date]
    #: set when a facilitator closed it by hand or it was found past closes_date
    closed_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    opened_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: paper forms typed in by staff (they use no code, but count as responses)
    paper_count: so.Mapped[int] = so.mapped_column(default=0)

    group: so.Mapped[Group] = so.relationship()
    group_session: so.Mapped[GroupSession | None] = so.relationship()
    question_set: so.Mapped[QuestionSet] = so.relationship()
    opened_by: so.Mapped[User | None] = so.relationship()
    codes: so.Mapped[list["EvaluationCode"]] = so.relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True
    )

    def is_open(self, today: date) -> bool:
        """Whether its codes still work on ``today`` (a local date)."""
        return self.closed_dt is None and today <= self.closes_date

    @property
    def kind_label(self) -> str:
        return ROUND_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<EvaluationRound {self.id} group={self.group_id} {self.kind}>"


class EvaluationCode(Base):
    """A one-time code, kept only as a keyed hash. It has no link to the answers it opened."""

    __tablename__ = "evaluation_codes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    round_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("evaluation_rounds.id", ondelete="CASCADE"), index=True
    )
    #: hex HMAC-SHA256(SECRET_KEY, normalised code); the plain code is never stored
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    is_used: so.Mapped[bool] = so.mapped_column(default=False)

    round: so.Mapped[EvaluationRound] = so.relationship(back_populates="codes")

    def __repr__(self) -> str:
        return f"<EvaluationCode {self.id} round={self.round_id} used={self.is_used}>"


def _random_id() -> str:
    return uuid.uuid4().hex


class Answer(Base):
    """One answer to one question, anonymous: no code, no person, no time finer than the day.

    Stored without SQLite's rowid, so rows sit in the order of their random ids; every new
    submission rewrites the round's rows in a fresh random order (see ``answering``), so neither
    PostgreSQL's ctid nor xmin tells who answered when.
    """

    __tablename__ = "evaluation_answers"
    __table_args__ = {"sqlite_with_rowid": False}

    #: random, so the order of rows tells nothing about who answered when
    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=_random_id)
    round_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("evaluation_rounds.id", ondelete="CASCADE"), index=True
    )
    #: the question's id in the YAML set; "_pearlin_totaal" for the derived mastery score
    question_id: so.Mapped[str] = so.mapped_column(sa.String(40))
    value_int: so.Mapped[int | None]
    value_text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    answered_date: so.Mapped[date]
    #: typed in by a facilitator from a paper form
    is_staff_entered: so.Mapped[bool] = so.mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Answer round={self.round_id} {self.question_id}>"


class FormUse(Base):
    """A form session that sent its answers: a random nonce, never derived from the code.

    The code is used up when she opens the form; the answers arrive later with this nonce from
    her session cookie, so no row or commit holds both a code and her answers.
    """

    __tablename__ = "evaluation_form_uses"
    __table_args__ = {"sqlite_with_rowid": False}

    #: hex SHA-256 of the random nonce in her session cookie
    nonce_hash: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    round_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("evaluation_rounds.id", ondelete="CASCADE"), index=True
    )

    def __repr__(self) -> str:
        return f"<FormUse round={self.round_id}>"


class CodeFailure(Base):
    """A wrong code tried, kept an hour to slow down guessing; never tied to answers."""

    __tablename__ = "evaluation_code_failures"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: hex HMAC of the client's address; the address itself is not kept
    client_key: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CodeFailure {self.client_key[:8]}>"
