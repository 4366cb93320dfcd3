//! kube-rs (Api<K>, DynamicObject, watcher, await_condition, discovery) against kubesim.

mod common;

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod};
use kube::api::{
    Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams, WatchEvent,
    WatchParams,
};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::discovery::{ApiResource, Discovery};
use kube::runtime::wait::{await_condition, conditions};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Client, Config};
use kubesim::{Sim, SimOptions};
use serde_json::json;

async fn client_for(sim: &Sim, context: &str) -> Client {
    let kubeconfig = Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).unwrap();
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..KubeConfigOptions::default()
    };
    let config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .unwrap();
    Client::try_from(config).unwrap()
}

fn start() -> Sim {
    Sim::start(SimOptions::default()).unwrap()
}

fn deployment(name: &str, replicas: i32) -> Deployment {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]}}}
    }))
    .unwrap()
}

#[tokio::test]
async fn typed_create_get_list_patch_delete() {
    let sim = start();
    let client = client_for(&sim, "kubesim").await;
    let deploys: Api<Deployment> = Api::namespaced(client.clone(), "default");

    let created = deploys
        .create(&PostParams::default(), &deployment("web", 1))
        .await
        .unwrap();
    assert_eq!(created.metadata.generation, Some(1));
    assert!(created.metadata.uid.is_some());
    let err = deploys
        .create(&PostParams::default(), &deployment("web", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 409 && s.reason == "AlreadyExists"),
        "{err:?}"
    );

    let got = deploys.get("web").await.unwrap();
    assert_eq!(got.spec.as_ref().unwrap().replicas, Some(1));
    let err = deploys.get("missing").await.unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 404 && s.message == "deployments.apps \"missing\" not found"),
        "{err:?}"
    );

    // JSON patch, merge patch, strategic merge patch, server-side apply.
    let json_patch: json_patch::Patch =
        serde_json::from_value(json!([{"op": "replace", "path": "/spec/replicas", "value": 2}]))
            .unwrap();
    let d = deploys
        .patch(
            "web",
            &PatchParams::default(),
            &Patch::<()>::Json(json_patch),
        )
        .await
        .unwrap();
    assert_eq!(d.spec.as_ref().unwrap().replicas, Some(2));
    let d = deploys
        .patch(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"team": "a"}}})),
        )
        .await
        .unwrap();
    assert_eq!(d.metadata.labels.as_ref().unwrap()["team"], "a");
    let sidecar = json!({"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "image": "envoy:1"}]}}}});
    let d = deploys
        .patch("web", &PatchParams::default(), &Patch::Strategic(sidecar))
        .await
        .unwrap();
    assert_eq!(
        d.spec
            .as_ref()
            .unwrap()
            .template
            .spec
            .as_ref()
            .unwrap()
            .containers
            .len(),
        2
    );
    let mut applied = deployment("web", 3);
    applied.metadata.labels = None;
    let d = deploys
        .patch(
            "web",
            &PatchParams::apply("rigger").force(),
            &Patch::Apply(&applied),
        )
        .await
        .unwrap();
    assert_eq!(d.spec.as_ref().unwrap().replicas, Some(3));
    assert!(
        d.metadata
            .managed_fields
            .as_ref()
            .unwrap()
            .iter()
            .any(|m| m.manager.as_deref() == Some("rigger"))
    );
    // A second manager that disagrees conflicts unless it forces.
    let err = deploys
        .patch(
            "web",
            &PatchParams::apply("other"),
            &Patch::Apply(&deployment("web", 5)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 409 && s.reason == "Conflict" && s.message.contains("conflict with \"rigger\"")),
        "{err:?}"
    );
    // Apply creates when missing.
    let fresh = deploys
        .patch(
            "fresh",
            &PatchParams::apply("rigger"),
            &Patch::Apply(&deployment("fresh", 1)),
        )
        .await
        .unwrap();
    assert_eq!(fresh.metadata.generation, Some(1));

    // Stale resourceVersion on replace is a conflict.
    let mut stale = created.clone();
    stale.spec.as_mut().unwrap().replicas = Some(9);
    let err = deploys
        .replace("web", &PostParams::default(), &stale)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 409 && s.reason == "Conflict"),
        "{err:?}"
    );

    deploys
        .delete("web", &DeleteParams::default())
        .await
        .unwrap();
    assert!(deploys.get_opt("web").await.unwrap().is_none());
    // dryRun=All deletes nothing.
    deploys
        .delete(
            "fresh",
            &DeleteParams {
                dry_run: true,
                ..DeleteParams::default()
            },
        )
        .await
        .unwrap();
    assert!(deploys.get_opt("fresh").await.unwrap().is_some());
}

#[tokio::test]
async fn paginated_and_selected_lists() {
    let sim = start();
    let client = client_for(&sim, "kubesim").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    for i in 0..23 {
        let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": format!("cm-{i:02}"), "labels": {"parity": if i % 2 == 0 { "even" } else { "odd" }}}})).unwrap();
        cms.create(&PostParams::default(), &cm).await.unwrap();
    }
    let mut names = Vec::new();
    let mut params = ListParams::default().limit(5);
    let mut pages = 0;
    loop {
        let page = cms.list(&params).await.unwrap();
        pages += 1;
        assert!(page.metadata.resource_version.is_some());
        names.extend(page.items.iter().map(|c| c.metadata.name.clone().unwrap()));
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => {
                assert!(page.metadata.remaining_item_count.unwrap() > 0);
                params = params.continue_token(&token);
            }
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(names.len(), 23);
    let even = cms
        .list(&ListParams::default().labels("parity=even"))
        .await
        .unwrap();
    assert_eq!(even.items.len(), 12);
    let one = cms
        .list(&ListParams::default().fields("metadata.name=cm-07"))
        .await
        .unwrap();
    assert_eq!(one.items.len(), 1);
    let all: Api<ConfigMap> = Api::all(client);
    assert_eq!(
        all.list(&ListParams::default()).await.unwrap().items.len(),
        23
    );
    // A garbage continue token is a 400, not a panic.
    let err = cms
        .list(&ListParams::default().continue_token("garbage"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 400),
        "{err:?}"
    );
}

#[tokio::test]
async fn dynamic_objects_and_discovery() {
    let sim = start();
    let client = client_for(&sim, "kubesim").await;
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "gadgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced", "names": {"plural": "gadgets", "kind": "Gadget", "shortNames": ["gd"]},
            "versions": [{"name": "v1alpha1", "served": true, "storage": false}, {"name": "v1", "served": true, "storage": true,
                "subresources": {"status": {}}, "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]}});
    let crds: Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> = Api::all(client.clone());
    crds.create(
        &PostParams::default(),
        &serde_json::from_value(crd).unwrap(),
    )
    .await
    .unwrap();
    tokio::time::timeout(
        Duration::from_secs(10),
        await_condition(
            crds.clone(),
            "gadgets.example.com",
            conditions::is_crd_established(),
        ),
    )
    .await
    .unwrap()
    .unwrap();

    for aggregated in [false, true] {
        let discovery = if aggregated {
            Discovery::new(client.clone()).run_aggregated().await
        } else {
            Discovery::new(client.clone()).run().await
        }
        .unwrap();
        assert!(discovery.has_group("apps"), "aggregated={aggregated}");
        let gvk = kube::api::GroupVersionKind::gvk("example.com", "v1", "Gadget");
        let (ar, caps) = discovery
            .resolve_gvk(&gvk)
            .unwrap_or_else(|| panic!("gadget not discovered (aggregated={aggregated})"));
        assert_eq!(ar.plural, "gadgets");
        assert_eq!(caps.scope, kube::discovery::Scope::Namespaced);
        let group = discovery
            .groups()
            .find(|g| g.name() == "example.com")
            .unwrap();
        assert_eq!(group.preferred_version_or_latest(), "v1");
        let (core, _) = discovery
            .resolve_gvk(&kube::api::GroupVersionKind::gvk("", "v1", "Pod"))
            .unwrap();
        assert_eq!(core.plural, "pods");
    }

    let ar = ApiResource::from_gvk(&kube::api::GroupVersionKind::gvk(
        "example.com",
        "v1",
        "Gadget",
    ));
    let gadgets: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &ar);
    let obj: DynamicObject = serde_json::from_value(json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g1"}, "spec": {"size": 1}, "status": {"ignored": true}})).unwrap();
    let created = gadgets.create(&PostParams::default(), &obj).await.unwrap();
    assert!(
        created.data.get("status").is_none(),
        "status is ignored on create with a status subresource"
    );
    let patched = gadgets
        .patch(
            "g1",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"size": 2}})),
        )
        .await
        .unwrap();
    assert_eq!(patched.data["spec"]["size"], 2);
    let status = gadgets
        .patch_status(
            "g1",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"ready": true}})),
        )
        .await
        .unwrap();
    assert_eq!(status.data["status"]["ready"], true);
    assert_eq!(status.metadata.generation, Some(2));
    let err = gadgets
        .patch(
            "g1",
            &PatchParams::default(),
            &Patch::Strategic(json!({"spec": {"size": 3}})),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 415),
        "{err:?}"
    );
    let applied = gadgets
        .patch("g1", &PatchParams::apply("rigger").force(), &Patch::Apply(json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g1"}, "spec": {"size": 4}})))
        .await
        .unwrap();
    assert_eq!(applied.data["spec"]["size"], 4);
    // The other served version sees the same object.
    let old_ar = ApiResource::from_gvk(&kube::api::GroupVersionKind::gvk(
        "example.com",
        "v1alpha1",
        "Gadget",
    ));
    let old: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &old_ar);
    assert_eq!(
        old.get("g1").await.unwrap().types.unwrap().api_version,
        "example.com/v1alpha1"
    );
    gadgets
        .delete("g1", &DeleteParams::default())
        .await
        .unwrap();
    assert!(gadgets.get_opt("g1").await.unwrap().is_none());

    crds.delete("gadgets.example.com", &DeleteParams::default())
        .await
        .unwrap();
    let discovery = Discovery::new(client.clone())
        .run_aggregated()
        .await
        .unwrap();
    assert!(!discovery.has_group("example.com"));
}

#[tokio::test]
async fn watcher_and_await_condition_survive_dropped_connections() {
    let sim = start();
    let client = client_for(&sim, "kubesim").await;
    let deploys: Api<Deployment> = Api::namespaced(client.clone(), "default");
    deploys
        .create(&PostParams::default(), &deployment("web", 2))
        .await
        .unwrap();

    // A watcher sees changes made before and after the connection drops.
    let mut stream = watcher(deploys.clone(), watcher::Config::default())
        .applied_objects()
        .boxed();
    let first = tokio::time::timeout(Duration::from_secs(10), stream.try_next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(first.metadata.name.as_deref(), Some("web"));
    sim.drop_connections();
    tokio::time::sleep(Duration::from_millis(200)).await;
    sim.store()
        .modify("apps", "v1", "deployments", "default", "web", |d| {
            d["metadata"]["labels"]["seen"] = json!("after-drop")
        })
        .unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(d) = stream.try_next().await.unwrap() {
            if d.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("seen"))
                .is_some()
            {
                return d;
            }
        }
        panic!("watch stream ended");
    })
    .await
    .expect("watcher recovered after the dropped connection");
    assert_eq!(seen.metadata.labels.unwrap()["seen"], "after-drop");

    // await_condition completes although its watch connection is dropped midway.
    let store = sim.store().clone();
    let waiter = tokio::spawn(await_condition(
        deploys.clone(),
        "web",
        conditions::is_deployment_completed(),
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    sim.drop_connections();
    tokio::time::sleep(Duration::from_millis(200)).await;
    store
        .modify_status("apps", "v1", "deployments", "default", "web", |d| {
            d["status"] = json!({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2,
                "conditions": [{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
                               {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}]});
        })
        .unwrap();
    let done = tokio::time::timeout(Duration::from_secs(20), waiter)
        .await
        .expect("await_condition finished")
        .unwrap()
        .unwrap();
    assert_eq!(done.unwrap().status.unwrap().available_replicas, Some(2));
}

#[tokio::test]
async fn raw_watch_replay_bookmarks_and_expiry() {
    let sim = Sim::start(SimOptions {
        history_limit: 32,
        ..SimOptions::default()
    })
    .unwrap();
    let client = client_for(&sim, "kubesim").await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "default");
    let rv = pods
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    for i in 0..3 {
        let pod: Pod = serde_json::from_value(json!({"metadata": {"name": format!("p{i}"), "labels": {"n": i.to_string()}}, "spec": {"containers": [{"name": "c", "image": "x"}]}})).unwrap();
        pods.create(&PostParams::default(), &pod).await.unwrap();
    }
    // Replay from a resourceVersion, filtered by a label selector.
    let params = WatchParams::default().labels("n in (0,2)").timeout(2);
    let events: Vec<WatchEvent<Pod>> = pods
        .watch(&params, &rv)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let added: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Added(p) => p.metadata.name.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(added, ["p0", "p2"]);

    // Leaving the selector is a DELETED event for that watcher.
    let live = pods
        .watch(&WatchParams::default().labels("n=1").timeout(3), &rv)
        .await
        .unwrap();
    let store = sim.store().clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        store
            .modify("", "v1", "pods", "default", "p1", |p| {
                p["metadata"]["labels"]["n"] = json!("9")
            })
            .unwrap();
    });
    let events: Vec<WatchEvent<Pod>> = live.try_collect().await.unwrap();
    assert!(
        matches!(events.first(), Some(WatchEvent::Added(_))),
        "{events:?}"
    );
    assert!(
        matches!(events.last(), Some(WatchEvent::Deleted(p)) if p.metadata.name.as_deref() == Some("p1")),
        "{events:?}"
    );

    // sendInitialEvents ends the initial state with a bookmark.
    let params = WatchParams::streaming_lists().timeout(1);
    let events: Vec<WatchEvent<Pod>> = pods
        .watch(&params, "")
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let bookmark = events.iter().find_map(|e| match e {
        WatchEvent::Bookmark(b) => Some(b.clone()),
        _ => None,
    });
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, WatchEvent::Added(_)))
            .count(),
        3
    );
    assert_eq!(
        bookmark
            .unwrap()
            .metadata
            .annotations
            .get("k8s.io/initial-events-end")
            .map(String::as_str),
        Some("true")
    );

    // A resourceVersion older than the kept history gets 410 Expired.
    for i in 0..40 {
        let cm: ConfigMap =
            serde_json::from_value(json!({"metadata": {"name": format!("c{i}")}})).unwrap();
        Api::<ConfigMap>::namespaced(client.clone(), "default")
            .create(&PostParams::default(), &cm)
            .await
            .unwrap();
    }
    let events: Vec<WatchEvent<Pod>> = pods
        .watch(&WatchParams::default().timeout(2), &rv)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(
        matches!(events.as_slice(), [WatchEvent::Error(e)] if e.code == 410),
        "{events:?}"
    );
}

#[tokio::test]
async fn readonly_user_and_bad_tokens() {
    let sim = start();
    let viewer = client_for(&sim, "kubesim-readonly").await;
    let namespaces: Api<Namespace> = Api::all(viewer.clone());
    assert!(
        namespaces
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len()
            >= 4
    );
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": "nope"}})).unwrap();
    let err = namespaces
        .create(&PostParams::default(), &ns)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 403 && s.message == "namespaces is forbidden: User \"kubesim-viewer\" cannot create resource \"namespaces\" in API group \"\" at the cluster scope"),
        "{err:?}"
    );
    let pods: Api<Pod> = Api::namespaced(viewer, "default");
    let err = pods
        .delete("x", &DeleteParams::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 403 && s.message.contains("in the namespace \"default\"")),
        "{err:?}"
    );

    let yaml = sim
        .kubeconfig_yaml()
        .replace(sim.admin_token(), "wrong-token");
    let config = Config::from_custom_kubeconfig(
        Kubeconfig::from_yaml(&yaml).unwrap(),
        &KubeConfigOptions::default(),
    )
    .await
    .unwrap();
    let bad = Client::try_from(config).unwrap();
    let err = Api::<Pod>::namespaced(bad, "default")
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, kube::Error::Api(s) if s.code == 401),
        "{err:?}"
    );
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.status == 401 && r.user == "unauthenticated")
    );
}
