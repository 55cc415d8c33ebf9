"""Stand-in recordings of the Indonesian prompts, made with espeak-ng and sox.

    python -m ivr_scripts.make_audio [--lang id] [--force]

Writes every recording a language needs (`recordings.needed`: the `audio:` files prompts
name, and for a language Africa's Talking cannot speak the digits, list labels and status
words) into `ivr_scripts/audio/`, as 8 kHz mono mu-law WAV (G.711: what a phone call carries
anyway, at 8 kB a second). Synthetic speech is a placeholder: replace the files with human
recordings of the same words (see ivr_scripts/audio/README.md).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from .catalogue import AUDIO_DIR, load
from .recordings import needed
from .render_at import SPOKEN_LANGUAGES

ESPEAK_VOICES = {"id": "id", "en": "en-us"}
WORDS_PER_MINUTE = 140


def synthesise(text: str, lang: str, target: Path) -> None:
    """Speak `text` into a phone-quality WAV file."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(
            ["espeak-ng", "-v", ESPEAK_VOICES[lang], "-s", str(WORDS_PER_MINUTE), "-w", raw, text],
            check=True,
        )
        subprocess.run(
            ["sox", raw, "-r", "8000", "-c", "1", "-e", "u-law", target, "norm", "-3"], check=True
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", help="only this language (default: all)")
    parser.add_argument("--force", action="store_true", help="also remake existing files")
    args = parser.parse_args(argv)
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        parser.error("needs espeak-ng and sox (apt-get install espeak-ng sox)")
    catalogue, _ = load()
    for lang in [args.lang] if args.lang else catalogue.languages:
        files = needed(catalogue, lang, values=lang not in SPOKEN_LANGUAGES)
        for name, words in sorted(files.items()):
            target = AUDIO_DIR / name
            if target.exists() and not args.force:
                continue
            synthesise(words, lang, target)
            print(f"{target.name}: {words}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
