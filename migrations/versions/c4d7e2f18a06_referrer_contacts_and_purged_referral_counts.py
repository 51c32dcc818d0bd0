"""referrers informed about the group, and counts of partner referrals the purge deleted

Revision ID: c4d7e2f18a06
Revises: a4d9c2e7f1b3
Create Date: 2026-12-01 23:20:00.000000

"""

from alembic import op
import sqlalchemy as sa

import veiligthuis.models


# revision identifiers, used by Alembic.
revision = "c4d7e2f18a06"
down_revision = "a4d9c2e7f1b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "referrer_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referrer_kind", sa.String(length=40), nullable=False),
        sa.Column("referrer_label", sa.String(length=120), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("contacted_by_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("response", sa.String(length=250), nullable=False),
        sa.Column("created_dt", veiligthuis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_dt", veiligthuis.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contacted_by_id"],
            ["users.id"],
            name=op.f("fk_referrer_contacts_contacted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrer_contacts")),
    )
    with op.batch_alter_table("referrer_contacts", schema=None) as batch_op:
        for column in ("contacted_by_id", "month", "referrer_kind"):
            batch_op.create_index(batch_op.f(f"ix_referrer_contacts_{column}"), [column])
    op.create_table(
        "purged_referral_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("partner_kind", sa.String(length=20), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("is_reached", sa.Boolean(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_purged_referral_counts_partner_id_partners"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purged_referral_counts")),
    )
    with op.batch_alter_table("purged_referral_counts", schema=None) as batch_op:
        for column in ("month", "partner_id"):
            batch_op.create_index(batch_op.f(f"ix_purged_referral_counts_{column}"), [column])


def downgrade():
    with op.batch_alter_table("purged_referral_counts", schema=None) as batch_op:
        for column in ("month", "partner_id"):
            batch_op.drop_index(batch_op.f(f"ix_purged_referral_counts_{column}"))
    op.drop_table("purged_referral_counts")
    with op.batch_alter_table("referrer_contacts", schema=None) as batch_op:
        for column in ("contacted_by_id", "month", "referrer_kind"):
            batch_op.drop_index(batch_op.f(f"ix_referrer_contacts_{column}"))
    op.drop_table("referrer_contacts")
