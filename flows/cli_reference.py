"""`market-claims reference …`: refresh the reference snapshot from a provider, or show it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from flows.errors import MarketClaimsError, ReferenceDataError
from flows.providers import YAHOO_BASE_URL, MarketDataProvider, YahooChartProvider
from flows.reference import load_reference, update_reference

PROVIDERS = ("yahoo",)

reference_app = typer.Typer(help="Reference market data: show the snapshot, or refresh it.")


def register(app: typer.Typer) -> None:
    """Add the `reference` command group to the main app."""
    app.add_typer(reference_app, name="reference")


@reference_app.command("update")
def update_command(
    symbols: Annotated[str, typer.Option(help="Comma-separated symbols, e.g. NVDA,^IXIC.")],
    start: Annotated[str, typer.Option(help="First date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(help="Last date, YYYY-MM-DD.")],
    provider: Annotated[str, typer.Option(help="Data provider: yahoo.")] = "yahoo",
    reference_dir: Annotated[
        Path | None, typer.Option(help="Snapshot directory (default data/reference).")
    ] = None,
    base_url: Annotated[str, typer.Option(help="Provider base URL.")] = YAHOO_BASE_URL,
    timeout: Annotated[float, typer.Option(help="Per-request timeout, seconds.")] = 10.0,
) -> None:
    """Fetch daily bars and write a NEW snapshot version; the old one stays untouched.

    Example: market-claims reference update --provider yahoo --symbols NVDA,^IXIC
    --start 2025-01-21 --end 2025-01-31
    """
    try:
        chosen = _provider(provider, base_url, timeout)
        symbol_list = [item.strip() for item in symbols.split(",") if item.strip()]
        if not symbol_list:
            raise ReferenceDataError("--symbols is empty")
        snapshot = update_reference(
            chosen, symbol_list, _date(start, "--start"), _date(end, "--end"), reference_dir
        )
    except MarketClaimsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    typer.echo(f"wrote reference snapshot {snapshot.version} ({snapshot.content_hash})")


@reference_app.command("show")
def show_command(
    reference_dir: Annotated[
        Path | None, typer.Option(help="Snapshot directory (default data/reference).")
    ] = None,
    version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None,
) -> None:
    """Show a snapshot's version, content hash, symbols, dates and fact count.

    Example: market-claims reference show --version 2025.01.31-1
    """
    try:
        snapshot = load_reference(reference_dir, version)
    except MarketClaimsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    date_range = snapshot.date_range
    dates = f"{date_range[0]} … {date_range[1]}" if date_range else "none"
    typer.echo(f"version   {snapshot.version}")
    typer.echo(f"hash      {snapshot.content_hash}")
    typer.echo(f"symbols   {', '.join(snapshot.symbols)}")
    typer.echo(f"dates     {dates} ({len(snapshot.market_daily)} bars)")
    typer.echo(f"facts     {snapshot.facts['fact_id'].nunique()} ({len(snapshot.facts)} figures)")


def _provider(name: str, base_url: str, timeout: float) -> MarketDataProvider:
    if name == "yahoo":
        return YahooChartProvider(base_url=base_url, timeout=timeout)
    raise ReferenceDataError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}")


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReferenceDataError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None
