"""The data keys (`DATA_KEY`): authenticated encryption of personal data at rest and the keyed
blind index that finds a phone number without storing it (design.md, "Personal data").

A key is 32 random bytes in URL-safe base64. From each, HKDF-SHA256 derives three things: an
AES-256-GCM key, an HMAC-SHA256 key for the blind index, and a short public key id. A text
value is stored as `<key id>:<base64url(nonce + ciphertext + tag)>`; a file as `PGD1`, the key
id, the nonce, then the ciphertext. The key id is plain, so the rows and files still under an
old key can be found (`pengaduan keys rotate`). `cryptography` does the work: no home-made
crypto.

A keyring holds the current key (it encrypts) and older ones (they only decrypt, while a
rotation runs). Its source is `DATA_KEY` (keys separated by commas, the current first) or, on
embedded defaults, the file `data_key` in the instance folder (one key a line), which is read
again when it changes, so a rotation reaches a running service.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import private_files

log = logging.getLogger(__name__)

KEY_FILE = "data_key"
FILE_MAGIC = b"PGD1"
NONCE_BYTES = 12
KID_CHARS = 8
RELOAD_SECONDS = 1.0
"""How often a keyring read from a file looks whether the file changed."""
GENERATE_HINT = (
    "python3 -c 'import base64, secrets; "
    "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'"
)


class DataKeyError(ValueError):
    """A DATA_KEY that is not usable, or a value that no key here decrypts."""


def generate() -> str:
    """A new key: 32 random bytes in URL-safe base64 (the format of a Fernet key)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _derive(secret: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(secret)


@dataclass(frozen=True)
class DataKey:
    """One key and what is derived from it."""

    id: str
    aead: AESGCM
    index_key: bytes
    text: str

    @classmethod
    def parse(cls, text: str) -> DataKey:
        text = text.strip()
        try:
            secret = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            secret = b""
        if len(secret) != 32:
            raise DataKeyError(
                "DATA_KEY must be 32 random bytes in URL-safe base64 (44 characters), e.g. "
                f"`{GENERATE_HINT}`"
            )
        kid = _derive(secret, b"pengaduan key id v1", 4).hex()
        return cls(
            id=kid,
            aead=AESGCM(_derive(secret, b"pengaduan data v1")),
            index_key=_derive(secret, b"pengaduan blind index v1"),
            text=text,
        )


def key_id(token: str | bytes | None) -> str | None:
    """The id of the key a stored value (text or file bytes) was encrypted under."""
    if token is None:
        return None
    if isinstance(token, bytes):
        if token.startswith(FILE_MAGIC):
            return token[len(FILE_MAGIC) : len(FILE_MAGIC) + KID_CHARS].decode("ascii", "replace")
        return None
    kid, sep, _ = token.partition(":")
    return kid if sep and len(kid) == KID_CHARS else None


class DataKeys:
    """A keyring: `encrypt` under the current key, `decrypt` under any, `index` for lookups."""

    def __init__(self, keys: list[DataKey], source: Path | None = None):
        if not keys:
            raise DataKeyError(f"no data key: make one with `{GENERATE_HINT}`")
        self._keys = keys
        self._by_id = {k.id: k for k in keys}
        self.source = source
        self._stamp = _stamp(source) if source else None
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def from_text(cls, text: str, source: Path | None = None) -> DataKeys:
        """Keys separated by commas or lines, the current first."""
        parts = [p for p in text.replace(",", "\n").split() if p.strip()]
        return cls([DataKey.parse(p) for p in parts], source)

    @classmethod
    def from_file(cls, path: Path) -> DataKeys:
        """The keyring in an instance's `data_key` file, generated there if missing."""
        return cls.from_text(private_files.read_or_create_key(path, make=generate), source=path)

    # -- the keys ---------------------------------------------------------------------------

    def _fresh(self) -> list[DataKey]:
        if self.source is not None and time.monotonic() - self._checked > RELOAD_SECONDS:
            self.reload()
        return self._keys

    def reload(self) -> None:
        """Read the source file again if it changed (a rotation wrote a new key)."""
        if self.source is None:
            return
        with self._lock:
            self._checked = time.monotonic()
            stamp = _stamp(self.source)
            if stamp == self._stamp:
                return
            try:
                text = self.source.read_text().strip()
                keys = [DataKey.parse(p) for p in text.replace(",", "\n").split()]
            except (OSError, DataKeyError) as exc:  # keep the last good keyring, say why
                log.error(
                    "data keyring %s cannot be read, the last one read is kept: %s",
                    self.source,
                    exc,
                )
                self._stamp = stamp  # said once until the file changes again
                return
            if not keys:
                return
            self._keys, self._by_id, self._stamp = keys, {k.id: k for k in keys}, stamp

    @property
    def current(self) -> DataKey:
        return self._fresh()[0]

    @property
    def current_id(self) -> str:
        return self.current.id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self._fresh())

    def as_text(self) -> str:
        return "\n".join(k.text for k in self._fresh())

    def _key(self, kid: str | None) -> DataKey:
        key = self._by_id.get(kid or "")
        if key is None and self.source is not None:
            self._checked = 0.0
            self._fresh()
            key = self._by_id.get(kid or "")
        if key is None:
            raise DataKeyError(
                f"a value is encrypted under data key {kid or '?'}, which DATA_KEY does not hold"
            )
        return key

    # -- text -------------------------------------------------------------------------------

    def encrypt(self, plain: str) -> str:
        key = self.current
        nonce = os.urandom(NONCE_BYTES)
        sealed = key.aead.encrypt(nonce, plain.encode("utf-8"), key.id.encode())
        return f"{key.id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        kid = key_id(token)
        key = self._key(kid)
        try:
            raw = base64.urlsafe_b64decode(token[KID_CHARS + 1 :].encode())
            plain = key.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], key.id.encode())
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise DataKeyError(f"a value under data key {kid} does not decrypt") from exc
        return plain.decode("utf-8")

    def reencrypt(self, token: str) -> str:
        """The same value under the current key (itself if it already is)."""
        return token if key_id(token) == self.current_id else self.encrypt(self.decrypt(token))

    # -- bytes (files) ----------------------------------------------------------------------

    def seal(self, data: bytes) -> bytes:
        key = self.current
        nonce = os.urandom(NONCE_BYTES)
        header = FILE_MAGIC + key.id.encode()
        return header + nonce + key.aead.encrypt(nonce, data, header)

    def unseal(self, blob: bytes) -> bytes:
        kid = key_id(blob)
        if kid is None:
            raise DataKeyError("not an encrypted file")
        key = self._key(kid)
        start = len(FILE_MAGIC) + KID_CHARS
        header, nonce = blob[:start], blob[start : start + NONCE_BYTES]
        try:
            return key.aead.decrypt(nonce, blob[start + NONCE_BYTES :], header)
        except InvalidTag as exc:
            raise DataKeyError(f"a file under data key {kid} does not decrypt") from exc

    # -- blind index ------------------------------------------------------------------------

    def index(self, value: str) -> str:
        """The blind index of `value` under the current key (what is stored)."""
        return _hmac(self.current, value)

    def indexes(self, value: str) -> list[str]:
        """Its blind index under every key, the current first (what a lookup matches)."""
        return [_hmac(k, value) for k in self._fresh()]


def _hmac(key: DataKey, value: str) -> str:
    return hmac.new(key.index_key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _stamp(path: Path | None) -> tuple[int, int] | None:
    try:
        st = path.stat() if path else None
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size) if st else None


def write_keyring(path: Path, keys: list[str]) -> None:
    """Replace the keyring file in one step (owner-only), the current key first."""
    private_files.replace(path, "\n".join(keys) + "\n")
