"""The REST API of projects, sequences, shots and the timeline (shared/API.md)."""
