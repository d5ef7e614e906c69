"""``python -m validator`` runs the plancheck command line."""

from validator.cli import main

if __name__ == "__main__":  # the desk's worker processes import this module again
    main()
