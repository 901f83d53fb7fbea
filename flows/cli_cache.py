"""`market-claims cache …`: what the build cache under <out>/.cache holds, and pruning it."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from flows.cli_options import DEFAULT_OUT, CacheDaysOption, OutOption, fail
from flows.errors import MarketClaimsError

cache_app = typer.Typer(help="The build cache: entries per kind, and pruning unused ones.")


def register(app: typer.Typer) -> None:
    """Add the `cache` command group to the main app."""
    app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def info_command(out: OutOption = DEFAULT_OUT) -> None:
    """Entries and megabytes per kind (documents, shards, validation).

    Example: market-claims cache info --out data/processed
    """
    from flows import cache

    _check_out(out)
    held = cache.usage(cache.cache_dir_for(out))
    for kind in sorted(held.entries):
        typer.echo(f"{kind:<12} {held.entries[kind]:>8} entries {held.bytes[kind] / 1e6:>10.1f} MB")
    typer.echo(f"{'total':<12} {held.total_entries:>8} entries {held.total_bytes / 1e6:>10.1f} MB")


@cache_app.command("prune")
def prune_command(out: OutOption = DEFAULT_OUT, cache_days: CacheDaysOption = None) -> None:
    """Delete entries no build used within --cache-days (0: every entry); refuses during a build.

    Builds prune on their own after publishing; this is for a folder no longer rebuilt, or to
    reclaim space at once. A pruned entry is computed again when a build needs it.

    Example: market-claims cache prune --out data/processed --cache-days 0
    """
    from flows import cache, out_lock

    _check_out(out)
    days = cache.DEFAULT_CACHE_DAYS if cache_days is None else cache_days
    try:
        with out_lock.exclusive_build(out):
            pruned = cache.prune(cache.cache_dir_for(out), cache.unused_since(time.time(), days))
    except MarketClaimsError as error:
        fail(str(error), error.exit_code)
    size = pruned.total_bytes / 1e6
    typer.echo(f"removed {pruned.total_entries} cache entries ({size:.1f} MB)")


def _check_out(out: Path) -> None:
    if not out.is_dir():
        fail(f"output folder {out} does not exist", 1)
