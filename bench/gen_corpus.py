#!/usr/bin/env python3
"""Benchmark-corpus generator for prose "annotated article" linters.

Builds article-like files of a target size from a seed article (body paragraphs,
inline [n] footnote markers, and a trailing notes list "[n] text"), by
concatenating varied copies of the body.  Every file comes in two flavours:

  NAME.txt  plain text, same conventions as the seed ([n] markers, "[n] note")
  NAME.md   Markdown with GFM footnotes ([^n] markers, "[^n]: note"), headings "## "

Variation per copy (copy 0 keeps the seed's own sentence order and wording):
  * sentence order shuffled inside each paragraph,
  * word substitutions from a small synonym table (p=0.35 per occurrence),
  * any sentence that would repeat an earlier one verbatim is mutated further
    (discourse opener / adverb / tag) until it is unique, so the ONLY exact
    duplicate sentences are the injected ones below (plus whatever the seed
    itself contains - it has none verbatim; it has one near-duplicate pair).

Injected, counted ground truth (see NAME.truth.json):
  * exact duplicates: each copy repeats `--dups-per-copy` (default 1) earlier
    marker-free sentence of that copy verbatim in a later paragraph,
  * dated sentences with a CORRECT weekday ("Sunday, June 25, 2023"): 1 per copy,
  * weekday mismatches, long form "Monday, June 25, 2023": copies c % 2 == 0,
  * weekday mismatches, ISO form "2023-06-25 (Monday)": copies c % 5 == 0,
  * invalid calendar dates ("February 30, 2023"): copies c % 7 == 0,
  * unresolved footnote reference (its note omitted from the notes list):
    copies c % 10 == 0.
All injections happen in copy 0, so even the ~10 KB file has one of each.

Footnote markers are renumbered globally (copy c uses 7*c+1 .. 7*c+7), notes
get a per-copy "accessed <date>" suffix so the notes list has no verbatim
repeats either.

Usage:  python3 gen_corpus.py [--seed ../examples/seed-article.txt] [--out corpus]
                       [--sizes 10k,100k,1m,10m]   (also available: 300k, 3m)
Deterministic: same --rng and seed give byte-identical files.
Also writes corpus/seed.txt (verbatim copy) and corpus/seed.md (Markdown
conversion of the seed, no variation, no injection).
"""
import argparse
import datetime as dt
import json
import os
import random
import re
import sys

SIZES = {"10k": 10_000, "100k": 100_000, "300k": 300_000, "1m": 1_000_000,
         "3m": 3_000_000, "10m": 10_000_000}  # default run: 10k,100k,1m,10m

SYN = {
    "said": ["stated", "noted", "remarked"],
    "brief": ["short", "concise"],
    "countries": ["nations", "states"],
    "nations": ["countries", "states"],
    "closer": ["nearer", "tighter"],
    "long": ["lengthy"],
    "meeting": ["talks", "session"],
    "officials": ["representatives", "diplomats"],
    "threat": ["danger", "risk"],
    "threats": ["dangers", "risks"],
    "challenge": ["test", "problem"],
    "government": ["administration", "leadership"],
    "mutual": ["shared", "reciprocal"],
    "especially": ["particularly", "notably"],
    "particularly": ["especially", "notably"],
    "various": ["numerous", "multiple"],
    "efforts": ["attempts", "moves"],
    "strengthening": ["reinforcing", "deepening"],
    "claims": ["assertions", "professions"],
    "position": ["stance", "posture"],
    "worries": ["concerns", "troubles"],
    "improve": ["recover", "warm"],
    "agreed": ["decided", "consented"],
    "culminated": ["peaked", "concluded"],
    "demonstrated": ["shown", "illustrated"],
    "closely": ["carefully", "intently"],
    "maintaining": ["preserving", "sustaining"],
    "security": ["safety", "defense"],
    "recently": ["lately", "of late"],
    "thorough": ["careful", "detailed"],
    "advantages": ["benefits", "upsides"],
    "disadvantages": ["drawbacks", "downsides"],
    "restore": ["repair", "mend"],
    "comments": ["remarks", "statements"],
    "deepen": ["strengthen", "expand"],
    "photo": ["picture", "photograph"],
    "smiling": ["grinning", "beaming"],
    "events": ["incidents", "happenings"],
    "reaffirmed": ["restated", "reiterated"],
    "refused": ["declined"],
    "condemn": ["denounce", "criticize"],
    "invasion": ["incursion", "offensive"],
    "began": ["started"],
    "visit": ["trip"],
    "signed": ["concluded", "inked"],
    "upgraded": ["elevated", "raised"],
    "principles": ["tenets", "rules"],
    "actors": ["players", "powers"],
    "monitored": ["watched", "observed"],
    "isolate": ["cut off", "sideline"],
    "ensure": ["secure", "guarantee"],
    "existence": ["survival", "standing"],
    "additional": ["extra", "added"],
    "supporting": ["reinforcing", "sustaining"],
    "physically": ["geographically"],
    "contexts": ["settings", "modes"],
    "scenario": ["situation", "setting"],
    "necessarily": ["automatically", "always"],
    "calculation": ["assessment", "weighing"],
    "statement": ["communique", "declaration"],
    "relations": ["ties"],
    "partner": ["counterpart"],
    "important": ["significant"],
}
SYN_RE = re.compile(r"\b(" + "|".join(sorted(SYN, key=len, reverse=True)) + r")\b", re.I)

OPENERS = ["Notably", "In fact", "Reportedly", "Indeed", "Meanwhile", "Even so",
           "At the time", "By most accounts", "According to observers", "As reported",
           "In short", "For context", "To be sure", "Crucially", "Arguably",
           "In practice", "On balance", "Moreover", "Still", "Likewise", "Admittedly",
           "Historically", "Officially", "Publicly", "Predictably", "Interestingly",
           "Tellingly", "Understandably", "Evidently", "Clearly", "Again", "Similarly",
           "In turn", "By then", "For now", "Above all", "In effect", "Of course",
           "In the end", "Once again"]
TAGS = ["analysts noted", "observers said", "diplomats added", "one scholar argued",
        "reports suggested", "commentators observed", "sources claimed",
        "experts cautioned", "critics replied", "officials insisted", "editors wrote",
        "researchers found"]
LOWER_FIRST = {"The", "This", "In", "If", "During", "On", "Despite", "What", "Both",
               "Their", "Even", "Although", "Since", "These", "A", "It", "That",
               "Moreover", "Friendly", "Its"}

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DATE_TEMPLATES = [
    "On {d}, the ministry issued a further clarification.",
    "A second round of consultations took place on {d}.",
    "The follow-up call between the two delegations was held on {d}.",
    "Officials confirmed the schedule in a notice dated {d}.",
    "State media revisited the episode in a commentary published on {d}.",
]
INVALID = [("February", 30), ("February", 31), ("April", 31), ("June", 31),
           ("September", 31), ("November", 31), ("February", 29)]  # Feb 29 only in non-leap years

MARK_RE = re.compile(r"\[(\d+)\]")
NOTE_RE = re.compile(r"^\[(\d+)\]\s?(.*)$")
# sentence boundary: terminal punct, optional closing quotes, optional markers, then space
SENT_END = re.compile(r"[.!?][”\"’)]*(?:\[\d+\])*(?=\s+[“\"‘(A-Z0-9])")


def split_sentences(par):
    out, start = [], 0
    for m in SENT_END.finditer(par):
        out.append(par[start:m.end()].strip())
        start = m.end()
    tail = par[start:].strip()
    if tail:
        out.append(tail)
    return out


def parse_seed(text):
    lines = text.splitlines()
    body, notes = [], []
    for ln in lines:
        m = NOTE_RE.match(ln)
        if m and (notes or ln.startswith("[1]")):
            notes.append((int(m.group(1)), m.group(2)))
        elif notes:  # continuation of a note
            notes[-1] = (notes[-1][0], notes[-1][1] + " " + ln)
        elif ln.strip():
            body.append(ln.strip())
    paras = []
    for p in body:
        is_heading = len(p) < 90 and not MARK_RE.search(p) and not p.endswith(".")
        paras.append({"heading": is_heading, "sents": [p] if is_heading else split_sentences(p)})
    return paras, notes


def norm(s):
    s = MARK_RE.sub("", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def match_case(src, repl):
    if src.isupper():
        return repl.upper()
    if src[0].isupper():
        return repl[0].upper() + repl[1:]
    return repl


def substitute(s, rng, p=0.35):
    def f(m):
        w = m.group(0)
        if rng.random() < p:
            return match_case(w, rng.choice(SYN[w.lower()]))
        return w
    return SYN_RE.sub(f, s)


def add_opener(s, rng):
    first = s.split(" ", 1)[0]
    body = s
    if first in LOWER_FIRST:
        body = s[0].lower() + s[1:]
    return f"{rng.choice(OPENERS)}, {body}"


def add_tag(s, rng):
    """Insert "<tag>, " after an existing clause comma, else prepend "As <tag>, "."""
    commas = [m.end() for m in re.finditer(r"(?<![”\"]), (?=[a-z])", s)]
    if commas:
        k = rng.choice(commas)
        return s[:k] + f"{rng.choice(TAGS)}, " + s[k:]
    first = s.split(" ", 1)[0]
    body = s[0].lower() + s[1:] if first in LOWER_FIRST else s
    return f"As {rng.choice(TAGS)}, {body}"


def fmt_long(d, weekday=None):
    wd = weekday if weekday is not None else WEEKDAYS[d.weekday()]
    return f"{wd}, {MONTHS[d.month - 1]} {d.day}, {d.year}"


def fmt_iso(d, weekday=None):
    wd = weekday if weekday is not None else WEEKDAYS[d.weekday()]
    return f"{d.isoformat()} ({wd})"


def rand_date(rng):
    return dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 35))


def build(paras, notes, target, rng, dups_per_copy=1):
    """Return (txt_lines, md_lines, md_note_lines, truth).

    Copies are appended until the file reaches `target` bytes; the last copy is
    cut at a paragraph boundary, and only injections/notes of emitted
    paragraphs are kept (and counted)."""
    nper = len(notes)
    seen = set()
    items = []
    txt, md, note_txt, note_md = [], [], [], []
    size = 0
    c = 0
    done = False
    while not done:
        base = nper * c
        copy_pars = []  # list of (heading, [sentences])
        for p in paras:
            if p["heading"]:
                h = p["sents"][0] if c == 0 else f"Part {c + 1}: {substitute(p['sents'][0], rng)}"
                copy_pars.append((True, [h]))
                continue
            sents = list(p["sents"])
            if c > 0:
                rng.shuffle(sents)
            new = []
            for s in sents:
                s = MARK_RE.sub(lambda m: f"[{int(m.group(1)) + base}]", s)
                if c > 0:
                    s = substitute(s, rng)
                tries = 0
                cand = s
                while norm(cand) in seen:
                    tries += 1
                    if tries < 15:
                        cand = add_opener(s, rng)
                    elif tries < 40:
                        cand = add_tag(add_opener(s, rng), rng)
                    elif tries < 80:
                        cand = add_tag(add_tag(add_opener(substitute(s, rng, 0.5), rng), rng), rng)
                    else:
                        cand = add_tag(s, rng).rstrip(".") + f" (note {c}-{tries})."
                seen.add(norm(cand))
                new.append(cand)
            copy_pars.append((False, new))
        # --- injections: (paragraph index, item) ---
        inj = []
        body_idx = [i for i, (h, _) in enumerate(copy_pars) if not h]

        def put(kind, make, **extra):
            # draw until the dated sentence is unique in the file
            while True:
                datetext, more = make()
                sent = rng.choice(DATE_TEMPLATES).format(d=datetext)
                if norm(sent) not in seen:
                    break
            seen.add(norm(sent))
            pi = rng.choice(body_idx)
            copy_pars[pi][1].append(sent)
            inj.append((pi, dict(copy=c, kind=kind, text=datetext, **extra, **more)))

        def correct():
            d = rand_date(rng)
            return fmt_long(d), {}

        def mismatch(fmt):
            def f():
                d = rand_date(rng)
                wrong = WEEKDAYS[(d.weekday() + rng.randint(1, 6)) % 7]
                return fmt(d, wrong), {"actual": WEEKDAYS[d.weekday()]}
            return f

        def invalid():
            mon, day = rng.choice(INVALID)
            yr = rng.choice([y for y in range(1995, 2030) if y % 4 != 0])
            return f"{mon} {day}, {yr}", {}

        for _ in range(dups_per_copy):
            cands = [(i, s) for i in body_idx[:-1] for s in copy_pars[i][1]
                     if not MARK_RE.search(s) and len(s) > 40]
            i, s = rng.choice(cands)
            j = rng.choice([j for j in body_idx if j > i])
            copy_pars[j][1].insert(rng.randint(0, len(copy_pars[j][1])), s)
            inj.append((j, dict(copy=c, kind="exact_duplicate", text=s)))
        put("weekday_correct", correct)
        if c % 2 == 0:
            put("weekday_mismatch_long", mismatch(fmt_long))
        if c % 5 == 0:
            put("weekday_mismatch_iso", mismatch(fmt_iso))
        if c % 7 == 0:
            put("invalid_date", invalid)
        # --- emit paragraphs until the target size is reached ---
        emitted = 0
        refs = []
        for h, sents in copy_pars:
            if h:
                txt.append(sents[0])
                md.append(f"## {sents[0]}")
            else:
                par = " ".join(sents)
                txt.append(par)
                md.append(MARK_RE.sub(lambda m: f"[^{m.group(1)}]", par))
                refs += [int(x) for x in MARK_RE.findall(par)]
            size += len(txt[-1].encode()) + 1
            emitted += 1
            # notes of this copy still to be written count towards the size
            pending = sum(len(notes[r - base - 1][1].encode()) + 30 for r in refs)
            if size + pending >= target:
                done = True
                break
        items += [it for pi, it in inj if pi < emitted]
        # --- notes for the emitted refs of this copy ---
        acc = dt.date(2023, 7, 1) + dt.timedelta(days=c)
        drop = None
        if c % 10 == 0 and refs:
            drop = rng.choice(refs)
            items.append(dict(copy=c, kind="unresolved_ref", text=f"[{drop}]"))
        for num in sorted(set(refs)):
            if num == drop:
                continue
            full = f"{notes[num - base - 1][1]}, accessed {MONTHS[acc.month - 1]} {acc.day}, {acc.year}"
            note_txt.append(f"[{num}] {full}")
            note_md.append(f"[^{num}]: {full}")
            size += len(note_txt[-1].encode()) + 1
        c += 1
    truth = {"target_bytes": target, "copies": c,
             "headings": sum(1 for l in md if l.startswith("## ")),
             "paragraphs": sum(1 for l in md if not l.startswith("## ")),
             "footnote_refs": sum(len(MARK_RE.findall(l)) for l in txt),
             "notes": len(note_txt)}
    for k in ["exact_duplicate", "weekday_correct", "weekday_mismatch_long",
              "weekday_mismatch_iso", "invalid_date", "unresolved_ref"]:
        truth[k + "_count"] = sum(1 for it in items if it["kind"] == k)
    truth["items"] = items
    return txt + note_txt, md, note_md, truth


def seed_to_md(text):
    paras, notes = parse_seed(text)
    out = []
    for p in paras:
        if p["heading"]:
            out.append("## " + p["sents"][0])
        else:
            out.append(MARK_RE.sub(lambda m: f"[^{m.group(1)}]", " ".join(p["sents"])))
    out += [f"[^{n}]: {t}" for n, t in notes]
    return "\n\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "seed-article.txt"))
    ap.add_argument("--out", default="corpus")
    ap.add_argument("--sizes", default="10k,100k,1m,10m")
    ap.add_argument("--dups-per-copy", type=int, default=1)
    ap.add_argument("--rng", type=int, default=20230625)
    a = ap.parse_args()
    text = open(a.seed, encoding="utf-8").read()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "seed.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(a.out, "seed.md"), "w", encoding="utf-8") as f:
        f.write(seed_to_md(text))
    paras, notes = parse_seed(text)
    for name in a.sizes.split(","):
        target = SIZES[name]
        rng = random.Random(a.rng + target)
        txt, md, note_md, truth = build(paras, notes, target, rng, a.dups_per_copy)
        p_txt = os.path.join(a.out, f"article_{name}.txt")
        p_md = os.path.join(a.out, f"article_{name}.md")
        with open(p_txt, "w", encoding="utf-8") as f:
            f.write("\n".join(txt) + "\n")
        with open(p_md, "w", encoding="utf-8") as f:
            f.write("\n\n".join(md + note_md) + "\n")
        truth["bytes_txt"] = os.path.getsize(p_txt)
        truth["bytes_md"] = os.path.getsize(p_md)
        with open(os.path.join(a.out, f"article_{name}.truth.json"), "w") as f:
            json.dump(truth, f, indent=1, ensure_ascii=False)
        summ = {k: v for k, v in truth.items() if k != "items"}
        print(name, json.dumps(summ), file=sys.stderr)


if __name__ == "__main__":
    main()
