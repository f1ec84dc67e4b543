"""`python -m etl.gate --write-suites`: regenerate expectations/ from the schemas."""

import sys

from etl.gate.suites import main

sys.exit(main())
