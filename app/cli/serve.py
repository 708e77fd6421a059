"""sauti serve, sauti demo"""

from pathlib import Path

import click

from app.node import home

from .common import fail, given_home, home_option, main, open_home, port_option


def _serve(home_dir, host, port, tls):
    from app import serve as server
    from app.node.tls import TLSError  # offline/TLS area: --tls serves HTTPS (app/node/tls.py)

    try:
        server.run(home_dir, host=host, port=port, tls=tls)
    except TLSError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port.")


@main.command()
@home_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 for the LAN).",
)
@port_option
@click.option("--tls", is_flag=True, help="Serve HTTPS with the node's own certificate.")
def serve(home_dir, host, port, tls):
    """Serve the web app and API with a production WSGI server, and run the scheduler.

    Example: sauti serve --home ./kangemi --host 0.0.0.0 --port 5000
    """
    open_home(home_dir)
    _serve(home_dir, host, port, tls)


@main.command()
@click.option(
    "--home",
    "home_dir",
    type=click.Path(path_type=Path),
    help="Demo home folder (also accepted before the command)  [default: ./sauti-demo]",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@port_option
@click.option("--no-serve", is_flag=True, help="Only build the demo home.")
def demo(home_dir, host, port, no_serve):
    """Create (if missing) a demo node full of multilingual needs, and serve it.

    Example: sauti demo --port 5000
    """
    from app import demo as demo_data

    home_dir = Path(given_home(home_dir) or "./sauti-demo")
    if not (home_dir / home.DB_NAME).exists():
        click.echo(f"Building the demo node in {home_dir} …")
        demo_data.build(home_dir, progress=lambda msg: click.echo(f"  {msg}"))
    open_home(home_dir)
    click.echo("Demo users (user name / password):")
    for username, role, password in demo_data.credentials(home_dir):
        click.echo(f"  {username:<12} {role:<12} {password}")
    if not no_serve:
        click.echo(
            f"Open http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/ in a browser."
        )
        _serve(home_dir, host, port, False)
