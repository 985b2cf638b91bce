"""Runs the steps of a composite GitHub Action (action.yml) here, as a runner
would: inputs from their defaults and `--input NAME=VALUE`, `${{ inputs.X }}`
substituted in `env` and `working-directory`, each `run` in
`bash --noprofile --norc -eo pipefail`, GITHUB_ACTION_PATH, GITHUB_PATH,
RUNNER_TEMP and GITHUB_WORKSPACE set, and the lines a step appends to
GITHUB_PATH put on PATH for the steps after it.

    python3 scripts/run-action.py action.yml --workspace DIR --input args=FILE ...

Exits with the first failing step's status (a check that finds errors fails
the job, as on GitHub), after printing the step's name. Needs PyYAML.
Used by scripts/test-action.sh.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def substitute(value, inputs):
    def one(match):
        name = match.group(1)
        if name not in inputs:
            sys.exit(f"error: the action uses inputs.{name}, which it does not declare")
        return inputs[name]

    return EXPRESSION.sub(one, str(value))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action")
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()

    with open(args.action, encoding="utf-8") as file:
        action = yaml.safe_load(file)
    if action.get("runs", {}).get("using") != "composite":
        sys.exit("error: only composite actions can be run here")

    inputs = {name: str(spec.get("default", "")) for name, spec in action.get("inputs", {}).items()}
    for given in args.input:
        name, _, value = given.partition("=")
        if name not in inputs:
            sys.exit(f"error: the action has no input {name!r}")
        inputs[name] = value

    workspace = os.path.abspath(args.workspace)
    action_path = os.path.dirname(os.path.abspath(args.action))
    with tempfile.TemporaryDirectory(prefix="aam-action-") as temp:
        github_path = os.path.join(temp, "github_path")
        open(github_path, "w").close()
        path = os.environ.get("PATH", "")
        for index, step in enumerate(action["runs"]["steps"], start=1):
            name = step.get("name", f"step {index}")
            if "run" not in step:
                sys.exit(f"error: step {name!r} uses another action; only run steps are supported here")
            if step.get("shell") != "bash":
                sys.exit(f"error: step {name!r} must say `shell: bash`")
            added = [line.strip() for line in open(github_path, encoding="utf-8") if line.strip()]
            env = dict(os.environ)
            env.update(
                PATH=os.pathsep.join(list(reversed(added)) + [path]),
                GITHUB_ACTION_PATH=action_path,
                GITHUB_PATH=github_path,
                GITHUB_WORKSPACE=workspace,
                RUNNER_TEMP=temp,
                CI="true",
                GITHUB_ACTIONS="true",
            )
            env.update({key: substitute(value, inputs) for key, value in step.get("env", {}).items()})
            cwd = os.path.join(workspace, substitute(step.get("working-directory", "."), inputs))
            print(f"::group::{name}", flush=True)
            status = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=cwd,
                env=env,
            ).returncode
            print("::endgroup::", flush=True)
            if status != 0:
                print(f"step {name!r} exited {status}", file=sys.stderr)
                return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
