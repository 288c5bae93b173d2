"""Channels: thin adapters that turn incoming messages into engine events and replies into output."""
