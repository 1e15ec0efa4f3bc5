"""Accounts: sign-up, log-in guarded against guessing and suspended users, password reset
throttled, API tokens. No models (Django's users)."""
