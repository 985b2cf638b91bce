#!/usr/bin/env bash
# The install step of action.yml: aam from PyPI (`aam-lint`, INPUT_VERSION) or
# from INPUT_PACKAGE (a wheel or a pip requirement), into a virtual environment
# of its own under RUNNER_TEMP, whose bin/ goes on the job's PATH.
set -euo pipefail
venv=${RUNNER_TEMP:?RUNNER_TEMP is not set}/aam-venv
python=$(command -v python3 || command -v python) || { echo "error: aam's action needs Python 3 on the runner" >&2; exit 1; }
"$python" -m venv "$venv"
if [ -n "${INPUT_PACKAGE:-}" ]; then
  requirement=$INPUT_PACKAGE
elif [ -n "${INPUT_VERSION:-}" ]; then
  requirement="aam-lint==${INPUT_VERSION#v}"
else
  requirement=aam-lint
fi
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet "$requirement"
echo "$venv/bin" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
"$venv/bin/aam" --version
