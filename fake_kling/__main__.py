"""`python -m fake_kling`: run the fake Kling server in the foreground until interrupted."""

import argparse
import signal
import threading

from fake_kling.server import DEFAULT_ELEMENT_SECONDS, DEFAULT_PROCESSING_SECONDS, FakeKling


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fake_kling", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--api-key", default="test-api-key")
    parser.add_argument("--access-key", default="test-access-key")
    parser.add_argument("--secret-key", default="test-secret-key")
    parser.add_argument("--webhook-secret", default=None, help="whsec_... to sign callbacks")
    parser.add_argument(
        "--processing",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        default=DEFAULT_PROCESSING_SECONDS,
        help="seconds a video task takes, drawn between MIN and MAX",
    )
    parser.add_argument("--element-seconds", type=float, default=DEFAULT_ELEMENT_SECONDS)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    server = FakeKling(
        api_key=args.api_key or None,
        access_key=args.access_key or None,
        secret_key=args.secret_key or None,
        webhook_secret=args.webhook_secret,
        processing_seconds=tuple(args.processing),
        element_seconds=args.element_seconds,
        host=args.host,
        port=args.port,
        seed=args.seed,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print(server.start(), flush=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
