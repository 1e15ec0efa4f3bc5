"""The moderation desk: moderators' decisions (approve, reject, take down, restore, warn, suspend,
lift) acting on jobs, takes, elements and projects, the case page and console in the admin, and
reports of what a user can see. The rules and records it acts on are in `moderation` below."""
