"""unlinkable evaluation answers: form uses, answers without SQLite's rowid

Codes are now used up when she opens the form and answers arrive later with a random nonce
(``evaluation_form_uses``), which also counts responses. Answers lose SQLite's insertion-ordered
rowid, and existing rows are rewritten in a random order on both databases.

Revision ID: b7c1e5a90d2f
Revises: 5c1e8f3a9b27
Create Date: 2026-12-01 20:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1e5a90d2f'
down_revision = '5c1e8f3a9b27'
branch_labels = None
depends_on = None

ANSWER_COLUMNS = "id, round_id, question_id, value_int, value_text, answered_date, is_staff_entered"


def _answer_columns():
    return [
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.String(length=40), nullable=False),
        sa.Column('value_int', sa.Integer(), nullable=True),
        sa.Column('value_text', sa.Text(), nullable=True),
        sa.Column('answered_date', sa.Date(), nullable=False),
        sa.Column('is_staff_entered', sa.Boolean(), nullable=False),
    ]


def _shuffle_in_place():
    """PostgreSQL: write the rows again in a random order, so ctid no longer follows arrival."""
    op.execute(f"CREATE TEMPORARY TABLE answers_shuffled AS SELECT {ANSWER_COLUMNS} FROM evaluation_answers")
    op.execute("DELETE FROM evaluation_answers")
    op.execute(
        f"INSERT INTO evaluation_answers ({ANSWER_COLUMNS}) "
        f"SELECT {ANSWER_COLUMNS} FROM answers_shuffled ORDER BY random()"
    )
    op.execute("DROP TABLE answers_shuffled")


def _rebuild_answers(with_rowid: bool):
    """Copy the answers into a fresh table in a random order (SQLite: with or without rowid)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        _shuffle_in_place()
        return
    op.create_table(
        'evaluation_answers_new',
        *_answer_columns(),
        sa.ForeignKeyConstraint(['round_id'], ['evaluation_rounds.id'], name=op.f('fk_evaluation_answers_round_id_evaluation_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers')),
        **({} if with_rowid else {"sqlite_with_rowid": False}),
    )
    op.execute(
        f"INSERT INTO evaluation_answers_new ({ANSWER_COLUMNS}) "
        f"SELECT {ANSWER_COLUMNS} FROM evaluation_answers ORDER BY random()"
    )
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_round_id'))
    op.drop_table('evaluation_answers')
    op.rename_table('evaluation_answers_new', 'evaluation_answers')
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answers_round_id'), ['round_id'], unique=False)


def upgrade():
    op.create_table('evaluation_form_uses',
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['evaluation_rounds.id'], name=op.f('fk_evaluation_form_uses_round_id_evaluation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nonce_hash', name=op.f('pk_evaluation_form_uses')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('evaluation_form_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_form_uses_round_id'), ['round_id'], unique=False)

    # Responses are now counted as form uses: every code used so far was one sent form.
    bind = op.get_bind()
    used = bind.execute(sa.text(
        "SELECT round_id, count(*) FROM evaluation_codes WHERE is_used GROUP BY round_id"
    )).all()
    rows = [
        {"nonce_hash": secrets.token_hex(32), "round_id": round_id}
        for round_id, n in used
        for _ in range(n)
    ]
    if rows:
        bind.execute(
            sa.text("INSERT INTO evaluation_form_uses (nonce_hash, round_id) VALUES (:nonce_hash, :round_id)"),
            rows,
        )
    _rebuild_answers(with_rowid=False)


def downgrade():
    _rebuild_answers(with_rowid=True)
    with op.batch_alter_table('evaluation_form_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_form_uses_round_id'))
    op.drop_table('evaluation_form_uses')
