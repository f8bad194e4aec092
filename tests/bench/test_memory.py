"""Resident memory read from /proc: this process and the child it starts count together."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.memory import descendants, peak_rss_mb, resident_mb


def test_a_child_counts_with_its_parent() -> None:
    holding = "import time; big = bytearray(200 << 20); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", holding])
    try:
        for _ in range(100):
            if resident_mb([child.pid]) > 150:
                break
            time.sleep(0.1)
        alone = resident_mb([child.pid])
        assert child.pid in descendants([os.getpid()])
        assert resident_mb([os.getpid()]) >= alone > 150
        assert peak_rss_mb([os.getpid()]) >= resident_mb([os.getpid()])
    finally:
        child.kill()
        child.wait()
    assert resident_mb([child.pid]) == 0.0
