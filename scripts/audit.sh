#!/usr/bin/env bash
# Known vulnerabilities in both virtual environments (pip-audit against PyPI's advisory
# data): the service environment (.venv) and Rasa's (.venv-rasa). Writes one JSON report
# per environment to var/audit/ and prints a table; docs/security-audit.md says what was
# fixed and why the rest is not. Exits non-zero when pip-audit itself fails; findings are
# reported, not fatal (Rasa 3.6's pins cannot all be lifted: see the doc), but a package
# that could not be looked up (the vulnerability service unreachable) fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${AUDIT_OUT:-var/audit}
mkdir -p "$out"
audit=.venv/bin/pip-audit
status=0
for env in .venv .venv-rasa; do
  site=$(echo "$env"/lib/python3*/site-packages)
  name=${env#.}
  echo "== $env ($site)"
  # --path audits what is installed there; our own editable package is not on PyPI.
  if "$audit" --path "$site" --skip-editable --progress-spinner off --desc on --aliases on \
      --vulnerability-service "${AUDIT_SERVICE:-pypi}" \
      --format json -o "$out/$name.json" 2> "$out/$name.err"; then
    echo "   pip-audit found no known vulnerabilities"
  else
    code=$?
    if [ $code -ne 1 ]; then cat "$out/$name.err" >&2; status=$code; continue; fi
  fi
  # pip-audit counts a package it could not look up as clean: say so, and fail.
  .venv/bin/python - "$out/$name.json" <<'PY' || status=2
import json, sys
report = json.load(open(sys.argv[1]))
deps = report.get("dependencies", [])
skipped = [d["name"] for d in deps if d.get("skip_reason") and d["name"] != "banking-assistant"]
rows = [(d["name"], d["version"], v["id"], ",".join(v.get("fix_versions") or []) or "-")
        for d in deps for v in d.get("vulns", [])]
for name, version, vuln, fixed in sorted(rows):
    print(f"   {name:28} {version:12} {vuln:22} fixed in {fixed}")
print(f"   {len(rows)} finding(s) in {len({r[0] for r in rows})} package(s); "
      f"{len(deps) - len(skipped)} of {len(deps)} packages audited; report: {sys.argv[1]}")
if skipped:
    print(f"   NOT AUDITED: {len(skipped)} package(s) could not be looked up (is the vulnerability "
          f"service reachable? try AUDIT_SERVICE=osv): {', '.join(sorted(skipped)[:8])}"
          + (" ..." if len(skipped) > 8 else ""))
    sys.exit(1)
PY
done
exit $status
