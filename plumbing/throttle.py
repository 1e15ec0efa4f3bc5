"""A trailing-edge throttle for progress events: pure, with the clock passed in.

Each key (a job) sends at most one event per interval. An event offered too soon is held, and
a newer one replaces it; the held event goes out when the interval ends, so the last progress
before a pause is never lost. An event of a new phase (the job's state changed) or a final one
goes out at once and drops whatever was held, so a stale progress can never follow the end.
"""

from dataclasses import dataclass, field

# A timer may fire a clock tick early: a flush that early still counts as on time.
CLOCK_SLACK_SECONDS = 0.002


@dataclass(frozen=True)
class Throttled:
    """What an event says about itself to the throttle."""

    key: str
    phase: str
    final: bool = False


@dataclass
class _Track:
    phase: str
    sent_at: float
    held: object = None
    flush_at: float | None = None


@dataclass
class ProgressThrottle:
    interval: float
    _tracks: dict[str, _Track] = field(default_factory=dict)

    def offer(self, throttled: Throttled, event: object, now: float) -> tuple[bool, float | None]:
        """(send now?, time to schedule a flush at). A held event is flushed by calling `due`
        at that time; no time is given when a flush is already scheduled for the key."""
        track = self._tracks.get(throttled.key)
        if throttled.final:
            self._tracks.pop(throttled.key, None)
            return True, None
        if track is None or track.phase != throttled.phase:
            self._forget_idle(now)
            self._tracks[throttled.key] = _Track(throttled.phase, now)
            return True, None
        if track.held is None and now >= track.sent_at + self.interval:
            track.sent_at = now
            return True, None
        scheduled = track.held is not None
        track.held = event
        track.flush_at = track.sent_at + self.interval
        return False, None if scheduled else track.flush_at

    def _forget_idle(self, now: float) -> None:
        """Drop the keys that hold nothing and whose interval is over: their next event would
        go at once anyway. (Most jobs never send a final event in the process that sent their
        first one: without this, a web process would keep a key per job ever made.)"""
        idle = [
            key
            for key, track in self._tracks.items()
            if track.held is None and now >= track.sent_at + self.interval
        ]
        for key in idle:
            del self._tracks[key]

    def due(self, key: str, now: float) -> object | None:
        """The held event of `key` to send now, if its time has come (else None)."""
        track = self._tracks.get(key)
        if track is None or track.held is None or track.flush_at is None:
            return None
        if now + CLOCK_SLACK_SECONDS < track.flush_at:
            return None
        event, track.held, track.flush_at, track.sent_at = track.held, None, None, now
        return event
