"""A trailing-edge throttle for progress events: pure, with the clock passed in.

Each key (a job) sends at most one event per interval. An event offered too soon is held, and
a newer one replaces it; the held event goes out when the interval ends, so the last progress
before a pause is never lost. An event of a new phase (the job's state changed) or a final one
goes out at once and drops whatever was held, so a stale progress can never follow the end.
"""

from dataclasses import dataclass, field


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
            self._tracks[throttled.key] = _Track(throttled.phase, now)
            return True, None
        if track.held is None and now >= track.sent_at + self.interval:
            track.sent_at = now
            return True, None
        scheduled = track.held is not None
        track.held = event
        track.flush_at = track.sent_at + self.interval
        return False, None if scheduled else track.flush_at

    def due(self, key: str, now: float) -> object | None:
        """The held event of `key` to send now, if its time has come (else None)."""
        track = self._tracks.get(key)
        if track is None or track.held is None or track.flush_at is None or now < track.flush_at:
            return None
        event, track.held, track.flush_at, track.sent_at = track.held, None, None, now
        return event
