"""The object API: kinds, defaulting, validation, typed errors and the store-backed server."""
