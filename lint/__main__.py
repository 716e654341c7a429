"""`python -m textmend ...`: the same as the `textmend` command."""

from textmend.cli import command

command()
