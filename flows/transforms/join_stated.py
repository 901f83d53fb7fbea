"""What a claim states for the join: a point or an interval, and how far a figure lies from it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from flows.transforms.join_figures import format_number


@dataclass(frozen=True)
class Stated:
    """A claim's stated interval in its unit; a point is lower == upper, both closed.

    None stands for an unbounded side (跌幅超过10%: lower None, upper −10, open).
    """

    lower: float | None
    upper: float | None
    lower_closed: bool = True
    upper_closed: bool = True
    is_bound: bool = False

    @classmethod
    def of_claim(cls, claim: dict, value: float) -> Stated:
        """The claim's bounds (claims.lower/upper/_closed) when it has any, else its value."""
        lower, upper = _number(claim.get("lower")), _number(claim.get("upper"))
        if lower is None and upper is None:
            return cls(value, value)
        return cls(
            lower,
            upper,
            _flag(claim.get("lower_closed")),
            _flag(claim.get("upper_closed")),
            is_bound=True,
        )

    def miss(self, low: float, high: float | None = None) -> tuple[float, bool]:
        """(distance, closed): how far the range [low, high] (a figure when high is None) lies
        outside the interval, 0 when they meet, and whether the edge it misses is closed."""
        high = low if high is None else high
        if self.upper is not None and low > self.upper:
            return low - self.upper, self.upper_closed
        if self.lower is not None and high < self.lower:
            return self.lower - high, self.lower_closed
        return 0.0, True

    def sign(self) -> int:
        """−1 for a stated fall (the interval is ≤ 0 and reaches below 0), +1 for a rise, else 0."""
        if self.upper is not None and self.upper <= 0 and (self.lower is None or self.lower < 0):
            return -1
        if self.lower is not None and self.lower >= 0 and (self.upper is None or self.upper > 0):
            return 1
        return 0

    def describe(self) -> str:
        """ "−17" for a point; "< −10", "≥ 4" or "in (−4, 0]" for a bound."""
        if not self.is_bound:
            return format_number(self.lower)
        if self.upper is None:
            return f"{'≥' if self.lower_closed else '>'} {format_number(self.lower)}"
        if self.lower is None:
            return f"{'≤' if self.upper_closed else '<'} {format_number(self.upper)}"
        opening, closing = "[" if self.lower_closed else "(", "]" if self.upper_closed else ")"
        return f"in {opening}{format_number(self.lower)}, {format_number(self.upper)}{closing}"


def _number(raw: object) -> float | None:
    return None if raw is None or pd.isna(raw) else float(raw)


def _flag(raw: object) -> bool:
    """A bound's closed flag; a missing flag reads as closed (a stated figure is reached)."""
    return True if raw is None or pd.isna(raw) else bool(raw)
