"""PINs: derived from the secret key, stored only as a hash keyed with it."""

from __future__ import annotations

import hashlib
import secrets

import pytest

from casebridge import pins

KEY = "a-secret-key"


def test_pin_is_derived_stably_and_stored_only_as_a_keyed_hash():
    seed = pins.new_seed()
    pin = pins.derive(KEY, seed)
    assert len(pin) == 4 and pin.isdigit()
    assert pins.derive(KEY, seed) == pin
    stored = pins.hash_pin(pin, KEY)
    assert pin not in stored and stored.startswith("hmac-sha256$")
    assert pins.verify(pin, stored, KEY) and pins.verify(f" {pin} ", stored, KEY)
    assert not pins.verify("0000" if pin != "0000" else "1111", stored, KEY)
    assert not pins.verify(None, stored, KEY)
    assert not pins.verify(pin, stored, "another-key")  # the database alone is not enough


def test_hashes_from_before_the_key_still_verify():
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(b"4821", salt=salt, n=2**12, r=8, p=1)
    old = f"scrypt${salt.hex()}${digest.hex()}"
    assert pins.verify("4821", old, KEY) and not pins.verify("4822", old, KEY)


@pytest.mark.parametrize("stored", ["", "x", "hmac-sha256$zz$00", "md5$00$00", "scrypt$$"])
def test_a_malformed_hash_never_verifies(stored):
    assert not pins.verify("1234", stored, KEY)


@pytest.mark.parametrize("make", [lambda: pins.derive("", "seed"), lambda: pins.hash_pin("1", "")])
def test_no_pin_is_made_from_an_empty_key(make):
    with pytest.raises(ValueError, match="no secret key"):
        make()
