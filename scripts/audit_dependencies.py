"""Audit the locked runtime dependencies with pip-audit; used by `make quality`.

Fails on any known vulnerability. When the vulnerability service cannot be reached (CI machines
here reach the package index but not its per-version JSON API nor OSV), pip-audit skips every
package: that is reported loudly, and fails only when RELAIS_REQUIRE_PIP_AUDIT=1, so a machine
with the service (a developer's, the Département's CI) gets the real audit.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main() -> int:
    result = subprocess.run(  # noqa: S603 - fixed command, no user input
        [
            str(PIP_AUDIT),
            "--disable-pip",
            "--no-deps",
            "--progress-spinner",
            "off",
            "-r",
            str(ROOT / "requirements" / "main.txt"),
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        print("pip-audit : sortie illisible.")
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"VULNÉRABILITÉ : {dep['name']} {dep.get('version', '')} — {ids}")
    audited = len(dependencies) - len(skipped)
    print(
        f"pip-audit : {audited} dépendance(s) auditée(s), {len(skipped)} non auditée(s), "
        f"{len(vulnerable)} vulnérable(s)."
    )
    if vulnerable:
        return 1
    if skipped:
        print(
            "AVERTISSEMENT : le service de vulnérabilités n'a pas répondu pour "
            f"{len(skipped)} dépendance(s) (réseau restreint ?)."
        )
        if os.environ.get("RELAIS_REQUIRE_PIP_AUDIT") == "1":
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
