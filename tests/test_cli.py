"""The command line: a real train -> sample round trip, and one clear line for every mistake."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli, tiny_raw, write_idx, write_idx_dir

from tf_gan import recipes
from tf_gan.cli import ERROR_LENGTH, one_line
from tf_gan.commands import parse_assignments
from tf_gan.data import IDX_IMAGES_MAGIC
from tf_gan.viz.images import plt


@pytest.mark.slow
def test_train_then_sample_on_the_offline_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    run = tmp_path / "run"
    code, err = run_cli(capsys, "train", "wiseodd", "--steps", "30", "--sample-every", "10",
                        "--data", "bundled", "--out", str(run))
    assert code == 0, err
    assert "Iter: 10  D loss:" in caplog.text and (run / "grids" / "003.png").is_file()
    code, err = run_cli(capsys, "sample", str(run), "--n", "64", "--out", str(tmp_path / "s.npy"))
    assert code == 0, err
    x = np.load(tmp_path / "s.npy")
    assert x.shape == (64, 784) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    code, err = run_cli(capsys, "sample", str(run), "--n", "30", "--out", str(tmp_path / "s.png"))
    assert code == 0, err
    height, width = plt.imread(tmp_path / "s.png").shape[:2]
    assert 2.5 < width / height < 3.5  # three rows of ten
    code, err = run_cli(capsys, "sample", str(run), "--n", "25", "--out", str(tmp_path / "t.png"))
    assert code == 2 and "rows of 10; ask for a multiple of 10" in err and not (tmp_path / "t.png").exists()


def bad_idx_dir(tmp_path: Path, damage: str) -> Path:
    d = write_idx_dir(tmp_path / damage, tiny_raw())
    images = d / "train-images-idx3-ubyte"
    if damage == "truncated":
        images.write_bytes(images.read_bytes()[:1000])
    elif damage == "magic":
        images.write_bytes(b"\x00\x00\x08\x01" + images.read_bytes()[4:])
    elif damage == "shape":
        write_idx(images, np.zeros((60, 28, 27), np.uint8), IDX_IMAGES_MAGIC)
    return d


@pytest.mark.parametrize("argv, message", [
    (["train", "wisodd"], "unknown recipe 'wisodd': choose one of wiseodd"),
    (["train", "wiseodd", "--steps", "0"], "argument --steps: must be at least 1; got 0"),
    (["train", "wiseodd", "--steps", "-5"], "argument --steps: must be at least 1; got -5"),
    (["train", "wiseodd", "--steps", "ten"], "argument --steps: takes a whole number; got 'ten'"),
    # a flag left out is its default: the word none is for --set, not for a flag
    (["train", "wiseodd", "--epochs", "3", "--steps", "none"], "argument --steps: takes a whole number; got 'none'"),
    (["train", "wiseodd", "--loss", "log"], "argument --loss: must be one of sigmoid_ce, raw_log, raw_log_eps; got 'log'"),
    (["train", "wiseodd", "--data", "mnist"], "unknown data source 'mnist'"),
    (["train", "wiseodd", "--data", "idx:/no/such/dir"], "/no/such/dir: no such directory"),
    (["sample", "/no/such/run", "--out", "x.npy"], "/no/such/run/config.json: not found"),
    (["sample", ".", "--out", "x.txt"], "x.txt: --out must end in .npy (the images as numbers) or .png"),
    (["train", "wiseodd", "--seed", "-1"], "argument --seed: must be at least 0; got -1"),
    (["train", "wiseodd", "--set", "h_dim"], "--set h_dim: expected KEY=VALUE"),
    (["train", "wiseodd", "--set", "loss=log"], "loss must be one of sigmoid_ce, raw_log"),
    # every --set value parsed by its setting's type and checked against its range, before anything is built
    (["train", "golbin", "--set", "learning_rate=abc"], "--set learning_rate=abc: learning_rate takes a number; got"),
    (["train", "gfg", "--set", "real_label=abc"], "--set real_label=abc: real_label takes a number; got 'abc'"),
    (["train", "gfg", "--set", "real_label=1.5"], "real_label must be at least 0 and at most 1; got 1.5"),
    (["train", "wiseodd", "--set", "h_dim=-5"], "h_dim must be at least 1; got -5"),
    (["train", "wiseodd", "--set", "h_dim=2.5"], "--set h_dim=2.5: h_dim takes a whole number; got '2.5'"),
    (["train", "golbin", "--set", "one_update_per_epoch=maybe"], "one_update_per_epoch takes true or false"),
    (["train", "paper", "--set", "learning_rate=nan"], "learning_rate takes a number; got 'nan'"),
    (["train", "cgan", "--set", "digit=10"], "digit must be at least 0 and at most 9; got 10"),
    (["train", "keras_gan", "--set", "layout=4,a"], "layout takes two whole numbers, as [rows, cols], or none"),
    (["train", "wiseodd", "--steps", "5", "--epochs", "2"], "not allowed with argument"),
    (["summary", "dcgan"], "unknown recipe 'dcgan'"),
    (["sample", "/etc/passwd", "--out", "x.npy"], "/etc/passwd/config.json: cannot be read"),
])
def test_usage_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a run directory made before the refusal would show here
    code, err = run_cli(capsys, *argv)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("recipe, text, value", [
    ("golbin", "one_update_per_epoch=no", False), ("golbin", "one_update_per_epoch=YES", True),
    ("golbin", "one_update_per_epoch=0", False), ("golbin", "one_update_per_epoch=true", True),
    ("gfg", "real_label=1", 1.0), ("keras_gan", "layout=4x4", (4, 4)), ("keras_gan", "layout=[2, 3]", (2, 3)),
    ("wiseodd", "steps=none", None), ("paper", "schedule_speed=30", 30.0)])
def test_set_parses_each_value_by_its_settings_type(recipe: str, text: str, value: object) -> None:
    config = recipes.get(recipe).Config
    changes = parse_assignments(config, [text])
    assert list(changes.values()) == [value]
    assert dataclasses.replace(config(), **changes)  # and the Config takes it


@pytest.mark.parametrize("damage, message", [
    ("truncated", "train-images-idx3-ubyte: truncated"),
    ("magic", "train-images-idx3-ubyte: not an IDX file of this kind"),
    ("shape", "train images have shape (60, 28, 27)"),
])
def test_bad_data_files_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str,
                                            message: str) -> None:
    code, err = run_cli(capsys, "train", "wiseodd", "--data", f"idx:{bad_idx_dir(tmp_path, damage)}")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_divergence_is_one_line_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tf_gan.recipes import wiseodd

    monkeypatch.setattr(wiseodd, "train_step", lambda *a: {"D_loss": float("nan"), "G_loss": 1.0})
    code, err = run_cli(capsys, "train", "wiseodd", "--data", "bundled", "--out", str(tmp_path / "r"),
                        "--loss", "raw_log", "--loop", "classic")
    assert code == 3 and len(err.strip().splitlines()) == 1
    assert "diverged at iteration 0: non-finite D_loss (nan)" in err and "--loss sigmoid_ce" in err


@pytest.mark.slow
def test_set_changes_a_recipe_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, err = run_cli(capsys, "train", "golbin", "--data", "bundled", "--epochs", "2", "--out",
                        str(tmp_path / "r"), "--set", "one_update_per_epoch=true", "--set", "h_dim=32")
    assert code == 0, err
    saved = json.loads((tmp_path / "r" / "config.json").read_text())
    assert saved["config"]["h_dim"] == 32 and saved["config"]["steps"] == 2  # one update per epoch
    assert saved["data"] == "bundled"


def test_unwritable_out_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, err = run_cli(capsys, "train", "wiseodd", "--steps", "1", "--data", "bundled",
                        "--out", str(blocker / "run"))
    assert code == 2 and "cannot be created" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    """The same through `python -m tf_gan`, as a student types it."""
    proc = subprocess.run([sys.executable, "-m", "tf_gan", "train", "wiseodd",
                           "--data", f"idx:{bad_idx_dir(tmp_path, 'truncated')}"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "truncated" in proc.stderr and "download it again" in proc.stderr


def test_a_config_holding_a_data_structure_is_one_short_line(tmp_path: Path, idx_dir: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A bug once wrote the loop's whole state into config.json as "loop": the error must not print it back."""
    import dataclasses
    import json

    from tf_gan.recipes import wiseodd

    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({
        "recipe": "wiseodd", "config": dataclasses.asdict(wiseodd.Config(validation_size=10, batch_size=8)),
        "seed": 0, "data": f"idx:{idx_dir}", "xla": False, "loop": {"step": 20, "data": list(range(55_000))}}))
    code, err = run_cli(capsys, "train", "--resume", str(run))
    assert code == 2 and len(err.strip().splitlines()) == 1 and len(err.strip()) <= ERROR_LENGTH, err
    assert f'{run}/config.json: "loop" must be one of classic, fast, not a dict' in err and "54999" not in err


@pytest.mark.parametrize("key, value, message", [
    ("parzen_every", 0, "parzen_every must be at least 1; got 0"),
    ("seed", "x", "seed takes a whole number; got 'x'"),
])
def test_a_bad_value_in_config_json_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    key: str, value: object, message: str) -> None:
    import json

    run = tmp_path / "run"
    run.mkdir()
    config = dataclasses.asdict(recipes.get("wiseodd").Config())
    (run / "config.json").write_text(json.dumps({"recipe": "wiseodd", "config": config, key: value}))
    code, err = run_cli(capsys, "sample", str(run), "--out", str(tmp_path / "x.npy"))
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert f"{run}/config.json: {message}; correct it there, or start a new run" in err


def test_any_error_message_becomes_one_bounded_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The printer's guarantee, whatever a message quotes: one line, the start and the fix kept, the middle cut."""
    from tf_gan.errors import TfGanError
    from tf_gan.run import record

    def read(run: Path, own_graph: bool = False) -> None:
        raise TfGanError(f"{run}/config.json: " + "\n".join([str(list(range(3000)))] * 3) + "; choose another run")

    monkeypatch.setattr(record, "read", read)
    code, err = run_cli(capsys, "sample", str(tmp_path), "--out", str(tmp_path / "s.npy"))
    line = err.strip()
    assert code == 2 and "\n" not in line and len(line) <= ERROR_LENGTH, line[:500]
    assert line.startswith(f"tf_gan sample: error: {tmp_path}/config.json: [0, 1, 2")
    assert line.endswith("; choose another run") and " ... " in line
    assert one_line("short\n  and sweet") == "short and sweet"


def wrong_text(kind: object) -> str:
    """A --set value of the wrong type for a setting of this annotation."""
    from tf_gan.recipes.settings import unwrap_optional

    inner, _ = unwrap_optional(kind)
    return {bool: "maybe", int: "1.5", float: "many"}.get(inner, "[1, 2, 3]" if inner is tuple else "nonsense")


def every_field() -> list[tuple[str, str, str]]:
    from typing import get_origin

    from tf_gan.recipes.settings import unwrap_optional, field_types

    cases = []
    for name in recipes.RECIPES:
        for key, kind in field_types(recipes.get(name).Config).items():
            inner = unwrap_optional(kind)[0]
            cases.append((name, key, "[1, 2, 3]" if get_origin(inner) is tuple else wrong_text(inner)))
    return cases


@pytest.mark.parametrize("recipe, key, text", every_field())
def test_every_setting_of_every_recipe_refuses_a_wrong_typed_value(recipe: str, key: str, text: str,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    code, err = run_cli(capsys, "train", recipe, "--set", f"{key}={text}", "--out", str(tmp_path / "run"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and key in err, err
    assert "Traceback" not in err and not (tmp_path / "run").exists()


def run_setting_flags() -> list[tuple[str, str]]:
    """Each run setting's flag and a value its field refuses (a wrong type, or below its least value)."""
    from tf_gan.recipes.settings import unwrap_optional, field_types, flagged, rule_of
    from tf_gan.run.record import RunRecord

    cases = []
    for f in flagged(RunRecord):
        inner = unwrap_optional(field_types(RunRecord)[f.name])[0]
        if inner is int:
            flag = "--" + f.name.replace("_", "-")
            cases += [(flag, "1.5"), (flag, str(int(rule_of(RunRecord, f.name).minimum) - 1))]
    return cases


@pytest.mark.parametrize("flag, text", run_setting_flags())
def test_every_run_setting_flag_refuses_a_bad_value_in_one_line(flag: str, text: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(capsys, "train", "wiseodd", flag, text, "--out", str(tmp_path / "run"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and f"argument {flag}:" in err, err
    assert not (tmp_path / "run").exists()


def test_train_flags_are_made_from_the_declared_settings(capsys: pytest.CaptureFixture[str]) -> None:
    """Each field declared with setting(...) has its flag, its help, and the record's default, written once."""
    from tf_gan.recipes.base import RecipeConfig
    from tf_gan.recipes.settings import flagged
    from tf_gan.run.record import RunRecord

    from tf_gan.cli import main

    with pytest.raises(SystemExit):
        main(["train", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for config_class in (RecipeConfig, RunRecord):
        for f in flagged(config_class):
            flag = f.metadata["flag"] or "--" + f.name.replace("_", "-")
            said = f.metadata["help"].replace("{default}", str(f.default))
            assert flag in shown and " ".join(said.split()) in shown, f.name
    assert f"steps between checkpoints (default {RunRecord.checkpoint_every})" in shown
    assert f"(default {RunRecord.eval_n};" in shown and "--loop {classic,fast}" in shown


def test_a_run_setting_from_python_is_checked_as_the_flag_is() -> None:
    from tf_gan.errors import TfGanError
    from tf_gan.run.record import record_of

    config = recipes.get("wiseodd").Config()
    with pytest.raises(TfGanError, match="seed must be at least 0; got -1"):
        record_of("wiseodd", config, seed=-1)
    with pytest.raises(TfGanError, match="threads takes a whole number, or none; got '2'"):
        record_of("wiseodd", config, threads="2")
    with pytest.raises(TypeError, match="not run settings: sed"):
        record_of("wiseodd", config, sed=1)
