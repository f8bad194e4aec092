"""Configuration of the handoff (env prefix ``SERVICE_HANDOFF_``); the policy itself is
in ``policy.yml``."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from service.handoff.policy import DEFAULT_POLICY_PATH


class HandoffSettings(BaseSettings):
    """Where the escalation policy is."""

    model_config = SettingsConfigDict(env_prefix="SERVICE_HANDOFF_", env_file=".env", extra="ignore")

    policy_path: Path = DEFAULT_POLICY_PATH
