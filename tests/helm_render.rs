//! Istio 1.30.3's chart-render goldens (operator/pkg/helm/testdata), checked through
//! `rigger manifest template`, and a smoke render of every chart we have. CASES.txt PART 5
//! describes the mechanics reproduced here.
#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rigger::gotmpl::helm::{self, Chart, RenderOptions};
use serde_json::Value as Json;

/// One helm-render case's settings.
#[derive(Debug, Clone, PartialEq)]
struct Case {
    chart: String,
    release: String,
    namespace: String,
    upgrade: bool,
    diff_select: String,
}

/// The settings table of CASES.txt PART 5 (desc, chart dir, release, namespace, upgrade, diffSelect).
fn cases_table(cases_txt: &str) -> BTreeMap<String, Case> {
    let mut out = BTreeMap::new();
    let Some(part5) = cases_txt.split("PART 5.").nth(1) else {
        return out;
    };
    let part5 = part5.split("PART 6.").next().unwrap_or(part5);
    for line in part5.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 6 && (f[4] == "no" || f[4] == "YES") && f[5].contains(':') {
            out.insert(
                f[0].to_string(),
                Case {
                    chart: f[1].into(),
                    release: f[2].into(),
                    namespace: f[3].into(),
                    upgrade: f[4] == "YES",
                    diff_select: f[5].into(),
                },
            );
        }
    }
    out
}

/// Settings for a case missing from the table, following the pattern the table shows: the
/// prefix names the chart (and so release and namespace), a keyword in the rest names the kind
/// compared, `-upgrade` marks an upgrade.
fn case_from_name(desc: &str) -> Option<Case> {
    let (chart, release, namespace) = if desc.starts_with("gateway-network-gateway") {
        ("gateway", "istio-eastwest", "istio-system")
    } else if desc.starts_with("gateway-") {
        ("gateway", "istio-ingress", "istio-ingress")
    } else if desc.starts_with("istiod-") {
        ("istio-control/istio-discovery", "istiod", "istio-system")
    } else if desc.starts_with("base-") {
        ("base", "istio-base", "istio-system")
    } else if desc.starts_with("cni-") {
        ("istio-cni", "istio-cni", "istio-system")
    } else if desc.starts_with("ztunnel-") {
        ("ztunnel", "ztunnel", "istio-system")
    } else {
        return None;
    };
    let rest = &desc[desc.find('-')? + 1..];
    let has = |k: &str| rest.split('-').any(|w| w == k);
    let kind = if has("pdb") {
        "PodDisruptionBudget"
    } else if has("webhook") {
        "ValidatingWebhookConfiguration"
    } else if has("service") || rest.starts_with("network-gateway") {
        "Service"
    } else if has("hpa") || has("autoscaling") {
        "HorizontalPodAutoscaler"
    } else if has("networkpolicy") {
        "NetworkPolicy"
    } else if has("configmap") {
        "ConfigMap"
    } else if chart == "istio-cni" || chart == "ztunnel" {
        "DaemonSet"
    } else {
        "Deployment"
    };
    let name = match (kind, chart) {
        ("ValidatingWebhookConfiguration", "base") => "istiod-default-validator".to_string(),
        ("ValidatingWebhookConfiguration", _) => format!("istio-validator-{namespace}"),
        ("DaemonSet", "istio-cni") => "istio-cni-node".to_string(),
        _ => release.to_string(),
    };
    Some(Case {
        chart: chart.into(),
        release: release.into(),
        namespace: namespace.into(),
        upgrade: has("upgrade"),
        diff_select: format!("{kind}:*:{name}"),
    })
}

/// operator/pkg/test FilterManifest (CASES.txt PART 1.3).
fn filter_manifest(text: &str, selector: &str) -> String {
    let regexes: Vec<regex::Regex> = selector
        .split(',')
        .map(str::trim)
        .map(|sel| {
            let parts: Vec<&str> = sel
                .split(':')
                .take(3)
                .map(|p| if p.is_empty() || p == "*" { ".*" } else { p })
                .collect();
            regex::Regex::new(&parts.join(":")).expect("selector regexp")
        })
        .collect();
    let mut kept = Vec::new();
    for doc in rigger::yaml::split_documents(text) {
        let obj = rigger::yaml::parse_document(&doc, "rendered").unwrap_or(Json::Null);
        let kind = obj.get("kind").and_then(Json::as_str).unwrap_or("");
        if kind.is_empty() {
            continue;
        }
        let meta = |k: &str| {
            obj.get("metadata")
                .and_then(|m| m.get(k))
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string()
        };
        let key = if kind == "ClusterRole" || kind == "ClusterRoleBinding" {
            format!("{kind}:{}", meta("name"))
        } else {
            format!("{kind}:{}:{}", meta("namespace"), meta("name"))
        };
        if regexes.iter().any(|r| r.is_match(&key)) {
            kept.push(doc);
        }
    }
    format!("{}\n", kept.join("\n---\n"))
}

fn first_difference(got: &str, want: &str) -> String {
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    for i in 0..g.len().max(w.len()) {
        if g.get(i) != w.get(i) {
            return format!("line {}: got {:?}, want {:?}", i + 1, g.get(i), w.get(i));
        }
    }
    format!(
        "same lines, different bytes (got {} bytes, want {})",
        got.len(),
        want.len()
    )
}

/// Renders a case through `rigger manifest template` and returns its output with the
/// `# Source:` comment lines (which Istio's renderer does not print) removed.
fn render_case(chart_dir: &Path, values: &Json, case: &Case, tmp: &Path) -> Result<String, String> {
    let values_file = tmp.join("values.yaml");
    let values = if values.is_null() {
        Json::Object(Default::default())
    } else {
        values.clone()
    };
    std::fs::write(&values_file, rigger::yaml::to_go_yaml(&values)).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rigger"));
    cmd.args(["manifest", "template"])
        .arg(chart_dir)
        .arg("--values")
        .arg(&values_file)
        .args([
            "--release-name",
            &case.release,
            "--namespace",
            &case.namespace,
            "--kube-version",
            "1.32.0",
        ])
        .env("NO_COLOR", "1");
    if case.upgrade {
        cmd.arg("--is-upgrade");
    }
    let out = cmd.output().expect("running rigger");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    let mut kept = Vec::new();
    let mut after_separator = false;
    for line in text.lines() {
        if after_separator && line.starts_with("# Source: ") {
            after_separator = false;
            continue;
        }
        after_separator = line.starts_with("---");
        kept.push(line);
    }
    Ok(kept.join("\n"))
}

#[test]
fn helm_render_goldens() {
    let Some(root) = kubesim::testkit::fixture("istio/render-1.30.3") else {
        return;
    };
    let table = cases_table(&std::fs::read_to_string(root.join("CASES.txt")).unwrap());
    let charts = root.join("release-1.30.3/manifests/charts");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(root.join("helm-render/input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no helm-render inputs found");
    let (mut passed, mut failures) = (0, Vec::new());
    for input in &inputs {
        let desc = input.file_stem().unwrap().to_string_lossy().to_string();
        let Some(case) = table.get(&desc).cloned().or_else(|| case_from_name(&desc)) else {
            failures.push(format!(
                "{desc}: no settings in CASES.txt and no rule for its name"
            ));
            continue;
        };
        let doc =
            rigger::yaml::parse_document(&std::fs::read_to_string(input).unwrap(), &desc).unwrap();
        let values = doc
            .get("spec")
            .and_then(|s| s.get("values"))
            .cloned()
            .unwrap_or(Json::Null);
        let golden =
            std::fs::read_to_string(root.join(format!("helm-render/output/{desc}.golden.yaml")))
                .unwrap();
        let tmp =
            std::env::temp_dir().join(format!("rigger-helm-render-{}-{desc}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        let result = render_case(&charts.join(&case.chart), &values, &case, &tmp);
        let _ = std::fs::remove_dir_all(&tmp);
        match result {
            Err(e) => failures.push(format!("{desc}: render failed: {e:#}")),
            Ok(text) => {
                let got = filter_manifest(&text, &case.diff_select);
                if got == golden {
                    passed += 1;
                } else {
                    failures.push(format!("{desc}: {}", first_difference(&got, &golden)));
                }
            }
        }
    }
    eprintln!(
        "helm-render goldens: {passed} of {} cases match",
        inputs.len()
    );
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn chart_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        if d.join("Chart.yaml").exists() {
            out.push(d.clone());
        }
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                if e.path().is_dir() && e.file_name() != "templates" {
                    stack.push(e.path());
                }
            }
        }
    }
    out.sort();
    out
}

fn smoke(root: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let dirs = chart_dirs(root);
    assert!(!dirs.is_empty(), "no charts under {}", root.display());
    for dir in dirs {
        let res = Chart::load(&dir).and_then(|chart| {
            let rendered = helm::render(
                &chart,
                &helm::values_from_json(&Json::Null),
                &RenderOptions::default(),
            )?;
            helm::manifests(&rendered).map(|m| m.len())
        });
        match res {
            Ok(n) => eprintln!("rendered {} ({n} objects)", dir.display()),
            Err(e) => failures.push(format!("{}: {e:#}", dir.display())),
        }
    }
    failures
}

#[test]
fn every_release_chart_renders_with_defaults() {
    let Some(root) =
        kubesim::testkit::fixture("istio/render-1.30.3/release-1.30.3/manifests/charts")
    else {
        return;
    };
    let failures = smoke(&root);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_snapshot_chart_renders_with_defaults() {
    let Some(tarball) =
        kubesim::testkit::fixture("istio/render-1.30.3/manifest-generate/data-snapshot.tar.gz")
    else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("rigger-snapshot-{}", std::process::id()));
    let file = std::fs::File::open(&tarball).unwrap();
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(&dir)
        .unwrap();
    let failures = smoke(&dir.join("manifests"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn operator_chart_renders_with_defaults() {
    let Some(root) = kubesim::testkit::fixture("istio/operator-1.23.0/charts") else {
        return;
    };
    let failures = smoke(&root);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn prefix_rules_agree_with_the_table() {
    let Some(root) = kubesim::testkit::fixture("istio/render-1.30.3") else {
        return;
    };
    let table = cases_table(&std::fs::read_to_string(root.join("CASES.txt")).unwrap());
    assert_eq!(table.len(), 20, "CASES.txt table rows");
    for (desc, case) in &table {
        assert_eq!(case_from_name(desc).as_ref(), Some(case), "{desc}");
    }
}
