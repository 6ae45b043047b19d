import sys

from nanoiot.cli import main

sys.exit(main())
