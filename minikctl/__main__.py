import sys

from minikctl.cli.app import main

sys.exit(main())
