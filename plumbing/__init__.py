"""Shared plumbing, the bottom of the stack: live publishing and the live counters (Redis),
throttles, attempt limits, ranged and private file responses, upload and socket slots, the API's
error shape, parsers and shared serializer fields, URL converters and query parameters, and the
read-only admin base. It imports no app above it (see .importlinter)."""
