//! Istio 1.30.3's `manifest generate` goldens and the pure-rendering assertions of its Go tests
//! (operator/cmd/mesh), checked through the real `rigger manifest generate`. CASES.txt (PART 1-4)
//! in the fixture folder describes every case; the table below holds each golden's settings.
//!
//! A case passes when its output, filtered with the case's diffSelect, holds the same objects as
//! the golden (compared as parsed objects sorted by kind/namespace/name, YAML and JSON strings in
//! ConfigMaps parsed too). Byte equality with the golden is checked too.
#![allow(clippy::print_stderr)]

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use support::{Run, TempDir};

#[derive(Clone, Copy, PartialEq)]
enum Src {
    /// data-snapshot.tar.gz, unpacked.
    Snapshot,
    /// release-1.30.3/manifests.
    Live,
}

struct Case {
    name: &'static str,
    golden: &'static str,
    input: Option<&'static str>,
    flags: &'static [&'static str],
    select: Option<&'static str>,
    src: Src,
}

/// CASES.txt PART 2, one row per golden file compared by Istio's tests.
const CASES: &[Case] = &[
    Case {
        name: "all_on",
        golden: "all_on.golden-show-in-gh-pull-request.yaml",
        input: Some("all_on.yaml"),
        flags: &[],
        select: None,
        src: Src::Snapshot,
    },
    Case {
        name: "flag_values_enable_egressgateway",
        golden: "flag_values_enable_egressgateway.golden.yaml",
        input: None,
        flags: &["--set", "values.gateways.istio-egressgateway.enabled=true"],
        select: Some("Service:*:istio-egressgateway"),
        src: Src::Snapshot,
    },
    Case {
        name: "flag_force",
        golden: "flag_force.golden.yaml",
        input: Some("flag_force.yaml"),
        flags: &["--force"],
        select: Some("no:resources:selected"),
        src: Src::Snapshot,
    },
    Case {
        name: "pilot_k8s_settings",
        golden: "pilot_k8s_settings.golden.yaml",
        input: Some("pilot_k8s_settings.yaml"),
        flags: &[],
        select: Some("Deployment:*:istiod,HorizontalPodAutoscaler:*:istiod"),
        src: Src::Snapshot,
    },
    Case {
        name: "pilot_override_values",
        golden: "pilot_override_values.golden.yaml",
        input: Some("pilot_override_values.yaml"),
        flags: &[],
        select: Some("Deployment:*:istiod,HorizontalPodAutoscaler:*:istiod"),
        src: Src::Snapshot,
    },
    Case {
        name: "pilot_merge_meshconfig",
        golden: "pilot_merge_meshconfig.golden.yaml",
        input: Some("pilot_merge_meshconfig.yaml"),
        flags: &[],
        select: Some("ConfigMap:*:istio$"),
        src: Src::Snapshot,
    },
    Case {
        name: "pilot_disable_tracing",
        golden: "pilot_disable_tracing.golden.yaml",
        input: Some("pilot_disable_tracing.yaml"),
        flags: &[],
        select: Some("ConfigMap:*:istio$"),
        src: Src::Snapshot,
    },
    Case {
        name: "autoscaling_v2",
        golden: "autoscaling_v2.golden.yaml",
        input: Some("autoscaling_v2.yaml"),
        flags: &[],
        select: Some(
            "HorizontalPodAutoscaler:*:istiod,HorizontalPodAutoscaler:*:istio-ingressgateway",
        ),
        src: Src::Snapshot,
    },
    Case {
        name: "pilot_env_var_from",
        golden: "pilot_env_var_from.golden.yaml",
        input: Some("pilot_env_var_from.yaml"),
        flags: &[],
        select: Some("Deployment:*:istiod"),
        src: Src::Live,
    },
    Case {
        name: "networkpolicy_enabled",
        golden: "networkpolicy_enabled.golden.yaml",
        input: Some("networkpolicy_enabled.yaml"),
        flags: &[],
        select: Some("NetworkPolicy:*:istiod"),
        src: Src::Live,
    },
    Case {
        name: "istio-cni",
        golden: "istio-cni.golden.yaml",
        input: Some("istio-cni.yaml"),
        flags: &[],
        select: Some("DaemonSet:*:istio-cni"),
        src: Src::Snapshot,
    },
    Case {
        name: "ztunnel",
        golden: "ztunnel.golden.yaml",
        input: Some("ztunnel.yaml"),
        flags: &[],
        select: Some("DaemonSet:*:ztunnel"),
        src: Src::Snapshot,
    },
    // The test passes --set installPackagePath=<live>, the harness appends the snapshot after it.
    Case {
        name: "install_package_path",
        golden: "install_package_path.golden.yaml",
        input: Some("install_package_path.yaml"),
        flags: &["--set", "installPackagePath=<LIVE>"],
        select: Some("Deployment:*:istiod"),
        src: Src::Snapshot,
    },
];

/// Golden files that no Istio test compares (CASES.txt PART 2, "orphans").
const ORPHANS: &[&str] = &[
    "all_off.golden.yaml",
    "gateways.golden.yaml",
    "flag_output.golden.yaml",
    "flag_output_set_values.golden.yaml",
];

struct Fixture {
    root: PathBuf,
    live: PathBuf,
    snapshot: TempDir,
}

impl Fixture {
    fn open() -> Option<Fixture> {
        let root = kubesim::testkit::fixture("istio/render-1.30.3")?;
        let snapshot = TempDir::new("mg-snapshot");
        let archive = root.join("manifest-generate/data-snapshot.tar.gz");
        let file = std::fs::File::open(&archive).expect("snapshot archive");
        tar::Archive::new(flate2::read::GzDecoder::new(file))
            .unpack(snapshot.path())
            .expect("unpacking the snapshot");
        Some(Fixture {
            live: root.join("release-1.30.3/manifests"),
            root,
            snapshot,
        })
    }

    fn src(&self, src: Src) -> PathBuf {
        match src {
            Src::Snapshot => self.snapshot.path().join("manifests"),
            Src::Live => self.live.clone(),
        }
    }

    fn input(&self, name: &str) -> PathBuf {
        self.root.join("manifest-generate/input").join(name)
    }

    /// `rigger manifest generate [-f input] flags... --manifests <src>`.
    fn generate(&self, input: Option<&str>, flags: &[&str], src: Src) -> Run {
        let home = TempDir::new("mg-home");
        let mut cmd = support::rigger(home.path());
        cmd.args(["manifest", "generate"]);
        if let Some(input) = input {
            cmd.arg("-f").arg(self.input(input));
        }
        for f in flags {
            cmd.arg(f.replace("<LIVE>", &self.live.display().to_string()));
        }
        cmd.arg("--manifests").arg(self.src(src));
        support::run(&mut cmd)
    }

    fn ok(&self, input: Option<&str>, flags: &[&str], src: Src) -> String {
        let run = self.generate(input, flags, src);
        assert_eq!(run.code, 0, "{input:?} {flags:?}: {}", run.stderr);
        run.stdout
    }
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
    for doc in split(text) {
        let obj = rigger::yaml::parse_document(&doc, "rendered").unwrap_or(Json::Null);
        let kind = str_at(&obj, &["kind"]);
        if kind.is_empty() {
            continue;
        }
        let key = if kind == "ClusterRole" || kind == "ClusterRoleBinding" {
            format!("{kind}:{}", str_at(&obj, &["metadata", "name"]))
        } else {
            format!(
                "{kind}:{}:{}",
                str_at(&obj, &["metadata", "namespace"]),
                str_at(&obj, &["metadata", "name"])
            )
        };
        if regexes.iter().any(|r| r.is_match(&key)) {
            kept.push(doc);
        }
    }
    format!("{}\n", kept.join("\n---\n"))
}

/// Documents split at lines starting with `---`, trimmed, empty ones dropped.
fn split(text: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if line.starts_with("---") {
            docs.push(std::mem::take(&mut cur));
        } else {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    docs.push(cur);
    docs.into_iter()
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect()
}

fn str_at(obj: &Json, path: &[&str]) -> String {
    let mut cur = obj;
    for p in path {
        match cur.get(p) {
            Some(v) => cur = v,
            None => return String::new(),
        }
    }
    cur.as_str().unwrap_or("").to_string()
}

/// The objects of a text, keyed and sorted by kind/namespace/name, with ConfigMap data that is
/// YAML or JSON parsed.
fn objects(text: &str) -> Vec<(String, Json)> {
    let mut out: Vec<(String, Json)> = split(text)
        .iter()
        .map(|doc| {
            let mut obj = rigger::yaml::parse_document(doc, "doc").expect("document parses");
            if str_at(&obj, &["kind"]) == "ConfigMap"
                && let Some(Json::Object(data)) = obj.get_mut("data")
            {
                for v in data.values_mut() {
                    if let Some(s) = v.as_str()
                        && let Some(parsed) = parse_embedded(s)
                    {
                        *v = parsed;
                    }
                }
            }
            let key = format!(
                "{}/{}/{}",
                str_at(&obj, &["kind"]),
                str_at(&obj, &["metadata", "namespace"]),
                str_at(&obj, &["metadata", "name"])
            );
            (key, obj)
        })
        .filter(|(k, _)| !k.starts_with('/'))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn parse_embedded(s: &str) -> Option<Json> {
    if let Ok(v) = serde_json::from_str::<Json>(s)
        && (v.is_object() || v.is_array())
    {
        return Some(v);
    }
    match rigger::yaml::parse_document(s, "embedded") {
        Ok(v) if v.is_object() || v.is_array() => Some(v),
        _ => None,
    }
}

/// The first path where two values differ.
fn first_difference(path: &str, got: &Json, want: &Json) -> Option<String> {
    match (got, want) {
        (Json::Object(g), Json::Object(w)) => {
            let mut keys: Vec<&String> = g.keys().chain(w.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = format!("{path}.{k}");
                match (g.get(k), w.get(k)) {
                    (Some(a), Some(b)) => {
                        if let Some(d) = first_difference(&p, a, b) {
                            return Some(d);
                        }
                    }
                    (a, b) => return Some(format!("{p}: got {a:?}, want {b:?}")),
                }
            }
            None
        }
        (Json::Array(g), Json::Array(w)) => {
            for i in 0..g.len().max(w.len()) {
                let p = format!("{path}[{i}]");
                match (g.get(i), w.get(i)) {
                    (Some(a), Some(b)) => {
                        if let Some(d) = first_difference(&p, a, b) {
                            return Some(d);
                        }
                    }
                    (a, b) => return Some(format!("{p}: got {a:?}, want {b:?}")),
                }
            }
            None
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{path}: got {a}, want {b}")),
    }
}

/// `None` when the texts hold the same objects, else what differs first.
fn compare_objects(got: &str, want: &str) -> Option<String> {
    let (g, w) = (objects(got), objects(want));
    let gk: Vec<&String> = g.iter().map(|(k, _)| k).collect();
    let wk: Vec<&String> = w.iter().map(|(k, _)| k).collect();
    if gk != wk {
        let missing: Vec<&&String> = wk.iter().filter(|k| !gk.contains(k)).collect();
        let extra: Vec<&&String> = gk.iter().filter(|k| !wk.contains(k)).collect();
        return Some(format!(
            "different objects: missing {missing:?}, unexpected {extra:?}"
        ));
    }
    g.iter()
        .zip(&w)
        .find_map(|((k, a), (_, b))| first_difference(k, a, b))
}

fn first_line_difference(got: &str, want: &str) -> String {
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    for i in 0..g.len().max(w.len()) {
        if g.get(i) != w.get(i) {
            return format!("line {}: got {:?}, want {:?}", i + 1, g.get(i), w.get(i));
        }
    }
    format!("same lines, {} bytes vs {}", got.len(), want.len())
}

#[test]
fn manifest_generate_goldens() {
    let Some(fx) = Fixture::open() else { return };
    // Every golden file is either a case here or a known orphan.
    for entry in std::fs::read_dir(fx.root.join("manifest-generate/output")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            CASES.iter().any(|c| c.golden == name) || ORPHANS.contains(&name.as_str()),
            "golden {name} has no case in this test"
        );
    }
    let mut failures = Vec::new();
    let mut byte_differences = Vec::new();
    for case in CASES {
        let want =
            std::fs::read_to_string(fx.root.join("manifest-generate/output").join(case.golden))
                .expect("golden");
        let run = fx.generate(case.input, case.flags, case.src);
        if run.code != 0 {
            failures.push(format!(
                "{}: exit {}: {}",
                case.name,
                run.code,
                run.stderr.trim()
            ));
            continue;
        }
        let got = match case.select {
            Some(sel) => filter_manifest(&run.stdout, sel),
            None => run.stdout,
        };
        if let Some(diff) = compare_objects(&got, &want) {
            failures.push(format!("{}: {diff}", case.name));
        } else if got != want {
            byte_differences.push(format!(
                "{}: {}",
                case.name,
                first_line_difference(&got, &want)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
    assert!(
        byte_differences.is_empty(),
        "same objects, different text:\n{}",
        byte_differences.join("\n")
    );
}

fn docs_of(text: &str) -> Vec<Json> {
    objects(text).into_iter().map(|(_, o)| o).collect()
}

fn find<'a>(objs: &'a [Json], kind: &str, name: &str) -> Option<&'a Json> {
    objs.iter()
        .find(|o| str_at(o, &["kind"]) == kind && str_at(o, &["metadata", "name"]) == name)
}

fn image(objs: &[Json], kind: &str, name: &str, container: &str) -> String {
    let obj = find(objs, kind, name).unwrap_or_else(|| panic!("{kind} {name} missing"));
    let containers = obj
        .pointer("/spec/template/spec/containers")
        .and_then(Json::as_array)
        .expect("containers");
    let c = containers
        .iter()
        .find(|c| str_at(c, &["name"]) == container)
        .unwrap_or_else(|| panic!("{kind} {name} has no container {container}"));
    str_at(c, &["image"])
}

#[test]
fn all_off_renders_nothing_and_all_on_is_deterministic() {
    let Some(fx) = Fixture::open() else { return };
    assert_eq!(fx.ok(Some("all_off.yaml"), &[], Src::Live), "");
    let a = fx.ok(Some("all_on.yaml"), &[], Src::Snapshot);
    let b = fx.ok(Some("all_on.yaml"), &[], Src::Snapshot);
    assert_eq!(a, b);
    let set = fx.ok(
        Some("all_on.yaml"),
        &["--set", "revision=foo"],
        Src::Snapshot,
    );
    let flag = fx.ok(Some("all_on.yaml"), &["--revision=foo"], Src::Snapshot);
    assert_eq!(set, flag);
    assert!(find(&docs_of(&set), "Deployment", "istiod-foo").is_some());
    assert!(
        !set.lines().chain(a.lines()).any(|l| l.ends_with(' ')),
        "no line may end with a space"
    );
}

#[test]
fn component_and_gateway_hubs_and_tags() {
    let Some(fx) = Fixture::open() else { return };
    let objs = docs_of(&fx.ok(Some("component_hub_tag.yaml"), &[], Src::Live));
    assert_eq!(
        image(&objs, "Deployment", "istio-ingressgateway", "istio-proxy"),
        "istio-spec.hub/proxyv2:istio-spec.tag-global.variant"
    );
    assert_eq!(
        image(&objs, "Deployment", "istiod", "discovery"),
        "component.pilot.hub/pilot:2-global.variant"
    );
    assert_eq!(
        image(&objs, "DaemonSet", "istio-cni-node", "install-cni"),
        "component.cni.hub/install-cni:v3.3.3-global.variant"
    );
    assert_eq!(
        image(&objs, "DaemonSet", "ztunnel", "istio-proxy"),
        "component.ztunnel.hub/ztunnel:4-global.variant"
    );
    let objs = docs_of(&fx.ok(
        Some("gateways-with-custom-tags-and-no-labels.yaml"),
        &[],
        Src::Live,
    ));
    assert!(
        image(&objs, "Deployment", "istio-ingressgateway", "istio-proxy").ends_with(":special-tag")
    );
    assert!(
        image(&objs, "Deployment", "istio-egressgateway", "istio-proxy").ends_with(":special-tag2")
    );
    // minimal.yaml with -s hub/tag; a released version's hub and tag sit below the files.
    let objs = docs_of(&fx.ok(
        Some("minimal.yaml"),
        &["-s", "hub=foo", "-s", "tag=bar"],
        Src::Live,
    ));
    assert_eq!(
        image(&objs, "Deployment", "istiod", "discovery"),
        "foo/pilot:bar"
    );
    let objs = docs_of(&fx.ok(None, &["--istio-version", "1.30.3"], Src::Live));
    assert_eq!(
        image(&objs, "Deployment", "istiod", "discovery"),
        "docker.io/istio/pilot:1.30.3"
    );
    let objs = docs_of(&fx.ok(Some("empty.yaml"), &["-s", "profile=minimal"], Src::Live));
    assert!(find(&objs, "Deployment", "istiod").is_some());
}

#[test]
fn set_values_reach_the_charts() {
    let Some(fx) = Fixture::open() else { return };
    let out = fx.ok(
        Some("default.yaml"),
        &[
            "-s",
            "values.global.proxy.image=myproxy",
            "-s",
            "values.global.proxy.includeIPRanges=172.30.0.0/16,172.21.0.0/16",
        ],
        Src::Live,
    );
    let objs = docs_of(&out);
    assert_eq!(
        image(&objs, "Deployment", "istio-ingressgateway", "istio-proxy"),
        "registry.istio.io/testing/myproxy:latest"
    );
    let injector = find(&objs, "ConfigMap", "istio-sidecar-injector").expect("injector configmap");
    assert_eq!(
        injector.pointer("/data/values/global/proxy/includeIPRanges"),
        Some(&Json::String("172.30.0.0/16,172.21.0.0/16".into()))
    );
}

#[test]
fn reader_rbac_flags() {
    let Some(fx) = Fixture::open() else { return };
    let base = [
        "--set",
        "values.global.resourceScope=all",
        "--set",
        "values.global.istioNamespace=istio-system",
    ];
    let has = |out: &str, kind: &str, name: &str| find(&docs_of(out), kind, name).is_some();
    let a = fx.ok(Some("default.yaml"), &base, Src::Live);
    assert!(has(&a, "ServiceAccount", "istio-reader-service-account"));
    assert!(has(
        &a,
        "ClusterRole",
        "istio-reader-clusterrole-istio-system"
    ));
    assert!(has(
        &a,
        "ClusterRoleBinding",
        "istio-reader-clusterrole-istio-system"
    ));
    let mut canary = base.to_vec();
    canary.extend(["--set", "revision=canary"]);
    let b = fx.ok(Some("default.yaml"), &canary, Src::Live);
    assert!(has(&b, "ServiceAccount", "istio-reader-service-account"));
    assert!(b.contains("name: istio-reader-clusterrole-canary-istio-system"));
    let mut off = base.to_vec();
    off.extend(["--set", "values.global.enableReaderRBAC=false"]);
    let d = fx.ok(Some("default.yaml"), &off, Src::Live);
    assert!(!has(&d, "ServiceAccount", "istio-reader-service-account"));
    assert!(!d.contains("istio-reader-clusterrole"));
}

#[test]
fn gateways_k8s_settings_and_overlays() {
    let Some(fx) = Fixture::open() else { return };
    let out = fx.ok(
        Some("gateways.yaml"),
        &[
            "-s",
            "components.ingressGateways.[0].k8s.resources.requests.memory=999Mi",
            "-s",
            "components.ingressGateways.[name:user-ingressgateway].k8s.resources.requests.cpu=555m",
            "-s",
            "values.gateways.istio-ingressgateway.autoscaleMin=2",
        ],
        Src::Live,
    );
    let objs = docs_of(&out);
    let count = |kind: &str| objs.iter().filter(|o| str_at(o, &["kind"]) == kind).count();
    assert_eq!(count("HorizontalPodAutoscaler"), 3);
    assert_eq!(count("PodDisruptionBudget"), 3);
    let gw_services = objs
        .iter()
        .filter(|o| {
            str_at(o, &["kind"]) == "Service"
                && str_at(o, &["metadata", "labels", "istio"]) == "ingressgateway"
        })
        .count();
    assert_eq!(gw_services, 3);
    for kind in ["Role", "RoleBinding", "ServiceAccount"] {
        let n = objs
            .iter()
            .filter(|o| {
                str_at(o, &["kind"]) == kind && str_at(o, &["metadata", "name"]).contains("gateway")
            })
            .count();
        assert_eq!(n, 3, "{kind}");
    }
    let requests = |name: &str| {
        let d = find(&objs, "Deployment", name).unwrap_or_else(|| panic!("{name}"));
        let c = &d.pointer("/spec/template/spec/containers").unwrap()[0];
        (
            str_at(c, &["resources", "requests", "cpu"]),
            str_at(c, &["resources", "requests", "memory"]),
        )
    };
    assert_eq!(
        requests("istio-ingressgateway"),
        ("111m".into(), "999Mi".into())
    );
    assert_eq!(
        requests("user-ingressgateway"),
        ("555m".into(), "888Mi".into())
    );
    assert_eq!(requests("ilb-gateway").0, "333m");
    let ilb = find(&objs, "Deployment", "ilb-gateway").unwrap();
    let env = ilb.pointer("/spec/template/spec/containers/0/env").unwrap();
    assert!(
        env.as_array()
            .unwrap()
            .iter()
            .any(|e| str_at(e, &["name"]) == "PILOT_CERT_PROVIDER"
                && str_at(e, &["value"]) == "foobar"),
        "overlay env missing: {env}"
    );
    let svc = find(&objs, "Service", "ilb-gateway").unwrap();
    assert_eq!(
        str_at(
            svc,
            &[
                "metadata",
                "annotations",
                "cloud.google.com/load-balancer-type"
            ]
        ),
        "internal"
    );
    let ports = svc.pointer("/spec/ports").unwrap();
    assert_eq!(str_at(&ports[0], &["name"]), "grpc-pilot-mtls");
    assert_eq!(ports[0]["port"], 15011);
    assert_eq!(ports[1]["targetPort"], 8060);
    assert_eq!(ports[2]["port"], 5353);
    for hpa in objs
        .iter()
        .filter(|o| str_at(o, &["kind"]) == "HorizontalPodAutoscaler")
    {
        assert_eq!(hpa["spec"]["minReplicas"], 2, "{hpa}");
        assert_eq!(hpa["spec"]["maxReplicas"], 5, "{hpa}");
    }
}

#[test]
fn remote_istiod() {
    let Some(fx) = Fixture::open() else { return };
    let objs = docs_of(&fx.ok(Some("istiod_remote.yaml"), &[], Src::Live));
    for crd in [
        "destinationrules.networking.istio.io",
        "gateways.networking.istio.io",
        "sidecars.networking.istio.io",
        "virtualservices.networking.istio.io",
        "authorizationpolicies.security.istio.io",
    ] {
        assert!(
            find(&objs, "CustomResourceDefinition", crd).is_some(),
            "{crd}"
        );
    }
    assert!(find(&objs, "ConfigMap", "istio-sidecar-injector").is_some());
    assert!(find(&objs, "Service", "istiod").is_some());
    let mwc = find(
        &objs,
        "MutatingWebhookConfiguration",
        "istio-sidecar-injector",
    )
    .unwrap();
    assert_eq!(
        mwc.pointer("/webhooks/0/clientConfig/url")
            .and_then(Json::as_str),
        Some("https://xxx:15017/inject")
    );
    let eps = find(&objs, "EndpointSlice", "istiod").unwrap();
    assert_eq!(
        eps.pointer("/endpoints/0/addresses/0")
            .and_then(Json::as_str),
        Some("169.10.112.88")
    );
}

fn failure(fx: &Fixture, input: &str, flags: &[&str]) -> Run {
    let run = fx.generate(Some(input), flags, Src::Live);
    assert_eq!(run.code, 2, "{input}: {}", run.stderr);
    assert!(run.stdout.is_empty());
    run
}

#[test]
fn bad_inputs_are_clear_errors() {
    let Some(fx) = Fixture::open() else { return };
    let run = failure(&fx, "multiple_iops.yaml", &[]);
    assert!(
        run.stderr
            .contains("contains multiple IstioOperator CRs, only one per file is supported"),
        "{}",
        run.stderr
    );
    let run = failure(&fx, "invalid-k8s.yaml", &[]);
    assert!(run.stderr.contains("could not unmarshal"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "invalid-k8s.yaml:19: spec.components.ztunnel.k8s.tolerations[0].thats: unknown field"
        ),
        "{}",
        run.stderr
    );
    let run = failure(&fx, "invalid-k8s-values.yaml", &[]);
    assert!(run.stderr.contains("invalid schema for"), "{}", run.stderr);
    assert!(
        run.stderr.contains("invalid-k8s-values.yaml:9: spec.values.global.defaultTolerations[0].thats: unknown field"),
        "{}",
        run.stderr
    );
    let run = failure(&fx, "flag_force.yaml", &[]);
    assert!(
        run.stderr.contains("spec.values.global.badKey"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    let run = failure(
        &fx,
        "minimal.yaml",
        &["--set", "components.pilot.enabled=maybe"],
    );
    assert!(
        run.stderr.contains("--set components.pilot.enabled=maybe: spec.components.pilot.enabled: expected a boolean"),
        "{}",
        run.stderr
    );
    let run = failure(
        &fx,
        "minimal.yaml",
        &["--set", "components.ingressGateways[x].k8s=1"],
    );
    assert!(
        run.stderr.contains("neither a list index"),
        "{}",
        run.stderr
    );
    let run = failure(&fx, "minimal.yaml", &["--set", "values.global.proxy..x=1"]);
    assert!(
        run.stderr
            .contains("  --set values.global.proxy..x=1: empty element in path"),
        "{}",
        run.stderr
    );
    let run = failure(
        &fx,
        "minimal.yaml",
        &["--set", "values.pilot.nosuchthing=1"],
    );
    assert!(
        run.stderr
            .contains("spec.values.pilot.nosuchthing: unknown field"),
        "{}",
        run.stderr
    );
    let run = failure(&fx, "minimal.yaml", &["--profile", "fancy"]);
    assert!(
        run.stderr.contains("profile \"fancy\" not found"),
        "{}",
        run.stderr
    );
    // Tolerated oddities (istioctl's TestBareSpec, TestBogusControlPlaneSec, TestBareValues).
    for input in ["bare_spec.yaml", "bogus_cps.yaml", "bare_values.yaml"] {
        let run = fx.generate(Some(input), &[], Src::Live);
        assert_eq!(run.code, 0, "{input}: {}", run.stderr);
    }
}

#[test]
fn unknown_template_function_names_template_and_function() {
    let Some(fx) = Fixture::open() else { return };
    let tmp = TempDir::new("mg-badchart");
    copy_dir(&fx.live, &tmp.path().join("manifests"));
    let tpl = tmp
        .path()
        .join("manifests/charts/istio-control/istio-discovery/templates/zz-extra.yaml");
    std::fs::write(&tpl, "{{ frobnicate .Values.pilot }}\n").unwrap();
    let home = TempDir::new("mg-home");
    let run = support::run(
        support::rigger(home.path())
            .args(["manifest", "generate", "--manifests"])
            .arg(tmp.path()),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("frobnicate"), "{}", run.stderr);
    assert!(run.stderr.contains("zz-extra.yaml"), "{}", run.stderr);
}

#[test]
fn json_output_is_a_list_of_the_same_objects() {
    let Some(fx) = Fixture::open() else { return };
    let yaml = fx.ok(Some("minimal.yaml"), &[], Src::Live);
    let json = fx.ok(Some("minimal.yaml"), &["-o", "json"], Src::Live);
    let list: Json = serde_json::from_str(&json).unwrap();
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), split(&yaml).len());
    assert!(items.len() > 10);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `--istio-version` without `--manifests` fetches the release through the download machinery
/// (here from a mirror with GitHub's layout), verifies it, keeps it in rigger's cache, and
/// renders with docker.io/istio and the version as hub and tag; the second run uses the cache.
#[test]
fn istio_version_fetches_the_release_once() {
    use support::httpd::{Route, Server};
    let Some(fx) = Fixture::open() else { return };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        _ => return,
    };
    let os = if cfg!(target_os = "macos") {
        "osx"
    } else {
        "linux"
    };
    let name = format!("istio-1.30.3-{os}-{arch}.tar.gz");
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    builder
        .append_dir_all("istio-1.30.3/manifests", &fx.live)
        .unwrap();
    let ctl = b"#!/bin/sh\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(ctl.len() as u64);
    header.set_mode(0o755);
    header.set_cksum();
    builder
        .append_data(&mut header, "istio-1.30.3/bin/istioctl", &ctl[..])
        .unwrap();
    let archive = builder.into_inner().unwrap().finish().unwrap();
    let sum = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(&archive);
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let server = Server::start();
    server.route(&format!("/mirror/1.30.3/{name}"), Route::ok(archive));
    server.route(
        &format!("/mirror/1.30.3/{name}.sha256"),
        Route::ok(format!("{sum}  {name}\n")),
    );
    let home = TempDir::new("mg-fetch-home");
    let generate = || {
        support::run(
            support::rigger(home.path())
                .env("RIGGER_ISTIO_MIRROR", format!("{}/mirror", server.url()))
                .args(["manifest", "generate", "--istio-version", "1.30.3"]),
        )
    };
    let first = generate();
    assert_eq!(first.code, 0, "{}", first.stderr);
    let objs = docs_of(&first.stdout);
    assert_eq!(
        image(&objs, "Deployment", "istiod", "discovery"),
        "docker.io/istio/pilot:1.30.3"
    );
    assert!(
        home.path()
            .join(".cache/rigger/releases/istio-1.30.3/manifests/charts/base/Chart.yaml")
            .is_file()
    );
    let fetched = server.seen_for(&format!("/mirror/1.30.3/{name}")).len();
    let second = generate();
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(
        server.seen_for(&format!("/mirror/1.30.3/{name}")).len(),
        fetched,
        "the cached release was fetched again"
    );
}
