"""The voice engine: (state, input) -> (new state, step), walking the shipped scripts.

Pure apart from the calls it makes on the `VoiceContext` (submit, lookups, language). The
state is a small JSON-serialisable dict (see `new_state`); the input state is never mutated.
Everywhere the caller can press 9 to hear the prompt again and 0 to go back; no input or a
wrong key gets one second chance with a short hint, then a polite goodbye.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from casebridge import refs, texts

from . import catalogue, lists, recordings, script
from .catalogue import Catalogue, Spoken, Value, spell_digits
from .context import SubmitError, VoiceContext
from .script import BACK_KEY, MORE_KEY, REPEAT_KEY, Node, PromptRef, Script
from .step import Gather, Hangup, Record, Say, Step, VoiceInput

MAX_MISSES = 2
ENTRY_DIGITS = {"reference": 8, "pin": 4}
# Prompts the engine itself speaks; `check()` makes sure every language has them.
ENGINE_PROMPTS = (
    "nav",
    "nav_root",
    "list_item",
    "list_more",
    "list_restart",
    "no_input",
    "wrong_key",
    "bad_reference",
    "bad_pin",
    "not_found",
    "record_again",
    "goodbye",
    "status_unknown",
)


def new_state(phone: str, lang: str, node: str) -> dict:
    """The state of a call that has just reached `node`."""
    return {
        "phone": phone,
        "lang": lang,
        "node": node,
        "page": 0,  # page of a spoken list
        "stack": [],  # nodes to go back to with 0
        "misses": 0,  # no input / wrong keys in a row at this node
        "answers": {},  # category, country, relationship, sms_safe…
        "reference": None,  # the reference typed for a status check (8 digits)
        "case": None,  # {reference, status, organisation} once looked up
        "submission": None,  # {reference, pin, organisation} once the report is stored
        "recording": None,  # {url, duration} kept when storing the report failed
        "ended": False,
    }


def start(phone: str, lang: str, ctx: VoiceContext) -> tuple[dict, Step]:
    """A new call: the greeting and the main menu in `lang` (Indonesian when unknown)."""
    scr, cat = script.shipped(), catalogue.shipped()
    lang = lang if lang in cat.languages else cat.languages[0]
    call = _Call(new_state(phone, lang, scr.start or ""), ctx, scr, cat)
    return call.state, call.render(greeting=True)


def step(state: dict, inp: VoiceInput, ctx: VoiceContext) -> tuple[dict, Step]:
    """The next step of a call after the caller's input."""
    call = _Call(copy.deepcopy(state), ctx, script.shipped(), catalogue.shipped())
    return call.state, call.handle(inp)


def farewell(lang: str | None = None) -> Step:
    """Just the polite goodbye, then hang up: for a request the service cannot follow."""
    cat = catalogue.shipped()
    lang = lang if lang in cat.languages else cat.languages[0]
    item = cat.speech("goodbye", lang, {})
    return Step(lang, (item,) if item is not None else (), Hangup())


def _no_input(inp: VoiceInput) -> bool:
    return inp.timed_out or not (inp.digits or "").strip()


@dataclass
class _Call:
    state: dict
    ctx: VoiceContext
    script: Script
    catalogue: Catalogue

    @property
    def node(self) -> Node:
        return self.script.nodes[self.state["node"]]

    @property
    def lang(self) -> str:
        return self.state["lang"]

    # --- input -----------------------------------------------------------------------

    def handle(self, inp: VoiceInput) -> Step:
        if self.state.get("ended"):
            return Step(self.lang, (), Hangup())
        if self.state.get("node") not in self.script.nodes:  # the scripts changed mid-call
            self.state.update(node=self.script.start, page=0, stack=[], misses=0)
            return self.render()
        node = self.node
        if node.type == "record":
            return self.on_recording(node, inp)
        if _no_input(inp):
            return self.miss("no_input")
        digits = (inp.digits or "").strip()
        if digits == REPEAT_KEY:
            self.state["misses"] = 0
            return self.render()
        if digits == BACK_KEY:
            return self.back()
        handler = {
            "menu": self.on_menu,
            "list": self.on_list,
            "reference": self.on_reference,
            "pin": self.on_pin,
        }.get(node.type)
        return handler(node, digits) if handler else self.miss("wrong_key")

    def on_menu(self, node: Node, digits: str) -> Step:
        target = node.keys.get(digits)
        if target is None:
            return self.miss("wrong_key")
        self.state["answers"].update(target.set)
        if target.action == "next_language":
            self.state["lang"] = self.catalogue.next_language(self.lang)
            self.ctx.set_language(self.state["phone"], self.lang)
        return self.goto(target.next or node.name)

    def on_list(self, node: Node, digits: str) -> Step:
        items = lists.options(node.source or "", self.lang, self.catalogue, node.other)
        pages = lists.page_count(len(items), node.page_size)
        if digits == MORE_KEY and pages > 1:
            self.state.update(page=(self.state["page"] + 1) % pages, misses=0)
            return self.render()
        shown = lists.page(items, self.state["page"], node.page_size)
        if not (digits.isdigit() and 1 <= int(digits) <= len(shown)):
            return self.miss("wrong_key")
        self.state["answers"][node.answer] = shown[int(digits) - 1][0]
        return self.goto(node.goto["next"])

    def on_reference(self, node: Node, digits: str) -> Step:
        reference = refs.normalise(digits)
        if reference is None or not refs.is_valid(reference):
            return self.miss("bad_reference")
        self.state["reference"] = reference
        case = self.ctx.lookup(reference, self.state["phone"])
        if case is None:
            return self.goto(node.goto["not_found"])
        return self.found(node, case)

    def on_pin(self, node: Node, digits: str) -> Step:
        if len(digits) != ENTRY_DIGITS["pin"] or not digits.isdigit():
            return self.miss("bad_pin")
        if not self.state.get("reference"):
            return self.back()
        result = self.ctx.lookup_with_pin(self.state["reference"], digits, self.state["phone"])
        if result == "locked":
            return self.goto(node.goto["locked"])
        if result is None:
            return self.miss("not_found")
        return self.found(node, result)

    def found(self, node: Node, case) -> Step:
        self.state["case"] = {
            "reference": refs.normalise(case.reference) or self.state["reference"],
            "status": case.status,
            "organisation": case.organisation,
        }
        return self.goto(node.goto["found"])

    def on_recording(self, node: Node, inp: VoiceInput) -> Step:
        url, duration = inp.recording_url, inp.recording_duration
        if not url or (duration is not None and duration <= 0):
            if self.state["misses"] < MAX_MISSES - 1:
                self.state["misses"] += 1
                return self.render(hint="record_again")
            url, duration = None, None  # keep what was answered: open the case without it
        answers = {"relationship": "self", **self.state["answers"]}
        try:
            sub = self.ctx.submit(answers, self.state["phone"], self.lang, url, duration)
        except SubmitError:
            self.state["recording"] = {"url": url, "duration": duration}
            return self.goto(node.goto["failed"])
        self.state["submission"] = {
            "reference": refs.normalise(sub.reference) or sub.reference,
            "pin": sub.pin,
            "organisation": sub.organisation,
        }
        return self.goto(node.goto["done"])

    # --- moves -----------------------------------------------------------------------

    def goto(self, name: str) -> Step:
        stack, current = self.state["stack"], self.state["node"]
        if name in stack:  # going to a node we came through: forget the detour
            del stack[stack.index(name) :]
        elif name != current:
            stack.append(current)
        self.state.update(node=name, page=0, misses=0)
        return self.render()

    def back(self) -> Step:
        if self.node.type == "list" and self.state["page"] > 0:
            self.state["page"] -= 1
        elif self.state["stack"]:
            self.state.update(node=self.state["stack"].pop(), page=0)
        self.state["misses"] = 0
        return self.render()

    def miss(self, hint: str) -> Step:
        self.state["misses"] += 1
        if self.state["misses"] >= MAX_MISSES:
            self.state["ended"] = True
            refs_ = (PromptRef(hint), PromptRef("goodbye"))
            return Step(self.lang, self.speech(refs_), Hangup())
        return self.render(hint=hint)

    # --- output ----------------------------------------------------------------------

    def render(self, *, hint: str | None = None, greeting: bool = False) -> Step:
        """The current node's step, optionally after a hint or the greeting."""
        node, page = self.node, self.state["page"]
        refs_ = [PromptRef(hint)] if hint else []
        if greeting:
            refs_.extend(self.script.greeting)
        if node.type != "list" or page == 0:
            refs_.extend(node.say)
        speech = list(self.speech(refs_))
        if node.type == "list":
            speech.extend(self.list_page(node, page))
        if node.type in ("menu", "list", "info"):
            at_root = node.name == self.script.start and not self.state["stack"]
            speech.extend(self.speech([PromptRef("nav_root" if at_root else "nav")]))
        if node.type == "end":
            self.state["ended"] = True
        return Step(self.lang, tuple(speech), self.action(node))

    def list_page(self, node: Node, page: int) -> list:
        source, lang = node.source or "", self.lang
        items = lists.options(source, lang, self.catalogue, node.other)
        speech = [
            self.catalogue.speech(
                "list_item",
                lang,
                {
                    "label": recordings.option(
                        source, code, label, lang, self.catalogue, node.other
                    ),
                    "key": recordings.digits(str(i), lang),
                },
            )
            for i, (code, label) in enumerate(lists.page(items, page, node.page_size), start=1)
        ]
        if lists.page_count(len(items), node.page_size) > 1:
            last = page == lists.page_count(len(items), node.page_size) - 1
            speech.extend(self.speech([PromptRef("list_restart" if last else "list_more")]))
        return speech

    def action(self, node: Node) -> Gather | Record | Hangup:
        if node.type == "end":
            return Hangup()
        if node.type == "record":
            return Record(max_length=node.max_length, finish_on_key="#", timeout=node.timeout)
        return Gather(ENTRY_DIGITS.get(node.type, 1), node.timeout, "#")

    def speech(self, refs_: list[PromptRef] | tuple[PromptRef, ...]) -> tuple:
        values = self.values()
        items = []
        for ref in refs_:
            lang = self.catalogue.next_language(self.lang) if ref.lang == "next" else self.lang
            item = self.catalogue.speech(ref.key, lang, values)
            if item is not None:
                items.append(item)
        return tuple(items)

    def values(self) -> dict[str, Value]:
        """Placeholder values: the reference and PIN spelt digit by digit, the status word,
        each with its recordings (an organisation's name has none)."""
        sub = self.state.get("submission") or {}
        case = self.state.get("case") or {}
        reference = sub.get("reference") or case.get("reference")
        pin = sub.get("pin")
        return {
            "reference": self.digits(reference) if reference else None,
            "pin": self.digits(pin) if pin else None,
            "status": self.status_word(case["status"]) if case.get("status") else None,
            "organisation": case.get("organisation") or sub.get("organisation"),
        }

    def digits(self, value: str) -> Spoken:
        return recordings.digits(value, self.lang, spell_digits(value))

    def status_word(self, status: str) -> Spoken:
        """The neutral status word shared with the SMS texts (`casebridge/texts`)."""
        try:
            word = texts.status_word(status, self.lang)
        except KeyError:
            unknown = self.catalogue.speech("status_unknown", self.lang, {})
            if isinstance(unknown, Say):
                return Spoken(unknown.text, unknown.audio)
            return Spoken(status)
        return Spoken(word, (recordings.status_file(status, self.lang),))
