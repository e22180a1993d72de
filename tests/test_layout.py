"""The house's shape, checked from the source (issue 13): the domains' services stack
without an import circle, tests share builders through tests/factories.py,
tests/browser/steps.py and the fixtures of conftest.py only, and benchmarks stand apart
from the tests."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = {"accounts", "postings", "matching", "cooperation", "agreements", "notifications",
           "directory", "alerts", "main", "api"}
# The web layer composes domains (a posting's page shows its matches): its imports are
# not a domain's dependencies.
WEB_LAYER = {"views.py", "org_views.py", "review_views.py", "token_views.py", "webhook_views.py",
             "cooperation_views.py", "monitoring_views.py", "client_views.py", "cli.py"}


def imports(path: Path) -> list[str]:
    """Modules imported by `path`, wherever in it, except those under TYPE_CHECKING
    (annotations only, never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", "") == "TYPE_CHECKING"
                   for node in ast.walk(block)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def domain_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for domain in DOMAINS:
        for path in (ROOT / "portal" / domain).glob("*.py"):
            if path.name in WEB_LAYER:
                continue
            for module in imports(path):
                parts = module.split(".")
                if parts[0] == "portal" and len(parts) > 1 and parts[1] in DOMAINS - {domain}:
                    graph[domain].add(parts[1])
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node):] + [node]
        for following in sorted(graph.get(node, ())):
            found = visit(following, [*path, node])
            if found:
                return found
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_the_domains_stack_without_an_import_circle():
    graph = domain_graph()
    assert graph["agreements"] >= {"cooperation"}  # the check sees real edges
    assert cycle(graph) is None


def test_the_circle_check_finds_a_circle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_domain_imports_the_notifications_it_causes():
    """Domains tell events (portal.events); notifications delivers them."""
    graph = domain_graph()
    assert [domain for domain, uses in graph.items() if "notifications" in uses] == []


def test_test_modules_share_builders_only_through_the_shared_modules():
    shared = ("tests.factories", "tests.snapshots", "tests.browser.steps", "tests.conftest")
    wrong = {}
    for path in (ROOT / "tests").rglob("*.py"):
        borrowed = [m for m in imports(path) if m.startswith("tests.")
                    and not m.startswith(shared)]
        if borrowed:
            wrong[str(path.relative_to(ROOT))] = borrowed
    assert wrong == {}


def test_benchmarks_do_not_import_the_tests():
    wrong = {str(path.relative_to(ROOT)): [m for m in imports(path)
                                           if m == "tests" or m.startswith("tests.")]
             for path in (ROOT / "bench").rglob("*.py")}
    assert {path: found for path, found in wrong.items() if found} == {}


def test_every_like_is_built_by_the_one_helper():
    """portal.db.contains escapes % and _; a hand-built LIKE would not."""
    import re

    pattern = re.compile(r"\.(i?like|i?contains)\(")
    found = {str(path.relative_to(ROOT)): pattern.findall(path.read_text(encoding="utf-8"))
             for path in (ROOT / "portal").rglob("*.py") if path.name != "db.py"}
    assert {path: calls for path, calls in found.items() if calls} == {}
