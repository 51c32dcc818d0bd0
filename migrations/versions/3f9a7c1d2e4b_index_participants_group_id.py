"""index participants by group and meetings by substitute: every group page, the groups list
and the attendance grid look a group's participants up by group_id, and a facilitator's
groups include those she substitutes in; both scanned the whole table

Revision ID: 3f9a7c1d2e4b
Revises: c4d7e2f18a06
Create Date: 2026-12-01 23:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f9a7c1d2e4b'
down_revision = 'c4d7e2f18a06'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participants_group_id'), ['group_id'], unique=False)
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_group_sessions_substitute_id'), ['substitute_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_sessions_substitute_id'))
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_group_id'))
