"""Shared helpers for the NLU benchmarks (`bench.intent`, `bench.sentiment`).

Data loading, the fixed seeded split, Rasa training through its own CLI, single-core
evaluation in a separate pinned process, metrics and the printed table.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
RASA_BIN = Path(sys.executable).parent / "rasa"
SPLIT_SEED = 42


def read_labelled_csv(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    """Reads a CSV with a text and a label column; whitespace (including newlines) is folded.

    Args:
        path: The CSV file (a real CSV parser is used: some fields hold newlines).
        text_column: Name of the text column.
        label_column: Name of the label column.

    Returns:
        The texts and their labels, rows with an empty text or label dropped.
    """
    texts: list[str] = []
    labels: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = " ".join((row.get(text_column) or "").split())
            label = (row.get(label_column) or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
    return texts, labels


def write_labelled_csv(path: Path, texts: Sequence[str], labels: Sequence[str],
                       text_column: str, label_column: str) -> None:
    """Writes texts and labels as a two-column CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([text_column, label_column])
        writer.writerows(zip(texts, labels, strict=True))


def stratified_split(texts: Sequence[str], labels: Sequence[str], test_size: float = 0.2,
                     seed: int = SPLIT_SEED) -> tuple[list[str], list[str], list[str], list[str]]:
    """The fixed, seeded, stratified split used by default (train texts, train labels, test...)."""
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(
        list(texts), list(labels), test_size=test_size, random_state=seed, stratify=list(labels)
    )
    return x_train, y_train, x_test, y_test


def write_rasa_nlu(path: Path, texts: Sequence[str], labels: Sequence[str]) -> None:
    """Writes intent examples as Rasa 3 NLU YAML (one block per intent)."""
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    lines = ['version: "3.1"', "nlu:"]
    for label, examples in by_label.items():
        lines.append(f"- intent: {label}")
        lines.append("  examples: |")
        # Rasa reads each "- " line as one example; entity markup is escaped away.
        lines.extend(f"    - {_escape_rasa_text(text)}" for text in examples)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _escape_rasa_text(text: str) -> str:
    """Removes characters Rasa's markdown-style entity syntax would misread."""
    return text.replace("[", "(").replace("]", ")").replace("{", "(").replace("}", ")")


def training_environment(threads: int = 2) -> dict[str, str]:
    """The environment for a training subprocess: offline, bounded threads, quiet TF."""
    env = dict(os.environ)
    env.update({
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "TF_NUM_INTRAOP_THREADS": str(threads),
        "TF_NUM_INTEROP_THREADS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    })
    return env


def train_rasa_nlu(config: Path, nlu_data: Path, out_dir: Path, name: str,
                   nice: int = 10) -> tuple[Path, float]:
    """Trains an NLU-only Rasa model with `rasa train nlu`; its progress goes to the terminal.

    Returns:
        The model archive and the wall-clock training time in seconds.
    """
    cache = out_dir / f"cache-{name}"
    env = training_environment()
    env["RASA_CACHE_DIRECTORY"] = str(cache)
    command = ["nice", "-n", str(nice), str(RASA_BIN), "train", "nlu", "--config", str(config),
               "--nlu", str(nlu_data), "--out", str(out_dir), "--fixed-model-name", name]
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=REPO_ROOT)
    return out_dir / f"{name}.tar.gz", time.perf_counter() - started


def parse_with_rasa(model: Path, texts: Sequence[str], keys: Sequence[str] = ("intent",)) -> dict:
    """Parses every text with a trained Rasa model in a fresh process pinned to one core.

    Args:
        model: The model archive.
        texts: Messages to parse, one at a time (latency is per message).
        keys: Top-level keys of Rasa's parse result to return for each message.

    Returns:
        `{"results": [{key: value, ...}], "latency_ms": [...], "cpu_ms": [...]}`: wall-clock
        and CPU time of each parse.
    """
    with tempfile.TemporaryDirectory() as tmp:
        request = Path(tmp) / "request.json"
        response = Path(tmp) / "response.json"
        request.write_text(json.dumps({"texts": list(texts), "keys": list(keys)}), encoding="utf-8")
        env = training_environment(threads=1)
        env["RASA_CACHE_DIRECTORY"] = str(Path(tmp) / "cache")
        subprocess.run([sys.executable, "-m", "bench._rasa_parse_worker", str(model),
                        str(request), str(response)], check=True, env=env, cwd=REPO_ROOT)
        return json.loads(response.read_text(encoding="utf-8"))


def pin_to_one_core() -> int:
    """Pins this process to one CPU core and returns the core's number."""
    cores = sorted(os.sched_getaffinity(0))
    core = cores[-1]
    os.sched_setaffinity(0, {core})
    return core


def scores(gold: Sequence[str], predicted: Sequence[str], cpu_ms: Sequence[float],
           train_s: float) -> dict[str, float]:
    """The figures kept for one system, in the JSON shape the benchmarks share.

    `p50_ms` and `p95_ms` are CPU time per message on one pinned core with one thread: on
    this shared machine wall-clock time mostly measures the other processes on the core
    (`wall_percentiles` gives it for the printed table).
    """
    from sklearn.metrics import accuracy_score, f1_score

    latency = np.asarray(cpu_ms, dtype=float)
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, average="macro", labels=sorted(set(gold)))), 4),
        "p50_ms": round(float(np.percentile(latency, 50)), 3),
        "p95_ms": round(float(np.percentile(latency, 95)), 3),
        "train_s": round(float(train_s), 1),
    }


def wall_percentiles(latency_ms: Sequence[float]) -> str:
    """Wall-clock p50/p95 and the load average, for the printed notes."""
    p50, p95 = np.percentile(np.asarray(latency_ms, dtype=float), [50, 95])
    return f"wall-clock p50 {p50:.2f} ms, p95 {p95:.2f} ms (load average {os.getloadavg()[0]:.1f})"


def print_table(title: str, rows: dict[str, dict[str, float]]) -> None:
    """Prints the figures of each system as a fixed-width table."""
    columns = ["accuracy", "macro_f1", "p50_ms", "p95_ms", "train_s"]
    print(f"\n{title} (p50/p95: CPU ms per message, one pinned core, one thread)")
    print(f"{'system':<34}" + "".join(f"{c:>11}" for c in columns))
    for name, row in rows.items():
        print(f"{name:<34}" + "".join(f"{row.get(c, float('nan')):>11.4g}" for c in columns))


def save_confusion_matrix(gold: Sequence[str], predicted: Sequence[str], path: Path,
                          title: str) -> None:
    """Writes a row-normalised confusion matrix as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(gold) | set(predicted))
    matrix = confusion_matrix(gold, predicted, labels=labels).astype(float)
    matrix /= np.maximum(matrix.sum(axis=1, keepdims=True), 1.0)
    size = max(6.0, len(labels) * 0.22)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
    axes.set_yticks(range(len(labels)), labels, fontsize=6)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
