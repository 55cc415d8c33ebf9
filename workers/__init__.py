"""RQ jobs and queue wiring: intake → case, outbound messages, retries, periodic sweeps."""
