"""The web UI: server-rendered pages over the store, mounted on the API app.

``newsevents.api.create_app`` calls :func:`install`; each page has a JSON twin with exactly the
data it shows. Front-end libraries (world map geometry, d3-force) come from npm: run ``npm ci``
in this folder (``package.json``/``package-lock.json``); they are served under ``/static/vendor``.
"""

from __future__ import annotations

from newsevents.web.pages import install

__all__ = ["install"]
