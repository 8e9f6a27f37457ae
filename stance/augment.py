"""Training-data augmentation: target-identity swaps.

A statement-target model can learn *who* the target is instead of what is said about it. In
our training data Taiwan, Ukraine and Kosovo appear almost only as targets of support in UN
speeches, so a model trained on it read "We will strike Taiwan if it declares independence"
as conciliatory while the same sentence about Azerbaijan came out threatening (p=0.96).
:func:`swap_targets` breaks that shortcut: in a seeded random share of the pairs whose target
is a state named in the statement, every mention of the target is replaced by another state's
name, and the label is kept. The label is about what the speaker says, which the swap leaves
alone; only the identity of the target changes.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import re
from collections.abc import Sequence

from stance.errors import ConfigError
from stance.schema import PairRecord

__all__ = ["swap_target", "swap_targets", "swappable"]


def _is_state(rec: PairRecord) -> bool:
    code = rec.target_code or ""
    return len(code) == 3 and code.isalpha() and code.isupper()


@functools.lru_cache(maxsize=4096)
def _mention_pattern(mention: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(mention)}(?!\w)")


def swappable(rec: PairRecord) -> bool:
    """Whether a pair can take a swap: its target is a state (a three-letter ISO code), the
    target mention is the state's name (not a demonym, capital or office: those would read
    wrongly as another state's name), and the statement mentions it literally."""
    if not _is_state(rec) or not rec.target_actor:
        return False
    mention = rec.target.strip()
    return mention == rec.target_actor.strip() and bool(_mention_pattern(mention).search(rec.text))


def swap_target(rec: PairRecord, name: str, code: str) -> PairRecord:
    """``rec`` with every literal mention of its target in ``text`` and ``context`` replaced by
    ``name``, and ``target``/``target_actor``/``target_code`` set to ``name``/``name``/``code``.
    ``rec`` must be :func:`swappable`."""
    if not swappable(rec):
        raise ValueError(f"record {rec.id!r} is not swappable (its target is not a state named in the statement)")
    pattern = _mention_pattern(rec.target.strip())
    return dataclasses.replace(
        rec,
        text=pattern.sub(name, rec.text),
        context=pattern.sub(name, rec.context) if rec.context else rec.context,
        target=name,
        target_actor=name,
        target_code=code,
    )


def swap_targets(records: Sequence[PairRecord], share: float, seed: int) -> list[PairRecord]:
    """Return ``records`` with a seeded random ``share`` of the swappable pairs (see
    :func:`swappable`) rewritten to target another state.

    The new state is drawn from the states that are targets of swappable pairs in ``records``
    (never the pair's own target or its speaker's actor). Every literal mention of the old
    name in ``text`` and ``context`` is replaced, and ``target``, ``target_actor`` and
    ``target_code`` become the new state's. Labels, ids and all other fields stay. The order
    and length of the list are kept; records that are not swapped are returned unchanged.
    """
    if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0.0 <= share <= 1.0:
        raise ConfigError(f"swap share must be a number from 0 to 1, got {share!r}")
    pool = sorted({(r.target_actor, r.target_code) for r in records if swappable(r)})
    if share == 0.0 or len(pool) < 3:
        return list(records)
    rng = random.Random(seed)
    out = []
    for rec in records:
        if not swappable(rec) or rng.random() >= share:
            out.append(rec)
            continue
        avoid = {rec.target_actor, rec.speaker_actor}
        name, code = rng.choice([p for p in pool if p[0] not in avoid])
        out.append(swap_target(rec, name, code))
    return out
