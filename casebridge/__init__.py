"""The case domain: cases, organisations, places and routing, intake and assignment, the
timeline, who sees what, the outbox and forwarding (one retry machine), texts, exports.

No Flask, RQ or provider SDK is imported here."""
