"""Create the demo user, the demo project (three shots with dialogue) and a demo moderator (staff,
in the Moderators group: the review queue at /admin/); safe to run again."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from elements_app.access import speakers_of_project
from moderation.access import MODERATORS_GROUP
from storyboard_app import actions
from storyboard_app.models import Project

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "storyboard-demo"
DEMO_TITLE = "Lighthouse morning (demo)"
DEMO_MODERATOR = "moderator"
DEMO_MODERATOR_PASSWORD = "storyboard-moderator"

DEMO_SHOTS = [
    {
        "duration": 4,
        "shot_size": "wide",
        "camera_movement": "push_in",
        "text": "A lighthouse kitchen at dawn, rain on the window. Mara pours tea.",
        "sound_notes": "Rain on glass, a kettle starting to hum.",
        "dialogue": [
            {"speaker": "Mara", "text": "The ferry won't run today.", "language": "en"},
        ],
    },
    {
        "duration": 3,
        "shot_size": "close_up",
        "camera_angle": "low",
        "text": "Tomas smiles without looking up from his book.",
        "dialogue": [
            {
                "speaker": "Tomas",
                "text": "Then we have all day.",
                "language": "en",
                "delivery": "warm, unhurried",
            },
        ],
    },
    {
        "duration": 3,
        "shot_size": "medium",
        "camera_movement": "pull_out",
        "text": "Both at the table as the kettle whistles; the storm lamp swings.",
        "lettering": "HARBOUR CLOSED",
        "dialogue": [
            {
                "speaker": "Narrator",
                "text": "Some days the sea decides.",
                "language": "en",
                "delivery": "calm, British accent",
                "voice_over": True,
            },
        ],
    },
]


class Command(BaseCommand):
    help = "Create the demo user and project if they do not exist."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        moderator, created = User.objects.get_or_create(
            username=DEMO_MODERATOR, defaults={"is_staff": True}
        )
        if created:
            moderator.set_password(DEMO_MODERATOR_PASSWORD)
            moderator.save()
            moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
        if Project.objects.filter(owner=user, title=DEMO_TITLE).exists():
            self.stdout.write("Demo project already there.")
            return
        project = actions.create_project(user, DEMO_TITLE, "16:9")
        sequence = project.sequences.get()
        for shot in DEMO_SHOTS:
            actions.add_shot(
                sequence,
                {**shot, "dialogue": list(shot["dialogue"])},
                speakers=speakers_of_project,
            )
        self.stdout.write(self.style.SUCCESS(f"Demo project {project.pk} created."))
