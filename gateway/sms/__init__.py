"""The SMS channel, provider-neutral: inbound messages (`inbound.receive`, `inbound.delivery`),
the keyword and report-dialogue engine, caseworkers' commands, and its RQ jobs.

A provider adapter (gateway/providers/<name>/sms.py) turns its webhooks into
`casebridge.channel_events.InboundSms` / `DeliveryReport` and calls `gateway.sms.inbound`; it
is the only place that knows the provider's field names."""
