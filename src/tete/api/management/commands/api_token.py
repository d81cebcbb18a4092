"""`tete manage api_token EMAIL --name NAME [--write]`: print a new personal access token.

For scripts and tests; people make theirs on the "Tokens and calendar feed" page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tete.accounts.models import Person
from tete.api.actions import create_token


class Command(BaseCommand):
    help = "Make a personal access token for the REST API and print it (it is not shown again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person the token acts as.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--write", action="store_true", help="Allow writes (the default is read only)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person = Person.objects.get(email__iexact=options["email"].strip())
        except Person.DoesNotExist:
            raise CommandError(f"Nobody signs in with {options['email']!r}.") from None
        try:
            new = create_token(person, name=options["name"], can_write=options["write"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(new.secret)
