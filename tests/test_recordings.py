"""Recorded audio of the question pages (content `audio`, per question, language and level): kit check reads each
file's real stream (PyAV), the site copies it and offers it first, and the doorstep card's QR code lands on a page
that plays it. Recordings are made here: short sine tones encoded with PyAV (kit ships no voices)."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

import pytest

import kit
from kit.addresses import SitePages
from kit.check import check_content
from kit.check.recordings import MAX_RECORDING_SECONDS, MIN_RECORDING_SECONDS
from kit.site import build_site

SITE = "https://sante.exemple.org/campagne/"


def tone(
    path: Path, seconds: float, codec: str = "aac", container: str | None = None, rate: int = 48000
) -> Path:
    """A real audio file: a 440 Hz tone of ``seconds``, encoded with ``codec`` (aac, mp3, libopus, pcm_s16le)."""
    import av
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        samples = int(seconds * rate)
        wave = (0.3 * np.sin(2 * np.pi * 440 * np.arange(samples) / rate)).astype(np.float32)
        sample_format = "s16" if codec.startswith("pcm") else "fltp"
        if sample_format == "s16":
            wave = (wave * 32767).astype(np.int16)
        for start in range(0, samples, 4608):
            frame = av.AudioFrame.from_ndarray(
                wave[start : start + 4608].reshape(1, -1), format=sample_format, layout="mono"
            )
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def content_with(folder: Path, audio: dict[str, dict[str, str]]) -> Path:
    """A user's content folder over kit's that gives question why-use-data the recordings ``audio`` (by language,
    then level), as a `kit init` project's content does for one field."""
    lines = ["id: why-use-data", "translations:"]
    for lang, levels in audio.items():
        lines += [f"  {lang}:", "    audio:"] + [f"      {level}: {path!r}" for level, path in levels.items()]
    (folder / "questions").mkdir(parents=True, exist_ok=True)
    (folder / "questions" / "why-use-data.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def recording_errors(content: Path) -> list[tuple[str, str, str]]:
    report = check_content(content)
    return [
        (f.lang, f.level, f.message)
        for f in report.findings
        if f.rule == "recording" and f.severity != "note"
    ]


# --- kit check -----------------------------------------------------------------------------------------------


def test_good_recordings_pass_and_the_pages_without_one_are_listed(tmp_path):
    content = tmp_path / "content"
    tone(content / "audio" / "why-fr.m4a", 6, "aac", "mp4")
    tone(content / "audio" / "why-fr-easy.mp3", 7, "mp3")
    tone(content / "audio" / "why-en.ogg", 6, "libopus", "ogg")
    content_with(
        content,
        {
            "fr": {"standard": "audio/why-fr.m4a", "falc": "audio/why-fr-easy.mp3"},
            "en": {"standard": "audio/why-en.ogg"},
        },
    )
    report = check_content(content)
    assert [f for f in report.findings if f.rule == "recording" and f.severity != "note"] == []
    notes = {f.lang: f.message for f in report.notes if f.rule == "recording"}
    # French: every page but the two recorded; English: the Easy-to-Read page too; every other language, all.
    assert "why-use-data" not in notes["fr"] and "know-before-me (Easy-to-Read)" in notes["fr"]
    assert "why-use-data (Easy-to-Read)" in notes["en"] and "why-use-data," not in notes["en"]
    assert "why-use-data, why-use-data (Easy-to-Read)" in notes["ar"]
    assert report.ok(strict=True)  # notes never fail


def test_without_any_recording_one_note_says_so(tmp_path):
    notes = [f for f in check_content().notes if f.rule == "recording"]
    assert len(notes) == 1 and "no question page has a recording" in notes[0].message


@pytest.mark.parametrize(
    ("make", "written", "said"),
    [
        (None, "audio/missing.mp3", "does not exist"),
        ("text", "audio/words.mp3", "it is not a sound file kit can read"),
        ("short", "audio/short.m4a", f"less than {MIN_RECORDING_SECONDS} s"),
        ("long", "audio/long.mp3", f"more than {MAX_RECORDING_SECONDS // 60} minutes"),
        ("wav", "audio/voice.wav", "its name ends in '.wav': a phone plays MP3"),
        ("wav", "audio/voice.mp3", "holds uncompressed (WAV) sound in a WAV file; a phone plays MP3"),
        ("m4a", "audio/voice.mp3", "holds AAC sound in an MP4/M4A file: rename it with the ending .m4a"),
        ("outside", "audio/linked.mp3", "outside the folder"),
    ],
)
def test_kit_check_reads_each_recording(tmp_path, make, written, said):
    content = tmp_path / "content"
    target = content / written
    target.parent.mkdir(parents=True, exist_ok=True)
    if make == "text":  # a text file renamed: its name says MP3, its bytes do not
        target.write_text("Bonjour, ceci est le texte de la page.\n" * 200, encoding="utf-8")
    elif make == "short":
        tone(target, 2, "aac", "mp4")
    elif make == "long":
        tone(target, MAX_RECORDING_SECONDS + 30, "mp3", rate=8000)
    elif make == "wav":
        tone(target, 6, "pcm_s16le", "wav")
    elif make == "m4a":
        tone(target, 6, "aac", "mp4")
    elif make == "outside":  # a link in the content folder to a file elsewhere on the computer
        target.symlink_to(tone(tmp_path / "elsewhere" / "voice.mp3", 6, "mp3"))
    content_with(content, {"fr": {"falc": written}})
    errors = recording_errors(content)
    assert len(errors) == 1, errors
    lang, level, message = errors[0]
    assert (lang, level) == ("fr", "falc")
    assert said in message and f"({written})" in message and "'why-use-data'" in message, message


@pytest.mark.parametrize(
    "written", ["../voice.mp3", "/tmp/voice.mp3", "audio\\voice.mp3", "https://x.org/a.mp3"]
)
def test_a_recording_path_stays_inside_the_content_folder(tmp_path, written):
    content = content_with(tmp_path / "content", {"fr": {"standard": written}})
    report = check_content(content)
    found = [f for f in report.errors if f.rule == "recording"]
    assert len(found) == 1 and "is not a path inside the content folder" in found[0].message, report.findings
    assert found[0].file.endswith("why-use-data.yaml") and found[0].line == 5


# --- the site and the doorstep card ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project with the site's address and recordings for question why-use-data: French page and Easy-to-Read
    page, English page (the other pages have none)."""
    folder = tmp_path_factory.mktemp("recorded")
    content = folder / "content"
    tone(content / "audio" / "why-fr.m4a", 6, "aac", "mp4")
    tone(content / "audio" / "why-fr-easy.mp3", 6, "mp3")
    tone(content / "audio" / "why-en.mp3", 6, "mp3")
    content_with(
        content,
        {
            "fr": {"standard": "audio/why-fr.m4a", "falc": "audio/why-fr-easy.mp3"},
            "en": {"standard": "audio/why-en.mp3"},
        },
    )
    toml = folder / "kit.toml"
    toml.write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    return kit.load_project(kit.Settings(config=toml))


@pytest.fixture(scope="module")
def site(project, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "campagne"
    build_site(project, out, library=False)
    return out


def players(html: str) -> list[str]:
    """The files each <audio> of a page plays (its <source src>)."""
    return re.findall(r'<audio controls preload="none"[^>]*>\s*<source src="([^"]+)"', html)


def test_the_question_page_offers_its_recording_first(site, project):
    pages = SitePages(project.kb)
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    recorded = {entry["path"]: entry for entry in manifest["recordings"]}
    content = project.kb.root
    expected = {
        ("fr", "standard"): ("Écouter cette page", content / "audio" / "why-fr.m4a"),
        ("fr", "falc"): ("Écouter cette page", content / "audio" / "why-fr-easy.mp3"),
        ("en", "standard"): ("Listen to this page", content / "audio" / "why-en.mp3"),
    }
    for (lang, level), (heading, source) in expected.items():
        address = pages.question("why-use-data", lang, level)
        html = (site / address / "index.html").read_text(encoding="utf-8")
        [src] = players(html)
        played = posixpath.normpath(posixpath.join(address, src))
        assert (site / played).read_bytes() == source.read_bytes()
        assert recorded[played]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
        assert played in manifest["files"]
        main = html[html.index("<main") :]
        # First after the title: the heading in the page's language, the player, and what the text below is.
        assert main.index(f'<h2 id="listen">{heading}</h2>') < min(
            main.index(mark) for mark in ('class="twin', '<h2 id="in-short"', 'class="ideas"') if mark in main
        )
        assert 'aria-describedby="listen-transcript"' in html and 'id="listen-transcript"' in html
        assert "<script" not in html  # nothing to allow in a Content-Security-Policy
    # A page without a recording has no player (the English Easy-to-Read page, another question).
    for address in (pages.question("why-use-data", "en", "falc"), pages.question("wrong-hands", "fr")):
        assert "<audio" not in (site / address / "index.html").read_text(encoding="utf-8")
    # The English words of the export carry no path of the content folder.
    assert "audio/why-en.mp3" not in (site / "data" / "en.json").read_text(encoding="utf-8")


def test_the_doorstep_card_leads_to_a_page_that_plays_the_recording(project, site, tmp_path, open_pdf):
    """The pocket card holds the summary's questions: its QR code leads to its language's home page, where each
    question with a recording has its player (and the Easy-to-Read home, where the pack's Easy-to-Read documents
    lead, plays the Easy-to-Read recordings)."""
    from kit.pack import build_packs

    events = tmp_path / "events.csv"
    events.write_text(
        "type de lieu;nom du lieu;adresse;code postal;ville;date;contact;langues;exemplaires\n"
        "VoisinMalin;Quartier 1;12 rue des Tilleuls;93120;La Courneuve;2026-04-14;01 23 45 67 89;fr;40\n",
        encoding="utf-8",
    )
    result = build_packs(project, events, tmp_path / "out", jobs=1)
    assert [e.status for e in result.events] == ["built"], [e.errors for e in result.events]
    cards = [doc for doc in result.events[0].documents if doc["layout"] == "pocket-card"]
    assert cards
    pages = SitePages(project.kb)
    for card in cards + [{"level": "falc", "path": None}]:
        landing = pages.home("fr", card["level"])
        if card["path"]:
            pdf = open_pdf(tmp_path / "out" / card["path"])
            decoded = {code for page in range(pdf.pages) for code in pdf.qr_codes(page)}
            assert decoded == {SITE + landing}, card["path"]
        html = (site / landing / "index.html").read_text(encoding="utf-8")
        [src] = players(html)
        name = "why-use-data-easy.mp3" if card["level"] == "falc" else "why-use-data.m4a"
        assert posixpath.normpath(posixpath.join(landing, src)) == f"assets/audio/fr/{name}"
        assert (site / "assets" / "audio" / "fr" / name).is_file()
