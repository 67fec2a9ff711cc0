"""Benchmark: the waiting-room loop's video (kit slides), per language: seconds to make it (lay out, rasterise,
encode), its duration, size and frames. Goal: the French loop in under 30 s on 2 cores.

Run with the installed kit:  .venv/bin/python benchmarks/video.py [--lang fr,en] [--repeat N]
"""

from __future__ import annotations

import argparse
import time


def _timed(function, name: str, steps: dict):
    """``function``, adding the seconds it takes (generators run to their end) to ``steps[name]``."""

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        if name == "pages_rgb":
            result = list(result)
        steps[name] = steps.get(name, 0) + time.perf_counter() - start
        return result

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    import kit
    from kit.build import Builder
    from kit.channels import video
    from kit.plan import plan_kit

    project = kit.load_project(check=False)
    for lang in args.lang.split(","):
        (doc,) = [d for d in plan_kit(project, lang, channels="slides") if d.layout.channel == "video"]
        builder = Builder(project)
        builder.prepare(doc)  # templates and pictures loaded once, as in a kit build
        times, steps = [], {}
        real = {name: getattr(video, name) for name in ("pages_rgb", "encode")}
        for name in real:
            setattr(video, name, _timed(real[name], name, steps))
        try:
            for _ in range(args.repeat):
                start = time.perf_counter()
                data, built = builder.make(doc)
                times.append(time.perf_counter() - start)
        finally:
            for name, function in real.items():
                setattr(video, name, function)
        info = built.info
        frames = len(video.timeline([s["seconds"] for s in info["screens"]]))
        print(
            f"{lang}: {min(times):.1f} s to make (best of {len(times)}; rasterise "
            f"{steps['pages_rgb'] / len(times):.1f} s, encode {steps['encode'] / len(times):.1f} s, the rest is "
            f"layout); {len(info['screens'])} screens, {info['seconds']:.0f} s of video, {frames} frames, "
            f"{len(data) / 1e6:.1f} MB ({len(data) / info['seconds'] * 120 / 1e6:.1f} MB per 2 minutes)"
        )


if __name__ == "__main__":
    main()
