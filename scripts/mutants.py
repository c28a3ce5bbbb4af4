"""`make mutants`: mutation testing of the safety-critical pure modules, with their own tests.

mutmut (configured in pyproject.toml `[tool.mutmut]`: which modules, which tests) copies the
code to mutants/, changes one thing at a time (`&` to `|`, `not x` to `x`, a constant, a
dropped argument...) and runs the tests that reach it. A mutant the tests do not notice
"survives": either a behaviour the tests do not pin down, or a change that cannot alter
behaviour ("equivalent"). This prints the score and fails if any mutant survives (or times
out, or has no test) that is not listed in EQUIVALENT below, each with why it changes nothing;
the same reason is written as a comment beside the code it mutates.

Starts afresh each time (mutants/ is removed first): a score from a half-stale cache is not a
score. Uses the tests' services as `make test` does (DATABASE_URL / REDIS_URL, else the
embedded ones), on the tests' Redis database (TEST_REDIS_DB).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dev import BIN, ROOT, base_env, log, pytest_env

# mutant name → why it cannot change behaviour. Mutant names carry a number that moves when
# the function changes: re-check this list whenever a mutated module changes.
EQUIVALENT: dict[str, str] = {}

RESULT_LINE = re.compile(r"^\s*(?P<name>[\w.]+__mutmut_\d+): (?P<status>.+)$")


def main() -> None:
    env = pytest_env(base_env())
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    children = os.environ.get("MUTANTS_CHILDREN", str(os.cpu_count() or 2))
    log(f"mutmut run ({children} at a time)")
    run = subprocess.run(
        [str(BIN / "mutmut"), "run", "--max-children", children], cwd=ROOT, env=env
    )
    listed = subprocess.run(
        [str(BIN / "mutmut"), "results", "--all", "true"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    statuses: dict[str, str] = {}
    for line in listed.stdout.splitlines():
        if match := RESULT_LINE.match(line):
            statuses[match["name"]] = match["status"].strip()
    if run.returncode or not statuses:
        sys.exit(f"mutmut run failed (exit {run.returncode}) or made no mutants")

    killed = [
        name for name, status in statuses.items() if status in {"killed", "caught by type check"}
    ]
    equivalent = [name for name in statuses if name in EQUIVALENT and name not in killed]
    failing = {
        name: status
        for name, status in statuses.items()
        if name not in killed and name not in EQUIVALENT
    }
    by_module: dict[str, list[int]] = {}
    for name, status in statuses.items():
        module = name.split(".x", 1)[0].rsplit(".x_", 1)[0]
        counts = by_module.setdefault(module, [0, 0])
        counts[0] += 1
        counts[1] += status in {"killed", "caught by type check"}
    for module, (total, dead) in sorted(by_module.items()):
        print(f"  {module}: {dead} of {total} killed")
    print(
        f"Mutation score: {len(killed)} of {len(statuses)} killed, "
        f"{len(equivalent)} equivalent (listed), {len(failing)} not accounted for"
    )
    stale = sorted(set(EQUIVALENT) - set(equivalent))
    for name in stale:
        print(f"  listed as equivalent but no longer a survivor (remove it): {name}")
    for name, status in sorted(failing.items()):
        print(f"  {status}: {name}   (see: .venv/bin/mutmut show {name})")
    if failing:
        sys.exit(1)


if __name__ == "__main__":
    main()
