"""The USSD line's provider-neutral side: sessions in Redis, the engine's context over the
database, retry detection, end-of-session records and metrics.

A provider adapter (`gateway/providers/africastalking/ussd.py`) turns a webhook into a
`casebridge.channel_events.UssdHop`, calls `hop.answer`, and renders the `Screen` it gets back."""
