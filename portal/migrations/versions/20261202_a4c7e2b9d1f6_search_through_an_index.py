"""search postings through a full-text index (FTS5 on SQLite, GIN on PostgreSQL)

Revision ID: a4c7e2b9d1f6
Revises: f3b6d8a1c2e9
Create Date: 2026-12-02 09:00:00
"""
import sqlalchemy as sa
from alembic import op

from portal.postings.fulltext import index_tokens

revision = 'a4c7e2b9d1f6'
down_revision = 'f3b6d8a1c2e9'
branch_labels = None
depends_on = None

# SQLite keeps the index in an FTS5 table over postings.search_tokens, and triggers keep
# it in step with every write, whatever writes (the ORM, the importer's bulk inserts, SQL).
SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE postings_fts USING fts5(search_tokens, skill_tokens, "
    "content='postings', content_rowid='id')",
    "CREATE TRIGGER postings_fts_insert AFTER INSERT ON postings BEGIN "
    "INSERT INTO postings_fts(rowid, search_tokens, skill_tokens) "
    "VALUES (new.id, new.search_tokens, new.skill_tokens); END",
    "CREATE TRIGGER postings_fts_delete AFTER DELETE ON postings BEGIN "
    "INSERT INTO postings_fts(postings_fts, rowid, search_tokens, skill_tokens) "
    "VALUES ('delete', old.id, old.search_tokens, old.skill_tokens); END",
    "CREATE TRIGGER postings_fts_update AFTER UPDATE OF search_tokens, skill_tokens "
    "ON postings BEGIN "
    "INSERT INTO postings_fts(postings_fts, rowid, search_tokens, skill_tokens) "
    "VALUES ('delete', old.id, old.search_tokens, old.skill_tokens); "
    "INSERT INTO postings_fts(rowid, search_tokens, skill_tokens) "
    "VALUES (new.id, new.search_tokens, new.skill_tokens); END",
]
POSTGRES_INDEXES = [
    f"CREATE INDEX ix_postings_{name} ON postings USING gin (to_tsvector('simple', {name}))"
    for name in ('search_tokens', 'skill_tokens')]


def upgrade() -> None:
    with op.batch_alter_table('postings', schema=None) as batch_op:
        for name in ('search_tokens', 'skill_tokens'):
            batch_op.add_column(sa.Column(name, sa.Text(), server_default='', nullable=False))
    connection = op.get_bind()
    postings = sa.table('postings', sa.column('id', sa.Integer),
                        sa.column('search_text', sa.Text), sa.column('search_tokens', sa.Text),
                        sa.column('skill_tokens', sa.Text))
    tags = sa.table('posting_skills', sa.column('posting_id', sa.Integer),
                    sa.column('tag', sa.String))
    last = 0
    while rows := connection.execute(
            sa.select(postings.c.id, postings.c.search_text).where(postings.c.id > last)
            .order_by(postings.c.id).limit(1000)).all():
        skills: dict[int, list[str]] = {}
        for posting_id, tag in connection.execute(
                sa.select(tags.c.posting_id, tags.c.tag)
                .where(tags.c.posting_id.between(rows[0][0], rows[-1][0]))):
            skills.setdefault(posting_id, []).append(tag)
        connection.execute(
            postings.update().where(postings.c.id == sa.bindparam('row_id'))
            .values(search_tokens=sa.bindparam('text_tokens'),
                    skill_tokens=sa.bindparam('tag_tokens')),
            [{'row_id': row_id, 'text_tokens': index_tokens(text or ''),
              'tag_tokens': index_tokens(' '.join(skills.get(row_id, [])))}
             for row_id, text in rows])
        last = rows[-1][0]
    if connection.dialect.name == 'sqlite':
        for statement in SQLITE_INDEX:
            op.execute(statement)
        op.execute("INSERT INTO postings_fts(postings_fts) VALUES ('rebuild')")
    else:
        for statement in POSTGRES_INDEXES:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in ('postings_fts_insert', 'postings_fts_delete', 'postings_fts_update'):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE postings_fts")
    else:
        for name in ('search_tokens', 'skill_tokens'):
            op.execute(f"DROP INDEX ix_postings_{name}")
    with op.batch_alter_table('postings', schema=None) as batch_op:
        for name in ('skill_tokens', 'search_tokens'):
            batch_op.drop_column(name)
