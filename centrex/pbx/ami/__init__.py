"""Centrex's own asyncio Asterisk Manager Interface (AMI) client.

``protocol`` is the pure wire format (parser/encoder), ``client`` the asyncio client with
keep-alive and reconnection, ``sync`` blocking one-shot helpers for management commands.
"""

from .client import (
    AMIAuthError,
    AMIClient,
    AMIConnectionError,
    AMIError,
    AMITimeout,
    ConnectCallback,
    EventCallback,
)
from .protocol import Message, Parser, encode_action, encode_message
from .sync import ping, run_action, run_action_list, run_command

__all__ = [
    "AMIAuthError",
    "AMIClient",
    "AMIConnectionError",
    "AMIError",
    "AMITimeout",
    "ConnectCallback",
    "EventCallback",
    "Message",
    "Parser",
    "encode_action",
    "encode_message",
    "ping",
    "run_action",
    "run_action_list",
    "run_command",
]
