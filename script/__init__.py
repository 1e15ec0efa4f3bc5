"""The storyboard as text, pure (no Django): the rules a sequence is checked against, drafts of
saved rows, `@mentions`, language detection, and the animatic voices with their speaking rates."""
