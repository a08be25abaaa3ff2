"""The phone workflow is one GitHub Actions accepts: checked by a real validator (@action-validator/cli, against the
workflow schema), and built with the Flutter version flet-cli 1.0.5 pins, Java 17, signing from secrets only, and its
apps uploaded."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import flet.version
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "phone.yml"


@pytest.fixture(scope="module")
def validator() -> str:
    """tools/run-tests installs it from npm into .tools/; in CI a missing validator fails, as a missing browser does."""
    found = ROOT / ".tools" / "node_modules" / ".bin" / "action-validator"
    if found.exists():
        return str(found)
    on_path = shutil.which("action-validator")
    if on_path:
        return on_path
    message = "action-validator is missing: bash tools/run-tests installs it (npm @action-validator/cli)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def validate(validator: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=60)


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def test_the_validator_accepts_the_workflow(validator):
    result = validate(validator, WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_can_refuse(validator, tmp_path):
    """The check above can fail: a job without a runner, and a step with a key Actions does not know, are refused."""
    broken = workflow()
    del broken["jobs"]["android"]["runs-on"]
    broken["jobs"]["ios"]["steps"][0]["runs"] = "checkout"
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert validate(validator, path).returncode != 0


def test_it_builds_with_the_flutter_flet_cli_pins_and_java_17():
    assert workflow()["env"]["FLUTTER_VERSION"] == flet.version.flutter_version
    assert workflow()["env"]["FLET_CLI_VERSION"] == flet.version.flet_version
    for job in ("android", "ios"):
        flutter = next(s for s in steps(job) if s.get("uses", "").startswith("subosito/flutter-action@"))
        assert flutter["with"]["flutter-version"] == "${{ env.FLUTTER_VERSION }}"
    java = next(s for s in steps("android") if s.get("uses", "").startswith("actions/setup-java@"))
    assert str(java["with"]["java-version"]) == "17"


def test_android_on_linux_and_ios_on_macos_each_upload_their_apps():
    jobs = workflow()["jobs"]
    assert jobs["android"]["runs-on"].startswith("ubuntu") and jobs["ios"]["runs-on"].startswith("macos")
    commands = {job: " ".join(s.get("run", "") for s in steps(job)) for job in jobs}
    assert "flet build apk" in commands["android"] and "flet build aab" in commands["android"]
    assert "flet build ipa" in commands["ios"]
    uploads = {job: [s for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact@")] for job in jobs}
    assert ".apk" in uploads["android"][0]["with"]["path"] and ".aab" in uploads["android"][0]["with"]["path"]
    assert uploads["ios"][0]["with"]["path"] == "build/ipa"
    for job in jobs:
        assert uploads[job][0]["with"]["if-no-files-found"] == "error"
        assert any("speech-pack --out assets/spraak" in s.get("run", "") for s in steps(job))


def test_signing_comes_from_secrets_only():
    text = WORKFLOW.read_text(encoding="utf-8")
    for job, names in (("android", ("ANDROID_KEYSTORE_BASE64", "ANDROID_KEYSTORE_PASSWORD", "ANDROID_KEY_PASSWORD",
                                    "ANDROID_KEY_ALIAS")),
                       ("ios", ("IOS_CERTIFICATE_P12_BASE64", "IOS_CERTIFICATE_PASSWORD",
                                "IOS_PROVISIONING_PROFILE_BASE64", "IOS_TEAM_ID"))):
        env = workflow()["jobs"][job]["env"]
        assert {name: env[name] for name in names} == {name: f"${{{{ secrets.{name} }}}}" for name in names}
    # No key, certificate or password in the repository: nothing that looks like one in the file.
    assert not re.search(r"-----BEGIN|MII[A-Za-z0-9+/]{40}", text)
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [name for name in tracked if name.endswith((".jks", ".keystore", ".p12", ".mobileprovision"))]
