"""Claim extraction on the gold test split may not drop below the floors in gold/baseline.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_gate import BASELINE, GOLD, TARGETS, check, flatten  # noqa: E402


def test_gold_test_split_and_baseline_exist() -> None:
    assert GOLD.exists(), f"{GOLD} is missing"
    assert BASELINE.exists(), f"{BASELINE} is missing: run benchmarks/eval_gate.py --update"


def test_scores_stay_above_their_floors() -> None:
    from ondit.eval import evaluate

    floors = json.loads(BASELINE.read_text())["floors"]
    scores = flatten(evaluate(GOLD))
    assert check(scores, floors) == [], {k: (scores[k], floors[k]) for k in floors}


def test_floors_of_reached_targets_are_not_set_under_them() -> None:
    floors = json.loads(BASELINE.read_text())["floors"]
    for key, target in TARGETS.items():
        # a floor at or above its target may never go back under it
        assert not (0 < floors.get(key, 0.0) < target and _was_reached(key)), key


def _was_reached(key: str) -> bool:
    history = ROOT / "gold" / "targets_reached.json"
    return history.exists() and key in json.loads(history.read_text())
