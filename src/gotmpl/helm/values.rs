//! Helm's values coalescing (pkg/chartutil/coalesce.go): user values over chart defaults, a
//! `null` removes a default, subchart sections get the chart's defaults and the parent's
//! `global` section; dependency conditions and tags decide which subcharts take part.

use std::collections::BTreeMap;

use super::chart::Chart;
use crate::gotmpl::value::{MapRef, Value};

const GLOBAL: &str = "global";

fn new_map() -> MapRef {
    std::rc::Rc::new(std::cell::RefCell::new(BTreeMap::new()))
}

/// Helm's mergeMaps, used to combine several `-f` files and `--set` layers: later wins,
/// maps merge recursively.
pub fn merge_maps(a: &MapRef, b: &MapRef) -> MapRef {
    let out = new_map();
    for (k, v) in a.borrow().iter() {
        out.borrow_mut().insert(k.clone(), v.clone());
    }
    for (k, v) in b.borrow().iter() {
        if let Value::Map(bv) = v {
            let existing = out.borrow().get(k).cloned();
            if let Some(Value::Map(av)) = existing {
                let merged = merge_maps(&av, bv);
                out.borrow_mut().insert(k.clone(), Value::Map(merged));
                continue;
            }
        }
        out.borrow_mut().insert(k.clone(), v.clone());
    }
    out
}

/// The user's values as `helm template` builds them: the `-f` files merged in order (maps merge,
/// later files win), then each `--set`, then each `--set-string` (Helm's strvals syntax).
pub fn user_values(
    files: &[std::path::PathBuf],
    sets: &[String],
    set_strings: &[String],
) -> anyhow::Result<MapRef> {
    use anyhow::Context as _;
    let mut base = new_map();
    for file in files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read values file {}", file.display()))?;
        let json = crate::yaml::parse_document(&text, &file.display().to_string())
            .with_context(|| format!("cannot parse values file {}", file.display()))?;
        let layer = match json {
            serde_json::Value::Null => continue,
            serde_json::Value::Object(_) => super::values_from_json(&json),
            _ => anyhow::bail!("values file {} is not a YAML mapping", file.display()),
        };
        base = merge_maps(&base, &layer);
    }
    for (list, mode, flag) in [
        (sets, crate::gotmpl::strvals::Mode::Typed, "--set"),
        (
            set_strings,
            crate::gotmpl::strvals::Mode::String,
            "--set-string",
        ),
    ] {
        for line in list {
            crate::gotmpl::strvals::parse_into(line, &base, mode)
                .map_err(|e| anyhow::anyhow!("failed parsing {flag} data {line:?}: {e}"))?;
        }
    }
    Ok(base)
}

/// The subcharts of `chart` that are enabled by their condition/tags, given the chart's
/// coalesced `values` and the root's `tags`.
pub fn enabled_dependencies<'c>(chart: &'c Chart, values: &MapRef, tags: &Value) -> Vec<&'c Chart> {
    chart
        .dependencies
        .iter()
        .filter(|dep| {
            let name = dep.name();
            let Some(spec) = chart
                .dependency_specs
                .iter()
                .find(|s| s.alias.as_deref().unwrap_or(&s.name) == name)
            else {
                return true;
            };
            if let Some(cond) = &spec.condition {
                for path in cond.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    if let Some(Value::Bool(b)) = lookup_path(values, path) {
                        return b;
                    }
                }
            }
            if !spec.tags.is_empty()
                && let Value::Map(t) = tags
            {
                let t = t.borrow();
                let mut any_set = false;
                for tag in &spec.tags {
                    match t.get(tag) {
                        Some(Value::Bool(true)) => return true,
                        Some(Value::Bool(false)) => any_set = true,
                        _ => {}
                    }
                }
                if any_set {
                    return false;
                }
            }
            spec.enabled.unwrap_or(true)
        })
        .collect()
}

fn lookup_path(values: &MapRef, path: &str) -> Option<Value> {
    let mut cur = Value::Map(values.clone());
    for part in path.split('.') {
        let next = match &cur {
            Value::Map(m) => m.borrow().get(part).cloned()?,
            _ => return None,
        };
        cur = next;
    }
    Some(cur)
}

/// CoalesceValues: `user` (a fresh copy is made) over the chart defaults, recursively.
pub fn coalesce_values(chart: &Chart, user: &MapRef, tags: &Value) -> MapRef {
    let dest = match Value::Map(user.clone()).deep_copy() {
        Value::Map(m) => m,
        _ => new_map(),
    };
    coalesce(chart, &dest, tags);
    dest
}

fn coalesce(chart: &Chart, dest: &MapRef, tags: &Value) {
    coalesce_chart_values(chart, dest);
    for sub in enabled_dependencies(chart, dest, tags) {
        let name = sub.name();
        let existing = dest.borrow().get(&name).cloned();
        let dv = match existing {
            Some(Value::Map(m)) => m,
            Some(Value::Nil) | None => {
                let m = new_map();
                dest.borrow_mut()
                    .insert(name.clone(), Value::Map(m.clone()));
                m
            }
            Some(_) => continue, // Helm: type mismatch; keep the user's value
        };
        coalesce_globals(&dv, dest);
        coalesce(sub, &dv, tags);
    }
}

fn coalesce_chart_values(chart: &Chart, v: &MapRef) {
    let defaults = match Value::from_json(&chart.values) {
        Value::Map(m) => m,
        _ => return,
    };
    let entries: Vec<(String, Value)> = defaults
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        let existing = v.borrow().get(&key).cloned();
        match existing {
            Some(Value::Nil) => {
                v.borrow_mut().remove(&key);
            }
            Some(Value::Map(dest)) => {
                if let Value::Map(src) = &val {
                    let merge = chart.dependencies.iter().any(|d| d.name() == key);
                    coalesce_tables(&dest, src, merge);
                }
            }
            Some(_) => {}
            None => {
                v.borrow_mut().insert(key, val);
            }
        }
    }
}

/// coalesceTablesFullKey: `dst` wins over `src`; a null in `dst` deletes the key unless merging.
fn coalesce_tables(dst: &MapRef, src: &MapRef, merge: bool) {
    let entries: Vec<(String, Value)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        let dv = dst.borrow().get(&key).cloned();
        match dv {
            Some(Value::Nil) if !merge => {
                dst.borrow_mut().remove(&key);
            }
            None => {
                dst.borrow_mut().insert(key, val);
            }
            Some(Value::Map(dm)) => {
                if let Value::Map(sm) = &val {
                    coalesce_tables(&dm, sm, merge);
                }
            }
            Some(_) => {}
        }
    }
}

/// coalesceGlobals: copies the parent's `global` into the subchart's values.
fn coalesce_globals(dest: &MapRef, src: &MapRef) {
    let dg = match dest.borrow().get(GLOBAL).cloned() {
        None => new_map(),
        Some(Value::Map(m)) => m,
        Some(_) => return,
    };
    let sg = match src.borrow().get(GLOBAL).cloned() {
        None => new_map(),
        Some(Value::Map(m)) => m,
        Some(_) => return,
    };
    let entries: Vec<(String, Value)> = sg
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        if let Value::Map(vm) = &val {
            let vv = match val.deep_copy() {
                Value::Map(m) => m,
                _ => vm.clone(),
            };
            let existing = dg.borrow().get(&key).cloned();
            match existing {
                None => {
                    dg.borrow_mut().insert(key, Value::Map(vv));
                }
                Some(Value::Map(destv)) => {
                    coalesce_tables(&vv, &destv, true);
                    dg.borrow_mut().insert(key, Value::Map(vv));
                }
                Some(_) => {}
            }
        } else if matches!(dg.borrow().get(&key), Some(Value::Map(_))) {
            // a table in the subchart wins over a scalar global
        } else {
            dg.borrow_mut().insert(key, val);
        }
    }
    dest.borrow_mut().insert(GLOBAL.into(), Value::Map(dg));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(v: serde_json::Value) -> MapRef {
        match Value::from_json_typed(&v) {
            Value::Map(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn coalesce_tables_user_wins_and_null_deletes() {
        let dst = map(serde_json::json!({"a": 1, "b": null, "n": {"x": 1}}));
        let src = map(serde_json::json!({"a": 2, "b": 3, "c": 4, "n": {"x": 2, "y": 3}}));
        coalesce_tables(&dst, &src, false);
        assert_eq!(
            Value::Map(dst).to_json().unwrap(),
            serde_json::json!({"a": 1, "c": 4, "n": {"x": 1, "y": 3}})
        );
    }

    #[test]
    fn merge_maps_later_wins() {
        let a = map(serde_json::json!({"a": {"x": 1, "y": 1}, "b": 1}));
        let b = map(serde_json::json!({"a": {"y": 2}, "b": {"z": 1}}));
        assert_eq!(
            Value::Map(merge_maps(&a, &b)).to_json().unwrap(),
            serde_json::json!({"a": {"x": 1, "y": 2}, "b": {"z": 1}})
        );
    }
}
