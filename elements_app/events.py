"""Events of the elements, built here and published to each project that uses the library
(through `storyboard_app.events.publish`, after commit)."""


def elements_changed() -> dict:
    """A library a project uses changed (an element, a share, an attachment): the editor reloads
    the project's elements."""
    return {"type": "elements.changed"}
