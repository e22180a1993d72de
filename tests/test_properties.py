"""Property-based tests (hypothesis) of what parses user input: whatever comes in, the
parsers end with a result or a clear refusal, and cleaning is stable (issue 14)."""
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal.matching.normalise import normalise
from portal.postings.importer import ImportFileError, read_file
from portal.text import clean_line, clean_multiline, split_list, strip_invisible

# Any text, with the characters attackers and Chinese input methods bring along.
TEXT = st.text(alphabet=st.one_of(
    st.characters(), st.sampled_from(list("、；,，\n\r\t\x00\u200b\u202e\ufeff%_'\"<>（）〔〕"))),
    max_size=300)
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(TEXT)
@example("\ud800 lone surrogate")  # json.loads gives these from "\ud800"
def test_cleaning_is_stable_and_leaves_nothing_invisible(text):
    line = clean_line(text)
    assert clean_line(line) == line and strip_invisible(line) == line
    assert "\n" not in line and "\x00" not in line
    assert clean_multiline(clean_multiline(text)) == clean_multiline(text)


@FAST
@given(st.one_of(TEXT, st.lists(TEXT, max_size=30)))
def test_list_splitting_is_stable_and_keeps_each_item_once(value):
    items = split_list(value)
    assert split_list(items) == items
    assert len(set(items)) == len(items) and all(item and item == item.strip() for item in items)
    assert all(strip_invisible(item) == item for item in items)


@FAST
@given(TEXT)
@example("\ud800")  # once a crash in the traditional → simplified step
def test_matching_normalisation_is_stable(text):
    assert normalise(normalise(text)) == normalise(text)


def _json_values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        TEXT)
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=20)


@FAST
@given(st.one_of(
    st.binary(max_size=400),
    _json_values().map(lambda value: json.dumps(value).encode()),
    st.dictionaries(st.sampled_from(["format", "organizations", "postings"]), _json_values(),
                    max_size=3).map(lambda value: json.dumps(
                        {"format": "portal-import/1", **value}).encode()),
))
@pytest.mark.parametrize("name", ["list.json", "list.csv", "list.xlsx"])
def test_an_import_file_is_read_or_refused_clearly(app, name, data):
    with app.test_request_context():
        try:
            records = read_file(data, name)
        except ImportFileError as refused:
            assert str(refused.message)
        else:
            assert set(records) >= {"organizations", "postings"}
