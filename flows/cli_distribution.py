"""CLI commands to publish, download and describe releases: thin shells over flows.registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows import card, registry
from flows.errors import MarketClaimsError


def register(app: typer.Typer) -> None:
    """Add `publish`, `download` and `card` to the market-claims app."""
    app.command("publish")(publish)
    app.command("download")(download)
    app.command("card")(card_command)


def publish(
    path: Annotated[Path, typer.Argument(help="A release directory (holds manifest.json).")],
    to: Annotated[str, typer.Option("--to", help="Registry: a directory, file:// or s3:// URL.")],
) -> None:
    """Copy a release into a registry and list it in the registry's index.json.

    Example: market-claims publish data/processed/2025.01.31-1a2b3c4d --to /srv/registry
    """
    version = _run(registry.publish_release, path, to)
    typer.echo(f"published {version} to {to}")


def download(
    source: Annotated[
        str, typer.Option("--from", help="Registry: http(s)://, a directory, file:// or s3://.")
    ],
    version: Annotated[str, typer.Argument(help="A pinned version or 'latest'.")] = "latest",
    to: Annotated[Path, typer.Option("--to", help="Directory to put <version>/ in.")] = Path(
        "data/processed"
    ),
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Download a release, verify every file against its manifest, then move it into place.

    Example: market-claims download latest --from https://example.org/market-claims --to data
    """
    path = _run(registry.download_release, version, source, to, not quiet)
    typer.echo(f"downloaded {path.name} to {path}")


def card_command(
    path: Annotated[Path, typer.Argument(help="A release directory (holds manifest.json).")],
) -> None:
    """Regenerate a release's README.md and datapackage.json and record them in the manifest.

    Example: market-claims card data/processed/2025.01.31-1a2b3c4d
    """
    files = _run(card.write_card_files, path)
    typer.echo(f"wrote {', '.join(sorted(files))} in {path}")


def _run(function, *args):
    try:
        return function(*args)
    except MarketClaimsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
