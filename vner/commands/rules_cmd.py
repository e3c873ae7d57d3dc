"""``vner rules``: list recognizers, validators, labels and versions; check a domain schema file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

rules_app = typer.Typer(help="Inspect the rule recognizers and domain schemas.", no_args_is_help=True)


def _labels_of(cls: Any) -> str:
    labels = getattr(cls, "labels", None)
    return ", ".join(labels) if isinstance(labels, tuple) and labels else "(set by config)"


@rules_app.command("list")
def list_rules(
    domain: Optional[str] = typer.Option(
        None, "--domain", "-d", help="Show one domain's recognizers and groups."
    ),
) -> None:
    """Recognizers with their labels and versions (all registered ones, or those a domain uses)."""
    from rich.console import Console
    from rich.table import Table

    from vner.rules.registry import FAMILY_MODULES, recognizer_classes
    from vner.rules.schema import SchemaError, list_domains, load_schema

    console = Console()
    if domain is None:
        table = Table(title="Registered recognizers")
        for col in ("name", "version", "canonical labels", "module"):
            table.add_column(col)
        for name, cls in sorted(recognizer_classes().items()):
            table.add_row(name, str(getattr(cls, "version", "?")), _labels_of(cls), cls.__module__)
        console.print(table)
        from vner.rules.validators import VALIDATORS

        vals = Table(title="Validators")
        for col in ("name", "what it checks"):
            vals.add_column(col)
        for name in sorted(VALIDATORS.names()):
            vals.add_row(name, VALIDATORS.help(name))
        console.print(vals)
        doms = Table(title="Domains")
        doms.add_column("domain", no_wrap=True)
        for col in ("labels", "recognizers", "groups", "model"):
            doms.add_column(col, no_wrap=True)
        doms.add_column("span conventions", overflow="fold")
        for d in list_domains():
            s = load_schema(d)
            conventions = "\n".join(f"{k}={v}" for k, v in s.conventions.as_dict().items())
            doms.add_row(
                d,
                str(len(s.labels)),
                str(len(s.recognizers)),
                str(len(s.groups)),
                str(len(s.model_labels)),
                conventions,
            )
        console.print(doms)
        console.print(f"{len(recognizer_classes())} recognizers from {len(FAMILY_MODULES)} family modules")
        return
    from vner.rules.ruleset import RuleSet

    try:
        rs = RuleSet.for_domain(domain)
    except SchemaError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    schema = rs.schema
    table = Table(title=f"{schema.name}: {schema.description}")
    for col in ("id", "recognizer", "version", "labels (canonical → domain)", "role"):
        table.add_column(col)
    for row in rs.describe():
        labels = ", ".join(k if k == v else f"{k} → {v}" for k, v in row["labels"].items())
        role = "authoritative" if row["authoritative"] else "hint"
        if not row["with_model"]:
            role += " (rules-only runs)"
        table.add_row(row["id"], row["use"], row["version"], labels, role)
    console.print(table)
    if schema.groups:
        groups = Table(title="Label groups (model label → fine labels)")
        for col in ("group", "resolver", "window", "members and cues"):
            groups.add_column(col)
        for g in schema.groups.values():
            members = "\n".join(
                f"{fine}: {', '.join(cues)}"
                + (f" (units: {', '.join(g.units[fine])})" if fine in g.units else "")
                for fine, cues in g.members.items()
            )
            groups.add_row(g.name, g.resolver, str(g.window), members)
        console.print(groups)
    from vner.rules.conventions import OPTIONS

    conv = Table(title="Span conventions (rules/conventions.py; set under `conventions:` in the domain YAML)")
    for col in ("setting", "value", "choices", "what it decides"):
        conv.add_column(col)
    for key, value in schema.conventions.as_dict().items():
        choices, help_text = OPTIONS[key]
        conv.add_row(key, value, " | ".join(choices), help_text)
    console.print(conv)
    console.print(f"fine labels ({len(schema.labels)}): {', '.join(schema.labels)}")
    console.print(f"model labels ({len(schema.model_labels)}): {', '.join(schema.model_labels)}")
    console.print(f"version: {rs.version}")


@rules_app.command("check")
def check(file: Path = typer.Argument(..., help="A domain YAML file to validate.")) -> None:
    """Validate a domain schema: recognizers, labels, regexes, groups. Exit 1 with the file and key on error."""
    from vner.rules.schema import SchemaError, load_schema

    try:
        schema = load_schema(file)
    except SchemaError as exc:
        typer.echo(f"invalid: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"ok: {file} (domain {schema.name}): {len(schema.labels)} labels, {len(schema.recognizers)} recognizers, "
        f"{len(schema.groups)} groups, {len(schema.model_labels)} model labels"
    )


def register(app: typer.Typer) -> None:
    """Add ``vner rules list|check`` to the application."""
    app.add_typer(rules_app, name="rules")
