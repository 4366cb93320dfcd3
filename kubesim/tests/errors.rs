//! Bad requests get proper Status errors: never a panic, never a hung connection.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use kube::Client;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kubesim::{Sim, SimOptions};
use serde_json::Value;

async fn client(sim: &Sim) -> Client {
    let kc = Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .unwrap();
    Client::try_from(config).unwrap()
}

/// Sends a raw request; returns (status, parsed body).
async fn send(
    client: &Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = http::Request::builder().method(method).uri(path);
    if !content_type.is_empty() {
        req = req.header("Content-Type", content_type);
    }
    let req = req.body(kube::client::Body::from(body)).unwrap();
    let resp = tokio::time::timeout(Duration::from_secs(10), client.send(req))
        .await
        .expect("no hang")
        .unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect_bytes().await.unwrap();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

fn assert_status(got: &(u16, Value), code: u16, reason: &str) {
    let (status, body) = got;
    assert_eq!(*status, code, "{body}");
    assert_eq!(body["kind"], "Status", "{body}");
    assert_eq!(body["apiVersion"], "v1");
    assert_eq!(body["status"], "Failure");
    assert_eq!(body["code"], code);
    assert_eq!(body["reason"], reason, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn malformed_bodies_unknown_resources_and_media_types() {
    let sim = Sim::start(SimOptions {
        max_body_bytes: 64 * 1024,
        ..SimOptions::default()
    })
    .unwrap();
    let c = client(&sim).await;
    let cms = "/api/v1/namespaces/default/configmaps";

    assert_status(
        &send(&c, "POST", cms, "application/json", b"{not json".to_vec()).await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(&c, "POST", cms, "application/json", b"[1,2]".to_vec()).await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &c,
            "POST",
            cms,
            "application/yaml",
            b"metadata: [unclosed\n  - : :".to_vec(),
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(&c, "POST", cms, "text/plain", b"hello".to_vec()).await,
        415,
        "UnsupportedMediaType",
    );
    assert_status(
        &send(
            &c,
            "POST",
            cms,
            "application/vnd.kubernetes.protobuf",
            b"k8s\0\x0a\x02".to_vec(),
        )
        .await,
        415,
        "UnsupportedMediaType",
    );
    let yaml = send(
        &c,
        "POST",
        cms,
        "application/yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n".to_vec(),
    )
    .await;
    assert_eq!(yaml.0, 201, "{}", yaml.1);
    let wrong_kind = send(
        &c,
        "POST",
        cms,
        "application/json",
        br#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"#.to_vec(),
    )
    .await;
    assert_status(&wrong_kind, 400, "BadRequest");

    // Unknown resources, groups and paths.
    assert_status(
        &send(&c, "GET", "/api/v1/namespaces/default/widgets", "", vec![]).await,
        404,
        "NotFound",
    );
    assert_status(
        &send(&c, "GET", "/apis/nothing.example.com/v1/things", "", vec![]).await,
        404,
        "NotFound",
    );
    assert_status(
        &send(&c, "GET", "/apis/nothing.example.com", "", vec![]).await,
        404,
        "NotFound",
    );
    assert_status(
        &send(
            &c,
            "GET",
            "/api/v1/namespaces/default/pods/a/b/c/d",
            "",
            vec![],
        )
        .await,
        404,
        "NotFound",
    );
    assert_status(
        &send(&c, "GET", "/no/such/path", "", vec![]).await,
        404,
        "NotFound",
    );
    assert_status(
        &send(
            &c,
            "GET",
            "/api/v1/namespaces/default/pods/x/exec",
            "",
            vec![],
        )
        .await,
        404,
        "NotFound",
    );
    assert_status(
        &send(&c, "PUT", cms, "application/json", b"{}".to_vec()).await,
        405,
        "MethodNotAllowed",
    );

    // Patches: wrong types and malformed bodies.
    let cm = "/api/v1/namespaces/default/configmaps/from-yaml";
    assert_status(
        &send(&c, "PATCH", cm, "application/json", b"{}".to_vec()).await,
        415,
        "UnsupportedMediaType",
    );
    assert_status(
        &send(
            &c,
            "PATCH",
            cm,
            "application/merge-patch+json",
            b"{oops".to_vec(),
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &c,
            "PATCH",
            cm,
            "application/json-patch+json",
            br#"{"op":"add"}"#.to_vec(),
        )
        .await,
        422,
        "Invalid",
    );
    assert_status(
        &send(
            &c,
            "PATCH",
            cm,
            "application/apply-patch+yaml",
            b"kind: ConfigMap\napiVersion: v1\nmetadata: {name: from-yaml}\n".to_vec(),
        )
        .await,
        422,
        "Invalid",
    );
    assert_status(
        &send(
            &c,
            "PATCH",
            &format!("{cm}?fieldManager=x"),
            "application/apply-patch+yaml",
            b"kind: Secret\napiVersion: v1\nmetadata: {name: from-yaml}\n".to_vec(),
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &c,
            "PATCH",
            "/api/v1/namespaces/default/configmaps/missing",
            "application/merge-patch+json",
            b"{}".to_vec(),
        )
        .await,
        404,
        "NotFound",
    );

    // Selectors and parameters.
    assert_status(
        &send(
            &c,
            "GET",
            "/api/v1/pods?labelSelector=a%20in%20b",
            "",
            vec![],
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &c,
            "GET",
            "/api/v1/pods?fieldSelector=spec.unknown%3Dx",
            "",
            vec![],
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(&c, "GET", "/api/v1/pods?limit=abc", "", vec![]).await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &c,
            "GET",
            "/api/v1/pods?watch=true&resourceVersion=abc",
            "",
            vec![],
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &c,
            "POST",
            &format!("{cms}?dryRun=Some"),
            "application/json",
            br#"{"metadata":{"name":"d"}}"#.to_vec(),
        )
        .await,
        400,
        "BadRequest",
    );

    // Invalid names, missing namespaces.
    let invalid = send(
        &c,
        "POST",
        cms,
        "application/json",
        br#"{"metadata":{"name":"Not_Valid"}}"#.to_vec(),
    )
    .await;
    assert_status(&invalid, 422, "Invalid");
    assert_eq!(invalid.1["details"]["causes"][0]["field"], "metadata.name");
    assert_status(
        &send(
            &c,
            "POST",
            "/api/v1/namespaces/ghost/configmaps",
            "application/json",
            br#"{"metadata":{"name":"a"}}"#.to_vec(),
        )
        .await,
        404,
        "NotFound",
    );

    // Oversized bodies: 413 without reading forever.
    let big = format!(
        r#"{{"metadata":{{"name":"big"}},"data":{{"x":"{}"}}}}"#,
        "a".repeat(100 * 1024)
    );
    assert_status(
        &send(&c, "POST", cms, "application/json", big.into_bytes()).await,
        413,
        "RequestEntityTooLarge",
    );

    // The server still serves after all of that.
    let (status, list) = send(&c, "GET", cms, "", vec![]).await;
    assert_eq!(status, 200);
    assert_eq!(list["kind"], "ConfigMapList");
    assert!(
        sim.requests().iter().all(|r| r.status != 500),
        "no internal errors"
    );
}

#[test]
fn broken_connections_do_not_hang_the_server() {
    let sim = Sim::start(SimOptions::default()).unwrap();
    let addr = sim.addr();
    // Plain HTTP on the TLS port, garbage bytes, and a connection that just sits there.
    let mut plain = TcpStream::connect(addr).unwrap();
    plain
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    plain
        .write_all(b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buf = Vec::new();
    let _ = plain.read_to_end(&mut buf);
    let mut garbage = TcpStream::connect(addr).unwrap();
    garbage
        .write_all(&[0x16, 0x03, 0x01, 0xff, 0xff, 0, 0, 0])
        .unwrap();
    drop(garbage);
    let _idle = TcpStream::connect(addr).unwrap();

    // Real clients are still served.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = client(&sim).await;
        let (status, v) = send(&c, "GET", "/version", "", vec![]).await;
        assert_eq!(status, 200);
        assert_eq!(v["minor"], "32");
        // No token: /version answers, everything else is 401.
    });
    drop(rt);
    let started = std::time::Instant::now();
    sim.shutdown();
    assert!(started.elapsed() < Duration::from_secs(10), "shutdown hung");
}

#[tokio::test]
async fn several_sims_side_by_side_and_shutdown_inside_async() {
    let a = Sim::start(SimOptions::default()).unwrap();
    let b = Sim::start(SimOptions::default()).unwrap();
    assert_ne!(a.url(), b.url());
    a.store()
        .create(
            "",
            "v1",
            "configmaps",
            "default",
            serde_json::json!({"metadata": {"name": "only-in-a"}}),
        )
        .unwrap();
    let cb = client(&b).await;
    let (status, _) = send(
        &cb,
        "GET",
        "/api/v1/namespaces/default/configmaps/only-in-a",
        "",
        vec![],
    )
    .await;
    assert_eq!(status, 404);
    let ca = client(&a).await;
    let (status, _) = send(
        &ca,
        "GET",
        "/api/v1/namespaces/default/configmaps/only-in-a",
        "",
        vec![],
    )
    .await;
    assert_eq!(status, 200);
    // Dropping inside an async context must not panic.
    drop(a);
    drop(b);
}
