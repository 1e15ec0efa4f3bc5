"""Screening text against blocked terms, pure (no Django): normalised matching in linear time, the
verdict per field and the spans a moderator sees highlighted."""
