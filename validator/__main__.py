"""``python -m validator`` runs the plancheck command line."""

from validator.cli import main

main()
