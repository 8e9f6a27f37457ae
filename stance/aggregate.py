"""Who threatens whom: speaker-actor x target-actor tables and heatmaps.

>>> from stance.schema import PairRecord, StanceResult
>>> def res(sp, tg, label):
...     scores = {k: (0.8 if k == label else 0.1) for k in ("threatening", "conciliatory", "neutral")}
...     rec = PairRecord(text="x", target=tg, speaker_actor=sp, target_actor=tg)
...     return StanceResult(rec, label, scores, "neutral", {"negative": 0.1, "neutral": 0.8, "positive": 0.1})
>>> t = dyads([res("China", "Taiwan", "threatening"), res("China", "Taiwan", "neutral"), res("Japan", "China", "threatening")])
>>> int(t.loc[("China", "Taiwan"), "n"]), int(t.loc[("China", "Taiwan"), "n_threatening"])
(2, 1)
>>> float(t.loc[("China", "Taiwan"), "share_threatening"])
0.5
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from stance.errors import InvalidInputError
from stance.schema import STANCE_LABELS, StanceResult, _flat_results

__all__ = ["dyads", "plot_dyads"]


def dyads(results: Iterable[StanceResult] | Sequence[Sequence[StanceResult]], unknown: str = "(unknown)") -> Any:
    """A speaker-actor x target-actor table over results (a flat list, or one list per article).

    Index: ``(speaker_actor, target_actor)`` (missing actors become ``unknown``; a target
    without a canonical actor uses its surface mention). Columns: ``n`` (pairs),
    ``n_<label>`` (pairs predicted with that stance), ``share_<label>`` (``n_<label> / n``),
    and ``mean_<label>`` (mean predicted probability of that stance). Sorted by ``n``, largest
    first.

    >>> from stance.testing import KeywordClassifier
    >>> res = KeywordClassifier().predict([{"text": "We will crush Atlantis.", "target": "Atlantis",
    ...                                     "speaker_actor": "Lemuria", "target_actor": "Atlantis"}])
    >>> int(dyads(res).loc[("Lemuria", "Atlantis"), "n_threatening"])
    1
    """
    import pandas as pd

    flat = _flat_results(results)
    rows = []
    for r in flat:
        rec = r.record
        row = {
            "speaker_actor": rec.speaker_actor or unknown,
            "target_actor": rec.target_actor or rec.target or unknown,
        }
        for label in STANCE_LABELS:
            row[f"n_{label}"] = int(r.stance == label)
            row[f"mean_{label}"] = float(r.stance_scores.get(label, 0.0))
        rows.append(row)
    n_cols = [f"n_{l}" for l in STANCE_LABELS]
    mean_cols = [f"mean_{l}" for l in STANCE_LABELS]
    share_cols = [f"share_{l}" for l in STANCE_LABELS]
    if not rows:
        idx = pd.MultiIndex.from_tuples([], names=["speaker_actor", "target_actor"])
        return pd.DataFrame(columns=["n", *n_cols, *share_cols, *mean_cols], index=idx)
    df = pd.DataFrame(rows)
    g = df.groupby(["speaker_actor", "target_actor"], sort=True)
    table = g[n_cols].sum()
    table.insert(0, "n", g.size())
    for l in STANCE_LABELS:
        table[f"share_{l}"] = table[f"n_{l}"] / table["n"]
    table = table.join(g[mean_cols].mean())
    return table.sort_values("n", ascending=False, kind="stable")


def plot_dyads(results_or_table: Any, value: str = "threatening", ax: Any = None, stat: str = "mean", annotate: bool = True) -> Any:
    """Heatmap of a dyad table: rows speaker actors, columns target actors.

    ``value`` is a stance label; ``stat`` is ``"mean"`` (mean probability), ``"share"``
    (share of pairs with that label) or ``"n"`` (count of pairs with that label). Cells show the
    value and, with ``annotate``, the number of pairs. Returns the matplotlib ``Axes``.

    >>> from stance.testing import KeywordClassifier
    >>> res = KeywordClassifier().predict([{"text": "We will crush Atlantis.", "target": "Atlantis",
    ...                                     "speaker_actor": "Lemuria", "target_actor": "Atlantis"}])
    >>> ax = plot_dyads(res, value="threatening")
    >>> ax.get_xlabel() != "" or ax.get_ylabel() != "" or len(ax.images) == 1
    True
    """
    import numpy as np

    if value not in STANCE_LABELS:
        raise InvalidInputError(f"value must be one of {', '.join(STANCE_LABELS)}, got {value!r}")
    if stat not in ("mean", "share", "n"):
        raise InvalidInputError(f"stat must be 'mean', 'share' or 'n', got {stat!r}")
    import pandas as pd

    table = results_or_table if isinstance(results_or_table, pd.DataFrame) else dyads(results_or_table)
    col = f"{stat}_{value}"
    if col not in table.columns:
        raise InvalidInputError(f"the table has no column {col!r}; build it with stance.dyads()")
    grid = table[col].unstack("target_actor")
    counts = table["n"].unstack("target_actor")
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(1.0 + 0.8 * max(1, grid.shape[1]), 1.0 + 0.6 * max(1, grid.shape[0])), layout="constrained")
    data = grid.to_numpy(dtype=float)
    vmax = 1.0 if stat != "n" else max(1.0, float(np.nanmax(data)) if data.size else 1.0)
    im = ax.imshow(np.ma.masked_invalid(data), cmap="Reds" if value == "threatening" else ("Greens" if value == "conciliatory" else "Greys"), vmin=0.0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], rotation=45, ha="right")
    ax.set_yticks(range(grid.shape[0]), [str(i) for i in grid.index])
    ax.set_xlabel("target actor")
    ax.set_ylabel("speaker actor")
    ax.set_title(f"{stat} {value}")
    if annotate:
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                v = data[i, j]
                if np.isfinite(v):
                    txt = f"{v:.2f}" if stat != "n" else f"{int(v)}"
                    ax.text(j, i, f"{txt}\nn={int(counts.iloc[i, j])}", ha="center", va="center", fontsize=8)
    ax.figure.colorbar(im, ax=ax)
    return ax
