"""The case domain: cases, organisations, routing, intake, outbox.

No Flask, RQ or provider SDK is imported here."""
