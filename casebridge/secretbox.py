"""Secrets kept in the database (a gateway phone's password and webhook key), encrypted with
the instance's SECRET_KEY: Fernet under a key derived by HKDF-SHA256. Never home-made crypto."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"pengaduan secretbox v1"


class SecretBoxError(ValueError):
    """A token that does not decrypt with this SECRET_KEY (changed key, or a damaged value)."""


def _fernet(secret_key: str) -> Fernet:
    if not secret_key:
        raise SecretBoxError("SECRET_KEY is not set: secrets cannot be encrypted or read")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(secret_key: str, text: str) -> str:
    return _fernet(secret_key).encrypt(text.encode()).decode()


def decrypt(secret_key: str, token: str) -> str:
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError, TypeError):
        raise SecretBoxError(
            "the stored secret cannot be decrypted with this SECRET_KEY (was it changed?)"
        ) from None
