"""The HTTP API over a store: ``create_app`` builds it, ``newsevents serve`` runs it with uvicorn."""

from __future__ import annotations

from newsevents.api.app import create_app

__all__ = ["create_app"]
