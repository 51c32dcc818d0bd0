"""participant dropout kind, for the yearly report

Revision ID: 5c1e8f3a9b27
Revises: 4c24083eb4ff
Create Date: 2026-12-01 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e8f3a9b27'
down_revision = '4c24083eb4ff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dropout_kind', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('dropout_kind')
