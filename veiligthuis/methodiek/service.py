"""Loading, validating, versioning and editing the method material."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.methodiek.models import MethodiekVersion


def latest_published_version(db_session: so.Session) -> MethodiekVersion | None:
    """The newest published version, or None before the first import."""
    return db_session.scalar(
        sa.select(MethodiekVersion)
        .where(MethodiekVersion.status == "published")
        .order_by(MethodiekVersion.published_dt.desc(), MethodiekVersion.id.desc())
        .limit(1)
    )
