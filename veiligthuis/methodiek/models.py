"""The method book as versioned content: a version holds twelve session plans, handouts,
question sets and the other parts of the map. A published version never changes; editors work
in a draft that starts as a copy of the latest published version.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.models import Base, TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from veiligthuis.programmes.models import Programme

QUESTION_SET_KINDS = {
    "sessie": "na elke bijeenkomst",
    "afsluiting": "afsluiting",
    "voor-na": "voor- en nameting",
}
LANGUAGES = ("nl", "en", "tr", "ar")
#: what staff call the documents of the map (a document not listed is named after its file)
DOCUMENT_LABELS = {
    "werving/folder.md": "Wervingsfolder",
    "werving/persbericht.md": "Persbericht",
    "werving/verwijzers.yaml": "Verwijzers om te informeren",
    "README.md": "Toelichting bij de methodiek",
}


class MethodiekVersion(TimestampMixin, Base):
    __tablename__ = "methodiek_versions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: the programme whose method book this is; each programme versions its own
    programme_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("programmes.id"), index=True)
    #: edition label, e.g. "2026.1"
    label: so.Mapped[str] = so.mapped_column(sa.String(40))
    title: so.Mapped[str] = so.mapped_column(sa.String(120))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: draft or published; a published version is immutable
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default="draft")
    published_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    published_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: the published version a draft was copied from
    based_on_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("methodiek_versions.id"))

    sessions: so.Mapped[list["SessionPlan"]] = so.relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="SessionPlan.number"
    )
    handouts: so.Mapped[list["Handout"]] = so.relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Handout.filename"
    )
    question_sets: so.Mapped[list["QuestionSet"]] = so.relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="QuestionSet.kind"
    )
    documents: so.Mapped[list["MethodiekDocument"]] = so.relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="MethodiekDocument.path"
    )
    programme: so.Mapped["Programme"] = so.relationship()
    published_by: so.Mapped[User | None] = so.relationship()
    based_on: so.Mapped["MethodiekVersion | None"] = so.relationship(remote_side=[id])

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def session(self, number: int) -> "SessionPlan | None":
        """The plan for session ``number``."""
        return next((s for s in self.sessions if s.number == number), None)

    def question_set(self, kind: str) -> "QuestionSet | None":
        """The question set of ``kind`` (sessie, afsluiting, voor-na)."""
        return next((q for q in self.question_sets if q.kind == kind), None)

    def __repr__(self) -> str:
        return f"<MethodiekVersion {self.id} {self.label} {self.status}>"


class SessionPlan(Base):
    """One session of the method: goals, timed work forms, materials, handouts, notes."""

    __tablename__ = "methodiek_sessions"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "number", name="uq_methodiek_sessions_number"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("methodiek_versions.id", ondelete="CASCADE"), index=True
    )
    number: so.Mapped[int]
    #: the file name's tail: sessies/<NN>-<slug>.md
    slug: so.Mapped[str] = so.mapped_column(sa.String(80), default="")
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    theme: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    #: in a parallel programme's book: the women's-group session on the same theme, whose week
    #: an aligned group meets in
    aligned_with: so.Mapped[int | None]
    goals: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    #: work forms in order: [{"title", "minutes", "description", "kind"?}]; kind "pauze" = break
    activities: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    materials: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    #: file names of handouts in this version
    handout_files: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    home_practice: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    culture_notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    low_literacy_notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: the facilitators' background text (Markdown)
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: raised on every saved edit; an edit must carry the revision it started from
    revision: so.Mapped[int] = so.mapped_column(default=1)
    # The ORM adds "AND revision = <old>" to every UPDATE, so two saves racing past the
    # service's check cannot both win.
    __mapper_args__ = {"version_id_col": revision}

    version: so.Mapped[MethodiekVersion] = so.relationship(back_populates="sessions")
    attachments: so.Mapped[list["Attachment"]] = so.relationship(
        back_populates="session_plan", cascade="all, delete-orphan", order_by="Attachment.filename"
    )

    @property
    def total_minutes(self) -> int:
        return sum(int(a.get("minutes", 0)) for a in self.activities)

    def __repr__(self) -> str:
        return f"<SessionPlan v{self.version_id} #{self.number}>"


class Handout(Base):
    """A handout (bijlage) as Markdown."""

    __tablename__ = "methodiek_handouts"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "filename", name="uq_methodiek_handouts_file"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("methodiek_versions.id", ondelete="CASCADE"), index=True
    )
    filename: so.Mapped[str] = so.mapped_column(sa.String(120))
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    revision: so.Mapped[int] = so.mapped_column(default=1)
    __mapper_args__ = {"version_id_col": revision}

    version: so.Mapped[MethodiekVersion] = so.relationship(back_populates="handouts")

    @property
    def title(self) -> str:
        for line in self.body.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return self.filename

    def __repr__(self) -> str:
        return f"<Handout v{self.version_id} {self.filename}>"


class QuestionSet(Base):
    """Evaluation questions (sessie, afsluiting, voor-na) in nl, en, tr and ar."""

    __tablename__ = "methodiek_question_sets"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "kind", name="uq_methodiek_question_sets_kind"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("methodiek_versions.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(12))
    #: the set as in its YAML file: title, intro, source, scales, questions
    data: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)

    version: so.Mapped[MethodiekVersion] = so.relationship(back_populates="question_sets")

    @property
    def questions(self) -> list[dict[str, Any]]:
        return self.data.get("questions", [])

    @property
    def scales(self) -> dict[str, list[dict[str, Any]]]:
        return self.data.get("scales", {})

    def __repr__(self) -> str:
        return f"<QuestionSet v{self.version_id} {self.kind}>"


class MethodiekDocument(Base):
    """Another part of the map kept as a file: recruitment folder, press release, referrers."""

    __tablename__ = "methodiek_documents"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "path", name="uq_methodiek_documents_path"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("methodiek_versions.id", ondelete="CASCADE"), index=True
    )
    #: path inside the methodiek folder, e.g. "werving/folder.md"
    path: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    revision: so.Mapped[int] = so.mapped_column(default=1)
    __mapper_args__ = {"version_id_col": revision}

    version: so.Mapped[MethodiekVersion] = so.relationship(back_populates="documents")

    @property
    def label(self) -> str:
        """The document's name for staff: "Persbericht", not werving/persbericht.md."""
        if self.path in DOCUMENT_LABELS:
            return DOCUMENT_LABELS[self.path]
        stem = self.path.rpartition("/")[2].rpartition(".")[0] or self.path
        return stem.replace("-", " ").replace("_", " ").capitalize()

    @property
    def is_text(self) -> bool:
        """Whether the document is running text (shown with its layout), not a list of fields."""
        return self.path.endswith(".md")

    def __repr__(self) -> str:
        return f"<MethodiekDocument v{self.version_id} {self.path}>"


class Attachment(Base):
    """An uploaded file for a session (pdf, docx, audio, ...), stored by content hash."""

    __tablename__ = "methodiek_attachments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    session_plan_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("methodiek_sessions.id", ondelete="CASCADE"), index=True
    )
    #: sanitised file name offered on download
    filename: so.Mapped[str] = so.mapped_column(sa.String(120))
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    size: so.Mapped[int]
    #: hex SHA-256 of the content; the file lives at UPLOAD_FOLDER/<sha256[:2]>/<sha256>
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    uploaded_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    session_plan: so.Mapped[SessionPlan] = so.relationship(back_populates="attachments")

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.filename}>"
