"""``newsevents serve``: the HTTP API (and the web pages, when installed) over a store."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
from typing import Annotated

import typer

from newsevents.cli_support import DbOption, db_url, guard

__all__ = ["TOKEN_ENV", "register"]

logger = logging.getLogger(__name__)

TOKEN_ENV = "NEWSEVENTS_TOKEN"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0 picks a free one).")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(help=f"Token that POST /api/code requires (default ${TOKEN_ENV}; none: open).", show_default=False),
    ] = None,
    writable: Annotated[
        bool, typer.Option("--writable/--readonly", help="Open the store for writing (default read-only).")
    ] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (each with its own store connections).")
    ] = 1,
) -> None:
    """Serve the event API (/api/...) and the web pages over the store until interrupted."""
    with guard():
        import uvicorn

        from newsevents.api import create_app

        token = token or os.environ.get(TOKEN_ENV) or None
        if not _is_loopback(host) and token is None:
            typer.echo(
                f"Warning: listening on {host} without a token; anyone who can reach it may use /api/code. "
                f"Set --token or ${TOKEN_ENV}.",
                err=True,
            )
        options = {"host": host, "port": port, "log_level": log_level, "server_header": False, "proxy_headers": False}
        if workers > 1:
            from newsevents.api import SERVE_ENV

            os.environ[SERVE_ENV] = json.dumps({"db": db_url(db), "token": token, "readonly": not writable})
            create_app(db_url(db), token=token, readonly=not writable)  # fail here, not in every worker
            uvicorn.run("newsevents.api:app_from_env", factory=True, workers=workers, **options)  # type: ignore[arg-type]
        else:
            uvicorn.run(create_app(db_url(db), token=token, readonly=not writable), **options)  # type: ignore[arg-type]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
