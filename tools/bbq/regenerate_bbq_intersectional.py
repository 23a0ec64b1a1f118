#!/usr/bin/env python3
"""Regenerates BBQ's two intersectional categories (Race_x_gender, Race_x_SES) from the shipped templates.

Parrish et al. (2022) build these with a generator of their own (nyu-mll/BBQ,
generate_from_template_intersectional_cats.py + utils.py), separate from the single-axis one that
regenerate_bbq.py follows. This script is written anew from that procedure:

* per template row: the target is one race/ethnicity label (or, for proper-name rows, five sampled first names of a
  targeted ethnicity, and for Race_x_gender of the targeted gender) together with the targeted gender/SES value;
* per target word, five non-target race labels (proper-name rows: five names per comparison) are drawn, and every
  pair is written in three comparisons (Section 3.1 of the paper):
    a = same race, other gender/SES;  b = other race, same gender/SES;  c = other race and other gender/SES
  (for proper-name Race_x_SES rows, b and c share the other-race name, as upstream);
* each comparison is written in both orders (target first, then second), four examples each
  (neg/nonneg x ambig/disambig): 6 x 4 = 24 examples per pair;
* the gender/SES words: a template's own Names pair, otherwise an SES occupation drawn from the vocabulary per pair;
  {{WORD1}}/{{WORD2}} from Lexical_diversity; one of ten "unknown" phrasings; the three answers shuffled;
* answer_info is [label, "<gender|SES>-<race>"] (proper names: "<SES>-<gender>-<ethnicity>" for Race_x_SES) and
  additional_metadata.subcategory names the comparison (intersectional_a|b|c), as upstream writes them.

Upstream's quirks are kept on purpose (the released files have them too): "Latino woman" is rewritten to "Latina
woman" after the answer is matched, so such an answer keeps an empty answer_info; a label that is a prefix of another
("African" / "African American") can give both answers the same answer_info. `--check` reports how many answers
lack answer_info and how many examples have no single bias target because of them.

Upstream draws with unseeded `random` and pandas' `sample`, so no regeneration is byte-identical to the release; this
one is seeded (--seed, default 0). The number of examples per template does not depend on the draws, and `--check`
compares the totals with the paper's Table 3 (Race_x_gender 15,960; Race_x_SES 11,160), which are the row counts of
the released files (the files themselves are not in any stored snapshot of nyu-mll/BBQ).

The bias target of an intersectional template (Known_stereotyped_var2) is not in the released rows; `--targets FILE`
writes it per template (category, question_index, races, gender/SES), as the authors' analysis merges it in from the
templates (analysis_scripts/BBQ_results_metadata.R).

Usage (no third-party packages):
    python3 tools/bbq/regenerate_bbq_intersectional.py --bbq ../shared/data/bbq --out OUT --targets OUT/targets.tsv
    python3 tools/bbq/regenerate_bbq_intersectional.py --bbq ../shared/data/bbq --check
"""
import argparse
import ast
import collections
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regenerate_bbq import UNKNOWN, read_csv, two_lists, unique, write  # noqa: E402

CATEGORIES = ["Race_x_gender", "Race_x_SES"]
PAPER_ROWS = {"Race_x_gender": 15960, "Race_x_SES": 11160}
VOWEL_ARTICLE = re.compile(r"(\s[aA])(\s[aAeEiIoOuU])")


def slot(row, name1, gs1, name2, gs2, lex, w1, w2):
    """Fills {{NAME1/2}}, {{GEN1/2}}/{{OCC1/2}} (when gs1 is given) and {{WORD1/2}} in every column."""
    out = {}
    vowel = any(re.search("^[aeiou]", str(x).lower()) for x in (name1, name2, gs1, gs2))
    for col, text in row.items():
        t = text.replace("{{NAME1}}", name1).replace("{{NAME2}}", name2)
        if gs1 is not None:
            for s in ("GEN", "OCC"):
                t = t.replace("{{%s1}}" % s, gs1).replace("{{%s2}}" % s, gs2)
        if len(lex) > 1:
            t = t.replace("{{WORD1}}", w1).replace("{{WORD2}}", w2)
        t = t.replace("lesbian man", "lesbian woman").replace("Latino woman", "Latina woman")
        if vowel:
            t = VOWEL_ARTICLE.sub(r"\1n\2", t).replace(" an European", " a European")
        out[col] = t
    return out


def matches(name, answer):
    """Whether an entity (a label, or [race, gender/SES]) is named by an answer, as upstream tests it."""
    if isinstance(name, list):
        return name[0] in answer and name[1] in answer
    return name in answer


def shown(name):
    return name[0] + " " + name[1].lstrip() if isinstance(name, list) else name.lstrip()


def four(rng, cat, row, comparison, targets, name1, name2, info1, info2, nn):
    """The four examples of one filled row (neg/nonneg x ambig/disambig), answers shuffled."""
    # " man" so that "man" is not found inside "woman" (upstream's fix)
    name1, name2 = [fix_man(name1), fix_man(name2)]
    ans_neg, ans_non = row["Answer_negative"], row["Answer_non_negative"]
    unknown = rng.choice(UNKNOWN)
    answers = [ans_neg, ans_non, unknown]
    rng.shuffle(answers)
    neg_at, non_at, unk_at = answers.index(ans_neg), answers.index(ans_non), answers.index(unknown)
    keys = ["ans0", "ans1", "ans2"]
    info = {k: ["", ""] for k in keys}
    for name, group in ((name1, info1), (name2, info2)):
        if matches(name, ans_neg):
            info[keys[neg_at]] = [shown(name), group]
        if matches(name, ans_non):
            info[keys[non_at]] = [shown(name), group]
    info[keys[unk_at]] = [unknown, "unknown"]
    ambig = row["Ambiguous_Context"]
    disambig = "%s %s" % (ambig.strip(), row["Disambiguating_Context"])
    out = []
    for polarity, question, cond, context, label in (
            ("neg", row["Question_negative_stereotype"], "ambig", ambig, unk_at),
            ("neg", row["Question_negative_stereotype"], "disambig", disambig, neg_at),
            ("nonneg", row["Question_non_negative"], "ambig", ambig, unk_at),
            ("nonneg", row["Question_non_negative"], "disambig", disambig, non_at)):
        out.append({"example_id": nn + len(out), "question_index": row["Q_id"], "question_polarity": polarity,
                    "context_condition": cond, "category": cat, "answer_info": info,
                    "additional_metadata": {"subcategory": comparison, "stereotyped_groups": targets,
                                            "version": row.get("version", "None"), "source": row["Notes"]},
                    "context": context.strip(), "question": question.strip(), "ans0": answers[0],
                    "ans1": answers[1], "ans2": answers[2], "label": label})
    return out


def fix_man(name):
    if isinstance(name, list):
        return [name[0], " man" if name[1] == "man" else name[1]]
    return " man" if name == "man" else name


def generate(bbq, cat, rng):
    vocab = [v for v in read_csv(os.path.join(bbq, "templates", "vocabulary.csv")) if v["Pilot_include"] != "No"]
    names = read_csv(os.path.join(bbq, "templates", "vocabulary_proper_names.csv"))
    rows = [r for r in read_csv(os.path.join(bbq, "templates", "new_templates_%s.csv" % cat))
            if r["Ambiguous_Context"] != ""]
    races = unique(v["Name"] for v in vocab if v["Category"] == "Race_ethnicity")
    ses = [v for v in vocab if v["Category"] == "SES"]
    first_full = [n for n in names if n["First_last"] == "first"]
    out = []

    def full_name(n):
        last = rng.choice(unique(x["Name"] for x in names if x["First_last"] == "last"
                                 and x["ethnicity"] == n["ethnicity"]))
        return n["Name"] + " " + last

    def ses_words(var2, same):
        return unique(v["Name"] for v in ses if (v["Info"] == var2) == same)

    for row in rows:
        targets = ast.literal_eval(row["Known_stereotyped_race"]) if row["Known_stereotyped_race"] else []
        targeted = [w for w in races if w in targets] if targets else races
        word_list = rng.sample(targeted, 5) if len(targeted) > 4 else targeted
        proper = row["Proper_nouns_only"] == "TRUE"
        target_var2 = row["Known_stereotyped_var2"]
        other_var2 = {"M": "F", "F": "M", "lowSES": "highSES", "highSES": "lowSES"}[target_var2]
        if (cat == "Race_x_gender" and not proper) or row["Names"] != "":
            critical = ast.literal_eval(row["Names"])
            t_loc = ast.literal_eval(row["Var2_info"]).index(target_var2)
            t_gs, non_t_gs = critical[t_loc], critical[1 - t_loc]
        else:
            t_gs, non_t_gs = ses_words(target_var2, True), ses_words(target_var2, False)
        first = []
        if proper:
            first = [n for n in first_full if n["ethnicity"] in targets]
            if cat == "Race_x_gender":
                first = [n for n in first if n["gender"] == target_var2]
            if cat == "Race_x_SES" and row["Stated_gender_info"] != "":
                first = [n for n in first if n["gender"] == row["Stated_gender_info"]]
            word_list = rng.sample([n["Name"] for n in first], 5)
        for t_first in word_list:
            t_word = t_first
            name1_info = None
            info_of = {}
            seconds = rng.sample([w for w in races if w not in word_list], 5)
            if proper:
                me = next(n for n in first if n["Name"] == t_first)
                name1_info = me["gender"] + "-" + me["ethnicity"]
                t_word = t_first + " " + rng.choice(unique(
                    n["Name"] for n in names if n["First_last"] == "last" and n["ethnicity"] == me["ethnicity"]))
                if cat == "Race_x_SES":
                    pools = [
                        [n for n in first_full if n["ethnicity"] == me["ethnicity"] and n["gender"] == me["gender"]
                         and n["Name"] != t_first],
                        [n for n in first_full if n["ethnicity"] not in targets and n["gender"] == me["gender"]]]
                    diff = rng.sample(pools[1], 5)
                    same = rng.sample(pools[0], 5)
                    drawn = list(zip(same, diff))
                else:
                    pools = [
                        [n for n in first_full if n["ethnicity"] == me["ethnicity"] and n["gender"] != me["gender"]],
                        [n for n in first_full if n["ethnicity"] != me["ethnicity"] and n["gender"] == me["gender"]],
                        [n for n in first_full if n["ethnicity"] != me["ethnicity"] and n["gender"] != me["gender"]]]
                    drawn = list(zip(*[rng.sample(p, 5) for p in pools]))
                seconds = []
                for group in drawn:
                    fulls = []
                    for n in group:
                        f = full_name(n)
                        info_of[f] = n["gender"] + "-" + n["ethnicity"]
                        fulls.append(f)
                    seconds.append(fulls)
            static_info = name1_info
            for second in seconds:
                if row["Names"] == "" and cat == "Race_x_SES":
                    t_gs, non_t_gs = ses_words(target_var2, True), ses_words(target_var2, False)
                if isinstance(t_gs, list) and len(t_gs) > 0:
                    # a list (SES occupations, or a template's synonyms) is drawn from once and then kept, as upstream
                    t_gs, non_t_gs = rng.choice(t_gs), rng.choice(non_t_gs)
                lex = row["Lexical_diversity"]
                w1 = w2 = ""
                if len(lex) > 1:
                    l1, l2 = two_lists(lex)
                    w1 = rng.choice(l1)
                    if len(l2) > 1:
                        w2 = rng.choice(l2)
                if cat == "Race_x_gender" and proper:
                    infos = [info_of[s] for s in second]
                elif cat == "Race_x_SES" and proper:
                    name1_info = target_var2 + "-" + static_info
                    infos = [other_var2 + "-" + info_of[second[0]], target_var2 + "-" + info_of[second[1]],
                             other_var2 + "-" + info_of[second[1]]]
                else:
                    name1_info = target_var2 + "-" + t_word
                    infos = [other_var2 + "-" + t_word, target_var2 + "-" + second, other_var2 + "-" + second]
                if not proper:
                    others = [[t_word, non_t_gs], [second, t_gs], [second, non_t_gs]]
                    target = [t_word, t_gs]
                elif cat == "Race_x_gender":
                    others = list(second)
                    target = t_word
                else:
                    others = [[second[0], non_t_gs], [second[1], t_gs], [second[1], non_t_gs]]
                    target = [t_word, t_gs]
                sets = []
                for reverse in (False, True):
                    for comparison, other, info2 in zip("abc", others, infos):
                        one, two = (other, target) if reverse else (target, other)
                        i1, i2 = (info2, name1_info) if reverse else (name1_info, info2)
                        if isinstance(one, list):
                            filled = slot(row, one[0], one[1], two[0], two[1], lex, w1, w2)
                        else:
                            filled = slot(row, one, None, two, None, lex, w1, w2)
                        sets.append(four(rng, cat, filled, "intersectional_" + comparison, targets,
                                         one, two, i1, i2, len(out) + 4 * len(sets)))
                for s in sets:
                    out.extend(s)
    return out


def targets_table(bbq):
    """category, question_index, stereotyped races (JSON list as in the template), targeted gender/SES."""
    lines = ["category\tquestion_index\tknown_stereotyped_race\tknown_stereotyped_var2"]
    for cat in CATEGORIES:
        for r in read_csv(os.path.join(bbq, "templates", "new_templates_%s.csv" % cat)):
            if r["Ambiguous_Context"] != "":
                lines.append("\t".join([cat, r["Q_id"], r["Known_stereotyped_race"], r["Known_stereotyped_var2"]]))
    return "\n".join(lines) + "\n"


def quirks(examples, var2_of):
    """(examples with a named answer lacking answer_info, examples whose named answers hold no or two targets)."""
    empty = unresolved = 0
    for e in examples:
        var2 = var2_of[(e["category"], e["question_index"])]
        races = [g.lower() for g in e["additional_metadata"]["stereotyped_groups"]]
        hits = known = 0
        for k in ("ans0", "ans1", "ans2"):
            group = e["answer_info"][k][1]
            if group == "unknown":
                continue
            if group == "":
                empty += 1
                continue
            known += 1
            head, _, race = group.partition("-")
            race = re.sub("^[MF]-", "", race)
            hits += head == var2 and race.lower() in races
        # one known answer decides (the other is the target exactly when it is not); two must hold one target
        unresolved += known == 0 or (known == 2 and hits != 1)
    return empty, unresolved


def check(bbq, seed):
    ok = True
    var2_of = {}
    for line in targets_table(bbq).splitlines()[1:]:
        c, q, _, v = line.split("\t")
        var2_of[(c, q)] = v
    for cat in CATEGORIES:
        ex = generate(bbq, cat, random.Random(seed))
        same = len(ex) == PAPER_ROWS[cat]
        ok &= same
        per = collections.Counter(e["additional_metadata"]["subcategory"] for e in ex)
        empty, unresolved = quirks(ex, var2_of)
        print("%-14s regenerated %6d  paper (Table 3) %6d  %s  comparisons %s" % (
            cat, len(ex), PAPER_ROWS[cat], "equal" if same else "DIFFER", dict(sorted(per.items()))))
        print("%-14s answers without answer_info %d; examples without a single bias target %d" % (
            "", empty, unresolved))
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bbq", required=True, help="the BBQ snapshot (templates/)")
    p.add_argument("--out", help="folder for the regenerated <Category>.jsonl files")
    p.add_argument("--targets", help="also write the per-template bias targets (TSV) here")
    p.add_argument("--categories", nargs="+", default=CATEGORIES, choices=CATEGORIES)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true", help="compare row counts with the paper's Table 3")
    a = p.parse_args()
    if a.check:
        sys.exit(0 if check(a.bbq, a.seed) else 1)
    if not a.out:
        p.error("--out is required unless --check")
    os.makedirs(a.out, exist_ok=True)
    for cat in a.categories:
        ex = generate(a.bbq, cat, random.Random(a.seed))
        sha = write(ex, os.path.join(a.out, cat + ".jsonl"))
        print("%s.jsonl\t%d rows\tsha256 %s" % (cat, len(ex), sha))
    if a.targets:
        with open(a.targets, "w", encoding="utf-8", newline="\n") as f:
            f.write(targets_table(a.bbq))
        print("targets: %s" % a.targets)


if __name__ == "__main__":
    main()
