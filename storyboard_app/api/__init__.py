"""The REST API of projects, sequences, shots and the timeline (docs/API.md)."""
