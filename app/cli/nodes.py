"""sauti init, sauti node show, sauti child add, sauti parent set."""

import json
from pathlib import Path

import click

from app.node import home, settings
from app.store import audit
from app.store import node as node_store

from .common import fail, home_option, main, open_home


@main.command()
@home_option
@click.option("--name", required=True, help="Human name of the node, e.g. 'Kangemi ward'.")
@click.option("--level", required=True, type=click.Choice(home.LEVELS), help="Place in the tree.")
@click.option("--locality", required=True, help="Locality code, e.g. KE/47/westlands/kangemi.")
@click.option("--language", default="en", show_default=True, help="Default interface language.")
@click.option("--country", help="ISO 3166 alpha-2 code used to read phone numbers, e.g. KE.")
@click.option(
    "--database",
    metavar="postgresql://...",
    help="Keep the store in this empty PostgreSQL database instead of the home's SQLite file.",
)
def init(home_dir: Path, name, level, locality, language, country, database):
    """Create a new node home: database, Ed25519 key pair, session secret.

    A box cloned from another one's SD card shares its identity; give it a
    fresh one by creating a new home with `sauti init` and enrolling it again.

    Example: sauti init --home ./kangemi --name Kangemi --level community --locality KE/47/kangemi --country KE

    A national node on PostgreSQL: sauti init --home ./nation --name Kenya --level nation
    --locality KE --database postgresql://sauti@db.example/sauti_nation
    """
    try:
        node = home.init_home(
            home_dir, name=name, level=level, locality=locality, language=language,
            country=country, database=database,
        )
    except home.HomeError as exc:
        fail(str(exc))
    click.echo(f"node_id: {node['node_id']}")
    click.echo(f"public_key: {node['public_key']}")
    click.echo(f"fingerprint: {home.fingerprint(node['public_key'])}")
    click.echo(f"home: {home_dir}")


@main.group()
def node():
    """This node's identity and sync state."""


def node_summary(db) -> dict:
    row = node_store.get(db)
    from app.store import sync_state

    state = sync_state.summary(db)
    return {
        "node_id": row["node_id"],
        "name": row["name"],
        "level": row["level"],
        "locality": row["locality"],
        "country": settings.get(db, "country"),
        "public_key": row["public_key"],
        "fingerprint": home.fingerprint(row["public_key"]),
        **state,
    }


@node.command("show")
@home_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def node_show(home_dir, as_json):
    """Show the node's identity and sync state.

    Example: sauti node show --home ./kangemi --json
    """
    db = open_home(home_dir).connect()
    try:
        info = node_summary(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    for key, value in info.items():
        if key == "children":
            click.echo(f"children: {len(value)}")
            for child in value:
                click.echo(
                    f"  - {child['name']} ({child['public_key']}) last seen {child['last_seen'] or 'never'}"
                )
        elif key == "parent":
            click.echo(f"parent: {value['url'] + ' ' + value['public_key'] if value else 'none'}")
        elif key == "alerts":
            click.echo(f"alerts: {len(value)}")
            for alert in value:
                click.echo(f"  - {alert['created_at']} {alert['kind']}: {alert['message']}")
        else:
            click.echo(f"{key}: {value if value is not None else '-'}")


@node.group("alerts", invoke_without_command=True)
@home_option
@click.pass_context
def node_alerts(ctx, home_dir):
    """List the sync alerts an admin has not cleared yet (newest first).

    Example: sauti node alerts --home ./nairobi
    """
    if ctx.invoked_subcommand is not None:
        return
    from app.store import sync_alerts

    db = open_home(home_dir).connect()
    try:
        alerts = sync_alerts.all_alerts(db)
    finally:
        db.close()
    if not alerts:
        click.echo("no alerts")
    for alert in alerts:
        child = f" [{alert['child']}]" if alert["child"] else ""
        click.echo(f"{alert['created_at']} {alert['kind']}{child}: {alert['message']}")


@node_alerts.command("clear")
@home_option
def node_alerts_clear(home_dir):
    """Clear the sync alerts once they are dealt with.

    Example: sauti node alerts clear --home ./nairobi
    """
    from app.store import sync_alerts

    db = open_home(home_dir).connect()
    try:
        n = sync_alerts.clear(db)
    finally:
        db.close()
    click.echo(f"cleared {n} alert(s)")


_REFUSED = {
    "bad_key": "--key must be the standard base64 of a 32-byte Ed25519 public key "
    "(as 'sauti node show' prints it).",
    "no_name": "give the child a name.",
    "own_key": "that is this node's own key; use the other node's key from its 'sauti node show'.",
    "already_enrolled": "a child with this key is already enrolled.",
    "bad_url": "URL must look like http://host:port (the parent's base address).",
}


def _check_key(key: str) -> str:
    from sync.enrol import EnrolRefused, public_key

    try:
        return public_key(key)
    except EnrolRefused as exc:
        fail(_REFUSED[exc.code])


@main.group()
def child():
    """Children of this node (on a parent)."""


@child.command("add")
@home_option
@click.argument("name")
@click.option("--key", required=True, help="The child's public key (base64).")
def child_add(home_dir, name, key):
    """Enrol a child node by its public key.

    Example: sauti child add Kangemi --key 3q2+7w... --home ./nairobi
    """
    from sync.enrol import EnrolRefused, enrol_child

    db = open_home(home_dir).connect()
    try:
        key = enrol_child(db, name, key)
        audit.record(db, "cli", "child_enrol", name.strip(), {"fingerprint": home.fingerprint(key)})
    except EnrolRefused as exc:
        fail(_REFUSED[exc.code])
    finally:
        db.close()
    click.echo(f"enrolled {name.strip()} ({home.fingerprint(key)})")


@main.group()
def parent():
    """This node's parent (on a child)."""


@parent.command("set")
@home_option
@click.argument("url")
@click.option("--key", required=True, help="The parent's public key (base64).")
def parent_set(home_dir, url, key):
    """Set the parent's base URL and public key.

    Example: sauti parent set http://10.0.0.2:5000 --key 3q2+7w... --home ./kangemi
    """
    from sync.enrol import EnrolRefused, set_parent

    key = _check_key(key)
    db = open_home(home_dir).connect()
    try:
        url, key = set_parent(db, url, key)
        audit.record(db, "cli", "parent_set", url, {"fingerprint": home.fingerprint(key)})
    except EnrolRefused as exc:
        fail(_REFUSED[exc.code])
    finally:
        db.close()
    click.echo(f"parent: {url} ({home.fingerprint(key)})")
