"""programmes: the women's group becomes the default programme; groups, method books and staff
belong to a programme

Revision ID: 8e4f1a2b3c5d
Revises: 7d2e4b6a1c35
Create Date: 2026-12-01 21:45:00.000000

"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

import veiligthuis.models


# revision identifiers, used by Alembic.
revision = "8e4f1a2b3c5d"
down_revision = "7d2e4b6a1c35"
branch_labels = None
depends_on = None


def upgrade():
    programmes = op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("session_count", sa.Integer(), nullable=False),
        sa.Column("session_minutes", sa.Integer(), nullable=False),
        sa.Column("min_participants", sa.Integer(), nullable=False),
        sa.Column("max_participants", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_dt", veiligthuis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_dt", veiligthuis.models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "min_participants <= max_participants", name=op.f("ck_programmes_group_size")
        ),
        sa.CheckConstraint("session_count >= 1", name=op.f("ck_programmes_session_count")),
        sa.CheckConstraint("session_minutes >= 15", name=op.f("ck_programmes_session_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("name", name=op.f("uq_programmes_name")),
    )
    op.create_table(
        "programme_members",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_members_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_programme_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "user_id", name=op.f("pk_programme_members")),
    )
    now = datetime.now(timezone.utc)
    # the women's group with the figures that were constants before programmes
    op.bulk_insert(
        programmes,
        [
            {
                "id": 1,
                "name": "Een veilig thuis (vrouwengroep)",
                "kind": "women",
                "session_count": 12,
                "session_minutes": 150,
                "min_participants": 6,
                "max_participants": 12,
                "is_default": True,
                "created_dt": now,
                "updated_dt": now,
            }
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval('programmes_id_seq', (SELECT max(id) FROM programmes))")
    op.execute("INSERT INTO programme_members (programme_id, user_id) SELECT 1, id FROM users")
    for table in ("groups", "methodiek_versions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET programme_id = 1")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("programme_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_programme_id"), ["programme_id"])
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_programme_id_programmes"),
                "programmes",
                ["programme_id"],
                ["id"],
            )


    op.create_table(
        'keep_aparts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participant_a_id', sa.Integer(), nullable=False),
        sa.Column('participant_b_id', sa.Integer(), nullable=False),
        sa.Column('created_dt', veiligthuis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_dt', veiligthuis.models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            'participant_a_id < participant_b_id', name=op.f('ck_keep_aparts_ordered_pair')
        ),
        sa.ForeignKeyConstraint(
            ['participant_a_id'],
            ['participants.id'],
            name=op.f('fk_keep_aparts_participant_a_id_participants'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['participant_b_id'],
            ['participants.id'],
            name=op.f('fk_keep_aparts_participant_b_id_participants'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_keep_aparts')),
        sa.UniqueConstraint('participant_a_id', 'participant_b_id', name='uq_keep_aparts_pair'),
    )
    with op.batch_alter_table('keep_aparts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_keep_aparts_participant_a_id'), ['participant_a_id'])
        batch_op.create_index(batch_op.f('ix_keep_aparts_participant_b_id'), ['participant_b_id'])


def downgrade():
    op.drop_table('keep_aparts')
    for table in ("methodiek_versions", "groups"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_programme_id_programmes"), type_="foreignkey"
            )
            batch_op.drop_index(batch_op.f(f"ix_{table}_programme_id"))
            batch_op.drop_column("programme_id")
    op.drop_table("programme_members")
    op.drop_table("programmes")
