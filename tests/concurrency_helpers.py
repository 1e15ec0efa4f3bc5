"""Running requests at the same moment, each in its own thread and database connection, for
the tests of races (the last use of an invitation, many reports of one take)."""

import threading

from django.db import connection


def at_once(*requests) -> list:
    """Run each request (a function of no argument) in its own thread, released together; the
    answers in the same order. Each thread closes its database connection when it is done."""
    start = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            answers[index] = requests[index]()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    assert errors == []
    return answers
