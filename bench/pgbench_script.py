#!/usr/bin/env python3
"""Turns the statements one request made (PostgreSQL's log with
log_statement=all, on stdin) into a pgbench script: parameters inlined,
and for `create` the activity's id replaced by a fresh one per run.
Used by bench/api.sh."""
import re
import sys

what = sys.argv[1]
text = sys.stdin.read()
# Log entries start with the default prefix "<timestamp> [<pid>] LEVEL:  ".
entries = re.split(r'\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)', text)
stmts = []
for e in entries:
    m = re.search(r'\] LOG:  (?:statement|execute [^:]*): (.*)', e, re.S)
    if m:
        stmts.append([m.group(1).strip(), {}])
        continue
    m = re.search(r'\] DETAIL:  (?:parameters|Parameters): (.*)', e, re.S)
    if m and stmts:
        for n, v in re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", m.group(1)):
            stmts[-1][1][int(n)] = v
out = []
for sql, params in stmts:
    if 'report_rollups_compact' in sql or sql in ('SELECT 1', 'SELECT 1;'):
        continue
    sql = re.sub(r'\$(\d+)\b', lambda m: params.get(int(m.group(1)), m.group(0)), sql)
    out.append(' '.join(sql.split()))
script = out
if what == 'create':
    m = re.search(r"INSERT INTO \"activities\".*?VALUES \(('[0-9a-f-]{36}')", '\n'.join(out))
    if m:
        old = m.group(1)
        script = ['SELECT gen_random_uuid() AS id \\gset'] + [s.replace(old, ':id') for s in out]
print('\n'.join(s if s.endswith(';') or s.endswith('\\gset') else s + ';' for s in script))
