"""Settings package: `base` (environment-driven, embedded defaults), `production`, `test`."""
