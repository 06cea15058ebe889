"""Quality gate: ondit's time normalisation on the French TimeBank may not drop below its floors.

    python benchmarks/timeml_gate.py ../shared/corpora/fr-timebank/dev [--allow-regression] [--update]

Floors live in benchmarks/timeml_baseline.json. `--update` raises them to the current
scores; lowering needs `--allow-regression` as well (and a commit message saying why).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ondit.timeml import score_timeml

BASELINE = Path(__file__).with_name("timeml_baseline.json")
KEYS = ("strict_f1", "relaxed_f1", "value_f1", "type_f1")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--allow-regression", action="store_true")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"timeml gate: corpus folder not found: {args.corpus}", file=sys.stderr)
        return 2
    floors = json.loads(BASELINE.read_text())
    report = score_timeml(args.corpus, system="ondit")
    failed = []
    for key in KEYS:
        mark = "ok" if report[key] >= floors[key] else "BELOW FLOOR"
        print(f"{key:12} {report[key]:6.2f}  floor {floors[key]:6.2f}  {mark}")
        if report[key] < floors[key]:
            failed.append(key)
    if args.update:
        if failed and not args.allow_regression:
            print("timeml gate: refusing to lower floors without --allow-regression", file=sys.stderr)
            return 1
        for key in KEYS:
            floors[key] = report[key] if args.allow_regression else max(floors[key], report[key])
        BASELINE.write_text(json.dumps(floors, indent=2, ensure_ascii=False) + "\n")
        return 0
    if failed and not args.allow_regression:
        print(f"timeml gate: below floor: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
