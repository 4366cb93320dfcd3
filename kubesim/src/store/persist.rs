//! Saving and loading the store (for `kubesim serve --state-dir`).

use std::sync::Arc;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::{ObjectKey, State, meta_str};
use crate::resources::split_api_version;

const FORMAT: &str = "kubesim-state/v1";

pub(super) fn snapshot(st: &State) -> Value {
    let mut objects = Vec::new();
    // CRDs first so that loading can register them before their objects.
    let mut keys: Vec<&(String, String)> = st.tables.keys().collect();
    keys.sort_by_key(|(g, r)| {
        (
            !(g == "apiextensions.k8s.io" && r == "customresourcedefinitions"),
            g.clone(),
            r.clone(),
        )
    });
    for key in keys {
        for obj in st.tables[key].values() {
            objects.push(json!({"group": key.0, "resource": key.1, "object": **obj}));
        }
    }
    json!({"format": FORMAT, "resourceVersion": st.rv, "objects": objects})
}

pub(super) fn restore(st: &mut State, snap: &Value) -> anyhow::Result<()> {
    if snap["format"].as_str() != Some(FORMAT) {
        bail!("not a kubesim state file (expected format {FORMAT:?})");
    }
    let rv = snap["resourceVersion"]
        .as_u64()
        .context("state file has no resourceVersion")?;
    let objects = snap["objects"]
        .as_array()
        .context("state file has no objects list")?;
    st.tables.clear();
    st.uids.clear();
    for (i, entry) in objects.iter().enumerate() {
        let group = entry["group"]
            .as_str()
            .with_context(|| format!("object #{i} has no group"))?;
        let resource = entry["resource"]
            .as_str()
            .with_context(|| format!("object #{i} has no resource"))?;
        let obj = &entry["object"];
        let name = meta_str(obj, "name");
        if name.is_empty() || !obj.is_object() {
            bail!("object #{i} ({resource}) has no name");
        }
        let (g, _) = split_api_version(obj["apiVersion"].as_str().unwrap_or_default());
        if g != group {
            bail!("object #{i} ({resource} {name}) has apiVersion of another group");
        }
        let ns = meta_str(obj, "namespace").to_string();
        if group == "apiextensions.k8s.io" && resource == "customresourcedefinitions" {
            st.registry.set_crd(obj);
        }
        st.uids.insert(
            meta_str(obj, "uid").to_string(),
            ObjectKey {
                group: group.into(),
                resource: resource.into(),
                namespace: ns.clone(),
                name: name.into(),
            },
        );
        st.table_mut(group, resource)
            .insert((ns, name.to_string()), Arc::new(obj.clone()));
    }
    st.rv = rv;
    st.history.clear();
    st.evicted = rv;
    Ok(())
}
