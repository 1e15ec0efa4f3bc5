"""One asyncio Redis client per event loop, for the live layer's shared state (a client belongs
to the loop it was made in: the ASGI server has one, a test or a thread's `async_to_sync` another).
"""

import asyncio
import weakref

from redis import asyncio as aioredis


class LoopRedis:
    def __init__(self, url: str, max_connections: int, wait_seconds: float) -> None:
        self.url = url
        self.max_connections = max_connections
        self.wait_seconds = wait_seconds
        self._clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def client(self) -> aioredis.Redis:
        """The running loop's client. Its pool waits for a free connection: the default one
        raises beyond its size, and a thousand sockets pinging at once would be closed by it."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            pool = aioredis.BlockingConnectionPool.from_url(
                self.url, max_connections=self.max_connections, timeout=self.wait_seconds
            )
            client = aioredis.Redis(connection_pool=pool)
            self._clients[loop] = client
        return client
