"""The anchor for extraction: what a user would run instead of diplokg, bare spaCy over the texts.

    python bench/bare_spacy.py CORPUS.jsonl --model NAME --batch-size 16

Loads the full pipeline (`spacy.load(model)`, every component), runs `nlp.pipe` over the `text`
of every record and prints one JSON line: documents, tokens, seconds to load and to parse.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--model", required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    import spacy

    nlp = spacy.load(args.model)
    loaded = time.perf_counter()
    lines = args.corpus.read_text(encoding="utf-8").split("\n")
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=args.batch_size))
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "documents": len(texts),
                "tokens": tokens,
                "load_seconds": loaded - started,
                "parse_seconds": done - loaded,
                "pipeline": nlp.pipe_names,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
