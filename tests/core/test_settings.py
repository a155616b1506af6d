"""The RELAIS_* settings: declared once in config/settings/base.py from the environment, each
documented in a table of docs/operations.md, and read by the code without a fallback default."""

import ast
import re
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS_DIR = ROOT / "config" / "settings"
BASE = SETTINGS_DIR / "base.py"
OPERATIONS = ROOT / "docs" / "operations.md"
NAME = re.compile(r"RELAIS_[A-Z0-9_]*[A-Z0-9]")
DOCUMENTED_NAME = re.compile(r"`(RELAIS_[A-Z0-9_]*[A-Z0-9])`")


def _documented() -> dict[str, list[int]]:
    """RELAIS_* names in the first column of the tables of docs/operations.md → line numbers."""
    found: dict[str, list[int]] = {}
    for number, line in enumerate(OPERATIONS.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.strip().split("|")
        if not line.lstrip().startswith("|") or len(cells) < 3:
            continue
        for name in DOCUMENTED_NAME.findall(cells[1]):
            found.setdefault(name, []).append(number)
    return found


def _assignments(path: Path) -> dict[str, list[ast.expr]]:
    """RELAIS_* names assigned at module level (also under an ``if``) → their values."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and NAME.fullmatch(target.id):
                found.setdefault(target.id, []).append(value)
    return found


def _environment_names(tree: ast.AST) -> set[str]:
    """RELAIS_* strings in ``tree`` (``env.int("RELAIS_…")``: variables read under that name)."""
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and NAME.fullmatch(node.value)
    }


def _declared_in_base() -> set[str]:
    """Settings named RELAIS_* plus the RELAIS_* variables read for other settings
    (``RELAIS_VAR_DIR`` → ``VAR_DIR``, ``RELAIS_OTP_ISSUER`` → ``OTP_TOTP_ISSUER``)."""
    return set(_assignments(BASE)) | _environment_names(ast.parse(BASE.read_text(encoding="utf-8")))


def _reads_environment(value: ast.expr) -> bool:
    """``value`` calls django-environ's ``env`` (``env.int(…)``, ``env(…)``, ``env.list(…)``)."""
    for node in ast.walk(value):
        if isinstance(node, ast.Call):
            func = node.func
            while isinstance(func, ast.Attribute):
                func = func.value
            if isinstance(func, ast.Name) and func.id == "env":
                return True
    return False


def test_the_documented_settings_are_the_declared_ones():
    documented = _documented()
    declared = _declared_in_base()
    undocumented = sorted(declared - set(documented))
    undeclared = sorted(set(documented) - declared)
    problems = []
    if undocumented:
        problems.append(
            "Read in config/settings/base.py but in no table of docs/operations.md "
            "(add a row `| `NAME` | default | meaning |` under « Environment variables »): "
            + ", ".join(undocumented)
        )
    if undeclared:
        problems.append(
            "In a table of docs/operations.md but not read in config/settings/base.py "
            '(declare NAME = env.<type>("NAME", default=…) there, or drop the row): '
            + ", ".join(f"{name} (line {documented[name][0]})" for name in undeclared)
        )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_each_setting_is_declared_once_from_the_environment():
    assignments = _assignments(BASE)
    twice = sorted(name for name, values in assignments.items() if len(values) > 1)
    constant = sorted(
        name
        for name, values in assignments.items()
        if not any(_reads_environment(value) for value in values)
    )
    problems = []
    if twice:
        problems.append("Assigned more than once in config/settings/base.py: " + ", ".join(twice))
    if constant:
        problems.append(
            "Set in config/settings/base.py without reading the environment (use "
            'env.<type>("NAME", default=…), or drop the RELAIS_ prefix of a constant): '
            + ", ".join(constant)
        )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.mark.parametrize("module", ["dev.py", "test.py"])
def test_dev_and_test_settings_only_override_declared_settings(module):
    declared = set(_assignments(BASE))
    extra = sorted(set(_assignments(SETTINGS_DIR / module)) - declared)
    if extra:
        pytest.fail(
            f"config/settings/{module} sets RELAIS_* settings that config/settings/base.py does "
            "not declare (production would not have them): " + ", ".join(extra),
            pytrace=False,
        )


def _python_files():
    return sorted((ROOT / "relais").rglob("*.py"))


def test_the_code_reads_settings_without_a_fallback_default():
    # Across lines too: getattr(\n    settings,\n    "RELAIS_…",\n    default,\n)
    fallback = re.compile(r"getattr\(\s*settings\s*,\s*[\"'](RELAIS_[A-Z0-9_]+)")
    found = []
    for path in _python_files():
        text = path.read_text(encoding="utf-8")
        for match in fallback.finditer(text):
            line = text.count("\n", 0, match.start(1)) + 1
            found.append(f"{path.relative_to(ROOT)}:{line} {match.group(1)}")
    if found:
        pytest.fail(
            'getattr(settings, "RELAIS_…", default) hides a second default: declare the setting '
            "in config/settings/base.py and read settings.RELAIS_… directly:\n" + "\n".join(found),
            pytrace=False,
        )


def test_every_relais_setting_the_code_reads_is_declared():
    declared = set(_assignments(BASE))
    used = re.compile(r"settings\.(RELAIS_[A-Z0-9_]*[A-Z0-9])\b")
    missing = sorted(
        {
            f"{match.group(1)} ({path.relative_to(ROOT)})"
            for path in _python_files()
            for match in used.finditer(path.read_text(encoding="utf-8"))
            if match.group(1) not in declared
        }
    )
    if missing:
        pytest.fail(
            "Read by the code but not declared in config/settings/base.py: " + ", ".join(missing),
            pytrace=False,
        )


def _load_base(monkeypatch, **variables) -> dict:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE))


def test_the_appointment_and_privacy_settings_come_from_the_environment(monkeypatch):
    loaded = _load_base(
        monkeypatch,
        RELAIS_APPOINTMENT_MIN_NOTICE_HOURS="2",
        RELAIS_APPOINTMENT_HORIZON_DAYS="14",
        RELAIS_APPOINTMENT_WALK_IN_SHARE="0.25",
        RELAIS_APPOINTMENT_GRID_MINUTES="30",
        RELAIS_REMINDER_HOURS="72",
        RELAIS_DPO_CONTACT="dpd@example.fr",
        RELAIS_TRAVEL_MATRIX="/etc/relais/trajets.csv",
        RELAIS_PLANNER_SYNC="true",
    )
    assert loaded["RELAIS_APPOINTMENT_MIN_NOTICE_HOURS"] == 2
    assert loaded["RELAIS_APPOINTMENT_HORIZON_DAYS"] == 14
    assert loaded["RELAIS_APPOINTMENT_WALK_IN_SHARE"] == 0.25
    assert loaded["RELAIS_APPOINTMENT_GRID_MINUTES"] == 30
    # Without a value of its own, the appointment reminder follows the workshop one.
    assert loaded["RELAIS_APPOINTMENT_REMINDER_HOURS"] == 72
    assert loaded["RELAIS_DPO_CONTACT"] == "dpd@example.fr"
    assert loaded["RELAIS_TRAVEL_MATRIX"] == "/etc/relais/trajets.csv"
    assert loaded["RELAIS_PLANNER_SYNC"] is True


def test_a_zero_appointment_grid_is_refused_at_startup(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="RELAIS_APPOINTMENT_GRID_MINUTES"):
        _load_base(monkeypatch, RELAIS_APPOINTMENT_GRID_MINUTES="0")
