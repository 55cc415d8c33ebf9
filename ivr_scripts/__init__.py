"""Voice line scripts (data) and the pure engine that walks them.

    from ivr_scripts.engine import start, step
    from ivr_scripts.render_twiml import to_twiml
    from ivr_scripts.render_at import to_at_xml

    state, turn = start(phone, lang, ctx)            # a new call
    state, turn = step(state, VoiceInput(...), ctx)  # after each input
    to_twiml(turn, action_url, audio_base_url)       # Twilio
    to_at_xml(turn, callback_url, audio_base_url)    # Africa's Talking

`step.py` holds the data classes (`Step`, `VoiceInput`…), `context.py` the `VoiceContext`
protocol, `check.py` the `check()` used by `pengaduan menus check`. Nothing is re-exported
here, so `ivr_scripts.step` stays the module. See README.md for the data files and the state.
"""
