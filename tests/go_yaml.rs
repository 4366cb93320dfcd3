//! `rigger::yaml::to_go_yaml` against text that sigs.k8s.io/yaml really wrote: every object of
//! Istio's manifest-generate goldens (whole and filtered), parsed and re-marshalled, must come out
//! byte for byte.

use std::path::Path;

fn check_file(path: &Path) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    // whole-output goldens are "<yaml>\n---\n" per object
    for (i, doc) in text.split("\n---\n").enumerate() {
        if doc.trim().is_empty() {
            continue;
        }
        // whole outputs keep Marshal's final newline, filtered ones are trimmed
        let want = format!("{}\n", doc.trim_end_matches('\n'));
        let value = match rigger::yaml::parse_document(&want, &path.display().to_string()) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{} doc {i}: parse: {e}", path.display()));
                continue;
            }
        };
        n += 1;
        let got = rigger::yaml::to_go_yaml(&value);
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            failures.push(format!(
                "{} doc {i} line {}: got {:?}, want {:?}",
                path.display(),
                line + 1,
                got.lines().nth(line),
                want.lines().nth(line)
            ));
        }
    }
    (n, failures)
}

#[test]
fn remarshalled_goldens_are_byte_identical() {
    let Some(dir) = kubesim::testkit::fixture("istio/render-1.30.3/manifest-generate/output")
    else {
        return;
    };
    let mut total = 0;
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let (n, f) = check_file(path);
        total += n;
        failures.extend(f);
    }
    assert!(total > 40, "too few objects checked: {total}");
    assert!(
        failures.is_empty(),
        "{} of {total} objects differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
