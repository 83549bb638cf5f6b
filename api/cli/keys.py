"""`localplan keys init|show`: the installation's checkpoint signing key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import fail, settings

if TYPE_CHECKING:
    from workflow.log import SigningKey

keys_app = typer.Typer(no_args_is_help=True, help="The key that signs the log's checkpoints.")


def key_path(given: Path | None = None) -> Path:
    if given is not None:
        return given
    configured = settings().signing_key_file
    if configured is None:
        fail("no signing key: set LOCALPLAN_SIGNING_KEY_FILE (or give --file)")
    return Path(configured)


def signing_key(given: Path | None = None) -> SigningKey:
    from api.keys import KeyFileError, load_key

    try:
        return load_key(key_path(given))
    except KeyFileError as err:
        fail(str(err))


@keys_app.command("init")
def keys_init(
    name: Annotated[str, typer.Option(help="the key's name: the origin line of checkpoints")],
    file: Annotated[Path | None, typer.Option(help="default: LOCALPLAN_SIGNING_KEY_FILE")] = None,
) -> None:
    """Make the installation's signing key once (mode 0600); prints its public part."""
    from api.keys import KeyFileError, init_key, public_info

    path = key_path(file)
    try:
        key = init_key(path, name=name)
    except KeyFileError as err:
        fail(str(err))
    typer.echo(json.dumps({"file": str(path), **public_info(key)}, ensure_ascii=False))


@keys_app.command("show")
def keys_show(
    file: Annotated[Path | None, typer.Option(help="default: LOCALPLAN_SIGNING_KEY_FILE")] = None,
) -> None:
    """The public part of the signing key (what auditors keep)."""
    from api.keys import public_info

    typer.echo(json.dumps(public_info(signing_key(file)), ensure_ascii=False))
