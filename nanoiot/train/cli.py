"""`nanoiot train`: rebuild the shipped command model (needs the `train` extra)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nanoiot.engine import SHIPPED_MODEL_DIR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="rebuild the command model from nothing (needs nanoiot[train])")
    parser.add_argument("--out", type=Path, default=SHIPPED_MODEL_DIR, help="model directory to write")
    parser.add_argument("--steps", type=int, default=8000)
    parser.add_argument("--generated", type=int, default=60000, help="generated sentences in the corpus")
    parser.add_argument("--real-repeat", type=int, default=10, help="oversampling of real in-domain sentences")
    parser.add_argument("--tiny", action="store_true", help="toy model, for testing the pipeline")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from nanoiot.train.pipeline import main

    return main(args.out, args.steps, args.generated, args.real_repeat, tiny=args.tiny)
