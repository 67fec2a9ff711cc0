"""Recorded audio of the question pages (content `audio`): each file there, inside the content folder, a format a
phone plays (read from its stream with PyAV, not from its name), of a length people listen to; and a note listing
the questions and languages without a recording."""

from __future__ import annotations

from pathlib import Path

from ..content import RECORDING_HINT, KnowledgeBase, not_readable
from .report import ERROR, FALC, NOTE, STANDARD, Collector, source_of

# What phones (Android and iOS browsers) play: the file's ending, the container PyAV reads, the codec in it.
PLAYABLE = {
    ".mp3": ("mp3", "mp3"),
    ".m4a": ("mp4", "aac"),
    ".mp4": ("mp4", "aac"),
    ".aac": ("aac", "aac"),  # raw AAC (ADTS)
    ".ogg": ("ogg", "opus"),
    ".opus": ("ogg", "opus"),
}
MIME_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
}
MIN_RECORDING_SECONDS = 5  # shorter: a cut-off or empty file
MAX_RECORDING_SECONDS = 600  # longer: nobody listens at a door (10 minutes)
MAX_RECORDING_BYTES = (
    20_000_000  # 10 minutes at 128 kbit/s is under 10 MB: more is too much for a phone's data plan
)
_FORMATS = "MP3 (.mp3), AAC in an .m4a file, or Opus in an .ogg file"
CONVERT_HINT = f"Save the recording as {_FORMATS} (any audio editor, like Audacity, exports them), 5 seconds to 10 minutes long."
LEVEL_NAMES = {STANDARD: "page", FALC: "Easy-to-Read page"}
# Codecs and containers as people know them (in messages).
SOUND_NAMES = {
    "mp3": "MP3",
    "aac": "AAC",
    "opus": "Opus",
    "vorbis": "Vorbis",
    "flac": "FLAC",
    "alac": "Apple Lossless",
    "pcm_s16le": "uncompressed (WAV)",
    "pcm_s24le": "uncompressed (WAV)",
    "pcm_f32le": "uncompressed (WAV)",
}
FILE_NAMES = {
    "mp4": "an MP4/M4A",
    "mp3": "an MP3",
    "ogg": "an Ogg",
    "wav": "a WAV",
    "aac": "an AAC",
    "flac": "a FLAC",
}


def _container_kind(name: str) -> str:
    """PyAV's container name ('mov,mp4,m4a,3gp,3g2,mj2', 'mp3', 'ogg') as one of PLAYABLE's kinds."""
    names = set(name.split(","))
    if "mp4" in names:
        return "mp4"
    return next(iter(sorted(names)), name)


def probe(path: Path) -> tuple[str, str, float] | str:
    """(container kind, codec, seconds) of the audio in ``path``, read from its stream (its first frames decoded),
    or why it cannot be read as audio."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            streams = container.streams.audio
            if not streams:
                return "it holds no sound"
            stream = streams[0]
            decoder = stream.codec_context.codec  # its canonical name: mp3, not the decoder's mp3float
            codec = getattr(decoder, "canonical_name", None) or decoder.name
            frames = 0
            for _frame in container.decode(stream):
                frames += 1
                if frames >= 3:
                    break
            if not frames:
                return "no sound could be decoded from it"
            seconds = None
            if stream.duration is not None and stream.time_base is not None:
                seconds = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                seconds = container.duration / av.time_base
            kind = _container_kind(container.format.name)
        if (
            seconds is None
        ):  # no length in the file: count it (a file without one is rare, and bounded in size)
            seconds = 0.0
            with av.open(str(path), metadata_errors="ignore") as container:
                for frame in container.decode(audio=0):
                    seconds += frame.samples / (frame.sample_rate or 1)
                    if seconds > MAX_RECORDING_SECONDS:
                        break
        return kind, codec, seconds
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return f"it is not a sound file kit can read ({reason})"


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{seconds:.1f} s"


def recording_problem(path: Path, root: Path) -> str | None:
    """What is wrong with the recording at ``path`` (written from the content folder ``root``), or None."""
    if not path.exists() and not path.is_symlink():
        return f"the file {path} does not exist"
    refused = not_readable(path, root)
    if refused:
        return refused.replace("this file is", "the recording is").replace("this is", "the recording is")
    size = path.stat().st_size
    if size > MAX_RECORDING_BYTES:
        return (
            f"the file is {size / 1_000_000:.1f} MB, more than {MAX_RECORDING_BYTES // 1_000_000} MB: too much to "
            "download on a phone (save it at a lower bitrate, 64 to 128 kbit/s, or make it shorter)"
        )
    suffix = path.suffix.lower()
    if suffix not in PLAYABLE:
        return f"its name ends in '{path.suffix or '(nothing)'}': a phone plays {_FORMATS}"
    found = probe(path)
    if isinstance(found, str):
        return f"{found}: a phone plays {_FORMATS}"
    kind, codec, seconds = found
    expected = PLAYABLE[suffix]
    if (kind, codec) != expected:
        fits = [end for end, pair in PLAYABLE.items() if pair == (kind, codec)]
        what = f"{SOUND_NAMES.get(codec, codec)} sound in {FILE_NAMES.get(kind, f'a {kind}')} file"
        fix = f": rename it with the ending {fits[0]}" if fits else f"; a phone plays {_FORMATS}"
        return f"its name ends in {suffix} but it holds {what}{fix}"
    if seconds < MIN_RECORDING_SECONDS:
        return f"it lasts {_minutes(seconds)}, less than {MIN_RECORDING_SECONDS} s: is it cut off?"
    if seconds > MAX_RECORDING_SECONDS:
        return (
            f"it lasts {_minutes(seconds)}, more than {MAX_RECORDING_SECONDS // 60} minutes: record the page's "
            "short answer, people listen to it standing at a door"
        )
    return None


def check_recordings(c: Collector, kb: KnowledgeBase) -> None:
    """Each recording the content names (rule ``recording``, an error), then the pages without one (a note: most
    campaigns have none, and a page without one is complete)."""
    missing: dict[str, list[str]] = {}
    named = 0
    for question in kb.questions:
        src = source_of(kb, question.id)
        for lang, text in question.translations.items():
            for level in (STANDARD, FALC):
                found = kb.recording(question.id, lang, level)
                if found is None:
                    missing.setdefault(lang, []).append(
                        question.id if level == STANDARD else f"{question.id} (Easy-to-Read)"
                    )
                    continue
                named += 1
                path, root = found
                problem = recording_problem(path, root)
                if problem:
                    c.add(
                        ERROR,
                        "recording",
                        f"the recording of the {LEVEL_NAMES[level]} '{question.id}' in '{lang}' "
                        f"({text.audio.get(level)}): {problem}.",
                        CONVERT_HINT if "phone plays" in problem or "lasts" in problem else RECORDING_HINT,
                        src,
                        ("translations", lang, "audio", level),
                        question=question.id,
                        lang=lang,
                        level=level,
                        text=str(text.audio.get(level)),
                    )
    if not named:
        c.add(
            NOTE,
            "recording",
            "no question page has a recording: people who do not read well, or not this language, can listen to a "
            "page when the content names one (audio: in a question's language).",
            "See the README, 'Recordings': per question and language, audio: {standard: audio/why-fr.mp3, falc: "
            "audio/why-fr-easy.mp3}.",
        )
        return
    for lang, pages in missing.items():
        c.add(
            NOTE,
            "recording",
            f"'{lang}': {len(pages)} page{'s' if len(pages) > 1 else ''} without a recording: {', '.join(pages)}.",
            "Record them if people who do not read well use these pages (audio: in each question's language).",
            lang=lang,
            text=", ".join(pages),
        )
