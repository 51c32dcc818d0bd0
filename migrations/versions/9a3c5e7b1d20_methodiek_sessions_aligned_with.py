"""A session of a parallel programme's method book can name the women's-group session it
shares a theme with, so an aligned group meets in that week.

Revision ID: 9a3c5e7b1d20
Revises: 8e4f1a2b3c5d
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "9a3c5e7b1d20"
down_revision = "8e4f1a2b3c5d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("methodiek_sessions") as batch_op:
        batch_op.add_column(sa.Column("aligned_with", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("methodiek_sessions") as batch_op:
        batch_op.drop_column("aligned_with")
