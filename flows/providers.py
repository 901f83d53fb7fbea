"""Live market-data providers over HTTP (Yahoo chart API), returning schemas.MARKET_DAILY rows."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx
import pandas as pd

from flows import schemas
from flows.calendar import TradingCalendar
from flows.errors import ReferenceDataError

YAHOO_BASE_URL = "https://query1.finance.yahoo.com"
USER_AGENT = "market-claims/0.1 (+reference refresh)"
DEFAULT_TIMEOUT_SECONDS = 10.0
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MARKET_DAILY_COLUMNS = list(schemas.MARKET_DAILY.names)


class MarketDataProvider(Protocol):
    """Anything that delivers daily bars for symbols over a date range, each row with a source."""

    name: str

    def fetch_daily(self, symbols: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff: waits backoff, 2·backoff, 4·backoff … between attempts."""

    attempts: int = 4
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 8.0

    def delay(self, attempt: int) -> float:
        return min(self.backoff_seconds * 2**attempt, self.max_backoff_seconds)


class YahooChartProvider:
    """Yahoo's chart API (`/v8/finance/chart/{symbol}?period1&period2&interval=1d`), unadjusted."""

    name = "yahoo"

    def __init__(
        self,
        base_url: str = YAHOO_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        calendar: TradingCalendar | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.calendar = calendar or TradingCalendar()
        self._sleep = sleep

    def fetch_daily(self, symbols: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        """Bars for every session in [start, end]; ReferenceDataError naming any missing one."""
        if start > end:
            raise ReferenceDataError(f"start {start} is after end {end}")
        frames = []
        with httpx.Client(timeout=self.timeout, headers={"User-Agent": USER_AGENT}) as client:
            for symbol in sorted(set(symbols)):
                url = f"{self.base_url}/v8/finance/chart/{quote(symbol, safe='')}"
                params = {
                    "period1": _epoch(start),
                    "period2": _epoch(end + dt.timedelta(days=1)),
                    "interval": "1d",
                    "events": "history",
                }
                payload = get_json(client, url, params, self.retry, self._sleep)
                frame = parse_yahoo_chart(payload, symbol, source=f"Yahoo chart API {url}")
                frame = frame[(frame["date"] >= start) & (frame["date"] <= end)]
                check_sessions_present(frame, symbol, start, end, self.calendar)
                frames.append(frame)
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        return out.reindex(columns=MARKET_DAILY_COLUMNS)


def get_json(
    client: httpx.Client,
    url: str,
    params: dict,
    retry: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> dict:
    """GET a JSON document, retrying 5xx/429, timeouts and connection errors; never a 404."""
    last_problem = ""
    for attempt in range(retry.attempts):
        if attempt:
            sleep(retry.delay(attempt - 1))
        try:
            response = client.get(url, params=params)
        except httpx.TimeoutException as error:
            last_problem = f"timed out after {client.timeout.read}s ({type(error).__name__})"
            continue
        except httpx.RemoteProtocolError as error:
            last_problem = f"connection closed mid-response, body truncated ({error})"
            continue
        except httpx.TransportError as error:
            last_problem = f"connection failed ({type(error).__name__}: {error})"
            continue
        if response.status_code in RETRYABLE_STATUS:
            last_problem = f"HTTP {response.status_code}"
            continue
        return _decode_json(response, url)
    raise ReferenceDataError(
        f"provider unreachable: {url} failed {retry.attempts} times; last: {last_problem}"
    )


def parse_yahoo_chart(payload: dict, symbol: str, source: str) -> pd.DataFrame:
    """Yahoo chart JSON → MARKET_DAILY rows; session dates in the exchange's own time zone."""
    chart = payload.get("chart") if isinstance(payload, dict) else None
    if not isinstance(chart, dict):
        raise ReferenceDataError(f"{symbol}: response is not a Yahoo chart document")
    if chart.get("error"):
        error = chart["error"]
        raise ReferenceDataError(f"{symbol}: Yahoo chart error {_describe(error)}")
    results = chart.get("result") or []
    if not results:
        raise ReferenceDataError(f"{symbol}: Yahoo chart has no result")
    result = results[0]
    zone = _exchange_zone(result.get("meta") or {})
    timestamps = result.get("timestamp") or []
    try:
        quote_block = result["indicators"]["quote"][0]
    except (KeyError, IndexError, TypeError) as error:
        raise ReferenceDataError(f"{symbol}: Yahoo chart lacks indicators.quote") from error
    columns = {key: quote_block.get(key) or [None] * len(timestamps) for key in _QUOTE_KEYS}
    if any(len(values) != len(timestamps) for values in columns.values()):
        raise ReferenceDataError(f"{symbol}: Yahoo chart arrays differ in length from timestamps")
    rows = []
    for index, stamp in enumerate(timestamps):
        close = columns["close"][index]
        if close is None:  # Yahoo leaves nulls for sessions it has no print for
            continue
        rows.append(
            {
                "symbol": symbol,
                "date": dt.datetime.fromtimestamp(stamp, tz=zone).date(),
                "open": columns["open"][index],
                "high": columns["high"][index],
                "low": columns["low"][index],
                "close": float(close),
                "volume": columns["volume"][index],
                "source": source,
            }
        )
    frame = pd.DataFrame(rows, columns=MARKET_DAILY_COLUMNS)
    for column in ("open", "high", "low", "close"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    frame["volume"] = pd.to_numeric(frame["volume"]).astype("Int64")
    return frame


def check_sessions_present(
    frame: pd.DataFrame, symbol: str, start: dt.date, end: dt.date, calendar: TradingCalendar
) -> None:
    """Raise ReferenceDataError listing every session in [start, end] the frame lacks."""
    have = set(frame["date"])
    days = (start + dt.timedelta(days=offset) for offset in range((end - start).days + 1))
    missing = [day for day in days if calendar.is_session(day) and day not in have]
    if missing:
        listed = ", ".join(day.isoformat() for day in missing)
        raise ReferenceDataError(
            f"{symbol}: provider returned no bar for {len(missing)} {calendar.exchange} "
            f"session(s) between {start} and {end}: {listed}"
        )


_QUOTE_KEYS = ("open", "high", "low", "close", "volume")


def _decode_json(response: httpx.Response, url: str) -> dict:
    body = response.text
    content_type = response.headers.get("content-type", "")
    if "html" in content_type or body.lstrip().lower().startswith(("<!doctype", "<html")):
        raise ReferenceDataError(
            f"{url} returned an HTML page (HTTP {response.status_code}), not chart JSON"
        )
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as error:
        raise ReferenceDataError(
            f"{url} returned invalid or truncated JSON (HTTP {response.status_code}, "
            f"{len(body)} chars): {error}"
        ) from error
    if response.status_code == 404:
        error = (payload.get("chart") or {}).get("error") if isinstance(payload, dict) else None
        raise ReferenceDataError(f"{url}: symbol not found (HTTP 404) {_describe(error)}".strip())
    if response.status_code >= 400:
        raise ReferenceDataError(f"{url} answered HTTP {response.status_code}")
    return payload


def _describe(error: object) -> str:
    if isinstance(error, dict):
        return f"{error.get('code', '')}: {error.get('description', '')}".strip(": ")
    return str(error) if error else ""


def _exchange_zone(meta: dict) -> dt.tzinfo:
    name = meta.get("exchangeTimezoneName")
    if name:
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError):
            pass
    return dt.timezone(dt.timedelta(seconds=int(meta.get("gmtoffset", 0))))


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
