"""Tests of the voice engine, its renderers and its checks."""
