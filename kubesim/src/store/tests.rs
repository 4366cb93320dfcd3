use serde_json::json;

use super::*;

fn deploy(name: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default", "labels": {"app": name}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "img:1"}]}}}})
}

#[test]
fn create_sets_metadata_and_rejects_duplicates() {
    let s = Store::new(1000);
    let d = s
        .create("apps", "v1", "deployments", "default", deploy("web"))
        .unwrap();
    assert_eq!(d["metadata"]["generation"], 1);
    assert!(d["metadata"]["uid"].as_str().unwrap().len() == 36);
    assert!(d["metadata"]["creationTimestamp"].is_string());
    assert_eq!(d["metadata"]["managedFields"][0]["manager"], "kubesim");
    let err = s
        .create("apps", "v1", "deployments", "default", deploy("web"))
        .unwrap_err();
    assert_eq!((err.code, err.reason.as_str()), (409, "AlreadyExists"));
    let mut elsewhere = deploy("web");
    elsewhere["metadata"]["namespace"] = json!("nope");
    let err = s
        .create("apps", "v1", "deployments", "nope", elsewhere)
        .unwrap_err();
    assert_eq!(err.code, 404);
    assert_eq!(err.message, "namespaces \"nope\" not found");
    let err = s
        .create("apps", "v1", "deployments", "default", deploy("Bad_Name"))
        .unwrap_err();
    assert_eq!(err.code, 422);
    assert_eq!(err.details.causes[0].field, "metadata.name");
    let g = s.create(
        "v1",
        "",
        "configmaps",
        "default",
        json!({"metadata": {"generateName": "cm-"}}),
    );
    assert!(g.is_err(), "group v1 does not exist");
    let g = s
        .create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"generateName": "cm-"}}),
        )
        .unwrap();
    assert!(g["metadata"]["name"].as_str().unwrap().starts_with("cm-"));
}

#[test]
fn update_checks_resource_version_and_generation() {
    let s = Store::new(1000);
    let d = s
        .create("apps", "v1", "deployments", "default", deploy("web"))
        .unwrap();
    let mut stale = d.clone();
    stale["metadata"]["resourceVersion"] = json!("1");
    stale["spec"]["replicas"] = json!(3);
    assert_eq!(
        s.update("apps", "v1", "deployments", "default", stale)
            .unwrap_err()
            .code,
        409
    );
    let mut next = d.clone();
    next["spec"]["replicas"] = json!(3);
    next["status"] = json!({"replicas": 9});
    let u = s
        .update("apps", "v1", "deployments", "default", next)
        .unwrap();
    assert_eq!(u["metadata"]["generation"], 2);
    assert!(u.get("status").is_none(), "main endpoint ignores status");
    let st = s
        .modify_status("apps", "v1", "deployments", "default", "web", |o| {
            o["status"] = json!({"replicas": 3})
        })
        .unwrap();
    assert_eq!(st["status"]["replicas"], 3);
    assert_eq!(st["metadata"]["generation"], 2);
    // No-op writes do not bump the resourceVersion.
    let again = s
        .modify("apps", "v1", "deployments", "default", "web", |_| {})
        .unwrap();
    assert_eq!(
        again["metadata"]["resourceVersion"],
        st["metadata"]["resourceVersion"]
    );
}

#[test]
fn watch_replays_history_and_expires() {
    let s = Store::new(16);
    let def = s.resolve("", "v1", "configmaps").unwrap();
    let start = s.resource_version();
    for i in 0..5 {
        s.create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": format!("c{i}")}}),
        )
        .unwrap();
    }
    let w = s.watch_in(&def, Some("default"), Some(start)).unwrap();
    assert_eq!(w.initial.len(), 5);
    assert!(w.initial.iter().all(|e| e.kind == EventType::Added));
    for i in 5..40 {
        s.create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": format!("c{i}")}}),
        )
        .unwrap();
    }
    let err = s.watch_in(&def, None, Some(start)).err().unwrap();
    assert_eq!(err.code, 410);
    let w = s.watch_in(&def, None, None).unwrap();
    assert_eq!(w.initial.len(), 40);
}

#[test]
fn list_paginates_with_selectors() {
    let s = Store::new(1000);
    for i in 0..7 {
        let app = if i % 2 == 0 { "even" } else { "odd" };
        s.create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": format!("c{i}"), "labels": {"app": app}}}),
        )
        .unwrap();
    }
    let def = s.resolve("", "v1", "configmaps").unwrap();
    let labels = LabelSelector::parse("app=even").unwrap();
    let mut opts = ListOptions {
        labels,
        limit: Some(2),
        ..ListOptions::default()
    };
    let mut names = Vec::new();
    loop {
        let page = s.list_in(&def, Some("default"), &opts).unwrap();
        names.extend(
            page.items
                .iter()
                .map(|o| o["metadata"]["name"].as_str().unwrap().to_string()),
        );
        match page.continue_token {
            Some(t) => {
                assert!(page.remaining.unwrap() > 0);
                opts.continue_token = Some(t);
            }
            None => break,
        }
    }
    assert_eq!(names, vec!["c0", "c2", "c4", "c6"]);
}

#[test]
fn delete_cascades_over_owner_references() {
    let s = Store::new(1000);
    let d = s
        .create("apps", "v1", "deployments", "default", deploy("web"))
        .unwrap();
    let owner = json!([{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": d["metadata"]["uid"], "controller": true}]);
    let rs = s
        .create(
            "apps",
            "v1",
            "replicasets",
            "default",
            json!({"metadata": {"name": "web-1", "ownerReferences": owner},
        "spec": {"selector": {}, "template": {}}}),
        )
        .unwrap();
    let rs_owner = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": rs["metadata"]["uid"]}]);
    s.create("", "v1", "pods", "default", json!({"metadata": {"name": "web-1-a", "ownerReferences": rs_owner}, "spec": {"containers": []}})).unwrap();
    s.delete("apps", "v1", "deployments", "default", "web")
        .unwrap();
    assert_eq!(
        s.get("apps", "v1", "replicasets", "default", "web-1")
            .unwrap_err()
            .code,
        404
    );
    assert_eq!(
        s.get("", "v1", "pods", "default", "web-1-a")
            .unwrap_err()
            .code,
        404
    );
}

#[test]
fn orphan_and_foreground_propagation() {
    let s = Store::new(1000);
    let d = s
        .create("apps", "v1", "deployments", "default", deploy("web"))
        .unwrap();
    let owner = json!([{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": d["metadata"]["uid"]}]);
    s.create(
        "",
        "v1",
        "configmaps",
        "default",
        json!({"metadata": {"name": "dep", "ownerReferences": owner, "finalizers": ["x/y"]}}),
    )
    .unwrap();
    let def = s.resolve("apps", "v1", "deployments").unwrap();
    let out = s
        .delete_in(
            &def,
            "default",
            "web",
            &DeleteOptions {
                propagation: Propagation::Foreground,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(out["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(out["metadata"]["finalizers"], json!(["foregroundDeletion"]));
    // The dependent waits on its own finalizer; removing it lets both go.
    let dep = s.get("", "v1", "configmaps", "default", "dep").unwrap();
    assert!(dep["metadata"]["deletionTimestamp"].is_string());
    s.modify("", "v1", "configmaps", "default", "dep", |o| {
        o["metadata"]["finalizers"] = json!([])
    })
    .unwrap();
    assert_eq!(
        s.get("", "v1", "configmaps", "default", "dep")
            .unwrap_err()
            .code,
        404
    );
    assert_eq!(
        s.get("apps", "v1", "deployments", "default", "web")
            .unwrap_err()
            .code,
        404
    );

    let d = s
        .create("apps", "v1", "deployments", "default", deploy("web2"))
        .unwrap();
    let owner = json!([{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web2", "uid": d["metadata"]["uid"]}]);
    s.create(
        "",
        "v1",
        "configmaps",
        "default",
        json!({"metadata": {"name": "kept", "ownerReferences": owner}}),
    )
    .unwrap();
    s.delete_in(
        &def,
        "default",
        "web2",
        &DeleteOptions {
            propagation: Propagation::Orphan,
            ..Default::default()
        },
    )
    .unwrap();
    let kept = s.get("", "v1", "configmaps", "default", "kept").unwrap();
    assert!(kept["metadata"].get("ownerReferences").is_none());
}

#[test]
fn namespace_deletion_removes_contents() {
    let s = Store::new(1000);
    s.create(
        "",
        "v1",
        "namespaces",
        "",
        json!({"metadata": {"name": "app"}}),
    )
    .unwrap();
    s.create(
        "",
        "v1",
        "configmaps",
        "app",
        json!({"metadata": {"name": "a"}}),
    )
    .unwrap();
    s.create(
        "",
        "v1",
        "configmaps",
        "app",
        json!({"metadata": {"name": "held", "finalizers": ["k/f"]}}),
    )
    .unwrap();
    let ns = s.delete("", "v1", "namespaces", "", "app").unwrap();
    assert_eq!(ns["status"]["phase"], "Terminating");
    assert_eq!(
        s.get("", "v1", "configmaps", "app", "a").unwrap_err().code,
        404
    );
    let err = s
        .create(
            "",
            "v1",
            "configmaps",
            "app",
            json!({"metadata": {"name": "b"}}),
        )
        .unwrap_err();
    assert_eq!(err.code, 403);
    s.modify("", "v1", "configmaps", "app", "held", |o| {
        o["metadata"]["finalizers"] = json!(null)
    })
    .unwrap();
    assert_eq!(
        s.get("", "v1", "namespaces", "", "app").unwrap_err().code,
        404
    );
}

#[test]
fn crds_register_and_unregister() {
    let s = Store::new(1000);
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced", "names": {"plural": "widgets", "kind": "Widget"},
            "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}}}]}});
    let c = s
        .create(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "",
            crd,
        )
        .unwrap();
    assert_eq!(c["status"]["conditions"][1]["type"], "Established");
    s.create(
        "example.com",
        "v1",
        "widgets",
        "default",
        json!({"metadata": {"name": "w"}, "spec": {"size": 1}, "status": {"x": 1}}),
    )
    .unwrap();
    let w = s
        .get("example.com", "v1", "Widget", "default", "w")
        .unwrap();
    assert!(w.get("status").is_none());
    let err = s
        .patch(
            "example.com",
            "v1",
            "widgets",
            "default",
            "w",
            Patch::Strategic(json!({"spec": {"size": 2}})),
        )
        .unwrap_err();
    assert_eq!(err.code, 415);
    s.delete(
        "apiextensions.k8s.io",
        "v1",
        "customresourcedefinitions",
        "",
        "widgets.example.com",
    )
    .unwrap();
    assert!(s.resolve("example.com", "v1", "widgets").is_err());
}

#[test]
fn server_side_apply_through_the_store() {
    let s = Store::new(1000);
    let created = s
        .apply("apps", "v1", "deployments", deploy("web"), "one", false)
        .unwrap();
    assert_eq!(created["metadata"]["generation"], 1);
    let mut changed = deploy("web");
    changed["spec"]["replicas"] = json!(4);
    let err = s
        .apply("apps", "v1", "deployments", changed.clone(), "two", false)
        .unwrap_err();
    assert_eq!(err.code, 409);
    assert_eq!(err.details.causes[0].reason, "FieldManagerConflict");
    let forced = s
        .apply("apps", "v1", "deployments", changed, "two", true)
        .unwrap();
    assert_eq!(forced["spec"]["replicas"], 4);
    assert_eq!(forced["metadata"]["generation"], 2);
}

#[test]
fn scale_subresource_reads_and_writes_replicas() {
    let s = Store::new(1000);
    s.create("apps", "v1", "deployments", "default", deploy("web"))
        .unwrap();
    let def = s.resolve("apps", "v1", "deployments").unwrap();
    let scale = s.get_scale(&def, "default", "web").unwrap();
    assert_eq!(scale["kind"], "Scale");
    assert_eq!(scale["spec"]["replicas"], 1);
    assert_eq!(scale["status"]["selector"], "app=web");
    let out = s
        .update_scale(
            &def,
            "default",
            "web",
            &json!({"spec": {"replicas": 5}}),
            &WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(out["spec"]["replicas"], 5);
}

#[test]
fn snapshot_round_trips() {
    let s = Store::new(1000);
    s.create(
        "",
        "v1",
        "configmaps",
        "default",
        json!({"metadata": {"name": "a"}, "data": {"k": "v"}}),
    )
    .unwrap();
    let snap = s.snapshot();
    let t = Store::new(1000);
    t.restore(&snap).unwrap();
    assert_eq!(
        t.get("", "v1", "configmaps", "default", "a").unwrap()["data"]["k"],
        "v"
    );
    assert_eq!(t.resource_version(), s.resource_version());
    assert!(t.restore(&json!({"format": "other"})).is_err());
}

#[test]
fn logs_append_and_read() {
    let s = Store::new(1000);
    s.append_log("default", "p", "c", "one");
    s.append_log("default", "p", "c", "two");
    let r = s.read_log("default", "p", "c", 0);
    assert_eq!(
        r.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        vec!["one", "two"]
    );
    assert_eq!(s.read_log("default", "p", "c", r.next).lines.len(), 0);
}

#[test]
fn labels_and_annotations_are_validated() {
    let s = Store::new(1000);
    let err = s
        .create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": "a", "labels": {"bad key": "x"}}}),
        )
        .unwrap_err();
    assert_eq!(err.code, 422);
    assert_eq!(err.details.causes[0].field, "metadata.labels");
    let err = s
        .create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": "a", "labels": {"ok": "not ok!"}}}),
        )
        .unwrap_err();
    assert_eq!(err.code, 422);
    let huge = "x".repeat(300 * 1024);
    let err = s
        .create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": "a", "annotations": {"big": huge}}}),
        )
        .unwrap_err();
    assert_eq!(err.details.causes[0].reason, "FieldValueTooLong");
    s.create(
        "",
        "v1",
        "configmaps",
        "default",
        json!({"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "x", "empty": ""}}}),
    )
    .unwrap();
    let err = s
        .modify("", "v1", "configmaps", "default", "a", |o| {
            o["metadata"]["labels"]["-bad"] = json!("x")
        })
        .unwrap_err();
    assert_eq!(err.code, 422);
}

#[test]
fn stale_continue_tokens_expire() {
    let s = Store::new(16);
    for i in 0..10 {
        s.create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": format!("c{i}")}}),
        )
        .unwrap();
    }
    let def = s.resolve("", "v1", "configmaps").unwrap();
    let page = s
        .list_in(
            &def,
            None,
            &ListOptions {
                limit: Some(3),
                ..ListOptions::default()
            },
        )
        .unwrap();
    let token = page.continue_token.unwrap();
    for i in 10..40 {
        s.create(
            "",
            "v1",
            "configmaps",
            "default",
            json!({"metadata": {"name": format!("c{i}")}}),
        )
        .unwrap();
    }
    let err = s
        .list_in(
            &def,
            None,
            &ListOptions {
                continue_token: Some(token),
                ..ListOptions::default()
            },
        )
        .unwrap_err();
    assert_eq!((err.code, err.reason.as_str()), (410, "Expired"));
}

#[test]
fn admission_hooks_mutate_and_refuse() {
    let s = Store::new(1000);
    s.create(
        "",
        "v1",
        "namespaces",
        "",
        json!({"metadata": {"name": "mesh", "labels": {"istio-injection": "enabled"}}}),
    )
    .unwrap();
    s.add_admission_hook(std::sync::Arc::new(
        |req: &admission::Request<'_>, obj: &mut Value| {
            if req.resource.kind != "Pod" || req.operation != admission::Operation::Create {
                return Ok(());
            }
            let ns = req.view.get("", "namespaces", "", req.namespace);
            if ns.is_some_and(|n| n["metadata"]["labels"]["istio-injection"] == "enabled") {
                obj["spec"]["containers"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "istio-proxy", "image": "proxyv2"}));
            }
            if obj["metadata"]["name"] == "refused" {
                return Err(ApiError::new(
                    403,
                    "Forbidden",
                    "admission webhook denied the request",
                ));
            }
            Ok(())
        },
    ));
    let p = s.create("", "v1", "pods", "mesh", json!({"metadata": {"name": "a"}, "spec": {"containers": [{"name": "app", "image": "x"}]}})).unwrap();
    assert_eq!(p["spec"]["containers"][1]["name"], "istio-proxy");
    let p = s.create("", "v1", "pods", "default", json!({"metadata": {"name": "a"}, "spec": {"containers": [{"name": "app", "image": "x"}]}})).unwrap();
    assert_eq!(p["spec"]["containers"].as_array().unwrap().len(), 1);
    let err = s
        .create(
            "",
            "v1",
            "pods",
            "default",
            json!({"metadata": {"name": "refused"}, "spec": {"containers": []}}),
        )
        .unwrap_err();
    assert_eq!(err.code, 403);
    assert!(s.get("", "v1", "pods", "default", "refused").is_err());
}

#[test]
fn odd_shapes_never_panic() {
    let s = Store::new(1000);
    let odd = [
        json!("string"),
        json!(1),
        json!(null),
        json!([]),
        json!({"spec": "x"}),
        json!({"spec": {"strategy": "x", "updateStrategy": 3, "template": "t", "ports": "p", "containers": "c"}}),
        json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": "x"}, "template": {"spec": {"containers": ["a", 1, null]}}}}),
        json!({"spec": {"type": "NodePort", "ports": ["a", 1, {"port": "x"}], "clusterIP": 5}}),
        json!({"metadata": "m"}),
        json!({"metadata": {"labels": ["x"], "annotations": 3, "finalizers": "f", "ownerReferences": "o"}}),
        json!({"status": "s", "data": [1]}),
        json!({"stringData": "x", "type": 5}),
    ];
    for kind in [
        "deployments",
        "services",
        "pods",
        "secrets",
        "configmaps",
        "statefulsets",
        "daemonsets",
        "jobs",
        "cronjobs",
        "namespaces",
        "customresourcedefinitions",
    ] {
        let def = s
            .resolve("", "", kind)
            .or_else(|_| s.resolve("apps", "", kind))
            .or_else(|_| s.resolve("batch", "", kind))
            .or_else(|_| s.resolve("apiextensions.k8s.io", "", kind))
            .unwrap();
        let ns = if def.namespaced { "default" } else { "" };
        for (i, o) in odd.iter().enumerate() {
            let mut o = o.clone();
            if let Some(m) = o.as_object_mut()
                && !m.contains_key("metadata")
            {
                m.insert("metadata".into(), json!({"name": format!("odd-{i}")}));
            }
            let _ = s.create_in(&def, ns, o.clone(), &WriteOptions::default());
            for sub in [Subresource::Main, Subresource::Status] {
                let _ = s.update_in(
                    &def,
                    ns,
                    &format!("odd-{i}"),
                    o.clone(),
                    sub,
                    &WriteOptions::default(),
                );
                for patch in [
                    Patch::Merge(o.clone()),
                    Patch::Strategic(o.clone()),
                    Patch::Json(o.clone()),
                    Patch::Apply {
                        body: o.clone(),
                        force: true,
                    },
                ] {
                    let _ = s.patch_in(
                        &def,
                        ns,
                        &format!("odd-{i}"),
                        patch,
                        sub,
                        &WriteOptions::default(),
                    );
                }
            }
            let _ = s.delete_in(
                &def,
                ns,
                &format!("odd-{i}"),
                &DeleteOptions {
                    propagation: Propagation::Foreground,
                    ..Default::default()
                },
            );
        }
    }
    assert!(s.get("", "v1", "namespaces", "", "default").is_ok());
}

#[test]
fn namespaces_keep_their_name_label_through_updates() {
    let s = Store::new(1000);
    let ns = s
        .create(
            "",
            "v1",
            "namespaces",
            "",
            json!({"metadata": {"name": "shop", "labels": {"team": "a"}}}),
        )
        .unwrap();
    assert_eq!(
        ns["metadata"]["labels"]["kubernetes.io/metadata.name"],
        "shop"
    );
    // A client replacing every label (or patching this one away) does not remove it.
    let ns = s
        .modify("", "v1", "namespaces", "", "shop", |o| {
            o["metadata"]["labels"] = json!({"istio.io/rev": "canary"});
        })
        .unwrap();
    assert_eq!(
        ns["metadata"]["labels"],
        json!({"istio.io/rev": "canary", "kubernetes.io/metadata.name": "shop"})
    );
    let ns = s
        .patch(
            "",
            "v1",
            "namespaces",
            "",
            "shop",
            Patch::Merge(json!({"metadata": {"labels": {"kubernetes.io/metadata.name": "other"}}})),
        )
        .unwrap();
    assert_eq!(
        ns["metadata"]["labels"]["kubernetes.io/metadata.name"],
        "shop"
    );
}
