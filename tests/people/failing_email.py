"""An email backend whose server is down, to test how sending failures are reported."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")
