"""Web pages: the phone simulator (training, demos) and the coordinators' dashboard."""
