"""Secrets at rest: Fernet under a key derived from SECRET_KEY (HKDF-SHA256)."""

import pytest

from casebridge import secretbox


def test_round_trip_and_no_clear_text():
    token = secretbox.encrypt("instance-key-1", "phone-pass-9f")
    assert "phone-pass-9f" not in token
    assert secretbox.decrypt("instance-key-1", token) == "phone-pass-9f"
    assert secretbox.encrypt("instance-key-1", "phone-pass-9f") != token  # fresh IV each time


@pytest.mark.parametrize("token", ["garbage", ""])
def test_wrong_key_or_damaged_token_is_a_clear_error(token):
    good = secretbox.encrypt("instance-key-1", "x")
    with pytest.raises(secretbox.SecretBoxError, match="SECRET_KEY"):
        secretbox.decrypt("another-key", good)
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt("instance-key-1", token)
