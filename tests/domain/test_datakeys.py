"""The data keys: AES-GCM values that carry their key id, a blind index, a keyring that
follows its file during a rotation."""

import base64
import os
import time

import pytest

from casebridge import datakeys
from casebridge.datakeys import DataKeyError, DataKeys

PHONE = "+6281234567891"


def test_a_value_round_trips_and_names_its_key_but_not_its_content():
    keys = DataKeys.from_text(datakeys.generate())
    token = keys.encrypt("Sulastri Wulandari")
    assert "Sulastri" not in token and token.startswith(keys.current_id + ":")
    assert datakeys.key_id(token) == keys.current_id
    assert keys.decrypt(token) == "Sulastri Wulandari"
    assert keys.encrypt("Sulastri Wulandari") != token  # a fresh nonce each time


def test_another_key_or_a_changed_byte_does_not_decrypt():
    keys, other = DataKeys.from_text(datakeys.generate()), DataKeys.from_text(datakeys.generate())
    token = keys.encrypt("majikan memukul")
    with pytest.raises(DataKeyError, match="does not hold"):
        other.decrypt(token)
    kid, body = token.split(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DataKeyError, match="does not decrypt"):
        keys.decrypt(f"{kid}:{base64.urlsafe_b64encode(bytes(raw)).decode()}")
    with pytest.raises(DataKeyError):
        keys.decrypt("plain text stored before")


def test_files_are_sealed_with_a_header_naming_the_key():
    keys = DataKeys.from_text(datakeys.generate())
    blob = keys.seal(b"\x89PNG photo bytes")
    assert blob.startswith(b"PGD1" + keys.current_id.encode()) and b"photo" not in blob
    assert keys.unseal(blob) == b"\x89PNG photo bytes"
    with pytest.raises(DataKeyError):
        keys.unseal(blob[:-1] + bytes([blob[-1] ^ 1]))


@pytest.mark.parametrize(
    "bad", ["", "short", "x" * 44, base64.urlsafe_b64encode(b"k" * 31).decode()]
)
def test_a_malformed_key_is_refused_with_how_to_make_one(bad):
    with pytest.raises(DataKeyError, match="token_bytes"):
        DataKeys.from_text(bad or ",")


def test_a_keyring_encrypts_under_its_first_key_and_reads_every_one():
    old, new = datakeys.generate(), datakeys.generate()
    before = DataKeys.from_text(old)
    token = before.encrypt("Tjahjono")
    ring = DataKeys.from_text(f"{new},{old}")
    assert ring.current_id != before.current_id and ring.ids[1] == before.current_id
    assert ring.decrypt(token) == "Tjahjono"
    assert datakeys.key_id(ring.reencrypt(token)) == ring.current_id
    assert ring.indexes(PHONE) == [ring.index(PHONE), before.index(PHONE)]


def test_the_blind_index_is_keyed_and_stable():
    keys = DataKeys.from_text(datakeys.generate())
    assert keys.index(PHONE) == keys.index(PHONE) and PHONE[1:] not in keys.index(PHONE)
    assert keys.index(PHONE) != DataKeys.from_text(datakeys.generate()).index(PHONE)
    assert len(keys.index(PHONE)) == 32


def test_a_keyring_file_is_generated_owner_only_and_followed_when_it_changes(tmp_path):
    path = tmp_path / "instance" / "data_key"
    ring = DataKeys.from_file(path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    token = ring.encrypt("Sulastri")
    newer = datakeys.generate()
    datakeys.write_keyring(path, [newer, path.read_text().strip()])
    assert ring.decrypt(token) == "Sulastri"
    time.sleep(datakeys.RELOAD_SECONDS + 0.1)
    assert ring.current_id == DataKeys.from_text(newer).current_id
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_keyring_file_broken_later_keeps_the_last_good_keys(tmp_path, caplog):
    path = tmp_path / "instance" / "data_key"
    ring = DataKeys.from_file(path)
    token, kid = ring.encrypt("Sulastri"), ring.current_id
    path.write_text("not a key\n")
    time.sleep(datakeys.RELOAD_SECONDS + 0.1)
    assert ring.current_id == kid and ring.decrypt(token) == "Sulastri"
    assert "cannot be read" in caplog.text
    path.unlink()
    time.sleep(datakeys.RELOAD_SECONDS + 0.1)
    assert ring.current_id == kid and ring.decrypt(token) == "Sulastri"
