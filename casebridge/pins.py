"""Four-digit PINs: derived from the secret key and a per-case seed, stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_seed() -> str:
    return secrets.token_hex(16)


def derive(secret_key: str, seed: str) -> str:
    """The PIN for a seed. Deriving it lets a repeated request get the same answer without
    the PIN itself being stored anywhere."""
    mac = hmac.new(secret_key.encode(), b"pin:" + seed.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:8], 'big') % 10000:04d}"


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**12, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify(pin: str | None, stored: str) -> bool:
    if not pin or not stored.startswith("scrypt$"):
        return False
    _, salt_hex, digest_hex = stored.split("$")
    digest = hashlib.scrypt(pin.strip().encode(), salt=bytes.fromhex(salt_hex), n=2**12, r=8, p=1)
    return hmac.compare_digest(digest.hex(), digest_hex)
