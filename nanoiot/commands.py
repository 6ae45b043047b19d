"""`nanoiot parse`, `nanoiot eval` and `nanoiot bench`: the model from the command line."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from nanoiot.engine import SHIPPED_MODEL_DIR, Engine
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

    bench = subparsers.add_parser("bench", help="latency, throughput and size of the model (medians and ratios)")
    _model_args(bench)
    bench.add_argument("--repeat", type=int, default=300)
    bench.add_argument("--mqtt", action="store_true", help="also the gateway through a private Mosquitto: round trip and burst")
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

    if SHARED_DATA.exists():  # real speech kept out of training: commands understood, chit-chat answered with no action
        real = real_pairs(SHARED_DATA)
        report["real_iot_dev_exact_match"] = exact_match_on_pairs(engine, real["iot_dev"])
        report["hwu64_ood_dev_not_understood"] = exact_match_on_pairs(engine, real["ood_dev"])
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


def _median_ms(fn: Any, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def run_bench(args: argparse.Namespace) -> int:
    """One run, medians and ratios: single-command latency per thread setting, batch throughput, size."""
    from nanoiot.parser import CommandParser

    registry = load_registry(args.registry or default_registry_path())
    model_dir = args.model or SHIPPED_MODEL_DIR
    from nanoiot.train.pipeline import held_out_set

    # distinct sentences, so no cache makes a repeated sentence look cheap
    sentences = [text for text, _ in held_out_set(max(args.repeat, 64), seed=123)]
    report: dict[str, Any] = {"model_dir": str(model_dir), "cpu_count": os.cpu_count()}
    size = sum(p.stat().st_size for p in Path(model_dir).iterdir() if p.is_file())
    report["model_bytes"] = size
    for threads in (1, 2):
        parser = CommandParser(Engine(model_dir, intra_threads=threads), registry)
        for s in sentences:
            parser.parse(s)  # warm up
        i = iter(range(10**9))
        median, p99 = _median_ms(lambda: parser.parse(sentences[next(i) % len(sentences)]), args.repeat)
        report[f"parse_ms_median_intra{threads}"] = round(median, 3)
        report[f"parse_ms_p99_intra{threads}"] = round(p99, 3)
    report["ratio_intra2_over_intra1"] = round(report["parse_ms_median_intra2"] / report["parse_ms_median_intra1"], 3)
    parser = CommandParser(Engine(model_dir, intra_threads=1), registry)
    if hasattr(os, "sched_setaffinity"):  # the gateway's floor: one command on one core
        cpus = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(cpus)})
        i = iter(range(10**9))
        median, p99 = _median_ms(lambda: parser.parse(sentences[next(i) % len(sentences)]), args.repeat)
        report["parse_ms_median_one_core"], report["parse_ms_p99_one_core"] = round(median, 3), round(p99, 3)
        beam = CommandParser(Engine(model_dir, intra_threads=1, beam_size=3), registry)
        i = iter(range(10**9))
        median, _ = _median_ms(lambda: beam.parse(sentences[next(i) % len(sentences)]), args.repeat)
        report["parse_ms_median_one_core_beam3"] = round(median, 3)
        report["ratio_beam3_over_default"] = round(median / report["parse_ms_median_one_core"], 3)
        os.sched_setaffinity(0, cpus)
    for batch in (1, 8, 32):
        batches = [(sentences * 2)[i : i + batch] for i in range(0, len(sentences), batch)]  # distinct, like the latency runs
        i = iter(range(10**9))
        median, _ = _median_ms(lambda: parser.parse_batch(batches[next(i) % len(batches)]), max(20, args.repeat // batch))
        report[f"batch{batch}_commands_per_s"] = round(batch / (median / 1000), 1)
    report["ratio_batch32_over_batch1_throughput"] = round(report["batch32_commands_per_s"] / report["batch1_commands_per_s"], 2)
    report["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.mqtt:
        from nanoiot.gateway.bench import mqtt_figures

        report.update(mqtt_figures(parser, Path(args.registry or default_registry_path()), sentences))
    print(json.dumps(report, indent=2))
    return 0
