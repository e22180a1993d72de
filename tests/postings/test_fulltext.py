"""Issue 14: text search goes through a full-text index (FTS5 / GIN), kept in step with
every write and finding what LIKE found, on both databases."""
import random

import pytest
from sqlalchemy import select, text

from portal.accounts.models import Role
from portal.accounts.services import system_user
from portal.db import state
from portal.postings import fulltext
from portal.postings.importer import import_records
from portal.postings.models import Posting
from portal.postings.search import PostingQuery, filtered, matching_text
from portal.postings.services import delete_draft, update_posting
from tests import factories


def found(db, needle: str, tokens: str = "search_tokens") -> set[int]:
    expression = fulltext.phrase(needle)
    assert expression is not None
    dialect = db.get_bind().dialect.name
    return set(db.scalars(select(Posting.id).where(matching_text(expression, dialect,
                                                                 tokens))))


def test_tokens_are_character_pairs_and_words():
    assert fulltext.index_tokens("数据分析 python3 与c++") == "数据 据分 分析 析 python3 与 c"
    assert fulltext.phrase("据分") == fulltext.Phrase(("据分",), prefix=False)
    assert fulltext.phrase("析") == fulltext.Phrase(("析",), prefix=True)
    assert fulltext.phrase("数据java") == fulltext.Phrase(("数据", "据", "java"), prefix=True)
    assert fulltext.phrase("++") is None


def test_query_syntax_cannot_be_reached():
    """Quotes, operators and brackets are not letters: they never enter a query."""
    expression = fulltext.phrase('" OR 1=1 ) NEAR(a b) \' | & ! <-> :*')
    assert set(expression.tokens) == {"or", "1", "near", "a", "b"}
    assert '"' not in fulltext.to_fts5(expression).strip('"*')
    assert fulltext.to_tsquery(expression).count("'") == 2 * len(expression.tokens)


def test_chinese_needles_are_found_exactly_where_they_occur(db):
    """Every Han substring is found in exactly the postings that contain it, whatever a
    word segmenter would make of it (random texts over a small alphabet, seeded)."""
    chosen = random.Random(14)
    alphabet = "数据分析机器学习电气"
    texts = ["".join(chosen.choice(alphabet + " ") for _ in range(chosen.randint(5, 30)))
             for _ in range(25)]
    postings = [factories.posting(db, title=f"岗位{i}", description=body)
                for i, body in enumerate(texts)]
    db.commit()
    ids = {posting.id: posting.search_text for posting in postings}
    needles = {"".join(chosen.choice(alphabet) for _ in range(chosen.randint(1, 4)))
               for _ in range(60)}
    for needle in needles:
        expected = {posting_id for posting_id, body in ids.items() if needle in body}
        assert found(db, needle) & set(ids) == expected, needle


def test_latin_words_are_found_by_prefix(db):
    posting = factories.posting(db, title="JavaScript前端开发", description="Node.js 与 React")
    db.commit()
    for needle, hit in (("javascript", True), ("java", True), ("script", False),
                        ("node", True), ("react前", False), ("js", True)):
        assert (posting.id in found(db, needle)) is hit, needle


def test_the_index_follows_every_write(db):
    """The ORM, the importer's bulk inserts, edits and deletes all reach the index (SQLite's
    triggers, or PostgreSQL's index over the column)."""
    posting = factories.posting(db, title="焊接机器人工程师", publish=False)
    db.commit()
    assert posting.id in found(db, "焊接机器人")
    assert posting.id in found(db, "图纸", "skill_tokens")
    update_posting(db, posting, posting.organization.members[0],
                   {"title": "喷涂工程师", "skills": "喷涂工艺"})
    db.commit()
    assert posting.id not in found(db, "焊接机器人") and posting.id in found(db, "喷涂")
    assert found(db, "图纸", "skill_tokens") == set()
    assert posting.id in found(db, "工艺", "skill_tokens")
    delete_draft(db, posting, posting.organization.members[0])
    db.commit()
    assert found(db, "喷涂") == set()

    report = import_records(db, factories.import_document([factories.IMPORT_DEMAND]),
                            system_user(db))
    db.commit()
    assert report.imported and len(found(db, "程序调试")) == 1


def test_search_reads_the_index_not_every_row(app, db):
    engine = state(app).engine
    viewer = factories.user(db, Role.ENTERPRISE_HR)
    dialect = engine.dialect.name
    statement = filtered(viewer, PostingQuery(text="数控"), dialect=dialect)
    with engine.connect() as connection:
        if dialect == "sqlite":
            compiled = statement.compile(engine, compile_kwargs={"literal_binds": True})
            plan = " ".join(row[-1] for row in connection.execute(
                text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "VIRTUAL TABLE INDEX" in plan, plan
        else:
            # A handful of rows are read faster without an index; the planner must still
            # be able to use it for the text condition.
            statement = select(Posting.id).where(
                matching_text(fulltext.phrase("数控"), dialect))
            compiled = statement.compile(engine, compile_kwargs={"literal_binds": True})
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(row[0] for row in connection.execute(text(f"EXPLAIN {compiled}")))
            assert "ix_postings_search_vector" in plan, plan


@pytest.mark.parametrize("query, hit", [("据分", True), ("析", True), ("数据分", True),
                                        ("数据 分析", True), ("数据库", False)])
def test_text_search_finds_substrings_as_like_did(client, login_as, db, query, hit):
    factories.posting(db, title="数据分析师", description="负责报表。")
    db.commit()
    login_as(Role.UNIVERSITY_STAFF)
    page = client.get("/postings/", query_string={"q": query}).get_data(as_text=True)
    assert ("数据分析师" in page) is hit


def test_the_skill_filter_finds_part_of_a_skill_through_the_index(client, login_as, db):
    factories.posting(db, title="电气工程师", skills="PLC编程、电气图纸", description="负责调试。")
    db.commit()
    login_as(Role.UNIVERSITY_STAFF)
    for skill, hit in (("plc", True), ("编程", True), ("调试", False), ("%", False)):
        page = client.get("/postings/", query_string={"skill": skill}).get_data(as_text=True)
        assert ("电气工程师" in page) is hit, skill


def test_a_crowded_word_walks_the_newest_index_and_finds_the_same_pages(app, db, monkeypatch):
    """SQLite: a word in many postings is answered along ix_postings_status_published,
    testing each posting against the hits, instead of sorting every hit; the pages are
    the same either way."""
    from portal.postings import search

    if state(app).engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner chooses between the two plans itself")
    for n in range(30):
        factories.posting(db, title=f"钣金工程师{n}" if n % 3 else f"会计{n}")
    db.commit()
    viewer = factories.user(db, Role.ENTERPRISE_HR)

    def pages(crowded_at: int) -> list[list[int]]:
        monkeypatch.setattr(search, "CROWDED", crowded_at)
        monkeypatch.setattr(search, "PAGE_SIZE", 7)
        found, after = [], ""
        while True:
            page = search.search_postings(db, viewer, PostingQuery(text="钣金", after=after))
            found.append([posting.id for posting in page.items])
            if not page.next_cursor:
                return found
            after = page.next_cursor

    walked, sorted_hits = pages(crowded_at=5), pages(crowded_at=10**6)
    assert walked == sorted_hits and sum(map(len, walked)) == 20

    monkeypatch.setattr(search, "CROWDED", 5)
    statement = filtered(viewer, PostingQuery(text="钣金"), crowded=search.crowded_on(db))
    compiled = statement.order_by(*search.SORTS["newest"].order()).limit(7).compile(
        state(app).engine, compile_kwargs={"literal_binds": True})
    plan = " ".join(row[-1] for row in db.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_postings_status_published" in plan and "TEMP B-TREE" not in plan, plan
