"""Reading a video stream packet by packet, stopping cleanly where the file is damaged.

`demux(container, stream)` reads every packet of the stream and returns its `PacketSpan` (first
and last times, frame count, key frames), decoding the key frames of the first seconds when
asked; `decoded_end(container, stream, span)` decodes the last group of pictures and returns
the end of its last frame. A packet that cannot be read or decoded ends the reading and marks
the span `damaged`. Times are in the stream's time base.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import av
from av.container import InputContainer
from av.packet import Packet
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

# Key frames are decoded (to prove the clip decodes, and for its first picture) over this many
# seconds; past them a clip is too long anyway and its packets are only counted.
DECODE_KEYS_SECONDS = 9


@dataclass
class PacketSpan:
    """What the packets of a video stream tell."""

    start: int | None = None
    end: int | None = None
    frames: int = 0
    keys: list[int] = field(default_factory=list)
    first: VideoFrame | None = None  # the first decoded frame, when key frames were decoded
    damaged: bool = False  # a packet the index promised could not be read or decoded


def demux(container: InputContainer, stream: VideoStream, decode_keys: bool) -> PacketSpan:
    """Read every packet of the stream; decode the key frames of the first seconds if asked."""
    span = PacketSpan()
    stream.codec_context.skip_frame = "NONKEY"
    decode_until = DECODE_KEYS_SECONDS / stream.time_base
    for packet in readable_packets(container, stream, span):
        if packet.pts is not None:
            span.frames += 1
            start = packet.pts if span.start is None else min(span.start, packet.pts)
            span.start = start
            packet_end = packet.pts + (packet.duration or 0)
            span.end = packet_end if span.end is None else max(span.end, packet_end)
            if packet.is_keyframe:
                span.keys.append(packet.pts)
        if decode_keys and (packet.pts is None or packet.pts - span.start < decode_until):
            for frame in decoded(packet, span):
                span.first = span.first or frame
    return span


def readable_packets(
    container: InputContainer, stream: VideoStream, span: PacketSpan
) -> Iterator[Packet]:
    """The stream's packets up to the end of the file or the first one that cannot be read."""
    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
        except StopIteration:
            return
        except av.FFmpegError:  # e.g. a file cut short: its index promises more than it holds
            span.damaged = True
            yield _flush(stream)
            return
        if span.damaged:  # a packet failed to decode: what follows cannot be trusted
            return
        yield packet


def decoded(packet: Packet, span: PacketSpan) -> list[VideoFrame]:
    """The frames `packet` completes; none, and the span marked damaged, if it is corrupt."""
    try:
        return packet.decode()
    except av.FFmpegError:
        span.damaged = True
        return []


def _flush(stream: VideoStream) -> Packet:
    """An empty packet of the stream, which tells its decoder to give out what it holds."""
    packet = av.Packet()
    packet.stream = stream
    return packet


def decoded_end(container: InputContainer, stream: VideoStream, span: PacketSpan) -> int | None:
    """The end of the last decoded frame (its time plus its duration): decode the last GOP."""
    if span.frames == 0 or span.start is None or span.end is None:
        return None
    stream.codec_context.skip_frame = "DEFAULT"
    last_key = max(span.keys) if span.keys else span.start
    container.seek(last_key, stream=stream, backward=True)
    typical = (span.end - span.start) // span.frames
    end = None
    tail = PacketSpan()
    for packet in readable_packets(container, stream, tail):
        for frame in decoded(packet, tail):
            if frame.pts is not None:
                frame_end = frame.pts + (frame.duration or typical)
                end = frame_end if end is None else max(end, frame_end)
    return end
