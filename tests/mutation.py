"""Mutation testing of the pure modules (`make mutation`; not in CI).

For each pure module, mutmut (3.x) makes small changes to its code (a `<`
for a `<=`, a `break` for a `continue`, a constant changed...) and runs that
module's unit tests against each: a mutant the tests do not notice
"survives", a regression nobody would see. This prints, per module, the
mutants killed out of those made, and lists the survivors, with the target
of 90% killed per module. A survivor that changes only the wording of a
string (mutmut's "XX…XX" and case changes) is counted apart, as the issue
asks: the share is of the mutants that change behaviour.

Each module is measured in a scratch copy of the repository's tracked files
(mutmut writes its mutants/ beside the code), so the working tree is never
touched. MODULES=learning/study/grading.py limits the run to some modules
(comma-separated). About 25 mutants a second on this 2-core machine.

    .venv/bin/python tests/mutation.py
    make mutation MODULES=learning/study/grading.py
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 90.0

# Each pure module and the unit tests that speak for it.
MODULES = {
    "learning/study/grading.py": ["tests/unit/test_grading.py"],
    "learning/study/completeness.py": ["tests/unit/test_completeness.py"],
    "learning/study/progress.py": ["tests/unit/test_on_time.py", "tests/unit/test_progress.py"],
    "learning/lessons/authoring/sanitize.py": ["tests/unit/test_sanitize.py"],
    "learning/lessons/authoring/markdown": ["tests/unit/test_parser.py", "tests/unit/test_limits.py"],
    "learning/lessons/authoring/source.py": ["tests/unit/test_parser.py", "tests/unit/test_limits.py"],
    "learning/lessons/authoring/values.py": ["tests/unit/test_parser.py"],
    "learning/lessons/authoring/kinds": ["tests/unit/test_kinds.py", "tests/unit/test_limits.py",
                                         "tests/unit/test_authoring_package.py", "tests/unit/test_response_text.py"],
    "learning/evaluation/rules.py": ["tests/unit/test_evaluation_rules.py"],
    "learning/evaluation/scoring.py": ["tests/unit/test_evaluation_rules.py"],
    "learning/review/figures.py": ["tests/unit/test_dashboard_figures.py"],
    "learning/review/scales.py": ["tests/unit/test_scales.py"],
    "learning/org/roster/parse.py": ["tests/unit/test_roster_parse.py"],
    "learning/org/codes.py": ["tests/unit/test_activation_codes.py"],
}


def main() -> int:
    chosen = [m.strip() for m in os.environ.get("MODULES", "").split(",") if m.strip()] or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        print(f"not a pure module this knows: {', '.join(unknown)}; choose among {', '.join(MODULES)}")
        return 2
    rows = [measure(module, MODULES[module]) for module in chosen]
    print()
    print(f"{'module':48} {'killed':>7} {'made':>6} {'wording':>8} {'no test':>8} {'share':>7}")
    for module, stats, wording in rows:
        if not stats["total"]:
            print(f"{module:48} {'not measured (see above)':>40}")
            continue
        counted = stats["total"] - wording  # a mutant no test runs counts as not killed
        share = 100 * stats["killed"] / counted if counted else 100.0
        mark = "" if share >= TARGET else f"  below {TARGET:.0f}%"
        print(f"{module:48} {stats['killed']:7} {stats['total']:6} {wording:8} {stats['no_tests']:8} "
              f"{share:6.1f}%{mark}")
    return 0


_STRING = re.compile(r"""(["'])(?:\\.|(?!\1).)*\1""")


def only_wording(removed: list[str], added: list[str]) -> bool:
    """The mutant changed nothing but the letters inside string literals."""
    def shape(lines):
        return [_STRING.sub('"S"', line[1:]).strip() for line in lines]
    return bool(removed) and shape(removed) == shape(added)


def measure(module: str, tests: list[str]) -> tuple[str, dict, int]:
    print(f"== {module}", flush=True)
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        copy = Path(scratch) / "repo"
        _copy_tracked(copy)
        (copy / "setup.cfg").write_text(
            "[mutmut]\n"
            f"source_paths = {module}\n"
            "also_copy =\n    learning\n    tests\n    content\n    templates\n    docs\n    migrations\n"
            "pytest_add_cli_args_test_selection =\n" + "".join(f"    {test}\n" for test in tests),
            encoding="utf-8")
        mutmut = [sys.executable, "-m", "mutmut"]
        ran = subprocess.run([*mutmut, "run"], cwd=copy, capture_output=True, text=True, check=False)
        subprocess.run([*mutmut, "export-cicd-stats"], cwd=copy, stdout=subprocess.DEVNULL, check=False)
        stats_file = copy / "mutants" / "mutmut-cicd-stats.json"
        stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
        if ran.returncode != 0 or not stats.get("killed"):
            # mutmut stops when the clean run fails (or the module could not be
            # mutated): nothing was measured, which is not 0% killed.
            print("  not measured: mutmut said\n    " + "\n    ".join((ran.stdout + ran.stderr).strip()
                                                                   .splitlines()[-8:]), flush=True)
            return module, {"killed": 0, "total": 0, "no_tests": 0}, 0
        listed = subprocess.run([*mutmut, "results"], cwd=copy, capture_output=True, text=True, check=True).stdout
        survivors = [line.strip().split(":")[0] for line in listed.splitlines() if line.strip().endswith(": survived")]
        wording = 0
        for name in survivors:
            shown = subprocess.run([*mutmut, "show", name], cwd=copy, capture_output=True, text=True,
                                   check=False).stdout.splitlines()
            removed = [line for line in shown if line.startswith("-") and not line.startswith("---")]
            added = [line for line in shown if line.startswith("+") and not line.startswith("+++")]
            if only_wording(removed, added):
                wording += 1
                continue
            print(f"  survived {name}: {' / '.join(removed + added)}")
    print(f"  {stats['killed']} of {stats['total']} killed; {wording} survivors change only wording; "
          f"{stats['no_tests']} in code no selected test runs", flush=True)
    return module, stats, wording


def _copy_tracked(destination: Path) -> None:
    """The repository's tracked files, and the new ones git does not ignore
    (a test file not yet committed is measured too), and the compiled
    translations, which some tests read; without the virtual environment or
    earlier mutants."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    for name in [*files.splitlines(), *[str(p.relative_to(ROOT)) for p in ROOT.glob("learning/translations/*/LC_MESSAGES/*.mo")]]:
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


if __name__ == "__main__":
    sys.exit(main())
