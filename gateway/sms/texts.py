"""The SMS dialogue's texts, per language (`gateway/sms/texts/<lang>.yaml`), Indonesian as
the fallback. Case notices to reporters live in `casebridge/texts` (see casebridge.notify)."""

from __future__ import annotations

from pathlib import Path

from casebridge.texts import LANGUAGES, Texts

__all__ = ["LANGUAGES", "catalogue", "lookup", "render"]


_texts = Texts(Path(__file__).parent / "texts", "SMS text")
catalogue = _texts.catalogue
lookup = _texts.lookup
render = _texts.render
