"""JupyterHub's configuration for the course (``make hub``; coursekit.hub writes the settings it reads).

Local Unix accounts, PAM logins, one single-user JupyterLab per user started as that user from the users'
environment, nbgrader's exchange, and the course's groups, from which nbgrader's JupyterHub auth plugin
takes each user's course list.  Everything machine-specific (ports, paths, the roster's names, the
databases) comes from the JSON file named by ``CONVBOOK_HUB_SETTINGS``.
"""

import json
import os

c = get_config()  # noqa: F821 - traitlets provides get_config() to configuration files

with open(os.environ["CONVBOOK_HUB_SETTINGS"]) as fh:
    S = json.load(fh)
INSTRUCTORS = set(S["instructors"])
STUDENTS = set(S["students"])

# the hub, its proxy and its REST API: on loopback only
c.JupyterHub.bind_url = f"http://127.0.0.1:{S['port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.ConfigurableHTTPProxy.command = [S["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.JupyterHub.db_url = S["db_url"]
c.JupyterHub.cookie_secret_file = os.path.join(S["state"], "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(S["state"], "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server
c.JupyterHub.shutdown_on_logout = False

# who may log in: the roster, by the machine's own passwords (PAM); the instructors administer the hub
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session (utmp, systemd-logind) for a notebook server
c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
c.Authenticator.admin_users = INSTRUCTORS
c.Authenticator.delete_invalid_users = True  # a member removed from the roster loses their hub user

# nbgrader's course list comes from these groups (nbgrader.auth.JupyterHubAuthPlugin)
course = S["course_id"]
c.JupyterHub.load_groups = {
    f"formgrade-{course}": {"users": sorted(INSTRUCTORS)},
    f"nbgrader-{course}": {"users": sorted(INSTRUCTORS | STUDENTS)},
}
# a user's server may read its own user's groups through the hub's API (the auth plugin does), nothing more
c.JupyterHub.load_roles = [{"name": "server", "scopes": ["inherit"]}]

# each user's JupyterLab: the users' environment, started as that user in their home
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [S["singleuser"]]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# a busy machine makes a start slow, never a failure: these are backstops for a server that blocks
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    "PATH": f"{S['env_bin']}:/usr/local/bin:/usr/bin:/bin",
    "SHELL": "/bin/bash",
    "PYTHONHASHSEED": "0",
}


def _per_user(spawner):
    """The role's Jupyter configuration; an instructor's gradebook when it is PostgreSQL."""
    name = spawner.user.name
    spawner.environment["JUPYTER_CONFIG_PATH"] = S["configs"][name if name in INSTRUCTORS else "student"]
    if name in INSTRUCTORS and S["gradebook_url"]:
        spawner.environment["CONVBOOK_GRADEBOOK_URL"] = S["gradebook_url"]


c.Spawner.pre_spawn_hook = _per_user
