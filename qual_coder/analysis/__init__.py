"""Analysis: pure functions from a project's rows to pandas DataFrames (matrices,
framework charts, co-occurrence, quotes). pandas is imported inside them."""
