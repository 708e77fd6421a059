# Shared by scripts/start, scripts/test and scripts/bench: make .venv if missing,
# install Sauti into it, compile the translation catalogs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv …"
  "$PY" -m venv .venv
fi
VENV="$ROOT/.venv"
stamp=".venv/.installed-$1"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing Sauti ($1) into .venv …"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  target="."
  [ "$1" = "test" ] && target=".[test]"
  # Build-backend chatter goes to a log; it is shown only when the install fails.
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$target" 2>.venv/install.log; then
    cat .venv/install.log >&2
    echo "Installing Sauti failed (see above)." >&2
    exit 1
  fi
  touch "$stamp"
fi
# Compile .po catalogs to .mo (the .mo files are never committed).
if compgen -G "translations/*/LC_MESSAGES/messages.po" >/dev/null; then
  "$VENV/bin/pybabel" compile --statistics -d translations -D messages 2>&1 | grep -v "^compiling" || true
fi
