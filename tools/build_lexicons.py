#!/usr/bin/env python3
"""Regenerates core/src/main/resources/org/unmask/lexicons/{occupations,gender-words}.tsv from ../shared/data.

Run from the repo root: python3 tools/build_lexicons.py ../shared/data
Decisions are documented in the lexicons' PROVENANCE.md.
"""
import csv, sys, os

data = sys.argv[1] if len(sys.argv) > 1 else '../shared/data'
out = 'core/src/main/resources/org/unmask/lexicons'

occ = {}
with open(f'{data}/winogender/occupations-stats.tsv') as f:
    for r in csv.DictReader(f, delimiter='\t'):
        occ[r['occupation']] = dict(pct=r['bls_pct_female'], src='winogender-bls-2015', wg='yes', wb='no', group='')
singular = {'counselors': 'counselor', 'hairdressers': 'hairdresser'}
with open(f'{data}/winobias/occupations_pct_women_from_upstream_README.tsv') as f:
    for r in csv.DictReader(f, delimiter='\t'):
        name = singular.get(r['occupation'], r['occupation'])
        name = 'ceo' if name == 'CEO' else name
        group = r['group'].replace('_biased', '')
        if name in occ:
            occ[name].update(wb='yes', group=group)
        else:
            occ[name] = dict(pct=r['bls_pct_women'], src='winobias-readme-bls', wg='no', wb='yes', group=group)
with open(f'{out}/occupations.tsv', 'w') as f:
    f.write('occupation\tpct_female\tpct_female_source\twinogender\twinobias\twinobias_group\n')
    for name in sorted(occ):
        o = occ[name]
        f.write(f"{name}\t{o['pct']}\t{o['src']}\t{o['wg']}\t{o['wb']}\t{o['group']}\n")

# canonical (male, female) pairs from the MIT WinoBias swap list, with its typos fixed
fix = {('mentleman', 'lady'): ('gentleman', 'lady'), ('guy', 'girl'): ('guy', 'gal'), ('guys', 'girls'): ('guys', 'gals'),
       ('chairwomen', 'chairman'): ('chairwomen', 'chairmen'), ('miss', 'sir'): None, ('ms.', 'mr.'): None,
       ('lord', 'lady'): ('lord', 'lady'), ('ma\'am', 'sir'): ('sir', 'ma\'am')}
female_first = set()
pairs = {}
male_words = {'actor','actors','airman','airmen','boy','boys','brother','brothers','businessman','businessmen','chairman','chairmen',
  'dude','dudes','dad','dads','daddy','daddies','son','sons','father','fathers','male','males','guy','guys','gentleman','gentlemen',
  'grandson','grandsons','groom','grooms','he','himself','him','his','husband','husbands','king','kings','lord','lords','man','men',
  'mr.','policeman','prince','princes','sir','spokesman','spokesmen','uncle','uncles'}
with open(f'{data}/cda_wordlists/zhao2018_winobias_generalized_swaps.txt') as f:
    for line in f:
        parts = [p.strip() for p in line.split('\t') if p.strip()]
        if len(parts) != 2:
            continue
        a, b = parts
        if (a, b) in fix:
            if fix[(a, b)] is None:
                continue
            a, b = fix[(a, b)]
        if a in male_words:
            m, w = a, b
        elif b in male_words:
            m, w = b, a
        else:
            continue
        if m == 'his' or m == 'him':
            pairs[(m, 'her')] = 1
            continue
        pairs[(m, w)] = 1
with open(f'{out}/gender-words.tsv', 'w') as f:
    f.write('male\tfemale\n')
    for m, w in sorted(pairs):
        f.write(f'{m}\t{w}\n')
print(len(occ), 'occupations,', len(pairs), 'pairs')
