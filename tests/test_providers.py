"""Yahoo chart adapter against a local HTTP server speaking Yahoo's format, and its failures."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from flows import schemas
from flows.errors import ReferenceDataError
from flows.providers import RetryPolicy, YahooChartProvider

D = dt.date
SESSIONS = [D(2025, 1, 21), D(2025, 1, 22), D(2025, 1, 23), D(2025, 1, 24), D(2025, 1, 27)]
NOT_FOUND = {
    "chart": {
        "result": None,
        "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"},
    }
}


def yahoo_chart(symbol: str, days: list[dt.date], base: float = 100.0) -> dict:
    """A chart response shaped like Yahoo's: timestamps at the 09:30 New York open (14:30 UTC)."""
    stamps = [
        int(dt.datetime(d.year, d.month, d.day, 14, 30, tzinfo=dt.UTC).timestamp()) for d in days
    ]
    closes = [round(base + index, 2) for index in range(len(days))]
    return {
        "chart": {
            "result": [
                {
                    "meta": {
                        "currency": "USD",
                        "symbol": symbol,
                        "exchangeName": "NMS",
                        "instrumentType": "EQUITY",
                        "gmtoffset": -18000,
                        "timezone": "EST",
                        "exchangeTimezoneName": "America/New_York",
                        "dataGranularity": "1d",
                        "range": "",
                    },
                    "timestamp": stamps,
                    "indicators": {
                        "quote": [
                            {
                                "open": [c - 0.5 for c in closes],
                                "high": [c + 1 for c in closes],
                                "low": [c - 1 for c in closes],
                                "close": closes,
                                "volume": [1000 + i for i in range(len(days))],
                            }
                        ],
                        "adjclose": [{"adjclose": closes}],
                    },
                }
            ],
            "error": None,
        }
    }


class YahooStub:
    """A local server: per symbol, a queue of scripted responses (the last one repeats)."""

    def __init__(self):
        self.script: dict[str, list[dict]] = {}
        self.hits: dict[str, int] = {}
        self.queries: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parsed = urlparse(self.path)
                symbol = unquote(parsed.path.rsplit("/", 1)[-1])
                stub.hits[symbol] = stub.hits.get(symbol, 0) + 1
                stub.queries.append(parse_qs(parsed.query))
                queue = stub.script.get(symbol) or [{"status": 404, "json": NOT_FOUND}]
                step = queue.pop(0) if len(queue) > 1 else queue[0]
                time.sleep(step.get("delay", 0))
                body = step.get("body")
                if body is None:
                    body = json.dumps(step["json"]).encode()
                self.send_response(step.get("status", 200))
                self.send_header("Content-Type", step.get("type", "application/json"))
                self.send_header("Content-Length", str(step.get("length", len(body))))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    server = YahooStub()
    yield server
    server.close()


def provider(stub, timeout=2.0, attempts=3) -> YahooChartProvider:
    retry = RetryPolicy(attempts=attempts, backoff_seconds=0.01)
    return YahooChartProvider(base_url=stub.base_url, timeout=timeout, retry=retry)


def test_fetch_parses_yahoo_format(stub):
    stub.script["NVDA"] = [{"json": yahoo_chart("NVDA", SESSIONS)}]
    stub.script["^IXIC"] = [{"json": yahoo_chart("^IXIC", SESSIONS, base=19000.0)}]
    frame = provider(stub).fetch_daily(["^IXIC", "NVDA"], SESSIONS[0], SESSIONS[-1])
    assert list(frame.columns) == list(schemas.MARKET_DAILY.names)
    assert list(frame["symbol"]) == ["NVDA"] * 5 + ["^IXIC"] * 5
    assert list(frame["date"][:5]) == SESSIONS  # 14:30 UTC is the same New York day
    assert frame["close"].iloc[5] == 19000.0
    assert frame["volume"].iloc[0] == 1000
    assert frame["source"].str.contains("Yahoo chart API").all()
    assert stub.queries[0]["interval"] == ["1d"]
    assert int(stub.queries[0]["period1"][0]) < int(stub.queries[0]["period2"][0])


def test_range_is_trimmed_to_start_end(stub):
    stub.script["NVDA"] = [{"json": yahoo_chart("NVDA", SESSIONS)}]
    frame = provider(stub).fetch_daily(["NVDA"], SESSIONS[1], SESSIONS[3])
    assert list(frame["date"]) == SESSIONS[1:4]


def test_404_is_not_retried(stub):
    stub.script["NOPE"] = [{"status": 404, "json": NOT_FOUND}]
    with pytest.raises(ReferenceDataError, match="symbol not found.*may be delisted"):
        provider(stub).fetch_daily(["NOPE"], SESSIONS[0], SESSIONS[-1])
    assert stub.hits["NOPE"] == 1


def test_500_then_success_is_retried(stub):
    stub.script["NVDA"] = [
        {"status": 500, "body": b"oops", "type": "text/plain"},
        {"status": 503, "body": b"busy", "type": "text/plain"},
        {"json": yahoo_chart("NVDA", SESSIONS)},
    ]
    frame = provider(stub).fetch_daily(["NVDA"], SESSIONS[0], SESSIONS[-1])
    assert len(frame) == 5
    assert stub.hits["NVDA"] == 3


def test_persistent_500_gives_up_with_clear_error(stub):
    stub.script["NVDA"] = [{"status": 500, "body": b"oops", "type": "text/plain"}]
    with pytest.raises(ReferenceDataError, match="failed 3 times; last: HTTP 500"):
        provider(stub).fetch_daily(["NVDA"], SESSIONS[0], SESSIONS[-1])
    assert stub.hits["NVDA"] == 3


def test_timeout_is_retried_then_reported(stub):
    stub.script["SLOW"] = [{"json": yahoo_chart("SLOW", SESSIONS), "delay": 0.5}]
    with pytest.raises(ReferenceDataError, match="timed out"):
        provider(stub, timeout=0.2, attempts=2).fetch_daily(["SLOW"], SESSIONS[0], SESSIONS[-1])
    assert stub.hits["SLOW"] == 2


def test_unreachable_provider():
    closed = YahooStub()
    closed.close()
    dead = YahooChartProvider(
        base_url=closed.base_url, timeout=0.5, retry=RetryPolicy(2, backoff_seconds=0.01)
    )
    with pytest.raises(ReferenceDataError, match="unreachable.*connection failed"):
        dead.fetch_daily(["NVDA"], SESSIONS[0], SESSIONS[-1])


def test_truncated_body(stub):
    body = json.dumps(yahoo_chart("NVDA", SESSIONS)).encode()
    stub.script["CUT"] = [{"body": body[: len(body) // 2]}]  # short JSON, honest length
    stub.script["EOF"] = [{"body": body[: len(body) // 2], "length": len(body)}]  # connection cut
    with pytest.raises(ReferenceDataError, match="invalid or truncated JSON"):
        provider(stub).fetch_daily(["CUT"], SESSIONS[0], SESSIONS[-1])
    with pytest.raises(ReferenceDataError, match="truncated"):
        provider(stub, attempts=2).fetch_daily(["EOF"], SESSIONS[0], SESSIONS[-1])


def test_html_error_page(stub):
    page = b"<!DOCTYPE html><html><body>Will be right back...</body></html>"
    stub.script["NVDA"] = [{"body": page, "type": "text/html; charset=utf-8"}]
    with pytest.raises(ReferenceDataError, match="HTML page"):
        provider(stub).fetch_daily(["NVDA"], SESSIONS[0], SESSIONS[-1])


def test_missing_sessions_are_named(stub):
    gaps = [day for day in SESSIONS if day not in (D(2025, 1, 22), D(2025, 1, 24))]
    stub.script["NVDA"] = [{"json": yahoo_chart("NVDA", gaps)}]
    with pytest.raises(ReferenceDataError, match="2 XNYS session.*2025-01-22, 2025-01-24"):
        provider(stub).fetch_daily(["NVDA"], SESSIONS[0], SESSIONS[-1])


def test_null_close_counts_as_missing(stub):
    payload = yahoo_chart("NVDA", SESSIONS)
    payload["chart"]["result"][0]["indicators"]["quote"][0]["close"][2] = None
    stub.script["NVDA"] = [{"json": payload}]
    with pytest.raises(ReferenceDataError, match="2025-01-23"):
        provider(stub).fetch_daily(["NVDA"], SESSIONS[0], SESSIONS[-1])


def test_holiday_is_not_expected(stub):
    """2025-01-20 (MLK Day) is inside the range but not a session: nothing is missing."""
    stub.script["NVDA"] = [{"json": yahoo_chart("NVDA", SESSIONS)}]
    frame = provider(stub).fetch_daily(["NVDA"], D(2025, 1, 18), D(2025, 1, 27))
    assert len(frame) == 5


def test_chart_error_with_200(stub):
    stub.script["ODD"] = [{"json": NOT_FOUND}]
    with pytest.raises(ReferenceDataError, match="Yahoo chart error Not Found"):
        provider(stub).fetch_daily(["ODD"], SESSIONS[0], SESSIONS[-1])
