"""``python -m statnn.bench``: see ``statnn.bench``."""

from statnn.bench import main

raise SystemExit(main())
