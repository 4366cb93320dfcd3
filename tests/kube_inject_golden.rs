//! Istio's own kube-inject golden files (../shared/fixtures/istio/inject), case by case.
//!
//! Every row of CASES.txt is run with the settings it names (parsed from the file, so new rows are
//! picked up), plus every `testdata/*.yaml` without a row (with defaults), and the 1.23.0 contrast
//! set with 1.23's defaults. Output and golden file are compared as issue 11 defines it: parsed
//! multi-document YAML, nulls and empty maps dropped, `sidecar.istio.io/status` compared as JSON
//! without `version`. The test reports how many cases match and names each failing case with the
//! first differing path; error cases must fail with the expected text.
#![allow(clippy::print_stderr)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rigger::istio::inject::compare::compare_manifests;
use rigger::istio::inject::manifest::inject_manifest;
use rigger::istio::inject::{Flavor, InjectionSettings, NativeSidecars, SettingsBuilder};

/// The hub and tag of the charts the golden files were rendered from. The current chart's are read
/// from its values.yaml; the 1.23.0 set has no values.yaml, its images name the test registry.
const HUB_1_23: &str = "gcr.io/istio-testing";
const TAG_1_23: &str = "latest";

#[derive(Debug, Clone, Default)]
struct Variant {
    sets: Vec<String>,
    iops: Vec<String>,
    native: Option<bool>,
    error: Option<String>,
}

#[derive(Debug, Clone)]
struct Case {
    name: String,
    dir: PathBuf,
    flavor: Flavor,
    input: String,
    output: Option<String>,
    variant: Variant,
}

/// Removes `( ... )` comments, keeping quoted text intact.
fn strip_parens(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Understands the settings column of CASES.txt. Unknown words are an error, so a hidden row with a
/// setting this test cannot apply fails loudly instead of silently running with defaults.
fn parse_settings(text: &str) -> Result<Vec<Variant>, String> {
    let text = strip_parens(text);
    let text = text.split(';').next().unwrap_or("").trim();
    let mut variants = Vec::new();
    for part in text.split(" AND ") {
        let mut v = Variant::default();
        let tokens: Vec<&str> = part.split_whitespace().collect();
        // After "defaults", words that are not settings describe the defaults ("defaults in 1.23 =
        // classic sidecar"); anywhere else an unknown word is an error.
        let mut describing = false;
        let mut i = 0;
        while i < tokens.len() {
            let t = tokens[i];
            let next = tokens.get(i + 1).copied();
            match t {
                "defaults" => describing = true,
                "with" | "and" => {}
                "--set" => {
                    v.sets
                        .push(next.ok_or("--set without a value")?.to_string());
                    i += 1;
                }
                "-f" => {
                    v.iops.push(next.ok_or("-f without a file")?.to_string());
                    i += 1;
                }
                "env" => {
                    let kv = next.ok_or("env without a value")?;
                    match kv.split_once('=') {
                        Some(("ENABLE_NATIVE_SIDECARS", val)) => {
                            v.native = Some(val.trim_matches('"') == "true")
                        }
                        Some((k, val)) => v.sets.push(format!("values.pilot.env.{k}={val}")),
                        None => return Err(format!("cannot understand env {kv:?}")),
                    }
                    i += 1;
                }
                "ENABLE_NATIVE_SIDECARS" | "native" => {
                    match next {
                        Some("disabled" | "off" | "false") => v.native = Some(false),
                        Some("enabled" | "on" | "true") => v.native = Some(true),
                        other => return Err(format!("cannot understand {t} {other:?}")),
                    }
                    i += 1;
                }
                "expected" if next == Some("error") => {
                    let rest = tokens[i..].join(" ");
                    let quoted = rest
                        .split('"')
                        .nth(1)
                        .ok_or_else(|| format!("no quoted text in {rest:?}"))?;
                    v.error = Some(quoted.to_lowercase());
                    break;
                }
                _ if t.split_once('=').is_some_and(|(k, _)| !k.is_empty()) => {
                    v.sets.push(t.to_string())
                }
                _ if describing => {}
                _ => return Err(format!("cannot understand setting {t:?} in {part:?}")),
            }
            i += 1;
        }
        variants.push(v);
    }
    Ok(variants)
}

fn load_cases(root: &Path) -> (Vec<Case>, Vec<String>) {
    let cases_txt = std::fs::read_to_string(root.join("CASES.txt")).expect("read CASES.txt");
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let (mut dir, mut flavor) = (root.join("testdata"), Flavor::Current);
    for line in cases_txt.lines() {
        if line.contains("1.23.0 contrast set") {
            dir = root.join("1.23.0/testdata");
            flavor = Flavor::V1_23;
            continue;
        }
        let Some((input, rest)) = line.split_once("->") else {
            continue;
        };
        let input = input.trim();
        if input.contains(' ') || input == "input" || !input.ends_with(".yaml") {
            continue;
        }
        let rest = rest.trim_start();
        let (output, settings) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let output = (output != "(error)").then(|| output.to_string());
        match parse_settings(settings) {
            Ok(variants) => {
                let many = variants.len() > 1;
                for (i, variant) in variants.into_iter().enumerate() {
                    let label = output.clone().unwrap_or_else(|| format!("{input} (error)"));
                    let prefix = if flavor == Flavor::V1_23 {
                        "1.23.0/"
                    } else {
                        ""
                    };
                    let name = if many {
                        format!("{prefix}{label} #{}", i + 1)
                    } else {
                        format!("{prefix}{label}")
                    };
                    cases.push(Case {
                        name,
                        dir: dir.clone(),
                        flavor,
                        input: input.to_string(),
                        output: output.clone(),
                        variant,
                    });
                }
            }
            Err(e) => problems.push(format!(
                "{input} -> {}: {e}",
                output.as_deref().unwrap_or("(error)")
            )),
        }
    }
    // Inputs without a row run with defaults: X.yaml -> X.yaml.injected.
    for (dir, flavor) in [
        (root.join("testdata"), Flavor::Current),
        (root.join("1.23.0/testdata"), Flavor::V1_23),
    ] {
        let covered: BTreeSet<(PathBuf, String)> = cases
            .iter()
            .map(|c| (c.dir.clone(), c.input.clone()))
            .collect();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        names.sort();
        for name in names {
            if !name.ends_with(".yaml")
                || name.ends_with(".iop.yaml")
                || covered.contains(&(dir.clone(), name.clone()))
            {
                continue;
            }
            let want = format!("{name}.injected");
            if dir.join(&want).exists() {
                let prefix = if flavor == Flavor::V1_23 {
                    "1.23.0/"
                } else {
                    ""
                };
                cases.push(Case {
                    name: format!("{prefix}{want} (no row)"),
                    dir: dir.clone(),
                    flavor,
                    input: name,
                    output: Some(want),
                    variant: Variant::default(),
                });
            }
        }
    }
    (cases, problems)
}

/// The hub and tag in the fixture chart's values.yaml (`global.hub`, `global.tag`).
fn chart_hub_tag(root: &Path) -> (String, String) {
    let text = std::fs::read_to_string(root.join("istio-discovery-chart/values.yaml"))
        .expect("read values.yaml");
    let values = rigger::yaml::parse_document(&text, "values.yaml").expect("parse values.yaml");
    let global = values
        .pointer("/_internal_defaults_do_not_set/global")
        .or_else(|| values.get("global"))
        .expect("values.yaml has global");
    let s = |k: &str| {
        global
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    (s("hub"), s("tag"))
}

fn settings_for(case: &Case, hub_tag: &(String, String)) -> Result<InjectionSettings, String> {
    let mut b = SettingsBuilder::new(case.flavor);
    match case.flavor {
        Flavor::Current => b.hub(hub_tag.0.clone()).tag(hub_tag.1.clone()),
        Flavor::V1_23 => b.hub(HUB_1_23).tag(TAG_1_23),
    };
    if let Some(native) = case.variant.native {
        b.native_sidecars(if native {
            NativeSidecars::On
        } else {
            NativeSidecars::Off
        });
    }
    for iop in &case.variant.iops {
        let text =
            std::fs::read_to_string(case.dir.join(iop)).map_err(|e| format!("read {iop}: {e}"))?;
        b.iop(&text).map_err(|e| format!("{iop}: {e:#}"))?;
    }
    for set in &case.variant.sets {
        b.set(set).map_err(|e| format!("{e:#}"))?;
    }
    b.build(None).map_err(|e| format!("{e:#}"))
}

/// Runs a case; `Ok(true)` when the output is even byte-identical to the golden file.
fn run_case(case: &Case, hub_tag: &(String, String)) -> Result<bool, String> {
    let settings = settings_for(case, hub_tag)?;
    let input = std::fs::read_to_string(case.dir.join(&case.input))
        .map_err(|e| format!("read input: {e}"))?;
    let result = inject_manifest(&input, &settings);
    match (&case.variant.error, result) {
        (Some(want), Err(e)) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains(want) {
                Ok(true)
            } else {
                Err(format!("error {msg:?} does not contain {want:?}"))
            }
        }
        (Some(want), Ok(_)) => Err(format!("expected an error containing {want:?}, got none")),
        (None, Err(e)) => Err(format!("unexpected error: {e}")),
        (None, Ok(out)) => {
            let want_file = case.output.as_ref().ok_or("no expected output")?;
            let want = std::fs::read_to_string(case.dir.join(want_file))
                .map_err(|e| format!("read {want_file}: {e}"))?;
            match compare_manifests(&out.yaml, &want).map_err(|e| format!("{e:#}"))? {
                None => Ok(out.yaml == want),
                Some(diff) => Err(diff),
            }
        }
    }
}

#[test]
fn golden_cases_match() {
    let Some(root) = kubesim::testkit::fixture("istio/inject") else {
        return;
    };
    let (cases, problems) = load_cases(&root);
    let hub_tag = chart_hub_tag(&root);
    let mut failures = problems.clone();
    let (mut matched, mut identical) = (0, 0);
    let mut not_identical = Vec::new();
    for case in &cases {
        match run_case(case, &hub_tag) {
            Ok(same) => {
                matched += 1;
                identical += usize::from(same);
                if !same {
                    not_identical.push(case.name.clone());
                }
            }
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
    }
    eprintln!(
        "kube-inject golden cases: {matched} of {} match ({identical} byte-identical to the golden file)",
        cases.len() + problems.len()
    );
    if !not_identical.is_empty() {
        eprintln!(
            "  equal but not byte-identical: {}",
            not_identical.join(", ")
        );
    }
    for f in &failures {
        eprintln!("  FAIL {f}");
    }
    assert!(
        cases.len() >= 40,
        "CASES.txt yielded only {} cases",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} golden cases fail:\n{}",
        failures.len(),
        cases.len() + problems.len(),
        failures.join("\n")
    );
}

/// The same golden file through the ConfigMap form: values and mesh as the fixture chart's
/// `istio-sidecar-injector`/`istio` ConfigMaps carry them (as `--from-cluster` reads them).
#[test]
fn configmap_settings_match_golden() {
    let Some(root) = kubesim::testkit::fixture("istio/inject") else {
        return;
    };
    let text = std::fs::read_to_string(root.join("istio-discovery-chart/values.yaml"))
        .expect("read values.yaml");
    let chart = rigger::yaml::parse_document(&text, "values.yaml").expect("parse values.yaml");
    let chart = chart
        .get("_internal_defaults_do_not_set")
        .cloned()
        .unwrap_or(chart);
    // What the configmap template picks: global, sidecarInjectorWebhook, revision, pilot.{cni,env}, gateways.
    let values = serde_json::json!({
        "global": chart["global"],
        "sidecarInjectorWebhook": chart["sidecarInjectorWebhook"],
        "revision": chart["revision"],
        "pilot": {"cni": chart["cni"], "env": chart["env"]},
        "gateways": {"securityContext": chart["gateways"]["securityContext"], "seccompProfile": chart["gateways"]["seccompProfile"]},
    });
    let mesh = "defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\ndefaultProviders:\n  metrics:\n  - prometheus\nenablePrometheusMerge: true\nrootNamespace: istio-system\ntrustDomain: cluster.local\n";
    let settings = InjectionSettings::from_configmaps(
        "defaultTemplates: [sidecar]\npolicy: enabled\n",
        &values.to_string(),
        mesh,
        NativeSidecars::Auto,
        None,
    )
    .expect("configmap settings");
    for (input, want) in [
        ("hello.yaml", "hello.yaml.injected"),
        ("traffic-annotations-bad-excludeinboundports.yaml", ""),
    ] {
        let text = std::fs::read_to_string(root.join("testdata").join(input)).unwrap();
        let out = inject_manifest(&text, &settings);
        if want.is_empty() {
            assert!(out.is_err());
            continue;
        }
        let want = std::fs::read_to_string(root.join("testdata").join(want)).unwrap();
        assert_eq!(compare_manifests(&out.unwrap().yaml, &want).unwrap(), None);
    }
}

#[test]
fn settings_column_is_understood() {
    let v =
        parse_settings("--set components.cni.enabled=true --set values.global.network=network1")
            .unwrap();
    assert_eq!(
        v[0].sets,
        [
            "components.cni.enabled=true",
            "values.global.network=network1"
        ]
    );
    let v = parse_settings(
        "defaults AND with native disabled (annotation nativeSidecar \"true\" wins)",
    )
    .unwrap();
    assert_eq!((v.len(), v[0].native, v[1].native), (2, None, Some(false)));
    let v = parse_settings("expected error containing \"includeipranges\"").unwrap();
    assert_eq!(v[0].error.as_deref(), Some("includeipranges"));
    let v = parse_settings("env ENABLE_NATIVE_SIDECARS=true").unwrap();
    assert_eq!(v[0].native, Some(true));
    assert!(parse_settings("platform openshift").is_err());
    let v =
        parse_settings("defaults in 1.23 = classic sidecar (istio-proxy in containers)").unwrap();
    assert!(v[0].sets.is_empty() && v[0].native.is_none());
}

/// Istio's test also runs the webhook path: each document's pod template injected as the webhook
/// would inject a pod created from it must give the golden file's pod spec.
#[test]
fn webhook_path_matches_golden_pod_specs() {
    use rigger::istio::inject::{Caller, DeployMeta, PodContext, TypeMeta, inject_pod};
    use serde_json::{Value, json};
    let Some(root) = kubesim::testkit::fixture("istio/inject") else {
        return;
    };
    let (cases, _) = load_cases(&root);
    let hub_tag = chart_hub_tag(&root);
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases.iter().filter(|c| c.variant.error.is_none()) {
        let Some(want_file) = &case.output else {
            continue;
        };
        let settings = settings_for(case, &hub_tag).unwrap();
        let input = std::fs::read_to_string(case.dir.join(&case.input)).unwrap();
        let want = std::fs::read_to_string(case.dir.join(want_file)).unwrap();
        let inputs: Vec<Value> = rigger::istio::inject::manifest::split_documents(&input)
            .iter()
            .map(|d| rigger::yaml::parse_document(d.text, "in").unwrap())
            .collect();
        let wants: Vec<Value> = rigger::istio::inject::manifest::split_documents(&want)
            .iter()
            .map(|d| rigger::yaml::parse_document(d.text, "want").unwrap())
            .collect();
        for (doc, want_doc) in inputs.iter().zip(&wants) {
            let kind = doc["kind"].as_str().unwrap_or_default();
            // Like Istio's test: pod templates of Deployments and the like; CronJobs and objects
            // without pods are kube-inject only, and so are pods that opt out.
            let template = match kind {
                "Pod" => json!({"metadata": doc["metadata"], "spec": doc["spec"]}),
                "Deployment"
                | "StatefulSet"
                | "DaemonSet"
                | "ReplicaSet"
                | "Job"
                | "DeploymentConfig"
                | "ReplicationController" => doc["spec"]["template"].clone(),
                _ => continue,
            };
            if rigger::istio::inject::decide(&template, &settings, Caller::Webhook)
                != rigger::istio::inject::Decision::Inject
            {
                continue;
            }
            let ctx = if kind == "Pod" {
                PodContext {
                    caller: Caller::Webhook,
                    ..PodContext::for_pod(doc)
                }
            } else {
                PodContext {
                    type_meta: TypeMeta {
                        api_version: doc["apiVersion"].as_str().unwrap_or_default().into(),
                        kind: kind.into(),
                    },
                    deploy_meta: DeployMeta {
                        name: doc["metadata"]["name"].as_str().unwrap_or_default().into(),
                        namespace: String::new(),
                    },
                    caller: Caller::Webhook,
                }
            };
            let got = inject_pod(&template, &settings, &ctx).unwrap();
            let want_spec = if kind == "Pod" {
                want_doc["spec"].clone()
            } else {
                want_doc["spec"]["template"]["spec"].clone()
            };
            let got_text = rigger::yaml::to_go_yaml(&got["spec"]);
            let want_text = rigger::yaml::to_go_yaml(&want_spec);
            checked += 1;
            if let Some(d) = compare_manifests(&got_text, &want_text).unwrap() {
                failures.push(format!("{} ({kind}): {d}", case.name));
            }
        }
    }
    eprintln!(
        "webhook path: {} of {checked} pod specs match",
        checked - failures.len()
    );
    assert!(checked >= 30, "only {checked} pod specs checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
