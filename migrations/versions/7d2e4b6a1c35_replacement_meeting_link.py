"""replacement meetings remember the cancelled meeting they replace, so a cancellation can be undone

Revision ID: 7d2e4b6a1c35
Revises: 7c1e5d2a9b40
Create Date: 2026-12-01 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e4b6a1c35'
down_revision = '7c1e5d2a9b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_group_sessions_replaces_id_group_sessions'),
            'group_sessions',
            ['replaces_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_group_sessions_replaces_id_group_sessions'), type_='foreignkey'
        )
        batch_op.drop_column('replaces_id')
