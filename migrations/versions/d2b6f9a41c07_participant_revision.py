"""participants: a revision raised on every change, so that a save that read her record
before a colleague's landed fails instead of undoing it

Revision ID: d2b6f9a41c07
Revises: 8c2f4a6e1d93
Create Date: 2026-12-06 21:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b6f9a41c07'
down_revision = '8c2f4a6e1d93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('revision', sa.Integer(), server_default='1', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('revision')
