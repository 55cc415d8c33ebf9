"""What options and input screens can make the engine do (`action:` in a menu file).

Each action gets the hop, the state, the screen to go to next, where its other outcomes go
(`outcomes:`), and a value (the option's `value`, or what the input validator normalised).
"""

from __future__ import annotations

from collections.abc import Callable

from .answers import answers_for_ctx
from .context import CaseStatus, SubmitError
from .menu import Outcome
from .navigation import MAIN, RESUME, Hop, go, unfinished
from .screens import Screen
from .sources import case_carry, display_ref

Outcomes = dict[str, Outcome]
Action = Callable[[Hop, dict, str | None, Outcomes, str | None], tuple[dict, Screen]]


def _outcome(hop: Hop, state: dict, outcomes: Outcomes, name: str, carry=None):
    found = outcomes.get(name)
    if found is None:
        return go(hop, state, MAIN, how="home")
    return go(hop, state, found.next, carry=carry, note=found.note)


def _forget_report(state: dict) -> None:
    state["ans"] = {}
    state["edit"] = False
    state.pop("rep", None)


def start_report(hop, state, next_, outcomes, value):
    """Begin a report, or first offer to continue the unfinished one."""
    if unfinished(state, hop.menu):
        return go(hop, state, RESUME, carry={"then": next_})
    _forget_report(state)
    return go(hop, state, next_ or MAIN)


def resume(hop, state, next_, outcomes, value):
    """Go back to where the unfinished report stopped, with its way back."""
    stopped = state.pop("rep", None) or {"at": next_ or MAIN, "back": []}
    state["edit"] = bool(stopped.get("edit"))
    return go(hop, state, stopped["at"], how="restore", back=stopped["back"])


def discard(hop, state, next_, outcomes, value):
    """Forget the unfinished report and start over."""
    then = state["tmp"].get("then")
    _forget_report(state)
    return go(hop, state, then or next_ or MAIN)


def language(hop, state, next_, outcomes, value):
    """Switch the language at once and remember it for this phone."""
    if value in hop.menu.languages:
        hop.ctx.set_language(state["phone"], value)
        state["lang"] = value
    return go(hop, state, next_ or MAIN, how="home")


def submit(hop, state, next_, outcomes, value):
    """Hand the report over; on failure keep it so the person can try again."""
    try:
        done = hop.ctx.submit(answers_for_ctx(state["ans"]), state["phone"], state["lang"])
    except SubmitError:
        return _outcome(hop, state, outcomes, "failed")
    carry = {
        "ref": display_ref(done.reference),
        "pin": done.pin,
        "org": done.organisation,
        "sms": state["ans"].get("sms_safe") is not False,
    }
    _forget_report(state)
    return go(hop, state, next_ or MAIN, carry=carry)


def cancel(hop, state, next_, outcomes, value):
    """Drop the report: nothing is saved."""
    _forget_report(state)
    return go(hop, state, next_ or MAIN)


def _found(hop, state, next_, outcomes, case, not_found: str, carry=None):
    if case == "locked":
        return _outcome(hop, state, outcomes, "locked")
    if isinstance(case, CaseStatus):
        return go(hop, state, next_ or MAIN, carry=case_carry(case))
    return _outcome(hop, state, outcomes, not_found, carry)


def lookup(hop, state, next_, outcomes, value):
    """A typed reference: from the reporter's own phone no PIN is needed."""
    case = hop.ctx.lookup(value, None, state["phone"])
    return _found(hop, state, next_, outcomes, case, "need_pin", {"ref": value})


def lookup_pin(hop, state, next_, outcomes, value):
    """The reference typed before, with its PIN. Unknown and wrong PIN look the same."""
    reference = state["tmp"].get("ref")
    if not reference:
        return _outcome(hop, state, outcomes, "no_match")
    case = hop.ctx.lookup(reference, value, state["phone"])
    return _found(hop, state, next_, outcomes, case, "no_match")


ACTIONS: dict[str, Action] = {
    "start_report": start_report,
    "resume": resume,
    "discard": discard,
    "language": language,
    "submit": submit,
    "cancel": cancel,
    "lookup": lookup,
    "lookup_pin": lookup_pin,
}
"""Actions by the name menu files use."""
