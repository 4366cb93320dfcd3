//! Overlaying IstioOperator trees the way istioctl 1.23 does (JSON merge patch, RFC 7386):
//! mappings merge key by key, lists and scalars are replaced by the later value, `null` removes.

use serde_json::Value;

/// Overlays `overlay` onto `base`.
pub fn overlay(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Object(base), Value::Object(overlay)) => {
            for (key, value) in overlay {
                if value.is_null() {
                    base.remove(&key);
                } else if let Some(existing) = base.get_mut(&key) {
                    self::overlay(existing, value);
                } else {
                    base.insert(key, value);
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn later_wins_maps_merge_lists_replace() {
        let mut base =
            json!({"spec": {"profile": "default", "values": {"a": 1, "b": [1, 2]}, "hub": "x"}});
        overlay(
            &mut base,
            json!({"spec": {"profile": "demo", "values": {"b": [3], "c": true}, "hub": null}}),
        );
        assert_eq!(
            base,
            json!({"spec": {"profile": "demo", "values": {"a": 1, "b": [3], "c": true}}})
        );
    }
}
