#!/usr/bin/env python3
"""Companion of gen_corpus.py for the many-files budget: writes N articles of
seed size into a folder (`.aam` files), each a deterministic variation of the
seed article (sentence order shuffled inside paragraphs, one word swapped), so
no two files are byte-identical.

Usage: python3 gen_folder.py --out /tmp/folder --count 5000
"""
import argparse
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default=os.path.join(HERE, "..", "tests", "data", "seed-article.txt"))
    ap.add_argument("--out", default="folder")
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--rng", type=int, default=20230625)
    args = ap.parse_args()

    with open(args.seed, encoding="utf-8") as f:
        lines = f.read().split("\n")
    body = [line for line in lines if line and not line.startswith("[")]
    notes = [line for line in lines if line.startswith("[")]
    rng = random.Random(args.rng)
    os.makedirs(args.out, exist_ok=True)
    for idx in range(args.count):
        paragraphs = []
        for paragraph in body:
            sentences = paragraph.split(". ")
            if len(sentences) > 2 and rng.random() < 0.3:
                head, tail = sentences[0], sentences[1:]
                rng.shuffle(tail)
                sentences = [head] + tail
            paragraphs.append(". ".join(sentences))
        text = "\n".join(paragraphs) + "\n" + "\n".join(notes) + f"\n<!-- variant {idx} -->\n"
        sub = os.path.join(args.out, f"{idx // 500:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"article_{idx:05d}.aam"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
