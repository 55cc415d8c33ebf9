"""`check()`: the shipped scripts are sound, and broken ones are explained."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivr_scripts.catalogue import AUDIO_DIR, PROMPTS_DIR
from ivr_scripts.check import check
from ivr_scripts.script import SCRIPTS_DIR


def test_the_shipped_scripts_have_no_problems():
    assert check() == []


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """Writable copies of the shipped scripts, prompts and recordings."""
    for source, name in ((SCRIPTS_DIR, "scripts"), (PROMPTS_DIR, "prompts"), (AUDIO_DIR, "audio")):
        shutil.copytree(source, tmp_path / name)
    return tmp_path


def run(root: Path) -> list[str]:
    return check(root / "scripts", root / "prompts", root / "audio")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_copy_is_fine(copy):
    assert run(copy) == []


BREAKAGES = [
    (
        "report.yaml",
        '"1": {set: {sms_safe: true}, next: report_record}',
        '"1": {set: {sms_safe: true}, next: report_recod}',
        "report.yaml: node 'report_sms', key 1: leads to 'report_recod', which does not exist",
    ),
    (
        "report.yaml",
        "    next: report_relationship\n",
        "",
        "report.yaml: node 'report_country': has no 'next:' (the node to go to next)",
    ),
    (
        "main.yaml",
        '      "7": {action: next_language}',
        '      "9": {action: next_language}',
        "main.yaml: node 'main': key '9' cannot be used (use 1-8 or *; 9 repeats, 0 goes back)",
    ),
    (
        "main.yaml",
        '      "3": rights',
        "",
        "main.yaml: node 'rights' cannot be reached from 'main'",
    ),
    (
        "status.yaml",
        "    type: pin",
        "    type: pim",
        "status.yaml: node 'status_pin': type must be one of menu, list, info, reference, pin, "
        "record, end (got 'pim')",
    ),
    (
        "report.yaml",
        '      "2": {set: {relationship: other}, next: report_sms}',
        '      "2": {set: {relationship: cousin}, next: report_sms}',
        "report.yaml: node 'report_relationship', key 2: 'cousin' is not a valid relationship",
    ),
    (
        "main.yaml",
        "    say: [rights_info, hotlines]",
        "    say: [rights_info, hotline]",
        "main.yaml: node 'rights': prompt 'hotline' is missing in id.yaml",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "problem"), BREAKAGES)
def test_a_broken_script_is_explained(copy, file, old, new, problem):
    edit(copy / "scripts" / file, old, new)
    assert problem in run(copy)


def test_a_menu_without_keys_has_no_way_forward(copy):
    (copy / "scripts" / "extra.yaml").write_text(
        "nodes:\n  lonely:\n    type: menu\n    say: [goodbye]\n", encoding="utf-8"
    )
    problems = run(copy)
    assert "extra.yaml: node 'lonely': a menu without keys has no way forward" in problems
    assert "extra.yaml: node 'lonely' cannot be reached from 'main'" in problems


def test_a_prompt_missing_in_one_language(copy):
    edit(
        copy / "prompts" / "en.yaml",
        '  hotlines: "Helpline numbers.',
        '  hotline: "Helpline numbers.',
    )
    problems = run(copy)
    assert "main.yaml: node 'rights': prompt 'hotlines' is missing in en.yaml" in problems
    assert "id.yaml: prompt 'hotline' is missing (other languages have it)" in problems


def test_an_engine_prompt_missing(copy):
    edit(copy / "prompts" / "en.yaml", "  wrong_key:", "  wrong_keys:")
    assert "the engine: prompt 'wrong_key' is missing in en.yaml" in run(copy)


def test_a_missing_recording(copy):
    (copy / "audio" / "goodbye_id.wav").unlink()
    assert (
        f"id.yaml: prompt 'goodbye': audio file 'goodbye_id.wav' is not in {copy / 'audio'}"
        in run(copy)
    )


def test_placeholders_must_be_known_and_the_same_in_every_language(copy):
    edit(copy / "prompts" / "en.yaml", "Once more: {reference}.", "Once more: {referense}.")
    problems = run(copy)
    assert any(
        "en.yaml: prompt 'reference_again': unknown placeholder {referense}" in p for p in problems
    )
    assert any("en.yaml: prompt 'reference_again': placeholders differ" in p for p in problems)


def test_a_prompt_with_placeholders_has_one_recording_per_part(copy):
    edit(
        copy / "prompts" / "id.yaml",
        "    audio: [pin_is_id.wav, pin_keep_id.wav]",
        "    audio: [pin_is_id.wav]",
    )
    assert (
        "id.yaml: prompt 'pin_is': needs 2 recording(s), one for each part between "
        "{placeholders} (PIN Anda: | Simpan nomor dan PIN ini.), not 1"
    ) in run(copy)


ENGLISH = "so Africa's Talking would read it with its English voice"


def test_an_indonesian_prompt_without_a_recording_is_named(copy):
    edit(copy / "prompts" / "id.yaml", "    audio: [tekan_id.wav]\n", "")
    assert f"id.yaml: prompt 'list_item' has no recording (audio:), {ENGLISH}" in run(copy)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("digit_7_id.wav", "7"),
        ("category_unpaid_wages_id.wav", "Gaji tidak dibayar"),
        ("category_deportation_id.wav", "Dideportasi atau dipulangkan paksa"),
        ("country_sa_id.wav", "Arab Saudi"),
        ("status_in_progress_id.wav", "sedang ditangani"),
    ],
)
def test_a_value_without_a_recording_is_named(copy, name, words):
    (copy / "audio" / name).unlink()
    assert f"id: {words!r} has no recording {name!r} in {copy / 'audio'}, {ENGLISH}" in run(copy)


def test_the_offer_of_english_in_an_indonesian_call_needs_a_recording(copy):
    edit(copy / "prompts" / "en.yaml", "    audio: language_offer_en.wav\n", "")
    assert (
        "main.yaml: node 'main': prompt 'language_offer' of en.yaml is heard in id calls "
        f"and has no recording (audio:), {ENGLISH}"
    ) in run(copy)


def test_a_sentence_with_an_organisation_name_needs_none(copy):
    assert not any("status_organisation" in p or "report_organisation" in p for p in run(copy))


def test_broken_yaml_is_reported_not_raised(copy):
    (copy / "scripts" / "status.yaml").write_text("nodes: [unclosed", encoding="utf-8")
    problems = run(copy)
    assert any(p.startswith("status.yaml: not valid YAML") for p in problems)
    assert (
        "main.yaml: node 'main', key 2: leads to 'status_reference', which does not exist"
        in problems
    )


def test_an_unknown_label_code(copy):
    edit(copy / "prompts" / "id.yaml", "    illness:", "    ilness:")
    assert "id.yaml: labels.categories: 'ilness' is not in the list" in run(copy)


def test_a_broken_placeholder(copy):
    edit(copy / "prompts" / "id.yaml", "Sekali lagi: {reference}.", "Sekali lagi: {reference.")
    problems = run(copy)
    assert any(
        p.startswith("id.yaml: prompt 'reference_again': broken {placeholder}") for p in problems
    )
    assert (
        "report.yaml: node 'report_done': prompt 'reference_again' is missing in id.yaml"
        in problems
    )
