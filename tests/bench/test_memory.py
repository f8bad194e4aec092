"""Resident memory read from /proc: this process and the child it starts count together."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.memory import descendants, peak_rss_mb, resident_mb

# 200 MB written (so resident, not merely reserved), then "ready" once it is.
HOLDING = "import sys, time; big = b'x' * (200 << 20); print('ready', flush=True); time.sleep(60)"


def test_a_child_counts_with_its_parent() -> None:
    child = subprocess.Popen([sys.executable, "-c", HOLDING], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        alone = resident_mb([child.pid])
        assert child.pid in descendants([os.getpid()])
        assert resident_mb([os.getpid()]) >= alone > 150
        assert peak_rss_mb([os.getpid()]) >= resident_mb([os.getpid()])
    finally:
        child.kill()
        child.wait()
    assert resident_mb([child.pid]) == 0.0
