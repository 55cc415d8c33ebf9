"""The Flask app: provider adapters, webhooks, SMS commands, org API, pages and the CLI."""
