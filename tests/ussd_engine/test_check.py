"""`check()`: the shipped menus are clean, and each kind of mistake is reported."""

import shutil
from pathlib import Path

import pytest

import ussd_menus
from ussd_menus.check import check

SHIPPED = Path(ussd_menus.__file__).parent


def test_shipped_menus_have_no_problems():
    assert check() == []


@pytest.fixture
def menus(tmp_path: Path) -> Path:
    for folder in ("menus", "texts"):
        shutil.copytree(SHIPPED / folder, tmp_path / folder)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


LONG = "Ketik nama pekerja yang sedang bekerja di luar negeri " * 4
BROKEN = [
    (
        "texts/en.yaml",
        'text: "Type the worker\'s name:"',
        f'text: "{LONG}"',
        "en: screen 'worker_name' is 2",
    ),
    (
        "texts/id.yaml",
        'text: "Siapa yang melapor?"',
        'text: "Siapa yang melapor’?"',
        "id: screen 'who' has non-GSM-7 characters: '’'",
    ),
    (
        "menus/report.yaml",
        "    validate: name\n    answer: worker_name\n    next: gender",
        "    validate: name\n    answer: worker_name\n    next: gendre",
        "screen 'worker_name' next goes to missing screen 'gendre'",
    ),
    (
        "menus/report.yaml",
        "    validate: name\n    answer: worker_name\n    next: gender",
        "    validate: name\n    answer: worker_name",
        "screen 'worker_name' is a dead end",
    ),
    (
        "menus/info.yaml",
        "      - {label: hotlines, next: info_hotlines}\n",
        "",
        "screen 'info_hotlines' cannot be reached from the main menu",
    ),
    (
        "texts/en.yaml",
        '  male: "Male"\n',
        "",
        "en: text 'gender.male' is missing",
    ),
    (
        "texts/id.yaml",
        '  sms_off: "tidak"\n',
        '  sms_off: "tidak"\n  extra: "lagi"\n',
        "en: text 'summary.extra' is missing (it is in id)",
    ),
    (
        "menus/main.yaml",
        "      - {label: status, next: status}",
        "      - {label: status, nxt: status}",
        "unknown field 'nxt'",
    ),
    (
        "menus/status.yaml",
        "      need_pin: status_pin\n",
        "",
        "screen 'status_ref' action 'lookup' needs an outcome 'need_pin'",
    ),
    (
        "texts/id.yaml",
        'text: "Ketik nama pekerja:"',
        'text: "Ketik nama {pekerja}:"',
        "id: screen 'worker_name' uses unknown {pekerja}",
    ),
    (
        "menus/report.yaml",
        "{label: female, set: {gender: female}",
        "{label: female, set: {gender: woman}",
        "sets gender to unknown 'woman'",
    ),
    (
        "texts/en.yaml",
        'safe: "Yes, safe"',
        "safe: yes",
        "en: text 'sms.safe' is not a text (put it in double quotes)",
    ),
    (
        "menus/report.yaml",
        "flow: report",
        "flow: report\n  oops: [",
        "report.yaml: cannot be read",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), BROKEN, ids=[b[3][:40] for b in BROKEN]
)
def test_each_mistake_is_reported(menus, file, old, new, expected):
    assert check(menus) == []
    edit(menus / file, old, new)
    problems = check(menus)
    assert any(expected in p for p in problems), problems


def test_a_missing_language_text_is_reported_in_the_other_language(menus):
    edit(menus / "texts" / "id.yaml", '  skip: "Lewati"\n', "")
    problems = check(menus)
    assert "id: text 'common.skip' is missing" in problems
    assert "id: text 'common.skip' is missing (it is in en)" in problems


def test_a_file_that_does_not_parse_is_the_only_problem_reported(menus):
    edit(menus / "texts" / "id.yaml", 'nav: "0.', 'nav: ""0.')
    problems = check(menus)
    assert len(problems) == 1, problems
    assert problems[0].startswith("id.yaml: cannot be read") and "line 16" in problems[0]
