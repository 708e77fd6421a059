"""sauti user ..., sauti token ..."""

import re
import secrets

import click

from app.auth import passwords, tokens
from app.auth.permissions import ROLES
from app.store import users

from .common import fail, home_option, main, open_home, read_secret

USERNAME_RE = re.compile(r"^[\w.@-]{2,64}$")


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The new password and whether it was generated (to print it)."""
    value = read_secret("Password", from_stdin)
    if value is None:
        return secrets.token_urlsafe(12), True
    if len(value) < passwords.MIN_LENGTH:
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
    if not USERNAME_RE.match(username):
        fail("user names are 2–64 letters, digits, '.', '_', '@' or '-'.")
    db = open_home(home_dir).connect()
    try:
        if users.by_name(db, username):
            fail(f"a user named {username!r} exists already; choose another name.")
        password, generated = _password(password_stdin)
        users.add(db, username, role, passwords.hash_password(password))
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
        users.disable(db, _user(db, username)["id"])
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
        users.set_password(db, row["id"], passwords.hash_password(password))
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
        value = tokens.new_token()
        users.add_token(db, row["id"], value[: tokens.PREFIX_LENGTH], tokens.token_hash(value))
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
    if len(prefix) < 8:
        fail("give at least the first 8 characters of the token.")
    db = open_home(home_dir).connect()
    try:
        matches = [
            t
            for t in users.tokens_matching(db, prefix)
            if len(prefix) <= tokens.PREFIX_LENGTH or t["prefix"] == prefix[: tokens.PREFIX_LENGTH]
        ]
        if not matches:
            fail(f"no active token starts with {prefix!r}; see 'sauti token list'.")
        if len(matches) > 1:
            fail(f"{len(matches)} tokens start with {prefix!r}; give more characters.")
        users.revoke_token(db, matches[0]["id"])
    finally:
        db.close()
    click.echo(f"revoked {matches[0]['prefix']}… of {matches[0]['username']}")


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
