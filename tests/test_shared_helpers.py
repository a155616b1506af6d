"""Shared helpers live once, in ``relais/core`` (issue 18, section 5): no app writes its own copy.

An AST walk over every module of the application (migrations aside) looks for the *shapes* of
the helpers, not their names, so a copy under another name is found too:

- a loop over a ValidationError's ``error_dict``/``message_dict`` that calls ``add_error``
  (``core.forms.add_errors``);
- ``" ".join(….messages)`` or a join over ``message_dict`` (``core.validators.error_text``);
- a function whose whole body is ``if not …: raise PermissionDenied`` (``core.perms.require``);
- ``day - timedelta(days=day.weekday())`` (or ``+ 7 - …``), ``day.replace(day=1)`` in a function,
  a list of French month names (``core.dates``, ``core.french``);
- a half-day stated in code: 3.5, 210 minutes, 3 h 30 (``agreements.half_days``);
- an import of another app's private name (``from relais.bookings.views import _x``).

Each rule is tried on a snippet it must flag and one it must not, so a check that finds
nothing because it is broken fails too.
"""

import ast
from pathlib import Path

import pytest

RELAIS = Path(__file__).resolve().parent.parent / "relais"
HOMES = {
    "add_errors": {"core/forms.py"},
    "error_text": {"core/validators.py"},
    "require": {"core/perms.py"},
    "dates": {"core/dates.py"},
    "months": {"core/french.py"},
    # The field's default is the one place a half-day's length is written.
    "half_day": {"agreements/models.py"},
    "private_import": set(),
}
MONTHS = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"}


def _mentions(node, *attrs) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr in attrs for n in ast.walk(node))


def _calls(node, attr: str) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == attr
        for n in ast.walk(node)
    )


def _body(function) -> list:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return body


def _raises_permission_denied(statements) -> bool:
    return (
        len(statements) == 1
        and isinstance(statements[0], ast.Raise)
        and "PermissionDenied" in ast.unparse(statements[0])
    )


def _kw(call: ast.Call) -> dict:
    return {k.arg: k.value for k in call.keywords if k.arg}


def findings(tree: ast.AST, module: str) -> list[tuple[str, int]]:
    """(rule, line) for every copy of a shared helper in ``tree`` (``module``: its dotted name,
    for the private-import rule)."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.For)
            and _mentions(node.iter, "error_dict", "message_dict")
            and _calls(node, "add_error")
        ):
            found.append(("add_errors", node.lineno))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join"
            and isinstance(node.func.value, ast.Constant)
            and node.func.value.value == " "
            and node.args
            and _mentions(node.args[0], "messages", "message_dict")
        ):
            found.append(("error_text", node.lineno))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = _body(node)
            if (
                len(body) == 1
                and isinstance(body[0], ast.If)
                and isinstance(body[0].test, ast.UnaryOp)
                and isinstance(body[0].test.op, ast.Not)
                and not body[0].orelse
                and _raises_permission_denied(body[0].body)
            ):
                found.append(("require", node.lineno))
            if (
                len(body) == 1
                and isinstance(body[0], ast.Return)
                and isinstance(body[0].value, ast.Call)
                and isinstance(body[0].value.func, ast.Attribute)
                and body[0].value.func.attr == "replace"
                and ast.unparse(_kw(body[0].value).get("day", ast.Constant(None))) == "1"
            ):
                found.append(("dates", node.lineno))
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Sub | ast.Add)
            and isinstance(node.right, ast.Call)
            and ast.unparse(node.right.func).endswith("timedelta")
            and (
                # monday_of: d - timedelta(days=d.weekday()); next_monday: d + (7 - weekday)
                isinstance(node.op, ast.Sub) or "7 - " in ast.unparse(node.right)
            )
            and "weekday()" in ast.unparse(node.right)
        ):
            found.append(("dates", node.lineno))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
            if len(words & MONTHS) >= 3:
                found.append(("months", node.lineno))
        if isinstance(node, ast.Constant) and node.value in (3.5, "3.5", "3,5"):
            found.append(("half_day", node.lineno))
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("timedelta"):
            keywords = {k: ast.unparse(v) for k, v in _kw(node).items()}
            if keywords.get("minutes") == "210" or (
                keywords.get("hours") == "3" and keywords.get("minutes") == "30"
            ):
                found.append(("half_day", node.lineno))
        if isinstance(node, ast.ImportFrom) and node.module:
            target = node.module.split(".")
            own_app = module.split(".")[:2]
            if (
                target[0] == "relais"
                and target[:2] != own_app
                and any(alias.name.startswith("_") for alias in node.names)
            ):
                found.append(("private_import", node.lineno))
    return found


def _modules():
    for path in sorted(RELAIS.rglob("*.py")):
        relative = path.relative_to(RELAIS).as_posix()
        if "/migrations/" in relative:
            continue
        yield relative, path


def test_no_app_holds_a_copy_of_a_shared_helper():
    copies = []
    for relative, path in _modules():
        module = "relais." + relative.removesuffix(".py").replace("/", ".")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        copies += [
            f"relais/{relative}:{line} ({rule})"
            for rule, line in findings(tree, module)
            if relative not in HOMES[rule]
        ]
    assert copies == [], "use the one helper in relais/core (or agreements.half_days):\n" + (
        "\n".join(copies)
    )


def test_each_helper_is_found_in_its_home():
    """The homes hold what the rules look for: a rule that finds nothing anywhere is broken."""
    seen = set()
    for relative, path in _modules():
        module = "relais." + relative.removesuffix(".py").replace("/", ".")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen |= {rule for rule, _ in findings(tree, module) if relative in HOMES[rule]}
    assert seen == {"add_errors", "error_text", "require", "dates", "months", "half_day"}


FLAGGED = [
    (
        "def f(form, e):\n    for k, v in e.message_dict.items():\n        form.add_error(k, v)",
        "add_errors",
    ),
    ("def f(form, e):\n    for k in e.error_dict:\n        form.add_error(None, k)", "add_errors"),
    ("x = ' '.join(exc.messages)", "error_text"),
    ("x = ' '.join(m for ms in e.message_dict.values() for m in ms)", "error_text"),
    ("def _need(ok):\n    if not ok:\n        raise PermissionDenied", "require"),
    (
        "def _need(u):\n    '''doc'''\n    if not can(u):\n        raise PermissionDenied()",
        "require",
    ),
    ("monday = d - timedelta(days=d.weekday())", "dates"),
    ("after = d + dt.timedelta(days=7 - d.weekday())", "dates"),
    ("def first(d):\n    return d.replace(day=1)", "dates"),
    ("M = ('janvier', 'février', 'mars')", "months"),
    ("H = Decimal('3.5')", "half_day"),
    ("H = 3.5", "half_day"),
    ("d = timedelta(minutes=210)", "half_day"),
    ("d = datetime.timedelta(hours=3, minutes=30)", "half_day"),
    ("from relais.bookings.views import _add_errors", "private_import"),
]
NOT_FLAGGED = [
    "def f(form, e):\n    add_errors(form, e)",
    "x = '; '.join(e.messages)",
    "x = ' '.join(words)",
    "def f(u):\n    if not can(u):\n        raise PermissionDenied\n    return 1",
    "def f(ok):\n    if not ok:\n        raise ValidationError('x')",
    "d = day.replace(year=2020, day=1)\ne = timedelta(days=7)",
    "M = ('mars', 'avril')",
    "d = timedelta(minutes=30, hours=2)",
    "d = day + timedelta(days=(weekday - day.weekday()) % 7)",  # the next given weekday
    "from relais.appointments.models import _x",  # the module's own app
    "from .views import _x",
]


@pytest.mark.parametrize(("source", "rule"), FLAGGED)
def test_the_rules_flag_a_copy(source, rule):
    module = "relais.appointments.views"
    assert rule in {found for found, _ in findings(ast.parse(source), module)}


@pytest.mark.parametrize("source", NOT_FLAGGED)
def test_the_rules_leave_other_code_alone(source):
    assert findings(ast.parse(source), "relais.appointments.views") == []


def inline_refusals(tree: ast.AST) -> list[int]:
    """Lines of ``if not <rule>: raise PermissionDenied`` (nothing else, no ``else``): in a view
    that is ``require(<rule>)`` (docs/architecture.md, « Who checks permissions »)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.UnaryOp)
        and isinstance(node.test.op, ast.Not)
        and not node.orelse
        and _raises_permission_denied(node.body)
    ]


def test_views_refuse_through_require():
    inline = []
    for relative, path in _modules():
        if relative.split("/")[-1] == "views.py" or "/views/" in relative:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            inline += [f"relais/{relative}:{line}" for line in inline_refusals(tree)]
    assert inline == [], "write require(perms.can_…(…)) (relais.core.perms):\n" + "\n".join(inline)


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("def v(r):\n    if not can(r.user):\n        raise PermissionDenied\n    return 1", [2]),
        ("def v(r):\n    if not ok:  # why\n        raise PermissionDenied()", [2]),
        ("def v(r):\n    if own is None:\n        raise PermissionDenied", []),
        ("def v(r):\n    if not ok:\n        raise Http404\n", []),
        ("def v(r):\n    if not ok:\n        log()\n        raise PermissionDenied", []),
        ("def v(r):\n    if not ok:\n        raise PermissionDenied\n    else:\n        x()", []),
    ],
)
def test_the_inline_refusal_rule(source, lines):
    assert inline_refusals(ast.parse(source)) == lines
