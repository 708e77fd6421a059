"""sauti user ..., sauti token ..."""

import click

from app.auth import accounts, passwords
from app.auth.accounts import AccountError
from app.auth.permissions import ROLES
from app.store import users

from .common import fail, home_option, main, open_home, read_secret

ACTOR = "cli"  # who the audit list names for changes made with these commands


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The new password and whether it was generated (to print it)."""
    value = read_secret("Password", from_stdin)
    if value is None:
        return accounts.generated_password(), True
    try:
        accounts.check_password(value)
    except AccountError as exc:
        if exc.code == "long_password":
            fail("the password is too long; use at most 256 characters.")
        fail(f"the password is too short; use at least {passwords.MIN_LENGTH} characters.")
    return value, False


def _user(db, username: str) -> dict:
    row = users.by_name(db, username)
    if row is None:
        fail(
            f"no user named {username!r}; list users on the admin page or add one with 'sauti user add'."
        )
    return row


@main.group()
def user():
    """Accounts of people who use this node."""


@user.command("add")
@home_option
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(home_dir, username, role, password_stdin):
    """Add a user. Without --password-stdin: prompts on a terminal, or
    generates a password and prints it.

    Example: echo 'long secret words' | sauti user add amina --role council --password-stdin
    """
    if not accounts.USERNAME_RE.match(username):
        fail("user names are 2–64 letters, digits, '.', '_', '@' or '-'.")
    db = open_home(home_dir).connect()
    try:
        if users.by_name(db, username):
            fail(f"a user named {username!r} exists already; choose another name.")
        password, generated = _password(password_stdin)
        accounts.add_user(db, ACTOR, username, role, password)
    finally:
        db.close()
    if generated:
        click.echo(f"password: {password}")
    click.echo(f"added {username} ({role})", err=generated)


@user.command("disable")
@home_option
@click.argument("username")
def user_disable(home_dir, username):
    """Lock an account: its sessions and tokens stop working at once.

    Example: sauti user disable amina
    """
    db = open_home(home_dir).connect()
    try:
        accounts.disable_user(db, ACTOR, _user(db, username)["username"])
    finally:
        db.close()
    click.echo(f"disabled {username}")


@user.command("password")
@home_option
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_password(home_dir, username, password_stdin):
    """Set a new password (signs the user out everywhere).

    Example: echo 'new long secret' | sauti user password amina --password-stdin
    """
    db = open_home(home_dir).connect()
    try:
        row = _user(db, username)
        password, generated = _password(password_stdin)
        accounts.set_password(db, ACTOR, row["username"], password)
    finally:
        db.close()
    if generated:
        click.echo(f"password: {password}")


@main.group()
def token():
    """API tokens (Authorization: Bearer TOKEN)."""


@token.command("create")
@home_option
@click.argument("username")
def token_create(home_dir, username):
    """Print a new API token for USERNAME (only the token). It is stored hashed:
    keep it now, it cannot be shown again.

    Example: sauti token create amina
    """
    db = open_home(home_dir).connect()
    try:
        row = _user(db, username)
        if row["disabled"]:
            fail(f"{username} is disabled; enable a new account instead.")
        value = accounts.create_token(db, ACTOR, username)
    finally:
        db.close()
    click.echo(value)


# A prefix may begin with "-" (URL-safe base64; tokens made before this rule can):
# unknown options are taken as the prefix, and only --help is help here.
@token.command("revoke", context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@home_option
@click.argument("prefix")
def token_revoke(home_dir, prefix):
    """Revoke the one token whose first characters (at least 8) are PREFIX.

    Example: sauti token revoke Xq3vT9aB
    """
    db = open_home(home_dir).connect()
    try:
        match = accounts.revoke_token(db, ACTOR, prefix)
    except AccountError as exc:
        if exc.code == "short_prefix":
            fail("give at least the first 8 characters of the token.")
        if exc.code == "no_token":
            fail(f"no active token starts with {prefix!r}; see 'sauti token list'.")
        fail(f"{exc.info['count']} tokens start with {prefix!r}; give more characters.")
    finally:
        db.close()
    click.echo(f"revoked {match['prefix']}… of {match['username']}")


@token.command("list")
@home_option
def token_list(home_dir):
    """List tokens: prefix, user, created, last used (revoked ones marked).

    Example: sauti token list
    """
    db = open_home(home_dir).connect()
    try:
        rows = users.list_tokens(db)
    finally:
        db.close()
    click.echo("prefix\tuser\tcreated\tlast_used\tstate")
    for r in rows:
        state = "revoked" if r["revoked_at"] else "active"
        click.echo(
            f"{r['prefix']}\t{r['username']}\t{r['created_at']}\t{r['last_used_at'] or '-'}\t{state}"
        )
