"""The HTTP API over a store: ``create_app`` builds it, ``newsevents serve`` runs it with uvicorn."""

from __future__ import annotations

import json
import os

from fastapi import FastAPI

from newsevents.api.app import create_app

__all__ = ["create_app", "app_from_env", "SERVE_ENV"]

SERVE_ENV = "NEWSEVENTS_SERVE_CONFIG"
"""Environment variable through which ``newsevents serve --workers N`` passes its settings."""


def app_from_env() -> FastAPI:
    """The app for one of several uvicorn worker processes (``--workers N``).

    uvicorn starts each worker from an import string, so the settings (store, token, read-only)
    come from ``$NEWSEVENTS_SERVE_CONFIG`` (JSON), set by ``newsevents serve``.
    """
    config = json.loads(os.environ.get(SERVE_ENV, "{}"))
    return create_app(config.get("db"), token=config.get("token"), readonly=bool(config.get("readonly", True)))
