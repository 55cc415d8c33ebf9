"""The referral packet: one case on paper for legal aid or a ministry (reporter, worker,
problem, parties, referrals, timeline, who holds it), made with fpdf2."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from fpdf import FPDF
from fpdf.fonts import FontFace

from .. import places, taxonomy, texts

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
"""Where a Unicode font (DejaVu Sans) is looked for; without one, the PDF falls back to
Helvetica and characters outside Latin-1 become `?`."""
FAMILY = "PacketSans"
HEADING = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


@cache
def labels(lang: str) -> dict[str, Any]:
    data = yaml.safe_load((files(__package__) / "labels.yaml").read_text(encoding="utf-8"))
    return data.get(lang) or data[texts.DEFAULT_LANGUAGE]


@cache
def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Packet(FPDF):
    def __init__(self, footer_text: str, unicode: bool):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.unicode = unicode

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.font_family, size=8)
        self.cell(
            0, 6, self.safe(self.footer_text.replace("{page}", str(self.page_no()))), align="C"
        )

    def safe(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")


def _yes(value: bool | None, lab: dict) -> str:
    return lab["yes"] if value else lab["no"]


def _or_none(value: Any, lab: dict) -> str:
    return lab["none"] if value in (None, "") else str(value)


def _province(code: str | None) -> str | None:
    province = places.province(code) if code else None
    return f"{province.name} ({code})" if province else code


def _rows(view: dict[str, Any], lang: str, holder: str | None) -> dict[str, list[tuple]]:
    lab, f = labels(lang), labels(lang)["fields"]
    reporter, worker = view["reporter"], view["worker"]
    return {
        "case": [
            (f["status"], texts.status_word(view["status"], lang)),
            (f["overdue"], _yes(view["overdue"], lab)),
            (f["category"], taxonomy.category_label(view["category"], lang)),
            (f["channel"], view["channel"]),
            (f["created_at"], view["created_at"]),
            (f["holder"], holder or lab["nobody"]),
            (f["consent"], _yes(view["consent_to_share"], lab)),
        ],
        "reporter": [
            (f["name"], reporter["name"]),
            (f["relationship"], taxonomy.relationship_label(reporter["relationship"], lang)),
            (f["phone"], reporter["phone"]),
            (f["language"], reporter["language"]),
            (f["sms_safe"], _yes(reporter["sms_safe"], lab)),
            (f["opted_out"], _yes(reporter["opted_out"], lab)),
        ],
        "worker": [
            (f["name"], worker["name"]),
            (f["gender"], taxonomy.gender_label(worker["gender"], lang)),
            (f["phone"], worker["phone"]),
            (
                f["country"],
                taxonomy.country_name(worker["country"], lang) if worker["country"] else None,
            ),
            (f["province"], _province(worker["province"])),
            (f["regency"], worker["regency"]),
        ],
        "problem": [
            (f["category"], taxonomy.category_label(view["category"], lang)),
            (f["description"], view["description"]),
        ],
    }


WIDTHS = {
    "parties": (1.2, 1.6, 1.6, 1, 2.6),
    "referrals": (1.7, 1.1, 1.1, 2.8, 1.3),
    "timeline": (1.7, 1.5, 1.6, 3.2),
}


def _tables(view: dict[str, Any], lang: str) -> dict[str, tuple[tuple, list[tuple]]]:
    lab, f = labels(lang), labels(lang)["fields"]
    return {
        "parties": (
            (f["role"], f["name"], f["contact"], f["cooperative"], f["note"]),
            [
                (
                    lab["roles"].get(p["role"], p["role"]),
                    p["name"],
                    p["contact"],
                    lab["cooperative"].get(p["cooperative"], p["cooperative"]),
                    p["note"],
                )
                for p in view["parties"]
            ],
        ),
        "referrals": (
            (f["at"], f["from"], f["to"], f["reason"], f["state"]),
            [
                (
                    r["at"],
                    r["from"],
                    r["to"],
                    r["reason"],
                    lab["referral_states"].get(r["state"], r["state"]),
                )
                for r in view["referrals"]
            ],
        ),
        "timeline": (
            (f["at"], f["kind"], f["actor"], f["note"]),
            [
                (
                    e["at"],
                    e["kind"] + (f" -> {e['to_status']}" if e["to_status"] else ""),
                    e["actor"],
                    e["note"],
                )
                for e in view["timeline"]
            ],
        ),
    }


def packet(
    view: dict[str, Any], generated_at: str, by: str, holder: str | None, lang: str = "id"
) -> bytes:
    """The PDF of a case view (`casebridge.caseview.full`); `holder` names who holds it."""
    lab = labels(lang)
    ref = view["reference"]
    fonts = _font_files()
    pdf = _Packet(lab["footer"].format(ref=ref, page="{page}"), unicode=fonts is not None)
    if fonts:
        pdf.add_font(FAMILY, "", str(fonts[0]))
        pdf.add_font(FAMILY, "B", str(fonts[1]))
        family = FAMILY
    else:
        family = "helvetica"
    pdf.set_title(lab["title"].format(ref=ref))
    pdf.set_creator("Pengaduan Gateway")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.cell(0, 10, pdf.safe(lab["title"].format(ref=ref)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=9)
    pdf.multi_cell(0, 5, pdf.safe(lab["generated"].format(at=generated_at, by=by)), align="L")
    pdf.ln(2)

    def heading(key: str) -> None:
        pdf.ln(3)
        pdf.set_font(family, "B", 12)
        pdf.cell(0, 8, pdf.safe(lab["sections"][key]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=9)

    for key, pairs in _rows(view, lang, holder).items():
        heading(key)
        with pdf.table(col_widths=(1, 3), first_row_as_headings=False, text_align="LEFT") as t:
            for label, value in pairs:
                row = t.row()
                row.cell(pdf.safe(label), style=HEADING)
                row.cell(pdf.safe(_or_none(value, lab)))
    for key, (headers, rows) in _tables(view, lang).items():
        heading(key)
        if not rows:
            pdf.cell(0, 6, lab["none"], new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(col_widths=WIDTHS[key], headings_style=HEADING, text_align="LEFT") as t:
            t.row([pdf.safe(h) for h in headers])
            for values in rows:
                t.row([pdf.safe(_or_none(v, lab)) for v in values])
    return bytes(pdf.output())
