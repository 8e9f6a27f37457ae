"""Figures for evaluation reports: confusion matrices and reliability diagrams.

Figures are built as :class:`matplotlib.figure.Figure` objects on the Agg canvas, without
pyplot's global state, so this module works headless, never changes the user's matplotlib
backend and does not leak figures. Pass ``ax=`` to draw into an existing axes instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from stance.errors import InvalidInputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from stance.evaluation import EvaluationReport, TaskReport

__all__ = ["plot_confusion_matrix", "plot_reliability_diagram", "save_report_plots"]


def _new_figure(figsize: tuple[float, float]) -> "Figure":
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _check_task_report(task_report: Any) -> "TaskReport":
    from stance.evaluation import TaskReport

    if not isinstance(task_report, TaskReport):
        raise InvalidInputError(
            f"expected a TaskReport (report['stance'] or report['sentiment']), got {type(task_report).__name__}"
        )
    return task_report


def plot_confusion_matrix(
    task_report: "TaskReport",
    *,
    ax: "Axes | None" = None,
    normalize: bool = False,
    title: str | None = None,
) -> "Figure":
    """Draw the confusion matrix of one task (rows gold, columns predicted) with
    :class:`sklearn.metrics.ConfusionMatrixDisplay`. With ``normalize=True`` each row is divided
    by its gold count (so the diagonal is per-class recall). Returns the figure.

    >>> from stance.evaluation import evaluate
    >>> from stance.testing import KeywordClassifier
    >>> report = evaluate(KeywordClassifier(), [{"id": "a", "text": "We will crush Atlantis.", "target": "Atlantis",
    ...          "stance": "threatening", "sentiment": "negative"},
    ...         {"id": "b", "text": "Talks with Atlantis resumed.", "target": "Atlantis",
    ...          "stance": "neutral", "sentiment": "neutral"}], n_bootstrap=0)
    >>> type(plot_confusion_matrix(report["stance"])).__name__
    'Figure'
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    tr = _check_task_report(task_report)
    cm = np.asarray(tr.confusion_matrix, dtype=float if normalize else int)
    if normalize:
        totals = cm.sum(axis=1, keepdims=True)
        cm = np.divide(cm, totals, out=np.zeros_like(cm), where=totals > 0)
    own = ax is None
    if ax is None:
        fig = _new_figure((5.0, 4.4))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    disp = ConfusionMatrixDisplay(confusion_matrix=cm, display_labels=list(tr.labels))
    disp.plot(ax=ax, cmap="Blues", colorbar=True, values_format=".2f" if normalize else "d")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    title = title or f"{tr.task}: confusion matrix"
    if own:  # a figure title does not collide with the colour bar
        fig.suptitle(title, fontsize="medium")
    else:
        ax.set_title(title, fontsize="medium")
    return fig


def plot_reliability_diagram(
    task_report: "TaskReport",
    *,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Figure":
    """Draw the reliability diagram of one task: per confidence bin, the accuracy of the
    predicted label (bars) against the diagonal of perfect calibration, with the mean
    confidence per bin marked and the ECE and Brier score in the legend. Without ``ax`` a second
    panel shows how many items fall in each bin. Returns the figure.

    >>> from stance.evaluation import evaluate
    >>> from stance.testing import KeywordClassifier
    >>> report = evaluate(KeywordClassifier(), [{"id": "a", "text": "We will crush Atlantis.", "target": "Atlantis",
    ...          "stance": "threatening", "sentiment": "negative"},
    ...         {"id": "b", "text": "Talks with Atlantis resumed.", "target": "Atlantis",
    ...          "stance": "neutral", "sentiment": "neutral"}], n_bootstrap=0)
    >>> type(plot_reliability_diagram(report["stance"])).__name__
    'Figure'
    """
    tr = _check_task_report(task_report)
    cal = tr.calibration
    lowers = np.array([b.lower for b in cal.bins])
    uppers = np.array([b.upper for b in cal.bins])
    widths = uppers - lowers
    counts = np.array([b.count for b in cal.bins])
    filled = counts > 0
    acc = np.array([b.accuracy if b.accuracy is not None else 0.0 for b in cal.bins])
    conf = np.array([b.mean_confidence if b.mean_confidence is not None else np.nan for b in cal.bins])
    hist_ax = None
    if ax is None:
        fig = _new_figure((4.6, 5.2))
        ax, hist_ax = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    else:
        fig = ax.figure
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    ax.bar(lowers[filled], acc[filled], width=widths[filled], align="edge", edgecolor="black",
           color="tab:blue", alpha=0.8, label="accuracy")
    ax.plot(conf[filled], acc[filled], "o", color="tab:orange", markersize=4, label="mean confidence")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("accuracy of predicted label")
    ax.set_title(f"{title or tr.task + ': reliability'}\nECE {cal.ece:.3f}, Brier {cal.brier:.3f}", fontsize="medium")
    ax.legend(loc="upper left", fontsize="small")
    if hist_ax is not None:
        hist_ax.bar(lowers, counts, width=widths, align="edge", edgecolor="black", color="tab:grey")
        hist_ax.set_ylabel("items")
        hist_ax.set_xlabel("confidence (probability of predicted label)")
    else:
        ax.set_xlabel("confidence (probability of predicted label)")
    return fig


def save_report_plots(
    report: "EvaluationReport",
    out_dir: str | os.PathLike,
    *,
    prefix: str | None = None,
    dpi: int = 120,
) -> dict[str, dict[str, Path]]:
    """Write a confusion matrix and a reliability diagram per task of ``report`` as PNG files
    named ``{prefix}_{task}_confusion.png`` and ``{prefix}_{task}_reliability.png`` (``prefix``
    defaults to the report's name made file-safe). Returns ``{task: {"confusion": path,
    "reliability": path}}``."""
    from stance.evaluation import EvaluationReport, _slug

    if not isinstance(report, EvaluationReport):
        raise InvalidInputError(f"expected an EvaluationReport, got {type(report).__name__}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefix = _slug(prefix or report.name)
    written: dict[str, dict[str, Path]] = {}
    for task, tr in report.tasks.items():
        paths = {}
        for kind, draw in (("confusion", plot_confusion_matrix), ("reliability", plot_reliability_diagram)):
            fig = draw(tr, title=f"{report.name} - {task} {'confusion matrix' if kind == 'confusion' else 'reliability'}")
            path = out / f"{prefix}_{task}_{kind}.png"
            fig.savefig(path, dpi=dpi)
            paths[kind] = path
        written[task] = paths
    return written
