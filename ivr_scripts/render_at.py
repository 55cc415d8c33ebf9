"""A step as Africa's Talking voice XML (protocols.md A3.2), built with lxml.

AT's `<Say>` reads English only. A prompt with recordings is played from them, one `<Play>`
per file (a reference is a recording per digit); English without recordings is said. Text in
another language without recordings (an organisation's name, which no recording holds) is
left out, never read by the English voice: `pengaduan menus check` makes sure nothing else
lacks one. `<GetDigits>` and `<Record>` take one nested prompt: adjacent `<Say>` texts are
joined into that one prompt (so the caller can press a key while the whole menu is read);
earlier recordings come before it. AT has no hang-up verb: the call ends when the actions run
out.
"""

from __future__ import annotations

from lxml import etree

from .step import Gather, Play, Record, Reject, Say, Step
from .urls import audio_url, mark_no_input

SAY_VOICE = "woman"
SPOKEN_LANGUAGES = frozenset({"en"})


def _prompts(step: Step, audio_base_url: str) -> list[etree._Element]:
    """One element per speech item, adjacent `<Say>`s merged."""
    elements: list[etree._Element] = []
    for item in step.speech:
        files = (item.audio_file,) if isinstance(item, Play) else item.audio
        if files:
            elements.extend(etree.Element("Play", url=audio_url(audio_base_url, f)) for f in files)
        elif isinstance(item, Say) and item.lang not in SPOKEN_LANGUAGES:
            continue
        elif elements and elements[-1].tag == "Say":
            elements[-1].text = f"{elements[-1].text} {item.text}"
        else:
            say = etree.Element("Say", voice=SAY_VOICE)
            say.text = item.text
            elements.append(say)
    return elements


def to_at_xml(step: Step, callback_url: str, audio_base_url: str) -> str:
    """AT voice XML for a step; keys and recordings are posted to `callback_url`."""
    root = etree.Element("Response")
    action = step.action
    if isinstance(action, Reject):
        etree.SubElement(root, "Reject")
        return _serialise(root)
    prompts = _prompts(step, audio_base_url)
    if isinstance(action, Gather):
        root.extend(prompts[:-1])
        verb = etree.SubElement(
            root,
            "GetDigits",
            numDigits=str(action.num_digits),
            timeout=str(action.timeout),
            finishOnKey=action.finish_on_key,
            callbackUrl=callback_url,
        )
        verb.extend(prompts[-1:])
        # AT runs the next action, without telling us, when no key was pressed.
        etree.SubElement(root, "Redirect").text = mark_no_input(callback_url)
    elif isinstance(action, Record):
        root.extend(prompts[:-1])
        verb = etree.SubElement(
            root,
            "Record",
            finishOnKey=action.finish_on_key,
            maxLength=str(action.max_length),
            trimSilence="true",
            playBeep="true",
            callbackUrl=callback_url,
        )
        verb.extend(prompts[-1:])
    else:
        root.extend(prompts)
    return _serialise(root)


def _serialise(root: etree._Element) -> str:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")
