"""Execution engines: where documents are coded, and how their results come back.

An :class:`Engine` turns a stream of :class:`~newsevents.model.Article` into a stream of
:class:`~newsevents.pipeline.CodedDoc`, one per article and **in input order**, so a single
writer (``newsevents.ingest``) can store them as they arrive.

* :class:`LocalEngine` codes in worker processes of this machine (:mod:`newsevents.engines.local`),
  or in the calling process (``in_process=True``).
* :class:`DaskEngine` codes on a Dask cluster: a ``LocalCluster`` it starts itself, or an
  existing scheduler (SLURM, Kubernetes, ``dask scheduler``); workers write Parquet shards
  that the driver reads back in order. See ``docs/scale-out.md``.

Importing this package and constructing an engine is cheap: Dask, distributed and pyarrow are
imported, and a cluster started, only when documents are coded.
"""

from __future__ import annotations

from newsevents.engines.base import Engine, LocalEngine, make_engine
from newsevents.engines.dask_engine import DaskEngine

__all__ = ["DaskEngine", "Engine", "LocalEngine", "make_engine"]
