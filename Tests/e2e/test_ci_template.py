"""The GitHub Actions workflow `mpyforge new --ci github` writes.

Parsed with a YAML parser (PyYAML); every `mpyforge ...` line it runs is checked against the
real binary's `--help` (the subcommand exists and takes each option given); then the x64 path
of the workflow (build, publish, verify) runs here for real, with `mpyforge serve` standing
in for GitHub Pages. Only what needs GitHub or the network is left out: the `uses:` actions,
`pip install` (the mpyforge under test is on PATH instead) and the compiler downloads, which
the x64 job skips anyway."""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import MICROPYTHON, REPO, mpyforge_binary, run_mpyforge
from publish_support import IndexServer, client_env

TEMPLATE = REPO / "Templates" / "ci" / "github" / "mpyforge.yml"
NAME = "demo_mod"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(text):
    workflow = yaml.safe_load(text)
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def run_blocks(workflow):
    """(job, step, script) for every step that runs a script."""
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if "run" in step:
                yield job_name, step, step["run"]


def script_lines(script):
    """Command lines, with backslash continuations joined."""
    return [line.strip() for line in script.replace("\\\n", " ").splitlines() if line.strip()]


def mpyforge_commands(workflow):
    return [line for _, _, script in run_blocks(workflow) for line in script_lines(script) if line.startswith("mpyforge ")]


COMMANDS = mpyforge_commands(load(TEMPLATE.read_text().replace("{{name}}", NAME)))


def help_text(*path):
    proc = subprocess.run([mpyforge_binary(), *path, "--help"], capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


def subcommand_of(tokens):
    """The longest run of leading words that mpyforge's help shows as its usage."""
    path = []
    while tokens and re.fullmatch(r"[a-z][a-z-]*", tokens[0]):
        status, text = help_text(*path, tokens[0])
        usage = next((line for line in text.splitlines() if line.startswith("USAGE: ")), "")
        if status != 0 or not re.match(rf"USAGE: mpyforge {re.escape(' '.join(path + [tokens[0]]))}( |$)", usage):
            break
        path.append(tokens.pop(0))
    return path


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    parent = tmp_path_factory.mktemp("ci")
    proc = run_mpyforge("new", NAME, "--into", parent, "--ci", "github")
    assert f"created {parent / NAME}/.github/workflows/mpyforge.yml" in proc.stdout
    return parent / NAME


def test_new_writes_the_workflow_from_the_template(module):
    written = (module / ".github" / "workflows" / "mpyforge.yml").read_text()
    assert written == TEMPLATE.read_text().replace("{{name}}", NAME)
    assert "{{name}}" not in written and NAME in written
    assert (module / "module.toml").is_file()


def test_workflow_is_valid_github_actions_structure(module):
    workflow = load((module / ".github" / "workflows" / "mpyforge.yml").read_text())
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    jobs = workflow["jobs"]
    assert list(jobs) == ["build", "publish", "deploy", "verify"]
    for name, job in jobs.items():
        assert job["runs-on"] == "ubuntu-latest", name
        needs = job.get("needs", [])
        for needed in [needs] if isinstance(needs, str) else needs:
            assert needed in jobs and list(jobs).index(needed) < list(jobs).index(name), (name, needed)
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), (name, step)
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert [s.get("uses") for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages@v4"]
    uses = [s.get("uses") for s in jobs["publish"]["steps"]]
    assert "actions/configure-pages@v5" in uses and "actions/upload-pages-artifact@v3" in uses
    # Every arch of the matrix is one mpyforge builds.
    status, text = help_text("build")
    values = re.search(r"\(values: ([^)]*)\)", " ".join(text.split())).group(1).split(", ")
    arches = jobs["build"]["strategy"]["matrix"]["arch"]
    assert arches and set(arches) <= set(values), (arches, values)
    for needed in ("toolchain install", "build", "publish", "verify", "install"):
        assert any(c.startswith(f"mpyforge {needed} ") for c in mpyforge_commands(workflow)), needed


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c.split()[1:3]).split(" .")[0].split(" $")[0].split(" -")[0] for c in COMMANDS])
def test_every_mpyforge_command_exists_with_its_options(command):
    tokens = shlex.split(EXPRESSION.sub("EXPR", command))[1:]
    first = tokens[0]
    path = subcommand_of(tokens)
    assert path, f"`mpyforge {first}` is not a subcommand of this mpyforge (the workflow runs: {command})"
    _, text = help_text(*path)
    for token in tokens:
        if token.startswith("-"):
            option = token.split("=", 1)[0]
            assert re.search(rf"(^|[\s\[,]){re.escape(option)}([\s\],<=]|$)", text, re.M), \
                f"`mpyforge {' '.join(path)}` has no option {option} (the workflow runs: {command})"


def test_x64_path_of_the_workflow_runs_here(module, tmp_path):
    workflow = load((module / ".github" / "workflows" / "mpyforge.yml").read_text())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "mpyforge").symlink_to(mpyforge_binary())
    (bin_dir / "micropython").symlink_to(MICROPYTHON)
    site = module / "site"
    site.mkdir()
    with IndexServer(site, tmp_path / "serve.log") as pages:
        values = {"matrix.arch": "x64", "steps.pages.outputs.base_url": pages.url,
                  "needs.deploy.outputs.page_url": pages.url + "/"}
        env = client_env(tmp_path / "home")
        env["PATH"] = f"{bin_dir}:{env['PATH']}"
        for key, value in workflow["env"].items():
            env[key] = "0.0.0-dev.1" if key == "VERSION" else str(value)
        ran = []
        for job_name, step, script in run_blocks(workflow):
            if "if" in step:
                assert step["if"] == "matrix.arch != 'x64'", step["if"]
                continue
            lines = []
            for line in script_lines(script):
                if line.startswith("pip install "):
                    continue  # the mpyforge under test is on PATH instead
                unknown = [e for e in EXPRESSION.findall(line) if e not in values]
                assert not unknown, f"no stand-in for {unknown} in: {line}"
                lines.append(EXPRESSION.sub(lambda m: values[m.group(1)], line))
            if not lines:
                continue
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)],
                                  cwd=module, env=env, capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, f"{job_name} / {step.get('name')}:\n{proc.stdout}\n{proc.stderr}"
            ran.append((job_name, step.get("name"), proc.stdout))
    assert [(job, name) for job, name, _ in ran] == [
        ("build", "Build"), ("publish", "Publish"), ("verify", f"Install {NAME} from the live site and run it")]
    assert ran[-1][2].splitlines()[-1] == "5"
    assert f'BASE_URL = "{pages.url}"' in (site / "mpyforge_install.py").read_text()
    # Published as the workflow's VERSION, and installed from the live index.
    assert f'"GET /x64_6.3/package/6/{NAME}/0.0.0-dev.1.json HTTP/1.1" 200' in pages.log()
