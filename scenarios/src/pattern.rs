//! Patterns: a packet model in which some values are placeholders, for what the broker
//! chooses (packet identifiers, assigned client ids) or what the standard leaves open (which
//! properties a CONNACK carries). A placeholder is an object whose keys all start with `$`:
//!
//! - `{"$any": true}`: any value;
//! - `{"$var": "name"}`: any value, bound to `name` the first time; the same value after (and
//!   in a `send`, the bound value);
//! - `{"$range": [min, max]}`: a number from `min` to `max`;
//! - `{"$one_of": [p, ...]}`: a value matching one of the patterns;
//! - `{"$all_of": [p, ...]}`: a value matching every one of the patterns;
//! - `{"$contains": [p, ...], "$lacks": ["name", ...]}` (either or both): an array holding
//!   elements matching the patterns in this order, others allowed around them, and no element
//!   whose `name` is listed (for properties: `"$lacks": ["topic-alias"]`).
//!
//! Every other value matches only an equal value; objects need the same keys.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Values bound by `$var` placeholders.
pub type Bindings = BTreeMap<String, Value>;

/// The placeholder keys.
const KEYS: [&str; 7] = [
    "$any",
    "$var",
    "$range",
    "$one_of",
    "$all_of",
    "$contains",
    "$lacks",
];

/// The placeholder's keys when `value` is one.
fn placeholder(value: &Value) -> Option<&Map<String, Value>> {
    match value {
        Value::Object(o) if !o.is_empty() && o.keys().all(|k| k.starts_with('$')) => Some(o),
        _ => None,
    }
}

/// Checks that every placeholder in `pattern` is well formed (the lint).
pub fn check(pattern: &Value) -> Result<(), String> {
    if let Some(o) = placeholder(pattern) {
        for (key, arg) in o {
            let ok = match key.as_str() {
                "$any" => arg == &Value::Bool(true),
                "$var" => arg.as_str().is_some_and(|s| !s.is_empty()),
                "$range" => arg
                    .as_array()
                    .is_some_and(|a| a.len() == 2 && a.iter().all(Value::is_u64)),
                "$one_of" | "$all_of" | "$contains" => match arg.as_array() {
                    Some(items) => {
                        items.iter().try_for_each(check)?;
                        true
                    }
                    None => false,
                },
                "$lacks" => arg
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                _ => false,
            };
            if !ok {
                return Err(format!(
                    "bad placeholder {key}: {arg} (placeholders: {})",
                    KEYS.join(", ")
                ));
            }
        }
        let set_or_array = o.keys().all(|k| k == "$contains" || k == "$lacks");
        if o.len() > 1 && !set_or_array {
            return Err(format!("{pattern}: only $contains and $lacks combine"));
        }
        return Ok(());
    }
    match pattern {
        Value::Array(items) => items.iter().try_for_each(check),
        Value::Object(o) => o.values().try_for_each(check),
        _ => Ok(()),
    }
}

/// Whether `value` matches `pattern`; on a match the new bindings are added to `bindings`,
/// on a mismatch `bindings` is unchanged and the error says where and why.
pub fn matches(pattern: &Value, value: &Value, bindings: &mut Bindings) -> Result<(), String> {
    let mut trial = bindings.clone();
    match_at(pattern, value, &mut trial, "")?;
    *bindings = trial;
    Ok(())
}

fn match_at(pattern: &Value, value: &Value, b: &mut Bindings, path: &str) -> Result<(), String> {
    let here = || if path.is_empty() { "the packet" } else { path };
    if let Some(o) = placeholder(pattern) {
        if o.contains_key("$any") {
            return Ok(());
        }
        if let Some(name) = o.get("$var").and_then(Value::as_str) {
            return match b.get(name) {
                Some(bound) if bound != value => Err(format!(
                    "{}: {value} is not {bound}, the value bound to {name}",
                    here()
                )),
                Some(_) => Ok(()),
                None => {
                    b.insert(name.to_owned(), value.clone());
                    Ok(())
                }
            };
        }
        if let Some(range) = o.get("$range").and_then(Value::as_array) {
            let (min, max) = (range[0].as_u64(), range[1].as_u64());
            return match value.as_u64() {
                Some(v) if Some(v) >= min && Some(v) <= max => Ok(()),
                _ => Err(format!(
                    "{}: {value} is not in {}..={}",
                    here(),
                    range[0],
                    range[1]
                )),
            };
        }
        if let Some(options) = o.get("$one_of").and_then(Value::as_array) {
            for option in options {
                let mut trial = b.clone();
                if match_at(option, value, &mut trial, path).is_ok() {
                    *b = trial;
                    return Ok(());
                }
            }
            return Err(format!("{}: {value} matches none of {pattern}", here()));
        }
        if let Some(all) = o.get("$all_of").and_then(Value::as_array) {
            for p in all {
                match_at(p, value, b, path)?;
            }
            return Ok(());
        }
        let Some(items) = value.as_array() else {
            return Err(format!("{}: {value} is not an array", here()));
        };
        if let Some(lacks) = o.get("$lacks").and_then(Value::as_array) {
            for item in items {
                if let Some(name) = item.get("name") {
                    if lacks.contains(name) {
                        return Err(format!("{}: holds {item}, which it must not", here()));
                    }
                }
            }
        }
        if let Some(wanted) = o.get("$contains").and_then(Value::as_array) {
            let mut next = 0;
            for want in wanted {
                let found = (next..items.len()).find(|&i| {
                    let mut trial = b.clone();
                    let ok = match_at(want, &items[i], &mut trial, path).is_ok();
                    if ok {
                        *b = trial;
                    }
                    ok
                });
                match found {
                    Some(i) => next = i + 1,
                    None => {
                        return Err(format!(
                            "{}: {value} holds nothing matching {want} (in order)",
                            here()
                        ))
                    }
                }
            }
        }
        return Ok(());
    }
    match (pattern, value) {
        (Value::Object(p), Value::Object(v)) => {
            for key in p.keys() {
                if !v.contains_key(key) {
                    return Err(format!("{path}.{key}: missing"));
                }
            }
            for (key, got) in v {
                let Some(want) = p.get(key) else {
                    return Err(format!("{path}.{key}: {got} is not in the pattern"));
                };
                match_at(want, got, b, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(p), Value::Array(v)) => {
            if p.len() != v.len() {
                return Err(format!(
                    "{}: {} elements, not {}: {value}",
                    here(),
                    v.len(),
                    p.len()
                ));
            }
            for (i, (want, got)) in p.iter().zip(v).enumerate() {
                match_at(want, got, b, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if pattern == value => Ok(()),
        _ => Err(format!("{}: {value}, not {pattern}", here())),
    }
}

/// `model` with each `{"$var": name}` replaced by its bound value (for a `send`).
pub fn substitute(model: &Value, bindings: &Bindings) -> Result<Value, String> {
    if let Some(o) = placeholder(model) {
        return match o.get("$var").and_then(Value::as_str) {
            Some(name) if o.len() == 1 => bindings
                .get(name)
                .cloned()
                .ok_or_else(|| format!("{name} is sent before it is bound")),
            _ => Err(format!("{model}: only $var can stand in a packet sent")),
        };
    }
    Ok(match model {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| substitute(i, bindings))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, bindings)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// `value` with `{{run}}` in every string replaced by `token`: the part of client ids and
/// topics that keeps one run (and one scenario) apart from the others on a shared broker.
pub fn with_token(value: &Value, token: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace("{{run}}", token)),
        Value::Array(items) => Value::Array(items.iter().map(|i| with_token(i, token)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), with_token(v, token)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_var_binds_then_must_be_equal() {
        let mut b = Bindings::new();
        let p = json!({"type": "PUBLISH", "packet_id": {"$var": "id"}});
        matches(&p, &json!({"type": "PUBLISH", "packet_id": 7}), &mut b).unwrap();
        assert_eq!(b["id"], json!(7));
        let e = matches(&p, &json!({"type": "PUBLISH", "packet_id": 8}), &mut b).unwrap_err();
        assert!(e.contains(".packet_id"), "{e}");
        assert_eq!(
            substitute(&json!({"packet_id": {"$var": "id"}}), &b).unwrap(),
            json!({"packet_id": 7})
        );
        assert!(substitute(&json!({"$var": "nope"}), &b).is_err());
    }

    #[test]
    fn a_failed_match_binds_nothing() {
        let mut b = Bindings::new();
        let p = json!([{"$var": "a"}, 2]);
        assert!(matches(&p, &json!([1, 3]), &mut b).is_err());
        assert!(b.is_empty());
    }

    #[test]
    fn objects_need_the_same_keys() {
        let mut b = Bindings::new();
        assert!(matches(&json!({"a": 1}), &json!({"a": 1, "b": 2}), &mut b).is_err());
        assert!(matches(&json!({"a": 1, "b": 2}), &json!({"a": 1}), &mut b).is_err());
        assert!(matches(&json!({"a": {"$any": true}}), &json!({"a": null}), &mut b).is_ok());
    }

    #[test]
    fn contains_lacks_range_one_of() {
        let mut b = Bindings::new();
        let props = json!([{"name": "x", "value": 1}, {"name": "y", "value": 9}]);
        let want = |p: Value| matches(&p, &props, &mut Bindings::new()).is_ok();
        assert!(want(
            json!({"$contains": [{"name": "y", "value": {"$range": [5, 10]}}]})
        ));
        assert!(!want(
            json!({"$contains": [{"name": "y", "value": {"$range": [10, 20]}}]})
        ));
        assert!(!want(
            json!({"$contains": [{"name": "y", "value": 9}, {"name": "x", "value": 1}]})
        ));
        assert!(!want(json!({"$lacks": ["x"]})));
        assert!(want(json!({"$lacks": ["z"]})));
        assert!(matches(&json!({"$one_of": [1, 2]}), &json!(2), &mut b).is_ok());
        assert!(matches(&json!({"$one_of": [1, 2]}), &json!(3), &mut b).is_err());
        let both =
            json!({"$all_of": [{"$contains": [{"name": "x", "value": 1}]}, {"$lacks": ["z"]}]});
        assert!(matches(&both, &props, &mut b).is_ok());
        let not_both =
            json!({"$all_of": [{"$contains": [{"name": "x", "value": 1}]}, {"$lacks": ["y"]}]});
        assert!(matches(&not_both, &props, &mut b).is_err());
    }

    #[test]
    fn the_lint_refuses_unknown_placeholders() {
        assert!(check(&json!({"a": {"$anything": 1}})).is_err());
        assert!(check(&json!({"$range": [1]})).is_err());
        assert!(check(&json!({"$var": "x", "$any": true})).is_err());
        assert!(check(&json!({"$contains": [], "$lacks": ["a"]})).is_ok());
    }

    #[test]
    fn the_token_replaces_run_in_strings() {
        assert_eq!(
            with_token(&json!({"topic": "{{run}}/a", "n": [ "{{run}}" ]}), "t1"),
            json!({"topic": "t1/a", "n": ["t1"]})
        );
    }
}
