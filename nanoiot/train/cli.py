"""`nanoiot train`: rebuild the shipped command model (needs the `train` extra)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nanoiot.engine import SHIPPED_MODEL_DIR

DEFAULT_STEPS = 3000
REAL_REPEAT = 30  # nanoiot.train.pipeline.REAL_REPEAT (not imported: the CLI must load without the train extra)
HASS = 10000  # nanoiot.train.pipeline.HASS, likewise
STATEMENTS = 0  # nanoiot.train.pipeline.STATEMENTS, likewise


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="rebuild the command model from nothing (needs nanoiot[train])")
    parser.add_argument("--out", type=Path, default=SHIPPED_MODEL_DIR, help="model directory to write")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS)
    parser.add_argument("--generated", type=int, default=60000, help="generated sentences in the corpus")
    parser.add_argument("--real-repeat", type=int, default=REAL_REPEAT, help="oversampling of real in-domain sentences")
    parser.add_argument("--hass", type=int, default=HASS,
                        help="sentences in the shapes of Home Assistant's intent templates (home-assistant-intents)")
    parser.add_argument("--statements", type=int, default=STATEMENTS,
                        help="statements naming a device, taught as no command (nanoiot.train.corpus.STATEMENTS)")
    parser.add_argument("--random-init", action="store_true", help="the same model without MiniLM's weights (comparison)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument("--max-minutes", type=float, default=0.0, help="stop training early after this long (0: never)")
    parser.add_argument("--tiny", action="store_true", help="toy model on one MiniLM layer, for testing the pipeline")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from nanoiot.train.pipeline import main

    return main(args.out, args.steps, args.generated, args.real_repeat, tiny=args.tiny, pretrained=not args.random_init,
                threads=args.threads, max_minutes=args.max_minutes, hass=args.hass, told=args.statements)
