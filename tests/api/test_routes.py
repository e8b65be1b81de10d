"""Every route of the production API has a permission-matrix test, method by method.

The routes are read from the node's own URLconf; the tests that cover them are found by their
``@pytest.mark.api_matrix("POST api:case-list", …)`` markers (read from the test files' source,
so this test holds when run alone), and the marker is kept honest at run time: a marked test fails
unless ``check_api_matrix`` really tried each route it names (``tests/conftest.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent.parent
METHODS = ("get", "post", "put", "patch", "delete")  # HEAD and OPTIONS follow GET and the router


def _methods(callback) -> list[str]:
    """The HTTP methods a route answers: a viewset's action map, or an APIView's handlers."""
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(m.upper() for m in actions if m in METHODS)
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return sorted(m.upper() for m in METHODS if view is not None and hasattr(view, m))


def api_routes() -> set[str]:
    """``"METHOD namespace:name"`` for every named route under the ``api`` namespace."""
    found: set[str] = set()

    def walk(patterns, namespaces: tuple[str, ...]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    namespaces + ((pattern.namespace,) if pattern.namespace else ()),
                )
            elif isinstance(pattern, URLPattern) and namespaces[:1] == ("api",) and pattern.name:
                name = ":".join(namespaces + (pattern.name,))
                found.update(f"{method} {name}" for method in _methods(pattern.callback))

    walk(get_resolver().url_patterns, ())
    return found


def marked_routes() -> set[str]:
    """Route names given to ``pytest.mark.api_matrix`` anywhere under tests/."""
    covered: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "api_matrix"
            ):
                covered.update(
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                )
    return covered


def test_every_api_route_has_a_permission_matrix_test():
    routes = api_routes()
    assert len(routes) > 20, "the walk found too few routes to be reading the URLconf"
    missing = routes - marked_routes()
    assert not missing, "API routes without a permission-matrix test:\n" + "\n".join(
        sorted(missing)
    )


def test_markers_name_real_routes():
    unknown = marked_routes() - api_routes()
    assert not unknown, f"api_matrix markers name routes the URLconf does not serve: {unknown}"
