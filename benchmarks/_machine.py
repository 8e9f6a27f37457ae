"""The machine description every benchmark prints with its figures."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_lines() -> list[str]:
    """Date, machine (cores, CPU, Python, torch and its threads) and the load average now."""
    import torch

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"machine: nproc={os.cpu_count()}, cpu={cpu_model()}, python={platform.python_version()}, "
        f"torch={torch.__version__}, torch threads={torch.get_num_threads()}",
        f"load average at start (1/5/15 min): {load} (shared machine: other jobs slow these figures down)",
    ]


def emit_report(lines: list[str], out: str | os.PathLike | None) -> None:
    """Print the report and, with ``out``, also write it there (creating the folder)."""
    text = "\n".join(lines)
    print(text)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text + "\n", encoding="utf-8")
