"""The layering of the architecture, enforced: the pure core imports no Qt, no
network, no database, no printer library (import-linter contracts in pyproject.toml),
and the three programs never import each other."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
PROGRAMS = ("kiosk", "counter", "display")


def test_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is part of the test extra"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def imported_top_levels(package: Path) -> set[str]:
    names: set[str] = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_programs_never_import_each_other_and_shared_imports_no_program() -> None:
    for program in PROGRAMS:
        if (ROOT / program).is_dir():
            others = set(PROGRAMS) - {program}
            assert not imported_top_levels(ROOT / program) & others, program
    assert not imported_top_levels(ROOT / "shared") & set(PROGRAMS)
