"""Conversations written as data, one folder per channel, and the one runner that replays them."""
