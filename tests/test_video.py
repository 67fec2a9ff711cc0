"""The waiting-room loop's video (`kit slides`), read back with PyAV's decoder (FFmpeg's libraries): stream
properties a TV's player needs, each screen's time, the frames against the screens' PNGs, and no flashing."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import kit
from kit.build import build_slides
from kit.channels.video import FADE_SECONDS, FPS, MIN_SECONDS, reading_seconds, timeline


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    out = tmp_path_factory.mktemp("video")
    build_slides(kit.load_project(), out, langs="fr")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    video = next(d for d in manifest["documents"] if d["channel"] == "video")
    pngs = sorted(
        d["path"] for d in manifest["documents"] if d["format"] == "1920x1080" and d["channel"] == "slides"
    )
    return out, video, pngs


def decoded(path, size=None, gray=False):
    """(time in seconds, picture) of every frame, as a player shows them."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            kwargs = {"width": size[0], "height": size[1]} if size else {}
            yield float(frame.pts * stream.time_base), frame.to_ndarray(format="rgb24", **kwargs)


def test_the_video_is_what_screen_players_read(loop):
    """MP4, H.264 (High profile), yuv420p, 1920 x 1080, one video stream and no sound track, the index first."""
    import av

    out, video, _ = loop
    path = out / video["path"]
    assert path.suffix == ".mp4"
    with av.open(str(path)) as container:
        assert container.format.name.startswith("mov,mp4")
        assert len(container.streams) == 1 and not container.streams.audio and not container.streams.subtitles
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.profile == "High"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.codec_context.width, stream.codec_context.height) == (1920, 1080)
        duration = float(container.duration / 1_000_000)
    assert duration == pytest.approx(video["seconds"], abs=0.1)
    data = path.read_bytes()
    assert (
        0 < data.find(b"moov") < data.find(b"mdat")
    )  # +faststart: players start before the whole file is read
    # under 20 MB for two minutes
    assert len(data) / duration * 120 < 20_000_000, len(data) / duration * 120


def test_each_screen_stays_long_enough_to_read(loop):
    """At least 6 s, and a second per 3 words, for every screen; the frames' times are exactly the timeline's."""
    out, video, pngs = loop
    screens = video["screens"]
    assert len(screens) == len(pngs) == video["pages"]
    for screen in screens:
        words = len(screen["says"].split())
        assert screen["words"] == words
        assert screen["seconds"] >= max(MIN_SECONDS, words / 3)
        assert screen["seconds"] == reading_seconds(words)
    times = [t for t, _ in decoded(out / video["path"], size=(64, 36))]
    expected = [tick / FPS for tick, *_ in timeline([s["seconds"] for s in screens])]
    assert len(times) == len(expected)  # frame count
    assert times == pytest.approx(expected, abs=0.002)
    assert times[-1] == pytest.approx(sum(s["seconds"] for s in screens) + FADE_SECONDS * len(screens))


def test_each_screen_of_the_video_is_its_png(loop):
    """The first frame of each still screen looks like that screen's PNG (and unlike the others)."""
    out, video, pngs = loop
    holds = [s["seconds"] for s in video["screens"]]
    starts = {}
    for tick, index, _, weight in timeline(holds):
        if not weight and index not in starts and tick / FPS < sum(holds) + len(holds):
            starts[index] = tick / FPS
    wanted = {round(t, 3): i for i, t in starts.items()}
    frames = {}
    for t, picture in decoded(out / video["path"]):
        if round(t, 3) in wanted and wanted[round(t, 3)] not in frames:
            frames[wanted[round(t, 3)]] = picture.astype(np.int16)
    assert sorted(frames) == list(range(len(pngs)))
    references = [np.asarray(Image.open(out / p).convert("RGB"), dtype=np.int16) for p in pngs]
    for index, frame in frames.items():
        differences = [float(np.abs(frame - reference).mean()) for reference in references]
        assert differences[index] < 4, (pngs[index], differences[index])
        assert differences[index] == min(differences), (pngs[index], differences)


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    channels = rgb.astype(np.float64) / 255
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def most_flashes_in_a_second(frames: list[tuple[float, np.ndarray]], grid: int = 4) -> int:
    """WCAG 2.3.1's general flash, measured: in each of grid x grid areas of the screen (each about the size of the
    10-degree field the rule counts, at a waiting room's distance) and on the whole screen, the mean relative
    luminance frame by frame; a transition is a rise or fall between two turning points of 10 % or more, the
    darker side under 0.80; a flash is a pair of opposite transitions. The most flashes in any one-second window."""
    times = [t for t, _ in frames]
    series = []
    for _, picture in frames:
        lum = relative_luminance(picture)
        h, w = lum.shape
        cells = [lum.mean()] + [
            lum[r * h // grid : (r + 1) * h // grid, c * w // grid : (c + 1) * w // grid].mean()
            for r in range(grid)
            for c in range(grid)
        ]
        series.append(cells)
    values = np.array(series)
    worst = 0
    for column in values.T:
        turns = [0]
        for i in range(1, len(column) - 1):
            if (column[i] - column[turns[-1]]) * (column[i + 1] - column[i]) < 0:
                turns.append(i)
        turns.append(len(column) - 1)
        transitions = [
            (times[a], times[b])
            for a, b in zip(turns, turns[1:], strict=False)
            if abs(column[b] - column[a]) >= 0.1 and min(column[a], column[b]) < 0.8
        ]
        for start, _ in transitions:
            inside = [t for t in transitions if start <= t[0] and t[1] <= start + 1]
            worst = max(worst, len(inside) // 2)
    return worst


def test_the_flash_measure_finds_flashing():
    """The measure can fail: black and white swapped every 0.1 s is five flashes a second; a crossfade is none."""
    black, white = np.zeros((36, 64, 3), np.uint8), np.full((36, 64, 3), 255, np.uint8)
    flashing = [(i / 10, white if i % 2 else black) for i in range(30)]
    assert most_flashes_in_a_second(flashing) == 5
    fade = [(i / 25, (black * (1 - i / 25) + white * (i / 25)).astype(np.uint8)) for i in range(26)]
    assert most_flashes_in_a_second(fade + [(2 + i, white) for i in range(6)]) == 0


def test_the_video_does_not_flash(loop):
    """WCAG 2.3.1: no more than three flashes in any second, measured on the decoded frames."""
    out, video, _ = loop
    frames = list(decoded(out / video["path"], size=(192, 108)))
    assert most_flashes_in_a_second(frames) <= 3
