//! End-to-end tests of the `sitrep` binary: one integration-test binary for the crate.

mod corpus;
mod extract;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (two levels above this crate).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Runs `sitrep ARGS` in the workspace root, with optional standard input.
pub(crate) fn sitrep(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.args(args).current_dir(root());
    cmd.stdin(if stdin.is_some() { std::process::Stdio::piped() } else { std::process::Stdio::null() });
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("the sitrep binary runs");
    if let Some(data) = stdin {
        child.stdin.take().unwrap().write_all(data).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Standard output parsed as JSON Lines.
pub(crate) fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Checks that every `{text, start, end}` object in `v` slices `text` exactly; returns how many.
pub(crate) fn check_spans(v: &serde_json::Value, text: &str) -> usize {
    let mut n = 0;
    match v {
        serde_json::Value::Object(map) => {
            if let (Some(t), Some(s), Some(e)) = (map.get("text"), map.get("start"), map.get("end")) {
                let (s, e) = (s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize);
                assert_eq!(text.get(s..e), t.as_str(), "span {s}..{e} does not slice the text");
                n += 1;
            }
            for (k, child) in map {
                if k != "document" {
                    n += check_spans(child, text);
                }
            }
        }
        serde_json::Value::Array(items) => n += items.iter().map(|c| check_spans(c, text)).sum::<usize>(),
        _ => {}
    }
    n
}

#[test]
fn eval_lists_as_many_worst_errors_as_asked() {
    let fixtures = "crates/sitrep-eval/tests/fixtures";
    let worst = |n: &str| -> usize {
        let out = sitrep(&["eval", fixtures, "--sets", "case", "--json", "--worst", n], None);
        assert!(out.status.success() || out.status.code() == Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["case"]["worst"].as_array().unwrap().len()
    };
    assert_eq!(worst("10"), 2);
    assert_eq!(worst("1"), 1);
}
