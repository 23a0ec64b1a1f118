#!/usr/bin/env python3
"""Regenerates BBQ category files from the shipped templates (Parrish et al. 2022, CC BY 4.0).

The BBQ snapshot in ../shared/data/bbq lacks the large category files (Gender_identity, Race_ethnicity, SES and the
two intersectional ones) but has every template and vocabulary file. This script fills the templates the way the
authors' generator (nyu-mll/BBQ, bbq/generate_from_template_all_categories.py + utils.py) describes it, written
anew here from that description:

* per template row: the category's vocabulary (or the row's own Names / Subcategory / proper names), at most five
  target words sampled, each paired with every second word (five sampled where the authors sample five);
* per pair: {{WORD1}}/{{WORD2}} drawn from Lexical_diversity, slots filled, "a" -> "an" before vowels, one of ten
  "unknown" phrasings drawn, the three answers shuffled, and four examples written (neg/nonneg x ambig/disambig);
* the pair is written a second time with the two names swapped for Race_ethnicity, Religion, Nationality,
  Sexual_orientation, proper-name rows and SES occupation rows.

Upstream draws with Python's unseeded `random`, so no regeneration can be byte-identical to the released files; this
one is seeded (--seed, default 0) and therefore reproducible. Which words are drawn differs from the release; how
many examples each template yields does not, and `--check` proves it by regenerating the six categories the
snapshot does ship and comparing their row counts (and per-template counts) with the released files.

The intersectional categories (Race_x_gender, Race_x_SES) come from a separate upstream generator with three
conditions per pair; they are not regenerated here.

Usage (no third-party packages):
    python3 tools/bbq/regenerate_bbq.py --bbq ../shared/data/bbq --out OUT --categories Gender_identity
    python3 tools/bbq/regenerate_bbq.py --bbq ../shared/data/bbq --check
"""
import argparse
import ast
import collections
import csv
import hashlib
import json
import os
import random
import re
import sys

NON_INTERSECTIONAL = ["Disability_status", "Age", "Physical_appearance", "SES", "Gender_identity",
                      "Race_ethnicity", "Religion", "Nationality", "Sexual_orientation"]
SHIPPED = ["Age", "Disability_status", "Nationality", "Physical_appearance", "Religion", "Sexual_orientation"]
UNKNOWN = ["Unknown", "Cannot be determined", "Can't be determined", "Not answerable", "Not known",
           "Not enough info", "Not enough information", "Cannot answer", "Can't answer", "Undetermined"]
# categories whose rows name the stereotyped groups and whose pairs are also written with the names swapped
SWAPPED = {"Race_ethnicity", "Religion", "Nationality", "Sexual_orientation"}


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def unique(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def two_lists(spec):
    """'WORD1: [a, b]; WORD2: [c]' (or NAME1/NAME2) -> (['a', 'b'], ['c']); the second is '' when absent."""
    first, second = [], ""
    for part in spec.split(";"):
        is1 = "WORD1" in part or "NAME1" in part
        is2 = "WORD2" in part or "NAME2" in part
        body = part
        for tag in ("WORD1:", "{{WORD1}}:", "NAME1:", "{{NAME1}}:", "WORD2:", "{{WORD2}}:", "NAME2:", "{{NAME2}}:"):
            body = body.replace(tag, "")
        words = [w.strip() for w in body.strip().replace("[", "").replace("]", "").split(",")]
        if is1:
            first = words
        # as upstream: a part without a second slot resets the second list, so WORD2 must come last
        second = words if is2 else ""
    return first, second


VOWEL_ARTICLE = re.compile(r"(\s[aA])(\s[aAeEiIoOuU])")


def fill(row, name1, name2, lex, w1, w2):
    out = {}
    for col, text in row.items():
        t = text.replace("{{NAME1}}", name1).replace("{{NAME2}}", name2)
        if len(lex) > 1:
            t = t.replace("{{WORD1}}", w1).replace("{{WORD2}}", w2)
        t = t.replace("lesbian man", "lesbian woman").replace("Latino woman", "Latina woman")
        if re.search("^[aeiou]", name1.lower()) or re.search("^[aeiou]", name2.lower()):
            t = VOWEL_ARTICLE.sub(r"\1n\2", t).replace(" an European", " a European")
        out[col] = t
    return out


def four_examples(rng, cat, row, subcat, targets, name1, name2, info1, info2, nn):
    ans_neg, ans_non = row["Answer_negative"], row["Answer_non_negative"]
    unknown = rng.choice(UNKNOWN)
    answers = [ans_neg, ans_non, unknown]
    rng.shuffle(answers)
    neg_at, non_at, unk_at = answers.index(ans_neg), answers.index(ans_non), answers.index(unknown)
    keys = ["ans0", "ans1", "ans2"]
    info = {k: ["", ""] for k in keys}
    # " man" so that "man" is not found inside "woman"
    n1 = " man" if name1 == "man" else name1
    n2 = " man" if name2 == "man" else name2
    for name, group in ((n1, info1), (n2, info2)):
        if name in ans_neg:
            info[keys[neg_at]] = [name.lstrip(), group]
        if name in ans_non:
            info[keys[non_at]] = [name.lstrip(), group]
    info[keys[unk_at]] = [unknown, "unknown"]
    version = row.get("version", "None")
    ambig = row["Ambiguous_Context"]
    disambig = "%s %s" % (ambig.strip(), row["Disambiguating_Context"])
    out = []
    for polarity, question, context_cond, context, label in (
            ("neg", row["Question_negative_stereotype"], "ambig", ambig, unk_at),
            ("neg", row["Question_negative_stereotype"], "disambig", disambig, neg_at),
            ("nonneg", row["Question_non_negative"], "ambig", ambig, unk_at),
            ("nonneg", row["Question_non_negative"], "disambig", disambig, non_at)):
        out.append({"example_id": nn + len(out), "question_index": row["Q_id"], "question_polarity": polarity,
                    "context_condition": context_cond, "category": cat, "answer_info": info,
                    "additional_metadata": {"subcategory": subcat, "stereotyped_groups": targets,
                                            "version": version, "source": row["Notes"]},
                    "context": context.strip(), "question": question.strip(), "ans0": answers[0],
                    "ans1": answers[1], "ans2": answers[2], "label": label})
    return out


def generate(bbq, cat, rng):
    vocab = [v for v in read_csv(os.path.join(bbq, "templates", "vocabulary.csv")) if v["Pilot_include"] != "No"]
    names = read_csv(os.path.join(bbq, "templates", "vocabulary_proper_names.csv"))
    rows = [r for r in read_csv(os.path.join(bbq, "templates", "new_templates_%s.csv" % cat))
            if r["Ambiguous_Context"] != ""]
    cols = rows[0].keys() if rows else []
    out = []
    for row in rows:
        words = [v for v in vocab if v["Category"] == cat]
        possible = unique(v["Name"] for v in words)
        raw_targets = row["Known_stereotyped_groups"]
        targets = ast.literal_eval(raw_targets)
        targeted = [x for x in possible if x in targets] if len(raw_targets) > 1 and cat in SWAPPED else possible
        if len(targeted) > 4:
            word_list = rng.sample(targeted, 5)
        elif len(possible) < 2:
            word_list = []
        else:
            word_list = targeted
        proper = "Proper_nouns_only" in cols and row["Proper_nouns_only"] == "TRUE"
        subcat = "None"
        if "Subcategory" in cols and len(row["Subcategory"]) > 1:
            subcat = row["Subcategory"]
            words = [v for v in words if v["SubCat"] == subcat]
            word_list = unique(v["Name"] for v in words)
            if len(word_list) > 5:
                word_list = rng.sample(word_list, 5)
        critical = row.get("Names", "")
        second = []
        if len(critical) > 1:
            word_list, second = two_lists(critical)
        first_names = first_full = []
        if proper:
            if cat == "Race_ethnicity":
                first_full = [n for n in names if n["First_last"] == "first"]
                first_names = [n for n in first_full if n["ethnicity"] in targets] if targets else first_full
                word_list = rng.sample([n["Name"] for n in first_names], 5)
            elif cat == "Gender_identity":
                first_names = [n for n in names if n["First_last"] == "first_only"]
                word_list = rng.sample([n["Name"] for n in first_names if n["gender"] == "F"], 5)
            else:
                first_names = [n for n in names if n["First_last"] == "first_only"]
                word_list = rng.sample([n["Name"] for n in first_names], 6)
        for word in word_list:
            info1 = None
            info2_of = {}
            if len(critical) < 2:
                if targets and cat in SWAPPED:
                    second = [n for n in possible if n not in targets]
                    if len(second) > 4:
                        second = rng.sample(second, 5)
                else:
                    second = [n for n in word_list if n != word]
                if cat == "SES" and not proper:
                    info1 = next(v["Info"] for v in words if v["Name"] == word)
                    second = unique(v["Name"] for v in words if v["Info"] != info1)
                if cat == "Gender_identity" and proper:
                    gender = next(n["gender"] for n in first_names if n["Name"] == word)
                    info1 = gender
                    second = rng.sample(unique(n["Name"] for n in first_names if n["gender"] != gender), 5)
                if cat == "Race_ethnicity" and proper:
                    me = next(n for n in first_names if n["Name"] == word)
                    info1 = me["gender"] + "-" + me["ethnicity"]
                    lasts = unique(n["Name"] for n in names
                                   if n["First_last"] == "last" and n["ethnicity"] == me["ethnicity"])
                    word = word + " " + rng.choice(lasts)
                    others = [n for n in first_full if n["ethnicity"] not in targets and n["gender"] == me["gender"]]
                    others = rng.sample(others, 5)
                    other_lasts = [n for n in names if n["First_last"] == "last" and n["ethnicity"] not in targets]
                    second = []
                    for o in others:
                        last = rng.choice(unique(n["Name"] for n in other_lasts if n["ethnicity"] == o["ethnicity"]))
                        full = o["Name"] + " " + last
                        second.append(full)
                        info2_of[full] = o["gender"] + "-" + o["ethnicity"]
            for k, word2 in enumerate(second):
                lex = row["Lexical_diversity"]
                w1 = w2 = ""
                if len(lex) > 1:
                    l1, l2 = two_lists(lex)
                    w1 = rng.choice(l1)
                    if len(l2) > 1:
                        w2 = rng.choice(l2)
                filled = fill(row, word, word2, lex, w1, w2)
                if info1 is not None and cat == "Race_ethnicity" and proper:
                    info2 = info2_of[word2]
                elif cat == "Gender_identity" and proper:
                    info2 = next((n["gender"] for n in first_names if n["Name"] == word2), word2)
                    if row["NAME1_info"] != "":
                        if k == 0:
                            info1 = row["NAME1_info"] + "_" + info1
                        info2 = row["NAME2_info"] + "_" + info2
                elif cat == "Nationality" or (cat == "SES" and subcat == "Occupation"):
                    info1 = next(v["Info"] for v in vocab if v["Name"] == word)
                    info2 = next(v["Info"] for v in vocab if v["Name"] == word2)
                elif "NAME1_info" in cols:
                    if row["NAME1_info"] != "":
                        info1, info2 = row["NAME1_info"], row["NAME2_info"]
                    else:
                        info1, info2 = word, word2
                else:
                    info1, info2 = word, word2
                out.extend(four_examples(rng, cat, filled, subcat, targets, word, word2, info1, info2, len(out)))
                if cat in SWAPPED or proper or (cat == "SES" and subcat == "Occupation"):
                    swapped = fill(row, word2, word, lex, w1, w2)
                    out.extend(four_examples(rng, cat, swapped, subcat, targets, word2, word, info2, info1,
                                             len(out)))
    return out


def write(examples, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for e in examples:
            f.write(json.dumps(e) + "\n")
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def per_template(examples):
    return collections.Counter(e["question_index"] for e in examples)


def check(bbq, seed):
    ok = True
    for cat in SHIPPED:
        mine = generate(bbq, cat, random.Random(seed))
        with open(os.path.join(bbq, "data", cat + ".jsonl"), encoding="utf-8") as f:
            theirs = [json.loads(line) for line in f]
        same = len(mine) == len(theirs) and per_template(mine) == per_template(theirs)
        ok &= same
        print("%-20s regenerated %5d  released %5d  per-template counts %s" % (
            cat, len(mine), len(theirs), "equal" if same else "DIFFER"))
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bbq", required=True, help="the BBQ snapshot (templates/, data/)")
    p.add_argument("--out", help="folder for the regenerated <Category>.jsonl files")
    p.add_argument("--categories", nargs="+", default=["Gender_identity"], choices=NON_INTERSECTIONAL)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true", help="compare counts with the six released categories")
    a = p.parse_args()
    if a.check:
        sys.exit(0 if check(a.bbq, a.seed) else 1)
    os.makedirs(a.out, exist_ok=True)
    for cat in a.categories:
        ex = generate(a.bbq, cat, random.Random(a.seed))
        sha = write(ex, os.path.join(a.out, cat + ".jsonl"))
        print("%s.jsonl\t%d rows\tsha256 %s" % (cat, len(ex), sha))


if __name__ == "__main__":
    main()
