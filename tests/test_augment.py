"""Target-identity swaps for training (stance.augment)."""

from __future__ import annotations

import pytest

from stance.augment import swap_targets, swappable
from stance.errors import ConfigError
from stance.schema import PairRecord


def _rec(i: int, text: str, target: str, actor: str | None, code: str | None, speaker_actor: str | None = None,
         stance: str = "threatening") -> PairRecord:
    return PairRecord(id=f"p{i}", text=text, target=target, target_actor=actor, target_code=code,
                      speaker_actor=speaker_actor, context=f"Earlier: {text}", stance=stance, sentiment="negative")


RECS = [
    _rec(0, "We will strike Taiwan if Taiwan declares independence.", "Taiwan", "Taiwan", "TWN", "China"),
    _rec(1, "Russia warned Ukraine.", "Ukraine", "Ukraine", "UKR", "Russia", "neutral"),
    _rec(2, "Israel and Iran met.", "Iran", "Iran", "IRN", "Israel", "conciliatory"),
    _rec(3, "Japan thanked Brazil.", "Brazil", "Brazil", "BRA", "Japan", "conciliatory"),
    _rec(4, "Beijing will respond.", "Beijing", "China", "CHN"),           # a capital: not swappable
    _rec(5, "The UN was praised.", "UN", "United Nations", "UN"),          # not a state
    _rec(6, "They will pay.", "Iran", "Iran", "IRN"),                      # not named in the statement
    _rec(7, "Taiwanese ships were seized.", "Taiwan", "Taiwan", "TWN"),    # only inside another word
]


def test_swappable_needs_a_state_named_in_the_statement():
    assert [swappable(r) for r in RECS] == [True, True, True, True, False, False, False, False]


def test_swap_replaces_every_mention_and_keeps_the_label():
    out = swap_targets(RECS, 1.0, seed=3)
    assert len(out) == len(RECS) and [r.id for r in out] == [r.id for r in RECS]
    for old, new in zip(RECS, out):
        if not swappable(old):
            assert new is old
            continue
        assert new.target == new.target_actor != old.target_actor
        assert new.target_actor != old.speaker_actor
        assert (new.target_actor, new.target_code) in {(r.target_actor, r.target_code) for r in RECS[:4]}
        assert old.target not in new.text and new.text.count(new.target) >= old.text.count(old.target)
        assert new.context == f"Earlier: {new.text}"
        assert (new.stance, new.sentiment, new.speaker_actor) == (old.stance, old.sentiment, old.speaker_actor)
    assert out[0].text == f"We will strike {out[0].target} if {out[0].target} declares independence."


def test_swap_is_seeded_and_respects_the_share():
    many = [_rec(i, f"Japan warned Country{i % 7} and Chile.", "Chile", "Chile", "CHL") for i in range(200)] + RECS[:4]
    a, b = swap_targets(many, 0.5, seed=1), swap_targets(many, 0.5, seed=1)
    assert a == b and a != swap_targets(many, 0.5, seed=2)
    swapped = sum(x is not y for x, y in zip(many, a))
    assert 70 <= swapped <= 130, swapped
    assert swap_targets(many, 0.0, seed=1) == many


@pytest.mark.parametrize("share", [-0.1, 1.5, "half", True, None])
def test_swap_rejects_bad_shares(share):
    with pytest.raises(ConfigError, match="swap share"):
        swap_targets(RECS, share, seed=0)


def test_swap_target_refuses_unswappable_records():
    from stance.augment import swap_target

    assert swap_target(RECS[1], "Chile", "CHL").text == "Russia warned Chile."
    with pytest.raises(ValueError, match="not swappable"):
        swap_target(RECS[4], "Chile", "CHL")
