"""Every endpoint, every role: who may read, who may write, and that a refusal changes nothing.

The tables of this package, one module per app, are together (`TABLE`) the declaration of every
route of the API and of the storyboard pages; tests/test_permissions_of_every_endpoint.py
checks them all. `test_every_route_is_declared_in_the_permission_table`
(tests/test_the_permission_tables_declare_every_route.py) walks the URL resolver, so a new route
(or a new method on an API view) cannot ship without saying who may use it.

Anonymous API calls get 401 with `WWW-Authenticate: Token` (token authentication comes first in
the settings, so DRF names its scheme), as docs/API.md says; a wrong token is a 401 too.

Some accepted requests rightly change nothing for some roles (the owner asked to leave, a member
accepting a link that gives no more than they have): `unchanged_for` names them, and the test
checks that nothing changed for them.

The roles are those of the fixed cast of conftest (anonymous, outsider, viewer, editor, owner)
and three more (tests/role_helpers.py): a commenter of the project, a moderator (staff in the
"Moderators" group) and a staff user (`is_staff`, not a superuser, not in the group). The
commenter reads like a viewer, is refused every write like a viewer, and comments like an editor
(the discussion routes). The moderator and the staff user have no membership and no rights over
projects: every project object is a 404 to them, as to an outsider (moderators decide in the
admin, outside this table); user-scoped routes (my projects, my libraries, my credits, my
notifications, my moderation cases) serve them like anyone signed in.

Reports: any member reports what they can see (strangers get the 404 of a missing id). Appeals:
only the owner of the content taken down sees its case and appeals it; any other member, as
any stranger, gets 404.
"""

from tests.permission_tables.discussion import DISCUSSION_TABLE
from tests.permission_tables.elements import ELEMENTS_TABLE
from tests.permission_tables.exports import EXPORTS_TABLE
from tests.permission_tables.jobs import JOBS_TABLE
from tests.permission_tables.moderation import MODERATION_TABLE
from tests.permission_tables.sharing import SHARING_TABLE
from tests.permission_tables.storyboard import STORYBOARD_TABLE

TABLE = (
    STORYBOARD_TABLE
    + ELEMENTS_TABLE
    + JOBS_TABLE
    + SHARING_TABLE
    + DISCUSSION_TABLE
    + MODERATION_TABLE
    + EXPORTS_TABLE
)
