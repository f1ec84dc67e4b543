"""`python -m dashboard.cli …`: the `ipgov` command without the console script (e.g. from a
checkout that is not the installed one)."""

from dashboard.cli import main

main()
