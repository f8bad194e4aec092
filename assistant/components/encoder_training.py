"""Trains a MiniLM sentence encoder with a linear classification head (PyTorch, CPU).

Two modes, chosen by the size of the data:
- fine-tuning: the top `trainable_layers` encoder layers and the head are trained together
  (AdamW, linear warm-up and decay, label smoothing); the frozen lower layers run once and
  their outputs are cached, which halves the cost of an epoch with 3 of MiniLM's 6 layers;
- frozen encoder: with very few examples the encoder is kept as it is and only the head is
  trained on its mean-pooled sentence embeddings (fast and hard to over-fit).

The trained `EncoderClassifier` returns both the class logits and the pooled sentence
embedding, so the ONNX export serves classification and the out-of-scope check at once.
This module imports torch: the Rasa components import it only when they train.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from assistant.components.exceptions import TrainingDataError
from assistant.components.training_config import TrainingSettings

logger = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    """Seeds every random generator training touches and asks torch for determinism."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


class EncoderClassifier(torch.nn.Module):
    """Encoder, masked mean pooling, dropout and a linear head.

    `forward` returns the logits and the pooled (not normalised) sentence embedding.
    """

    def __init__(self, encoder: Any, n_labels: int) -> None:
        super().__init__()
        self.encoder: Any = encoder  # a transformers BertModel
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(encoder.config.hidden_size, n_labels)

    def forward(self, input_ids: torch.Tensor,
                attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self._pool_and_classify(hidden, attention_mask)

    def lower_layers(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                     n_layers: int) -> torch.Tensor:
        """Hidden states after the embeddings and the first `n_layers` layers."""
        hidden = self.encoder.embeddings(input_ids=input_ids)
        mask = self._layer_mask(attention_mask, hidden)
        for layer in self.encoder.encoder.layer[:n_layers]:
            hidden = layer(hidden, mask)
        return hidden

    def upper_layers(self, hidden: torch.Tensor, attention_mask: torch.Tensor,
                     n_layers: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Runs the layers after the first `n_layers`, the pooling and the head."""
        mask = self._layer_mask(attention_mask, hidden)
        for layer in self.encoder.encoder.layer[n_layers:]:
            hidden = layer(hidden, mask)
        return self._pool_and_classify(hidden, attention_mask)

    @staticmethod
    def _layer_mask(attention_mask: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
        """An additive mask (0 keep, very negative for padding) that BERT's eager and SDPA
        attention both accept, shaped (batch, 1, 1, sequence)."""
        keep = attention_mask[:, None, None, :].to(hidden.dtype)
        return (1.0 - keep) * torch.finfo(hidden.dtype).min

    def _pool_and_classify(self, hidden: torch.Tensor,
                           attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return self.head(self.dropout(pooled)), pooled


def build_classifier(encoder_dir: Path, n_labels: int) -> EncoderClassifier:
    """A pre-trained encoder from `encoder_dir` with a fresh head of `n_labels` outputs."""
    from transformers import AutoModel

    return EncoderClassifier(AutoModel.from_pretrained(str(encoder_dir)), n_labels)


def train_classifier(encoder_dir: Path, texts: Sequence[str], label_ids: Sequence[int],
                     n_labels: int, settings: TrainingSettings) -> tuple[EncoderClassifier, Any]:
    """Trains an encoder classifier on labelled texts.

    Args:
        encoder_dir: A Hugging Face model folder (e.g. all-MiniLM-L6-v2).
        texts: Training texts.
        label_ids: The label index of each text.
        n_labels: How many labels there are.
        settings: How to train.

    Returns:
        The trained model (in eval mode) and its tokenizer.

    Raises:
        TrainingDataError: With no examples or fewer than two labels.
    """
    from transformers import AutoTokenizer

    if len(texts) == 0 or len(set(label_ids)) < 2:
        raise TrainingDataError(
            "need examples of at least two labels to train a classifier; add training data")
    torch.set_num_threads(settings.threads)
    seed_everything(settings.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_dir))
    model = build_classifier(encoder_dir, n_labels)
    labels = torch.tensor(list(label_ids), dtype=torch.long)
    if len(texts) < settings.frozen_below:
        logger.info("%d examples: training the head on the frozen encoder", len(texts))
        _train_head_only(model, tokenizer, list(texts), labels, settings)
    else:
        _fine_tune(model, tokenizer, list(texts), labels, settings)
    model.eval()
    return model, tokenizer


def _batches(lengths: Sequence[int], batch_size: int,
             generator: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar-length examples (less padding, same randomness).

    Examples are shuffled, cut into pools of 50 batches, sorted by length within each pool,
    batched, and the batches shuffled again.
    """
    order = generator.permutation(len(lengths))
    pool = batch_size * 50
    batches: list[np.ndarray] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: lengths[i])
        batches.extend(np.asarray(chunk[i:i + batch_size]) for i in range(0, len(chunk), batch_size))
    return [batches[i] for i in generator.permutation(len(batches))]


def _fine_tune(model: EncoderClassifier, tokenizer: Any, texts: list[str], labels: torch.Tensor,
               settings: TrainingSettings) -> None:
    """Fine-tunes the top `trainable_layers` layers and the head.

    The lower layers stay frozen, so their outputs are computed once and cached: an epoch
    then costs the upper layers only (about half the time with 3 of MiniLM's 6 layers).
    """
    from tqdm import tqdm

    n_layers = len(model.encoder.encoder.layer)
    frozen = max(0, n_layers - settings.trainable_layers)
    steps_per_epoch = math.ceil(len(texts) / settings.batch_size)
    epochs = max(settings.epochs, math.ceil(settings.min_steps / steps_per_epoch))
    total_steps = epochs * steps_per_epoch
    warmup = max(1, total_steps // 10)
    for parameter in model.encoder.embeddings.parameters():
        parameter.requires_grad_(frozen == 0)
    for index, layer in enumerate(model.encoder.encoder.layer):
        for parameter in layer.parameters():
            parameter.requires_grad_(index >= frozen)
    trainable = [p for p in model.encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([
        {"params": trainable, "lr": settings.encoder_lr},
        {"params": model.head.parameters(), "lr": settings.head_lr},
    ], weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup,
                                    max(0.0, (total_steps - step) / (total_steps - warmup))))
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=settings.label_smoothing)
    shuffler = np.random.default_rng(settings.seed)
    token_ids = tokenizer(texts, truncation=True, max_length=settings.max_length)["input_ids"]
    lengths = [len(ids) for ids in token_ids]
    cache = _lower_layer_cache(model, token_ids, frozen) if frozen else None
    logger.info("fine-tuning the top %d of %d layers on %d examples: %d epochs, %d steps",
                n_layers - frozen, n_layers, len(texts), epochs, total_steps)
    model.train()
    for epoch in range(epochs):
        progress = tqdm(_batches(lengths, settings.batch_size, shuffler),
                        desc=f"fine-tuning epoch {epoch + 1}/{epochs}", unit="batch",
                        leave=True, mininterval=5.0)
        running = 0.0
        for step, batch in enumerate(progress, start=1):
            ids, mask = _pad([token_ids[i] for i in batch])
            if cache is None:
                logits, _ = model(ids, mask)
            else:
                logits, _ = model.upper_layers(_pad_hidden([cache[i] for i in batch]), mask,
                                               frozen)
            loss = loss_fn(logits, labels[torch.as_tensor(batch)])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            running += loss.item()
            progress.set_postfix(loss=f"{running / step:.3f}", refresh=False)
        progress.close()


def _pad(token_ids: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded input ids (pad id 0) and their attention mask."""
    width = max(len(ids) for ids in token_ids)
    ids = torch.zeros((len(token_ids), width), dtype=torch.long)
    mask = torch.zeros((len(token_ids), width), dtype=torch.long)
    for row, sequence in enumerate(token_ids):
        ids[row, :len(sequence)] = torch.as_tensor(sequence)
        mask[row, :len(sequence)] = 1
    return ids, mask


def _pad_hidden(states: Sequence[torch.Tensor]) -> torch.Tensor:
    width = max(state.shape[0] for state in states)
    padded = torch.zeros((len(states), width, states[0].shape[1]))
    for row, state in enumerate(states):
        padded[row, :state.shape[0]] = state
    return padded


def _lower_layer_cache(model: EncoderClassifier, token_ids: list[list[int]],
                       n_layers: int) -> list[torch.Tensor]:
    """Each example's hidden states after the frozen lower layers (unpadded)."""
    from tqdm import tqdm

    cache: list[torch.Tensor] = [torch.empty(0)] * len(token_ids)
    order = sorted(range(len(token_ids)), key=lambda i: len(token_ids[i]))
    model.eval()
    with torch.no_grad():
        for start in tqdm(range(0, len(order), 64), desc="encoding the frozen layers",
                          unit="batch", mininterval=5.0):
            rows = order[start:start + 64]
            ids, mask = _pad([token_ids[i] for i in rows])
            hidden = model.lower_layers(ids, mask, n_layers)
            for row, i in enumerate(rows):
                cache[i] = hidden[row, :len(token_ids[i])].clone()
    return cache


def _train_head_only(model: EncoderClassifier, tokenizer: Any, texts: list[str],
                     labels: torch.Tensor, settings: TrainingSettings) -> None:
    for parameter in model.encoder.parameters():
        parameter.requires_grad_(False)
    model.eval()
    with torch.no_grad():
        encoded = tokenizer(texts, padding=True, truncation=True,
                            max_length=settings.max_length, return_tensors="pt")
        _, pooled = model(encoded["input_ids"], encoded["attention_mask"])
    optimizer = torch.optim.AdamW(model.head.parameters(), lr=1e-2, weight_decay=0.01)
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=settings.label_smoothing)
    model.head.train()
    for _ in range(300):
        loss = loss_fn(model.head(pooled), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    for parameter in model.encoder.parameters():
        parameter.requires_grad_(True)
