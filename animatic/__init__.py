"""The built-in `animatic` provider: a compiled request rendered locally into a real MP4.

Free and immediate: still pictures (the shots' images, or text cards), hard cuts and subtitles,
so a director can check timing and coverage before paying for generation. Pure Python (Pillow
and PyAV, no Django); see `render.render`.
"""

from animatic.render import RenderCanceled, RenderError, RenderResult, render

__all__ = ["RenderCanceled", "RenderError", "RenderResult", "render"]
