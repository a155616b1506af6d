"""scripts/audit_dependencies.py: an audit that could not run never looks like a clean one."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"
BANNER = "NON AUDITÉ / NOT AUDITED"
SKIP = "Dependency not found on PyPI and could not be audited: django (5.2.9)"


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.delenv("AUDIT_REQUIRED", raising=False)

    def answer(stdout="", stderr="", returncode=0):
        result = subprocess.CompletedProcess([], returncode, stdout=stdout, stderr=stderr)
        monkeypatch.setattr(module, "run_pip_audit", lambda: result)
        return module

    return answer


def _report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


CLEAN = {"name": "django", "version": "5.2.9", "vulns": []}
SKIPPED = {"name": "django", "skip_reason": SKIP}


def test_a_clean_audit_passes_without_a_banner(audit, capsys):
    assert audit(_report(CLEAN)).main() == 0
    out = capsys.readouterr().out
    assert "1 dépendance(s) auditée(s), 0 non auditée(s), 0 vulnérable(s)" in out
    assert BANNER not in out


def test_a_vulnerability_fails(audit, capsys):
    vulnerable = {**CLEAN, "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.10"]}]}
    assert audit(_report(vulnerable)).main() == 1
    assert "VULNÉRABILITÉ : django 5.2.9 — PYSEC-2099-1" in capsys.readouterr().out


def test_an_unreachable_service_says_not_audited_and_passes_offline(audit, capsys):
    assert audit(_report(SKIPPED, {**SKIPPED, "name": "whitenoise"})).main() == 0
    out = capsys.readouterr().out
    assert BANNER in out and "2 dépendance(s) sur 2" in out
    assert "PAS un audit réussi" in out
    assert "pip-audit --disable-pip --require-hashes --strict -r requirements/main.txt" in out


@pytest.mark.parametrize("value", ["1", "true"])
def test_audit_required_makes_an_unaudited_run_fail(audit, capsys, monkeypatch, value):
    monkeypatch.setenv("AUDIT_REQUIRED", value)
    assert audit(_report(SKIPPED)).main() == 1
    out = capsys.readouterr().out
    assert BANNER in out and "ÉCHEC" in out


def test_a_partial_audit_names_the_packages_left_unchecked(audit, capsys):
    assert audit(_report(CLEAN, {"name": "whitenoise", "skip_reason": SKIP})).main() == 0
    out = capsys.readouterr().out
    assert BANNER in out and "1 dépendance(s) sur 2" in out
    assert "Non vérifiées : whitenoise" in out


def test_no_network_at_all_is_not_audited_either(audit, capsys, monkeypatch):
    traceback = (
        "Traceback (most recent call last):\n"
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): "
        "Max retries exceeded with url: /v1/query"
    )
    assert audit(stderr=traceback, returncode=1).main() == 0
    assert BANNER in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_REQUIRED", "1")
    assert audit(stderr=traceback, returncode=1).main() == 1


def test_unreadable_output_fails(audit, capsys):
    assert audit(stdout="not json", stderr="usage: pip-audit …", returncode=2).main() == 1
    out = capsys.readouterr().out
    assert "sortie illisible" in out and BANNER not in out
