//! `rigger manifest template`: output format, values layering and the errors a user sees.

mod support;

use std::path::Path;

use support::{TempDir, rigger, run};

fn write_chart(dir: &Path, template: &str) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: \"2.0\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("values.yaml"),
        "replicas: 1\nimage:\n  tag: v1\n  pullPolicy: IfNotPresent\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/_helpers.tpl"),
        "{{ define \"demo.name\" }}{{ .Release.Name }}-{{ .Chart.Name }}{{ end }}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/NOTES.txt"),
        "Thanks for installing {{ .Release.Name }}\n",
    )
    .unwrap();
    std::fs::write(dir.join("templates/app.yaml"), template).unwrap();
}

const APP: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "demo.name" . }}
  namespace: {{ .Release.Namespace }}
data:
  replicas: {{ .Values.replicas | quote }}
  image: {{ .Values.image | toYaml | nindent 4 }}
  upgrade: {{ .Release.IsUpgrade | quote }}
---
# only a comment: no kind, left out
"#;

#[test]
fn renders_like_helm_template_with_values_layers() {
    let home = TempDir::new("mt-render");
    let chart = home.path().join("demo");
    write_chart(&chart, APP);
    let values = home.path().join("over.yaml");
    std::fs::write(&values, "replicas: 3\nimage:\n  tag: v2\n").unwrap();
    let out = run(rigger(home.path())
        .args(["manifest", "template"])
        .arg(&chart)
        .arg("-f")
        .arg(&values)
        .args([
            "--set",
            "image.pullPolicy=Always",
            "--set-string",
            "replicas=05",
        ])
        .args(["--release-name", "r1", "-n", "apps", "--is-upgrade"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "---\n# Source: demo/templates/app.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r1-demo\n  namespace: apps\ndata:\n  replicas: \"05\"\n  image: \n    pullPolicy: Always\n    tag: v2\n  upgrade: \"true\"\n"
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn json_output_lists_the_objects() {
    let home = TempDir::new("mt-json");
    let chart = home.path().join("demo");
    write_chart(&chart, APP);
    let out = run(rigger(home.path())
        .args(["manifest", "template", "-o", "json"])
        .arg(&chart));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["kind"], "List");
    assert_eq!(v["items"][0]["metadata"]["name"], "release-name-demo");
    assert_eq!(v["items"][0]["metadata"]["namespace"], "default");
    assert_eq!(v["items"][0]["data"]["upgrade"], "false");
}

#[test]
fn unknown_function_is_refused_naming_template_and_function() {
    let home = TempDir::new("mt-unknown");
    let chart = home.path().join("demo");
    write_chart(&chart, "kind: A\nx: {{ frobnicate .Values.replicas }}\n");
    let out = run(rigger(home.path())
        .args(["manifest", "template"])
        .arg(&chart));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr, @r#"
    error: cannot render the chart demo
    caused by: parse error at (demo/templates/app.yaml:2): function "frobnicate" not defined
    "#);
}

#[test]
fn fail_and_required_read_like_helm() {
    let home = TempDir::new("mt-fail");
    let chart = home.path().join("demo");
    write_chart(
        &chart,
        "kind: A\nx: {{ required \"image.repository is required\" .Values.image.repository }}\n",
    );
    let out = run(rigger(home.path())
        .args(["manifest", "template"])
        .arg(&chart));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @r"
    error: cannot render the chart demo
    caused by: execution error at (demo/templates/app.yaml:2:6): image.repository is required
    ");
    write_chart(&chart, "kind: A\nx: {{ .Values.nope.deeper }}\n");
    let out = run(rigger(home.path())
        .args(["manifest", "template"])
        .arg(&chart));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("template: demo/templates/app.yaml:2:13: executing \"demo/templates/app.yaml\" at <.Values.nope.deeper>: nil pointer evaluating interface {}.deeper"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_set_and_missing_chart_are_usage_errors() {
    let home = TempDir::new("mt-bad");
    let chart = home.path().join("demo");
    write_chart(&chart, APP);
    let out = run(rigger(home.path())
        .args(["manifest", "template", "--set", "a[x]=1"])
        .arg(&chart));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("failed parsing --set data \"a[x]=1\""),
        "{}",
        out.stderr
    );
    let out = run(rigger(home.path())
        .args(["manifest", "template"])
        .arg(home.path().join("missing")));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("hint: CHART_DIR must be a chart directory"),
        "{}",
        out.stderr
    );
}

#[test]
fn istio_gateway_chart_renders() {
    let Some(chart) =
        kubesim::testkit::fixture("istio/render-1.30.3/release-1.30.3/manifests/charts/gateway")
    else {
        return;
    };
    let home = TempDir::new("mt-gateway");
    let out = run(rigger(home.path())
        .args(["manifest", "template"])
        .arg(&chart)
        .args([
            "--release-name",
            "istio-ingress",
            "-n",
            "istio-ingress",
            "--set",
            "service.type=NodePort",
        ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with(
        "---\n# Source: gateway/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n"
    ));
    assert!(
        out.stdout.contains("\n  type: NodePort\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn values_are_checked_against_the_chart_schema() {
    let Some(chart) =
        kubesim::testkit::fixture("istio/render-1.30.3/release-1.30.3/manifests/charts/gateway")
    else {
        return;
    };
    let home = TempDir::new("mt-schema");
    let out = run(rigger(home.path())
        .args(["manifest", "template"])
        .arg(&chart)
        .args(["--set", "replicaCount=many"]));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr, @r"
    error: cannot render the chart gateway
    caused by: values don't meet the specifications of the schema(s) in the following chart(s):
    gateway:
    - replicaCount: invalid type. Expected: integer/null, given: string
    ");
}
