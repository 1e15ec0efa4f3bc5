"""The compiler, pure (no Django): a storyboard snapshot in, the request a provider receives out
(`compiler.storyboard.compile_request`), with each provider's capabilities and the price."""
