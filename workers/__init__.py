"""RQ jobs: intake → case, outbound messages, forwarding, periodic sweeps. `queues` names every
job and is the one way to enqueue; `runtime` holds what the jobs are handed at start."""
