"""Exchange trading calendar: which dates are sessions, and why a date is not one."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pandas as pd

DEFAULT_EXCHANGE = "XNYS"
CALENDAR_START = "2000-01-03"  # fixed so results never depend on today's date


class TradingCalendar:
    """Sessions of one exchange (exchange-calendars), with date-level helpers."""

    def __init__(self, exchange: str = DEFAULT_EXCHANGE):
        self.exchange = exchange
        self._calendar = _load_calendar(exchange)

    def is_session(self, day: dt.date) -> bool:
        """True when the exchange traded a regular session on `day`."""
        if not self._in_bounds(day):
            return False
        return bool(self._calendar.is_session(pd.Timestamp(day)))

    def previous_session(self, day: dt.date) -> dt.date:
        """The last session strictly before `day` (`day` need not be a session)."""
        session = self._calendar.date_to_session(pd.Timestamp(day), direction="previous")
        if session.date() == day:
            session = self._calendar.previous_session(session)
        return session.date()

    def session_next_to(self, day: dt.date, step: int) -> dt.date | None:
        """The first session after (`step` 1) or before (−1) `day`; None outside the calendar."""
        if not self._in_bounds(day):
            return None
        direction = "next" if step > 0 else "previous"
        try:
            session = self._calendar.date_to_session(pd.Timestamp(day), direction=direction)
            if session.date() == day:
                session = self._calendar.session_offset(session, 1 if step > 0 else -1)
        except ValueError:  # exchange_calendars' DateOutOfBounds: past the calendar's edge
            return None
        return session.date()

    def non_session_reason(self, day: dt.date) -> str | None:
        """None for a session, else a human reason ("2025-01-26 is a Sunday")."""
        if not self._in_bounds(day):
            return f"{day.isoformat()} is outside the {self.exchange} calendar's range"
        if self.is_session(day):
            return None
        if day.weekday() >= 5:
            return f"{day.isoformat()} is a {day.strftime('%A')}, not an {self.exchange} session"
        name = self._holiday_name(day)
        label = f" ({name})" if name else ""
        return f"{day.isoformat()} is an {self.exchange} holiday{label}, not a session"

    def _in_bounds(self, day: dt.date) -> bool:
        cal = self._calendar
        return cal.first_session.date() <= day <= cal.last_session.date()

    def _holiday_name(self, day: dt.date) -> str | None:
        ts = pd.Timestamp(day)
        regular = self._calendar.regular_holidays
        if regular is not None:
            names = regular.holidays(ts, ts, return_name=True)
            if len(names):
                return str(names.iloc[0])
        return None


@cache
def _load_calendar(exchange: str):
    import exchange_calendars

    return exchange_calendars.get_calendar(exchange, start=CALENDAR_START)
