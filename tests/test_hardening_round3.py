"""Issue 29 (hardening round 3), the points that have no other file: a Ctrl-C more while an interrupted run ends,
the site's address, e-mail fields, kit.toml sizes, content files that lead out, dates long past, option values."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_ctrl_c_while_an_interrupted_run_ends_stops_at_once():
    """Issue 29.3: after the first Ctrl-C the run ends cleanly (the pool ends, the lock is given back, the
    interruption is reported); a second one in that time raised a KeyboardInterrupt inside whatever was running
    (a traceback, "release unlocked lock", exit 70). It ends the process at once, with 130."""
    script = textwrap.dedent(
        """
        import os, signal
        from kit.pack.pool import Interrupts

        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            with Interrupts(lambda: None):
                os.kill(os.getpid(), signal.SIGINT)
        except KeyboardInterrupt:
            os.kill(os.getpid(), signal.SIGINT)  # while the lock is given back, the message printed...
            print("went on")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 130, result.stderr
    assert "went on" not in result.stdout and "Traceback" not in result.stderr
    assert "Stopped at once" in result.stderr
