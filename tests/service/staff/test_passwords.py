"""Staff passwords: salted scrypt, verified in constant time, malformed hashes refused."""

from __future__ import annotations

import pytest

from service.staff.passwords import hash_password, verify_password


def test_right_password_matches_and_wrong_does_not() -> None:
    stored = hash_password("correct horse", log2_n=10)
    assert verify_password("correct horse", stored)
    assert not verify_password("correct horsE", stored)
    assert "correct horse" not in stored


def test_same_password_gets_a_new_salt_each_time() -> None:
    assert hash_password("same", log2_n=10) != hash_password("same", log2_n=10)


@pytest.mark.parametrize(
    "stored", ["", "plain", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$AA==$AA==", "scrypt$10$8$1$not-base64$AA=="]
)
def test_malformed_hashes_never_match(stored: str) -> None:
    assert not verify_password("anything", stored)
