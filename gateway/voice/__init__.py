"""The voice line's provider-neutral side: call state, the engine's context over the
database, missed-call callbacks, end-of-call records, metrics and the audio files.

The provider adapters (`gateway/providers/twilio/voice.py`, `…/africastalking/voice.py`) turn
webhooks into `ivr_scripts.step.VoiceInput` and steps into XML; everything else is here."""
