"""Parses messages with a trained Rasa model, one at a time, on one pinned core.

Each message's wall-clock time and the process's CPU time are recorded: on a shared
machine the core is not ours alone, and CPU time is what the parse costs on one core.

Run by `bench._nlu_common.parse_with_rasa` in a fresh process so that the thread
settings (one thread everywhere) hold from the start:

    python -m bench._rasa_parse_worker MODEL.tar.gz REQUEST.json RESPONSE.json
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
              "TF_NUM_INTEROP_THREADS"):
    os.environ[_name] = "1"

import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from bench._nlu_common import pin_to_one_core  # noqa: E402

WARMUP_MESSAGES = 20


def main(model: str, request_path: str, response_path: str) -> None:
    """Loads the model, warms it up and parses every requested text."""
    pin_to_one_core()
    logging.basicConfig(level=logging.WARNING)
    import structlog

    # Rasa's processor logs every parse through structlog, which prints DEBUG by default
    # when Rasa's CLI has not configured it: that printing would be timed with the parse.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    import tensorflow as tf
    import torch

    torch.set_num_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    from rasa.core.agent import Agent

    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    texts: list[str] = request["texts"]
    keys: list[str] = request["keys"]
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()
    for text in texts[:WARMUP_MESSAGES]:
        loop.run_until_complete(agent.parse_message(text))
    results = []
    latency_ms = []
    cpu_ms = []
    for text in texts:
        started, cpu_started = time.perf_counter(), time.process_time()
        parsed = loop.run_until_complete(agent.parse_message(text))
        cpu_ms.append((time.process_time() - cpu_started) * 1000.0)
        latency_ms.append((time.perf_counter() - started) * 1000.0)
        results.append({key: parsed.get(key) for key in keys})
    Path(response_path).write_text(
        json.dumps({"results": results, "latency_ms": latency_ms, "cpu_ms": cpu_ms}),
        encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
