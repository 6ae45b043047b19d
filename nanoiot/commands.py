"""`nanoiot parse`, `nanoiot eval` and `nanoiot bench`: the model from the command line."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from nanoiot.engine import Engine, ModelLoadError
from nanoiot.registry import RegistryError, default_registry_path, load_registry
from nanoiot.schema import ErrorInfo, ParseResult

BATCH = 32


def register(subparsers: argparse._SubParsersAction) -> None:
    parse = subparsers.add_parser("parse", help="parse a command (or JSON lines from stdin) into actions")
    parse.add_argument("text", nargs="?", help="the sentence; omit with --jsonl")
    parse.add_argument("--jsonl", action="store_true",
                       help='read {"text": ..., "area": ..., "site_wide": ...} lines from stdin, write one result per line')
    _model_args(parse)
    parse.add_argument("--area", help="area of the speaking device, used when the sentence names none")
    parse.add_argument("--site-wide", action=argparse.BooleanOptionalAction, default=True,
                       help='a kind of device said with no area and no --area ("the lights") means all of them (the default: '
                            'the command line speaks for the whole site); --no-site-wide answers as the gateway does for a '
                            'source placed nowhere, refusing it as ambiguous_target')
    parse.set_defaults(func=run_parse)

    evaluate = subparsers.add_parser("eval", help="accuracy on held-out generated sentences and ../shared/eval")
    _model_args(evaluate)
    evaluate.add_argument("--shared", type=Path, default=None, help="the shared/ folder (default: ../shared beside the repo)")
    evaluate.add_argument("--held-out", type=int, default=1000, help="held-out generated sentences to score")
    evaluate.set_defaults(func=run_eval)

    bench = subparsers.add_parser("bench", help="the gateway end to end next to the MQTT floor and Home Assistant's matcher")
    _model_args(bench)
    bench.add_argument("--devices", type=int, default=1000, help="devices in the generated large site (resolver cost)")
    bench.add_argument("--commands", type=int, default=3000, help="commands per throughput run")
    bench.add_argument("--paced", type=int, default=200, help="commands per light-load latency run")
    bench.add_argument("--quick", action="store_true", help="a tiny run (seconds): the report's shape, not its figures")
    bench.add_argument("--no-peer", action="store_true", help="leave out Home Assistant's matcher")
    bench.add_argument("--failover", action="store_true", help="also kill one of two workers mid-stream: who answers its commands")
    bench.add_argument("--shared", type=Path, default=None, help="the shared/ folder (default: ../shared beside the repo)")
    bench.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    bench.add_argument("--plot", type=Path, default=None, help="also write a PNG plot here (needs the bench extra)")
    bench.set_defaults(func=run_bench)


def _model_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registry", type=Path, default=None, help="device registry (JSON or YAML)")
    parser.add_argument("--model", type=Path, default=None, help="model directory (default: the shipped one)")


def _parser(args: argparse.Namespace, registry: Path | None = None) -> Any:
    from nanoiot.parser import CommandParser

    return CommandParser.load(load_registry(registry or args.registry or default_registry_path()), args.model)


class Line(BaseModel):
    """One --jsonl input line; other keys (a label, an id) are ignored."""

    model_config = ConfigDict(extra="ignore")

    text: str
    area: str | None = None
    site_wide: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _context_area(cls, raw: Any) -> Any:
        """Home Assistant's intent tests say where a sentence was spoken as `"context": {"area": ...}`."""
        if isinstance(raw, dict) and raw.get("area") is None and isinstance(raw.get("context"), dict):
            area = raw["context"].get("area")
            if isinstance(area, str):
                return {**raw, "area": area}
        return raw


def _bad_line(parser: Any, message: str) -> ParseResult:
    return ParseResult(status="error", error=ErrorInfo(code="bad_request", message=message), model=parser.model_info)


def _lines(raw: Iterable[bytes]) -> Iterable[Line | ValueError]:
    """Every input line gives exactly one item, so output line N answers input line N."""
    for data in raw:
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError:
            yield ValueError("not JSON: the line is not valid UTF-8")
            continue
        if not line.strip():
            yield ValueError('blank line: each line is a JSON object with a "text" string')
            continue
        try:
            yield Line.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            yield ValueError(f"not JSON: {exc.msg}")
        except ValidationError:
            yield ValueError('each line is a JSON object with a "text" string (and optional "area", "site_wide")')


def run_parse(args: argparse.Namespace) -> int:
    if not args.jsonl and not args.text:
        print("nanoiot parse: give TEXT or --jsonl", file=sys.stderr)
        return 2
    try:
        parser = _parser(args)
    except (RegistryError, ModelLoadError) as exc:
        print(f"nanoiot parse: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    if not args.jsonl:
        print(parser.parse(args.text, args.area, args.site_wide).model_dump_json())
        return 0
    items = list(_lines(sys.stdin.buffer))
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        answers: dict[int, ParseResult] = {}
        for site_wide in (False, True):  # the parser takes one site-wide switch per batch
            group = [i for i, item in enumerate(chunk) if isinstance(item, Line) and _site_wide(item, args) == site_wide]
            lines = [chunk[i] for i in group]
            answers.update(zip(group, parser.parse_batch([ln.text for ln in lines],  # type: ignore[union-attr]
                                                         [ln.area or args.area for ln in lines], site_wide)))  # type: ignore[union-attr]
        for i, item in enumerate(chunk):
            result = answers[i] if isinstance(item, Line) else _bad_line(parser, str(item))
            sys.stdout.write(result.model_dump_json() + "\n")
    sys.stdout.flush()
    return 0


def _site_wide(line: Line, args: argparse.Namespace) -> bool:
    return args.site_wide if line.site_wide is None else line.site_wide


def _shared_dir(args: argparse.Namespace) -> Path:
    if args.shared:
        return args.shared
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        if (base.parent / "shared" / "eval").exists():
            return base.parent / "shared"
    return Path.cwd().parent / "shared"


def slurp_accuracy(parser: Any, cases_path: Path, scorer_path: Path, site_wide: bool = True) -> dict[str, Any]:
    """Label accuracy with the shared scorer's own reduction of a result to a label.

    `site_wide=True` is what `nanoiot parse` answers by default (no --area): "turn on the lights"
    is every light; False is a gateway source placed nowhere, which is asked which area.
    """
    spec = importlib.util.spec_from_file_location("score_slurp", scorer_path)
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    from nanoiot.train.real_data import load_jsonl

    cases = load_jsonl(cases_path)
    results = []
    for start in range(0, len(cases), BATCH):
        results += parser.parse_batch([c["text"] for c in cases[start : start + BATCH]], site_wide=site_wide)
    hits = [c["label"] in scorer.labels_of(r.model_dump()) for c, r in zip(cases, results)]
    per_label: dict[str, list[int]] = {}
    for case, hit in zip(cases, hits):
        per_label.setdefault(case["label"], [0, 0])
        per_label[case["label"]][0] += hit
        per_label[case["label"]][1] += 1
    return {
        "accuracy": round(sum(hits) / len(hits), 4),
        "n": len(hits),
        "per_label": {k: round(h / n, 3) for k, (h, n) in sorted(per_label.items())},
    }


def run_eval(args: argparse.Namespace) -> int:
    from nanoiot.evaluate import WRITTEN_SETS, exact_match_on_pairs, handwritten_commands, unregistered_names
    from nanoiot.train.pipeline import held_out_set

    engine = Engine(args.model)
    report: dict[str, Any] = {"model": {"name": engine.manifest.name, "version": engine.manifest.version}}
    held_out = held_out_set(args.held_out)
    report["held_out_generated_exact_match"] = exact_match_on_pairs(engine, held_out)
    report["held_out_names_not_in_registry"] = unregistered_names(engine, held_out)
    for name, path in WRITTEN_SETS.items():  # hand-written, then each helper's probe
        report[name] = handwritten_commands(engine, path)
    from nanoiot.train.real_data import SHARED_DATA, real_pairs

    if SHARED_DATA.exists():  # real speech kept out of training: commands understood, chit-chat answered with no action
        real = real_pairs(SHARED_DATA)
        report["real_iot_dev_exact_match"] = exact_match_on_pairs(engine, real["iot_dev"])
        report["hwu64_ood_dev_not_understood"] = exact_match_on_pairs(engine, real["ood_dev"])
    shared = _shared_dir(args)
    scorer = shared / "eval" / "score_slurp.py"
    if scorer.exists():
        from nanoiot.parser import CommandParser

        parser = CommandParser(engine, load_registry(shared / "eval" / "slurp" / "registry.json"))
        # SLURP's people speak to one flat's assistant with no room context: the default (site-wide, what
        # `nanoiot parse` answers) is the figure to compare; the other is a gateway source placed nowhere
        for name in ("iot_test", "ood_test"):
            cases = shared / "eval" / "slurp" / f"{name}.jsonl"
            report[f"slurp_{name}"] = slurp_accuracy(parser, cases, scorer, site_wide=True)
            report[f"slurp_{name}_unplaced_source"] = slurp_accuracy(parser, cases, scorer, site_wide=False)
    else:
        report["slurp"] = f"not found: {scorer}"
    try:
        from nanoiot.diagnostics import evaluate as diagnostics_evaluate

        figures = diagnostics_evaluate()
        report["diagnostics"] = {k: v for k, v in figures.items() if k != "confusion"}
    except ImportError:
        pass
    print(json.dumps(report, indent=2))
    return 0


def run_bench(args: argparse.Namespace) -> int:
    """One run: broker, gateways, load, echo floor, model alone, large site, peer (nanoiot.bench)."""
    from dataclasses import replace

    from nanoiot.bench.report import plot, table
    from nanoiot.bench.run import QUICK, Plan, run

    plan = QUICK if args.quick else Plan(paced=args.paced, commands=args.commands, devices=args.devices)
    if args.quick and args.devices != 1000:
        plan = replace(plan, devices=args.devices)
    if args.no_peer:
        plan = replace(plan, peer=False)
    if args.failover:
        plan = replace(plan, failover=True)
    report = run(args.model, args.registry, args.shared, plan)
    print(json.dumps(report, indent=2) if args.json else table(report))
    if args.plot:
        plot(report, args.plot)
    return 0
