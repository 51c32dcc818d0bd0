"""each meeting keeps its own facilitators and room, so a re-planned group never rewrites a meeting
that was held

Revision ID: a4d9c2e7f1b3
Revises: 9a3c5e7b1d20
Create Date: 2026-12-01 23:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4d9c2e7f1b3'
down_revision = '9a3c5e7b1d20'
branch_labels = None
depends_on = None

#: the new columns of group_sessions (filled from the group's column of that name) and their tables
COLUMNS = (
    ('facilitator_a_id', 'users'),
    ('facilitator_b_id', 'users'),
    ('room_id', 'rooms'),
)


def upgrade():
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        for name, _target in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    # Until now every meeting showed its group's people and room: that is what they were.
    for name, _target in COLUMNS:
        op.execute(
            f'UPDATE group_sessions SET {name} = '
            f'(SELECT groups.{name} FROM groups WHERE groups.id = group_sessions.group_id)'
        )
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        for name, target in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_group_sessions_{name}_{target}'), target, [name], ['id']
            )


def downgrade():
    with op.batch_alter_table('group_sessions', schema=None) as batch_op:
        for name, target in COLUMNS:
            batch_op.drop_constraint(
                batch_op.f(f'fk_group_sessions_{name}_{target}'), type_='foreignkey'
            )
            batch_op.drop_column(name)
