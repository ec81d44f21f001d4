"""Exchange formats: YAML codebooks and REFI-QDA (.qdc codebooks, .qdpx projects)."""
