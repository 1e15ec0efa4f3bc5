"""The prompt director (pure): `from director.direct import direct`."""
