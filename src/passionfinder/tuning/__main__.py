"""``python -m passionfinder.tuning``: retrain the O*NET adapter (docs/tuning.md)."""

from .._model.tuning import main

raise SystemExit(main())
