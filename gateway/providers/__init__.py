"""Provider adapters, one package each (`africastalking`, `twilio`, `android`, `simulator`):
`base` is what they share, `registry` names every one of them."""
