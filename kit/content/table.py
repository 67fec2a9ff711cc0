"""The files a knowledge base is made of, in one table (name, model, how a user's file merges over kit's), and
the digest over every one of them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError
from ..resources import content_dir as builtin_content_dir
from .feedback import ChangesFile, FeedbackForm
from .fields import Model
from .models import (
    LocalesFile,
    Meta,
    Question,
    Review,
    Shared,
    StoriesFile,
    TranslationRecord,
    VenuesFile,
)
from .report import ReportFile
from .yamlfile import read_yaml

# How a user's file merges over kit's file of the same name.
FIELDS = "field by field"  # groups key by key, down to single fields; lists replaced, except those in `by_id`
BY_ID = (
    "by id"  # the lists in `by_id` item by item (an item with a known id merged field by field, else added)
)
WHOLE = "whole"  # the user's file replaces kit's


@dataclass(frozen=True)
class ContentFile:
    """One file of a knowledge base (or a folder of files, one item each)."""

    key: str  # the part of the knowledge base it fills (``KnowledgeBase.parts``)
    name: str  # its name in a content folder; for ``folder``, the folder's
    model: type[Model]  # what it holds (for a folder: what each of its files holds)
    merge: str  # FIELDS, BY_ID or WHOLE
    by_id: tuple[str, ...] = ()  # top-level lists merged item by item, by their `id`
    required: bool = True  # every knowledge base has it (else: the model's defaults)
    folder: bool = False  # a folder of files, one item each, known by its `id` (or its file's name)
    item: str = ""  # what one of a folder's files holds, in messages ("question")

    def __post_init__(self):
        if self.merge not in (FIELDS, BY_ID, WHOLE) or (
            self.merge == BY_ID and not (self.by_id or self.folder)
        ):
            raise ValueError(f"content file {self.name}: merge {self.merge!r} with by_id {self.by_id!r}")

    def paths(self, root: Path) -> list[Path]:
        """Where this file is in the content folder ``root`` (none when it is not there). The loader and the
        digest both take the files from here, so the digest covers every file that is read."""
        if self.folder:
            where = root / self.name
            return sorted(where.glob("*.yaml")) + sorted(where.glob("*.yml"))
        path = root / self.name
        return [path] if path.is_file() else []


# Every file kit reads from a content folder, in reading order. A new kind of content (a feedback form, a
# change record) is one line here and a model: it is then read from kit's folder and the user's, merged, checked
# (every problem with its file and line), counted in the digest, and found in ``KnowledgeBase.parts``.
CONTENT_FILES: tuple[ContentFile, ...] = (
    ContentFile("meta", "kit.yaml", Meta, FIELDS),
    ContentFile("shared", "shared.yaml", Shared, FIELDS, by_id=("glossary",)),
    ContentFile("venues", "venues.yaml", VenuesFile, BY_ID, by_id=("venues",)),
    ContentFile("locales", "locales.yaml", LocalesFile, FIELDS, required=False),
    ContentFile(
        "review",
        "review.yaml",
        Review,
        FIELDS,
        by_id=("facts_to_recheck", "reviewed_absolutes"),
        required=False,
    ),
    ContentFile("stories", "stories.yaml", StoriesFile, BY_ID, by_id=("stories",), required=False),
    ContentFile("report", "report.yaml", ReportFile, FIELDS, required=False),  # the words of kit report
    ContentFile("feedback", "feedback.yaml", FeedbackForm, FIELDS, required=False),  # the feedback form
    ContentFile("changes", "changes.yaml", ChangesFile, WHOLE, required=False),  # the record of changes
    ContentFile("questions", "questions", Question, BY_ID, folder=True, item="question"),
    # Each language's translation record (kit translate): a user's record merged over kit's text by text.
    ContentFile(
        "translations",
        "translations",
        TranslationRecord,
        BY_ID,
        folder=True,
        item="translation record",
        required=False,
    ),
)


def content_file(key: str) -> ContentFile:
    return next(entry for entry in CONTENT_FILES if entry.key == key)


def standalone(folder: Path) -> bool:
    """Whether the user's kit.yaml says `builtin: false` (a complete knowledge base of its own)."""
    path = folder / "kit.yaml"
    if not path.is_file():
        return False
    source = read_yaml(path, str(path), [], root=folder)  # its problems are reported when it is read for good
    data = source.data if source is not None else None
    return isinstance(data, dict) and data.get("builtin") is False


def content_roots(content_dir: str | Path | None = None) -> list[Path]:
    """The folders a knowledge base is read from, lowest first: kit's own, then the user's ``content_dir``
    (alone when its kit.yaml says `builtin: false`)."""
    user_root = Path(content_dir) if content_dir is not None else None
    if user_root is not None and not user_root.is_dir():
        raise ContentError(
            f"The content folder {user_root} does not exist (give a folder with kit.yaml, shared.yaml "
            f"or questions/)."
        )
    if user_root is not None and standalone(user_root):
        return [user_root]
    return [builtin_content_dir()] + ([user_root] if user_root else [])


def digest_of(roots: list[Path]) -> str:
    """A digest over every file of the table in ``roots`` (its folder, kit's or the user's, its name in the
    folder, its bytes): any change to any content file changes it, wherever kit is installed."""
    digest = hashlib.sha256()
    builtin = builtin_content_dir()
    for root in roots:
        which = "kit" if root == builtin else "user"
        for entry in CONTENT_FILES:
            for path in entry.paths(root):
                if not path.is_file():  # a folder named like a content file: the loader reports it
                    continue
                name = path.relative_to(root).as_posix()
                digest.update(f"{which}:{name}:".encode())
                with path.open("rb") as handle:
                    digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def content_digest(content_dir: str | Path | None = None) -> str:
    """The digest of the knowledge base ``load_content(content_dir)`` reads (see digest_of)."""
    return digest_of(content_roots(content_dir))
