"""What `kit serve` is started with: the address, the sub-path, and the bounds that override kit.toml's [serve]."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ServeOptions:
    """What the command line sets (None: kit.toml's [serve] table, else its defaults)."""

    host: str = "127.0.0.1"
    port: int = 8000
    root_path: str = ""
    workers: int | None = None
    queue: int | None = None
    max_upload_mb: float | None = None
    max_rows: int | None = None
    keep_results_minutes: float | None = None
    job_time_limit_minutes: float | None = None
