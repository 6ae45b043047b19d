"""`nanoiot parse`, `nanoiot eval` and `nanoiot bench`: the model from the command line."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any, Iterable

from nanoiot.engine import Engine
from nanoiot.registry import default_registry_path, load_registry
from nanoiot.schema import ErrorInfo, ParseResult

BATCH = 32


def register(subparsers: argparse._SubParsersAction) -> None:
    parse = subparsers.add_parser("parse", help="parse a command (or JSON lines from stdin) into actions")
    parse.add_argument("text", nargs="?", help="the sentence; omit with --jsonl")
    parse.add_argument("--jsonl", action="store_true", help='read {"text": ...} lines from stdin, write one result per line')
    _model_args(parse)
    parse.add_argument("--area", help="area of the speaking device, used when the sentence names none")
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


def _bad_line(parser: Any, message: str) -> ParseResult:
    return ParseResult(status="error", error=ErrorInfo(code="bad_input", message=message), model=parser.model_info)


def _texts(lines: Iterable[str]) -> Iterable[str | ValueError]:
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj.get("text") if isinstance(obj, dict) else None
            yield text if isinstance(text, str) else ValueError('each line needs a "text" string')
        except json.JSONDecodeError as exc:
            yield ValueError(f"not JSON: {exc.msg}")


def run_parse(args: argparse.Namespace) -> int:
    parser = _parser(args)
    if not args.jsonl:
        if not args.text:
            print("nanoiot parse: give TEXT or --jsonl", file=sys.stderr)
            return 2
        print(parser.parse(args.text, args.area).model_dump_json())
        return 0
    items = list(_texts(sys.stdin))
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        texts = [t for t in chunk if isinstance(t, str)]
        parsed = iter(parser.parse_batch(texts, [args.area] * len(texts)))
        for item in chunk:
            result = next(parsed) if isinstance(item, str) else _bad_line(parser, str(item))
            sys.stdout.write(result.model_dump_json() + "\n")
    return 0


def _shared_dir(args: argparse.Namespace) -> Path:
    if args.shared:
        return args.shared
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        if (base.parent / "shared" / "eval").exists():
            return base.parent / "shared"
    return Path.cwd().parent / "shared"


def slurp_accuracy(parser: Any, cases_path: Path, scorer_path: Path) -> dict[str, Any]:
    """Label accuracy with the shared scorer's own reduction of a result to a label."""
    spec = importlib.util.spec_from_file_location("score_slurp", scorer_path)
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    cases = [json.loads(line) for line in cases_path.read_text().splitlines() if line.strip()]
    results = []
    for start in range(0, len(cases), BATCH):
        results += parser.parse_batch([c["text"] for c in cases[start : start + BATCH]])
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
    from nanoiot.evaluate import exact_match_on_pairs, unregistered_names
    from nanoiot.train.pipeline import held_out_set

    engine = Engine(args.model)
    report: dict[str, Any] = {"model": {"name": engine.manifest.name, "version": engine.manifest.version}}
    held_out = held_out_set(args.held_out)
    report["held_out_generated_exact_match"] = exact_match_on_pairs(engine, held_out)
    report["held_out_names_not_in_registry"] = unregistered_names(engine, held_out)
    from nanoiot.train.real_data import SHARED_DATA, real_pairs

    if SHARED_DATA.exists():  # real chit-chat kept out of training: share the model answers with no action
        report["hwu64_ood_dev_not_understood"] = exact_match_on_pairs(engine, real_pairs(SHARED_DATA)["ood_dev"])
    shared = _shared_dir(args)
    scorer = shared / "eval" / "score_slurp.py"
    if scorer.exists():
        from nanoiot.parser import CommandParser

        parser = CommandParser(engine, load_registry(shared / "eval" / "slurp" / "registry.json"))
        for name in ("iot_test", "ood_test"):
            report[f"slurp_{name}"] = slurp_accuracy(parser, shared / "eval" / "slurp" / f"{name}.jsonl", scorer)
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
