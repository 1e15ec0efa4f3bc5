"""The editor, the top of the stack: it composes the apps below into the project desk — the
timeline snapshot, the project WebSocket consumer, the editor and dashboard pages, the project,
sequence and shot endpoints (which bind dialogue speakers to elements), directing a prompt into a
project and the generation check."""
