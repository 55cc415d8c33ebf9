"""Four-digit PINs: derived from the secret key, stored only as a hash keyed with it.

Ten thousand PINs are quickly tried against any unkeyed hash, so the stored hash is an HMAC
whose key comes from `SECRET_KEY` and is never in the database: a copy of the database alone
reveals no PIN. Changing `SECRET_KEY` therefore makes the PINs of existing cases unusable.
Hashes from before (`scrypt$…`, unkeyed) still verify."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "hmac-sha256"
OLD_SCHEME = "scrypt"


def new_seed() -> str:
    return secrets.token_hex(16)


def derive(secret_key: str, seed: str) -> str:
    """The PIN for a seed. Deriving it lets a repeated request get the same answer without
    the PIN itself being stored anywhere."""
    mac = hmac.new(_key(secret_key), b"pin:" + seed.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:8], 'big') % 10000:04d}"


def hash_pin(pin: str, secret_key: str) -> str:
    salt = secrets.token_bytes(16)
    return f"{SCHEME}${salt.hex()}${_keyed_digest(pin, salt, secret_key)}"


def verify(pin: str | None, stored: str, secret_key: str) -> bool:
    """Whether `pin` is the one `stored` was made from (compared in constant time)."""
    if not pin:
        return False
    scheme, salt_hex, digest_hex = (stored.split("$") + ["", ""])[:3]
    try:
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme == SCHEME:
        digest = _keyed_digest(pin.strip(), salt, secret_key)
    elif scheme == OLD_SCHEME:
        digest = hashlib.scrypt(pin.strip().encode(), salt=salt, n=2**12, r=8, p=1).hex()
    else:
        return False
    return hmac.compare_digest(digest, digest_hex)


def _key(secret_key: str) -> bytes:
    if not secret_key:
        raise ValueError("no secret key: PINs would be guessable from the reference alone")
    return secret_key.encode()


def _keyed_digest(pin: str, salt: bytes, secret_key: str) -> str:
    hash_key = hmac.new(_key(secret_key), b"pin-hash", hashlib.sha256).digest()
    return hmac.new(hash_key, salt + pin.encode(), hashlib.sha256).hexdigest()
