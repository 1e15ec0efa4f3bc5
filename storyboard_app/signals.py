"""What the storyboard tells the apps above it. It imports none of them; they connect here.

`project_deleting` (with `project`) and `sequence_deleting` (with `sequence`) are sent inside the
deleting transaction, before the rows go, so an app holding rows under them
can settle its side in the same transaction: jobs cancels and refunds the generations in flight
and removes their files once the deletion commits (jobs/apps.py).
"""

from django.dispatch import Signal

project_deleting = Signal()
sequence_deleting = Signal()
