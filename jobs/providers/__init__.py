"""Provider adapters: the one place that talks to a video model. Only `jobs` imports them."""
