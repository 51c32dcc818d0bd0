"""data_version: one row whose token changes with every committed change, so that caches of
figures (the yearly report) know at once when they are stale

Revision ID: 5b8e2d4f6a10
Revises: 3f9a7c1d2e4b
Create Date: 2026-12-02 02:10:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b8e2d4f6a10'
down_revision = '3f9a7c1d2e4b'
branch_labels = None
depends_on = None


def upgrade():
    # the row itself is written by the first change after the upgrade
    op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )


def downgrade():
    op.drop_table('data_version')
