"""A corpus of hostile input sent through every form, every search parameter and every
upload a member or a coordinator is shown (issue 14): each answer is a clean 4xx or a
success, and nothing sent comes back as markup. The forms are found the way a person
finds them, by reading the pages: a new form is covered the day it appears."""
from __future__ import annotations

import io
import json
from functools import cache
from html.parser import HTMLParser
from urllib.parse import quote_plus

import pytest

from tests import factories

SCRIPT = '<script>alert("owned")</script>'
PAYLOADS = {
    "xss": SCRIPT + '"><img src=x onerror=alert(1)>',
    "sql": "' OR 1=1; DROP TABLE users; --",
    "wildcards": "%_%\\%",
    "traversal": "../../../../etc/passwd",
    "crlf": "line\r\nSet-Cookie: owned=1",
    "nul": "before\x00after",
    "invisible": "\u200b\u202e\ufeffabc\u2066",
    # Past the largest limit of a request without a file (512 KB) in any one field.
    "huge": "长" * 200_000,
    "many_items": "、".join(f"项{n}" for n in range(30_000)),
    "numbers": "-1e309",
}
# Pages a person of each role opens, whose forms the corpus fills in.
PAGES = {
    "hr": ["/postings/new/talent_demand", "/postings/new/training_order",
           "/postings/new/research_topic", "/postings/{demand}/edit", "/postings/{draft}/edit",
           "/cooperation/{proposal}/amend", "/organization/", "/organization/members",
           "/account/password", "/password/forgot", "/matching/mine", "/alerts/",
           "/settings/tokens/", "/settings/webhooks/", "/cooperation/new?partner={supply_org}",
           "/cooperation/{proposal}"],  # last: its buttons change the partnership's state
    "staff": ["/postings/new/curriculum", "/postings/new/mentor_offer", "/postings/?q=PLC",
              "/cooperation/{proposal}/certificates/new", "/cooperation/{proposal}"],
    "coord": ["/review/organizations/{org}", "/matching/synonyms", "/cooperation/{proposal}",
              "/postings/import", "/monitoring/warnings", "/monitoring/warnings/{warning}",
              "/settings/oauth-clients/"],
}
# Forms left out: they end the visit (sign out) rather than take input.
SKIPPED_ACTIONS = ("/logout",)
# A page per parser of the address: the monitoring pages left out (export, emerging,
# fairness, the other pages' downloads) read it with the same choice parser as these.
SEARCHES = {
    "hr": ["/postings/", "/postings/export.csv", "/postings/export.xlsx", "/inbox/",
           "/cooperation/", "/organizations/"],
    "coord": ["/matching/all", "/agreements", "/review/organizations", "/matching/feedback",
              "/monitoring/", "/monitoring/postings", "/monitoring/districts",
              "/monitoring/unmatched", "/monitoring/report.pdf"],
}
SEARCH_PARAMETERS = ("q", "kind", "skill", "major", "district", "industry", "sort", "page",
                     "status", "signed", "demand_kind", "supply_kind", "period", "dimension",
                     "education", "size", "key", "days", "topic", "unread", "since", "until")


class Forms(HTMLParser):
    """The POST forms of a page: action, and each field with the value it shows."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.forms.append({"action": attributes.get("action") or "", "fields": {},
                               "text": [], "files": [], "enctype": attributes.get("enctype")})
        if not self.forms or tag not in ("input", "textarea", "select", "option"):
            return
        form, name = self.forms[-1], attributes.get("name")
        if tag == "option" and self._select and self._select not in form["fields"]:
            form["fields"][self._select] = attributes.get("value") or ""
        if not name:
            return
        kind = (attributes.get("type") or "text").lower()
        if tag == "select":
            self._select = name
        elif tag == "textarea" or kind in ("text", "search", "email", "tel", "url",
                                             "password"):
            form["text"].append(name)
        elif kind == "file":
            form["files"].append(name)
        elif kind in ("checkbox", "radio"):
            form["fields"].setdefault(name, attributes.get("value") or "y")
        else:
            form["fields"][name] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_of(page: str) -> list[dict]:
    parser = Forms()
    parser.feed(page)
    return [form for form in parser.forms if not form["action"].endswith(SKIPPED_ACTIONS)]


@cache
def _quoted(value: str) -> str:
    return quote_plus(value, encoding="utf-8", errors="surrogatepass")


def url_encoded(data: dict[str, str]) -> bytes:
    """A form body as a browser sends it. Each value is quoted once per run: quoting the
    large payloads anew for every field was most of this test's time."""
    return "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in data.items()
                    ).encode("ascii")


def inert(response) -> bool:  # noqa: ANN001
    """Nothing sent is back as markup (a page; a spreadsheet holds it as a cell's text);
    headers carry no injected line."""
    markup = response.mimetype == "text/html" and SCRIPT in response.get_data(as_text=True)
    return not markup and "owned=1" not in response.headers.get("Set-Cookie", "")


def ids_of(world: dict, db) -> dict:  # noqa: ANN001
    from portal.postings.models import Posting

    ids = dict(world["ids"])
    ids["supply_org"] = db.get(Posting, ids["supply"]).organization_id
    return ids


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
@pytest.mark.parametrize("role", list(PAGES))
def test_every_form_takes_the_corpus_cleanly(client, db, login_as, role, payload):
    world = factories.world(db)
    ids, value = ids_of(world, db), PAYLOADS[payload]
    login_as(world["users"][role])
    posted = 0
    for path in PAGES[role]:
        page = client.get(path.format(**ids))
        assert page.status_code == 200, path  # the pages come in an order that keeps them
        for form in forms_of(page.get_data(as_text=True)):
            data = {**form["fields"], **dict.fromkeys(form["text"], value)}
            for name in form["files"]:
                data[name] = (io.BytesIO(value.encode("utf-8", "surrogatepass")), value[:50])
            response = client.post(form["action"] or path.format(**ids),
                                   data=data if form["files"] else url_encoded(data),
                                   content_type="multipart/form-data" if form["files"]
                                   else "application/x-www-form-urlencoded")
            assert response.status_code < 500, (path, form["action"])
            assert inert(response), (path, form["action"])
            posted += 1
    assert posted >= len(PAGES[role])  # the pages had forms, and they were sent
    for path in PAGES[role]:  # and what was kept shows as text wherever it appears
        response = client.get(path.format(**ids))
        assert response.status_code < 500 and inert(response), path


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
def test_every_search_parameter_takes_the_corpus_cleanly(client, db, login_as, payload):
    world = factories.world(db)
    # An address over the limit is refused whatever it holds and wherever it goes: one
    # parameter of one page per role shows that (the test client itself takes seconds to
    # build each such address).
    small = len(PAYLOADS[payload]) < 2_000
    # Markup is tried in each parameter on its own, where a page might echo it; the
    # other payloads in all of them at once (each page reads its parameters apart).
    one_by_one = payload == "xss"
    value = PAYLOADS[payload]
    for role, paths in SEARCHES.items():
        login_as(world["users"][role])
        for path in paths if small else paths[:1]:
            queries = [{parameter: value} for parameter in SEARCH_PARAMETERS] if one_by_one \
                else [dict.fromkeys(SEARCH_PARAMETERS if small else ("q",), value)]
            for query in queries:
                response = client.get(path, query_string=query)
                assert response.status_code < 500, (path, list(query))
                assert inert(response), (path, list(query))


def nested(depth: int) -> str:
    """JSON nested `depth` levels deep (written out: json.dumps itself would recurse)."""
    return '{"x": [' * depth + '"深"' + "]}" * depth


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
def test_every_import_cell_takes_the_corpus_cleanly(app, client, db, login_as, payload):
    login_as("coordinator")
    value = PAYLOADS[payload]
    document = factories.import_document([
        {**factories.IMPORT_DEMAND, **{name: value for name in (
            "title", "description", "major", "district", "skills")}},
        {**factories.IMPORT_SUPPLY, "ref": value[:200], "courses": value},
    ], organizations=[{**factories.IMPORT_ORGS[0], "name": value},
                      {**factories.IMPORT_ORGS[1], "level": value}])
    for name, data in (("list.json", json.dumps(document, ensure_ascii=False)),
                       ("talent_demand.csv", "ref,org,title,description\nD9,E01,"
                        + json.dumps(value, ensure_ascii=False) + ",x\n"),
                       ("deep.json", '{"format": "portal-import/1", "postings": ['
                        + nested(100_000) + "]}")):
        response = client.post("/postings/import", data={"file": (io.BytesIO(
            data.encode("utf-8", "surrogatepass")), name)},
            content_type="multipart/form-data", follow_redirects=True)
        assert response.status_code < 500 and inert(response), name
