//! The operator objects compared with the 1.23 chart's templates rendered for istioctl's values.

use super::*;

/// Renders a chart template for the values `istioctl operator init` passes by default: every
/// `if`/`with`/`range` block is empty or false for them, and the remaining expressions are known.
fn render_default(template: &str) -> Vec<Value> {
    let substitutions = [
        (
            r#"{{- if not (eq .Values.revision "") }}-{{ .Values.revision }}{{- end }}"#,
            "",
        ),
        ("{{.Release.Namespace | quote}}", "\"istio-operator\""),
        ("{{.Release.Namespace}}", "istio-operator"),
        ("{{ .Values.deploymentHistory }}", "10"),
        ("{{ .Values.operator.monitoring.port }}", "15014"),
        ("{{ .Values.operator.monitoring.host }}", "127.0.0.1"),
        (
            "{{.Values.hub}}/operator:{{.Values.tag}}",
            "docker.io/istio/operator:1.23.6",
        ),
        ("{{.Values.watchedNamespaces | quote}}", "\"istio-system\""),
        ("{{.Values.waitForResourcesTimeout | quote}}", "\"300s\""),
        ("{{.Values.revision | quote}}", "\"\""),
        (
            "{{ toYaml .Values.operator.resources | trim | indent 12 }}",
            "            limits:\n              cpu: 200m\n              memory: 256Mi\n            requests:\n              cpu: 50m\n              memory: 128Mi",
        ),
    ];
    let mut text = template.to_string();
    for (from, to) in substitutions {
        text = text.replace(from, to);
    }
    let mut out = String::new();
    let mut skipping = 0usize;
    for line in text.lines() {
        let t = line.trim();
        let opens = ["{{- if ", "{{- with ", "{{- range ", "{{ if ", "{{ with "]
            .iter()
            .any(|p| t.starts_with(p));
        let closes = t.starts_with("{{- end") || t.starts_with("{{ end");
        if opens {
            skipping += 1;
        } else if closes {
            skipping = skipping.saturating_sub(1);
        } else if skipping == 0 {
            assert!(!t.contains("{{"), "unrendered template expression: {t}");
            out.push_str(line);
            out.push('\n');
        }
    }
    crate::yaml::parse_located(&out)
        .unwrap()
        .into_iter()
        .filter(|d| !d.is_empty())
        .map(|d| d.value)
        .collect()
}

fn chart_object(file: &str) -> Option<Value> {
    let dir = kubesim::testkit::fixture("istio/operator-1.23.0/charts/istio-operator/templates")?;
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let mut docs = render_default(&text);
    assert_eq!(docs.len(), 1, "{file}");
    let mut doc = docs.remove(0);
    if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("creationTimestamp");
    }
    Some(doc)
}

#[test]
fn objects_equal_the_chart_rendered_with_default_values() {
    let options = OperatorOptions::default();
    let pairs = [
        ("service_account.yaml", service_account(&options)),
        ("clusterrole.yaml", cluster_role(&options)),
        ("clusterrole_binding.yaml", cluster_role_binding(&options)),
        ("deployment.yaml", deployment(&options)),
        ("service.yaml", service(&options)),
    ];
    for (file, ours) in pairs {
        let Some(theirs) = chart_object(file) else {
            return;
        };
        assert_eq!(ours, theirs, "{file} differs from the chart");
    }
}

#[test]
fn crd_matches_the_chart_crd() {
    let Some(path) = kubesim::testkit::fixture(
        "istio/operator-1.23.0/charts/istio-operator/crds/crd-operator.yaml",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let theirs = crate::yaml::parse_located(&text).unwrap().remove(0).value;
    let mut ours = istio_operator_crd();
    // The Age column's description is ours (the chart copies a long upstream sentence).
    ours["spec"]["versions"][0]["additionalPrinterColumns"][2]["description"] =
        theirs["spec"]["versions"][0]["additionalPrinterColumns"][2]["description"].clone();
    assert_eq!(ours, theirs);
}

#[test]
fn flags_change_names_image_env_and_pull_secrets() {
    let options = OperatorOptions {
        hub: "registry.example.com/istio/".into(),
        tag: "1.23.2".into(),
        operator_namespace: "ops".into(),
        watched_namespaces: vec!["istio-system".into(), "mesh-b".into(), "ops".into()],
        revision: Some("canary".into()),
        image_pull_secrets: vec!["regcred".into()],
    };
    let objects = resources(&options);
    let kinds: Vec<String> = objects
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o["kind"].as_str().unwrap(),
                o["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "Namespace/ops",
            "Namespace/istio-system",
            "Namespace/mesh-b",
            "CustomResourceDefinition/istiooperators.install.istio.io",
            "ServiceAccount/istio-operator-canary",
            "ClusterRole/istio-operator-canary",
            "ClusterRoleBinding/istio-operator-canary",
            "Deployment/istio-operator-canary",
            "Service/istio-operator-canary",
        ]
    );
    let d = deployment(&options);
    let container = &d["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(
        container["image"],
        "registry.example.com/istio/operator:1.23.2"
    );
    let env: Vec<(String, String)> = container["env"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| {
            Some((
                e["name"].as_str()?.to_string(),
                e["value"].as_str()?.to_string(),
            ))
        })
        .collect();
    assert!(env.contains(&("WATCH_NAMESPACE".into(), "istio-system,mesh-b,ops".into())));
    assert!(env.contains(&("LEADER_ELECTION_NAMESPACE".into(), "ops".into())));
    assert!(env.contains(&("REVISION".into(), "canary".into())));
    assert_eq!(
        d["spec"]["template"]["spec"]["serviceAccountName"],
        "istio-operator-canary"
    );
    assert_eq!(
        service_account(&options)["imagePullSecrets"],
        json!([{"name": "regcred"}])
    );
    assert_eq!(
        cluster_role_binding(&options)["subjects"][0],
        json!({"kind": "ServiceAccount", "name": "istio-operator-canary", "namespace": "ops"})
    );
}
