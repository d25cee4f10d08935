"""Centrex: an open-source IP-PBX and contact-center platform that drives a real Asterisk."""

__version__ = "0.1.0"
