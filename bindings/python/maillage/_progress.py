"""Progress of the long calls (allocate, verify, rank_all, the gap analysis).

The C++ calls report ``(stage, done, total)`` about a hundred times per
stage (stages ``rank``, ``solve``, ``explain``, ``verify``, ...). The
``progress`` argument of those calls chooses what happens with the
reports:

- ``None`` (the default): a tqdm progress bar when the call runs in a
  terminal (standard error is a TTY) or a Jupyter notebook, nothing
  otherwise (scripts, pipes, CI logs stay quiet);
- ``True`` / ``False``: the bar always / never;
- a callable ``f(stage, done, total)``: called with each report; returning
  False cancels the call (which raises ``ValueError("cancelled by the
  progress callback")``), any other value lets it go on.

Ctrl-C stops a long call at its next report (KeyboardInterrupt); the
``solve`` stage reports only at its start and end, so a solve runs to its
end first.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Optional, Union

__all__ = ["Progress", "ProgressCallback", "progress_callback"]

ProgressCallback = Callable[[str, int, int], Any]
Progress = Union[None, bool, ProgressCallback]

_STAGE_LABELS = {
    "rank": "ranking options",
    "solve": "solving",
    "explain": "explaining unmatched needs",
    "verify": "verifying",
}


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()  # type: ignore[attr-defined]
    except Exception:  # pragma: no cover - IPython without a shell
        return False
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


def _interactive() -> bool:
    try:
        tty = sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty or _in_notebook()


class _Bars:
    """One tqdm bar per stage, opened when its first report arrives and
    closed when the next stage starts or the call ends."""

    def __init__(self, description: str) -> None:
        try:
            if _in_notebook():
                from tqdm.auto import tqdm
            else:
                from tqdm import tqdm
        except ImportError:  # tqdm missing: no bar, the call still runs
            tqdm = None
        self._tqdm = tqdm
        self._description = description
        self._stage: Optional[str] = None
        self._bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> bool:
        if self._tqdm is None:
            return True
        if stage != self._stage:
            self.close()
            self._stage = stage
            label = _STAGE_LABELS.get(stage, stage)
            self._bar = self._tqdm(total=max(int(total), 1),
                                   desc=f"{self._description}: {label}",
                                   leave=False, file=sys.stderr)
        bar = self._bar
        if bar is not None:
            bar.update(max(int(done) - bar.n, 0))
        return True

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class _Reporter:
    """The callable handed to the C++ call, closed afterwards."""

    def __init__(self, fn: Optional[ProgressCallback], bars: Optional[_Bars]):
        self._fn = fn
        self._bars = bars

    def __call__(self, stage: str, done: int, total: int) -> bool:
        if self._bars is not None:
            self._bars(stage, done, total)
        if self._fn is not None:
            keep_going = self._fn(stage, done, total)
            return keep_going is None or bool(keep_going)
        return True

    def __enter__(self) -> "_Reporter":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bars is not None:
            self._bars.close()


def progress_callback(progress: Progress, description: str) -> _Reporter:
    """The reporter for a call's ``progress`` argument (see the module's
    docstring); use it as a context manager so that bars are closed.

    Parameters
    ----------
    progress:
        None (a bar in a terminal or notebook only), True, False or a
        callable ``f(stage, done, total)``.
    description:
        What the bar says first (``"allocate"``).
    """
    if progress is None:
        return _Reporter(None, _Bars(description) if _interactive() else None)
    if isinstance(progress, bool):
        return _Reporter(None, _Bars(description) if progress else None)
    if callable(progress):
        return _Reporter(progress, None)
    raise TypeError("progress must be None, True, False or a callable "
                    f"f(stage, done, total), not {type(progress).__name__}")
