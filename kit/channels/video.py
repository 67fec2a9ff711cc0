"""The video channel: the waiting-room loop as one MP4 for the screens of post offices and France Services, played
from a USB stick by a TV or a media box (H.264, yuv420p, 1920 x 1080, no sound track, the index at the front).

The loop's screens are laid out as one document (a page each, the same pages as the PNGs) with the screen
channel's set-up and checks, rasterised, then encoded with PyAV (FFmpeg's libraries and libx264 in its wheel: no
ffmpeg program to install; it gives each frame its exact time, where ffmpeg's concat list of pictures gave a wrong
total). Each screen stays still long enough to read its words (at least ``MIN_SECONDS``, and a second per
``WORDS_PER_SECOND`` words), repeated once a second (a player joining or looping finds a picture soon); screens
change by a crossfade of ``FADE_SECONDS`` (no flashing: WCAG 2.3.1 allows three flashes a second, a crossfade
between still screens held six seconds or more makes none). The last crossfade leads back to the first screen,
so a player's loop has no cut."""

from __future__ import annotations

import logging
import math
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ..layouts import screen_px
from ..render import check_fit
from .output import Channel, ChannelOutput
from .screen import ScreenChannel, check_screen

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned
    from ..project import Project

log = logging.getLogger("kit")

FPS = 25  # the crossfades' frames a second (Europe's TV rate); still screens are one frame a second
MIN_SECONDS = 6
WORDS_PER_SECOND = 3
FADE_SECONDS = 1
CRF = 20  # x264's constant quality: type stays sharp, a still screen costs a few kilobytes a second
PRESET = "superfast"  # measured on the French loop: veryfast 26 s, 14.9 MB; superfast 18 s, 11.8 MB
KEYFRAME_FRAMES = 50  # at most this many frames between two keyframes (each screen starts with one)


def reading_seconds(words: int) -> int:
    """How long a screen of ``words`` words stays still: a second per three words, six seconds at least."""
    return max(MIN_SECONDS, math.ceil(words / WORDS_PER_SECOND))


def timeline(holds: list[int]) -> list[tuple[int, int, int, int]]:
    """The loop's frames as (start tick, screen, next screen, weight of the next out of 256), a tick being
    1/FPS s: each screen still for its seconds (a frame a second), then a crossfade to the next (the last to the
    first), then one last frame of the first screen, which ends the file where it began."""
    frames, tick, count = [], 0, len(holds)
    for index, hold in enumerate(holds):
        following = (index + 1) % count
        frames += [(tick + FPS * second, index, following, 0) for second in range(hold)]
        tick += FPS * hold
        steps = FPS * FADE_SECONDS
        frames += [(tick + k, index, following, round(256 * (k + 1) / (steps + 1))) for k in range(steps)]
        tick += steps
    frames.append((tick, 0, 0, 0))
    return frames


def pages_rgb(pdf: bytes, width: int, height: int):
    """Each page of a PDF as an RGB array of exactly ``width`` x ``height`` pixels."""
    import numpy as np

    from kit import raster

    for image in raster.pages(pdf, width):
        pixels = np.full((height, width, 3), 255, dtype=np.uint8)
        array = np.asarray(image)[:height, :width]
        pixels[: array.shape[0], : array.shape[1]] = array
        yield pixels


def encode(pictures: list, holds: list[int]) -> bytes:
    """The MP4 of still ``pictures`` (RGB arrays), each held ``holds`` seconds, with crossfades between them."""
    import av

    height, width = pictures[0].shape[:2]
    planes = [
        av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuv420p").to_ndarray()
        for picture in pictures
    ]
    # +faststart: the index before the pictures (players and browsers start at once), which FFmpeg writes by
    # reading its file again: a temporary file, not memory; bitexact: the same bytes every run.
    with tempfile.TemporaryDirectory(prefix="kit-video-") as folder:
        path = Path(folder) / "loop.mp4"
        _write(path, planes, holds, width, height)
        return path.read_bytes()


def _write(path: Path, planes: list, holds: list[int], width: int, height: int) -> None:
    import av
    import numpy as np
    from PIL import Image

    images = [
        Image.fromarray(plane) for plane in planes
    ]  # each screen's Y, U and V planes as one grey picture
    output = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart", "fflags": "+bitexact"})
    try:
        stream = output.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        stream.codec_context.time_base = Fraction(1, FPS)
        stream.options = {
            "crf": str(CRF),
            "preset": PRESET,
            "tune": "stillimage",
            "profile": "high",
            "level": "4.0",
            "g": str(KEYFRAME_FRAMES),
            "x264-params": "force-cfr=0",
        }
        previous = None
        timeline_frames = timeline(holds)
        for tick, index, following, weight in timeline_frames:
            if (
                weight
            ):  # Pillow's blend: one pass in C over the three planes (numpy's takes four times as long)
                data = np.asarray(Image.blend(images[index], images[following], weight / 256))
            else:
                data = planes[index]
            frame = av.VideoFrame.from_ndarray(data, format="yuv420p")
            frame.pts = tick
            frame.time_base = Fraction(1, FPS)  # the stream's own changes once the muxer starts
            starts = not weight and (previous is None or previous[3] or previous[1] != index)
            if starts:  # each screen starts on a keyframe
                frame.pict_type = av.video.frame.PictureType.I
            previous = (tick, index, following, weight)
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    finally:
        output.close()


class VideoChannel(Channel):
    """The waiting-room loop's video: the screen channel's layout and checks, then PyAV's encoder."""

    def __init__(self, project: Project, reuse: bool = True):
        super().__init__(project, reuse)
        self.screen = ScreenChannel(project, reuse=reuse)

    def make(self, doc: Planned, prepared: Prepared, html: str) -> ChannelOutput:
        """Lay out every screen of the loop (a page each), check them as the PNGs are checked, encode the video."""
        screens = prepared.context["screens"]
        self.screen.pdf.renderer.allow(*prepared.extra_roots)
        rendered = self.screen.layout(doc, html)
        check_fit(rendered, len(screens), f"The {doc.describe()}", doc.advice())
        check_screen(rendered, doc)
        pdf = self.screen.pdf.renderer.write_pdf(
            rendered, identifier=f"{doc.path}|{self.project.kb.meta.content_version}"
        )
        width, height = screen_px(doc.spec.format)
        pictures = list(pages_rgb(pdf, width, height))
        holds = [reading_seconds(screen["words"]) for screen in screens]
        data = encode(pictures, holds)
        seconds = sum(holds) + FADE_SECONDS * len(holds) + 1 / FPS
        info = {
            "pixels": [width, height],
            "bytes": len(data),
            "seconds": round(seconds, 2),
            "screens": [
                {"seconds": hold, "words": screen["words"], "says": screen["said"]}
                for hold, screen in zip(holds, screens, strict=True)
            ],
        }
        log.info("video: %d screens, %.0f s, %d bytes", len(screens), seconds, len(data))
        return ChannelOutput(data, len(screens), info=info)
