"""participants: one index on (case_worker_id, group_id) in place of the one on case_worker_id,
so that a case worker's clients in the current groups are found without reading all her
clients of ten years

Revision ID: 8c2f4a6e1d93
Revises: 5b8e2d4f6a10
Create Date: 2026-12-02 16:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8c2f4a6e1d93'
down_revision = '5b8e2d4f6a10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_participants_case_worker_id_group_id',
        'participants',
        ['case_worker_id', 'group_id'],
    )
    op.drop_index('ix_participants_case_worker_id', table_name='participants')


def downgrade():
    op.create_index('ix_participants_case_worker_id', 'participants', ['case_worker_id'])
    op.drop_index('ix_participants_case_worker_id_group_id', table_name='participants')
