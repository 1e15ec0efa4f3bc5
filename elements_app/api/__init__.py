"""The REST API of element libraries, elements, their media and @mention completion."""
