//! A focused validator for the parts of OpenAPI 3.0 schemas that LINE's own
//! descriptions use on the operations the fake serves.
//!
//! Covered: `$ref` (within one file), `type` (`object`, `array`, `string`,
//! `integer`, `number`, `boolean`), `required`, `properties`,
//! `additionalProperties` (as a schema), `items`, `enum`, `minItems`/`maxItems`,
//! `minLength`/`maxLength` (in characters), `minimum`/`maximum`, `pattern`,
//! `format: uuid`, `allOf`, `oneOf`, and `discriminator` with a `mapping`
//! (an unknown discriminator value is an error, as LINE answers 400 to it).
//! Not covered: `anyOf`, `not`, `nullable`, `exclusiveMinimum`, other formats
//! (`uri`, `int64` ranges), `uniqueItems`, `readOnly`/`writeOnly`.
//! Properties a schema does not name are accepted, as OpenAPI's default says.

use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// LINE's Messaging API description, vendored from line/line-openapi.
const MESSAGING_API_YML: &str = include_str!("../../line-openapi/messaging-api.yml");
/// LINE's webhook description, vendored from line/line-openapi.
const WEBHOOK_YML: &str = include_str!("../../line-openapi/webhook.yml");

/// One parsed OpenAPI document, as JSON.
#[derive(Debug)]
pub struct Spec {
    /// The whole document (`paths`, `components`, …).
    pub doc: Value,
}

/// The Messaging API description, parsed once.
pub fn messaging_api() -> Result<&'static Spec> {
    static SPEC: OnceLock<std::result::Result<Spec, String>> = OnceLock::new();
    SPEC.get_or_init(|| Spec::parse(MESSAGING_API_YML).map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| anyhow!("messaging-api.yml: {e}"))
}

/// The webhook description, parsed once.
pub fn webhook() -> Result<&'static Spec> {
    static SPEC: OnceLock<std::result::Result<Spec, String>> = OnceLock::new();
    SPEC.get_or_init(|| Spec::parse(WEBHOOK_YML).map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| anyhow!("webhook.yml: {e}"))
}

/// YAML (as yaml-rust2 reads it) to JSON; keys that are not strings become strings.
fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::Real(text) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Yaml::Integer(n) => Value::from(*n),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(hash) => {
            let mut map = Map::new();
            for (key, value) in hash {
                let key = match key {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(n) => n.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => format!("{other:?}"),
                };
                map.insert(key, to_json(value));
            }
            Value::Object(map)
        }
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

impl Spec {
    /// Parses a YAML OpenAPI document.
    pub fn parse(text: &str) -> Result<Self> {
        let docs = YamlLoader::load_from_str(text).context("parsing YAML")?;
        let first = docs.first().context("empty YAML document")?;
        Ok(Self {
            doc: to_json(first),
        })
    }

    /// The schema a local `$ref` (`#/components/schemas/X`) points at.
    fn resolve(&self, reference: &str) -> Result<&Value> {
        let pointer = reference
            .strip_prefix('#')
            .with_context(|| format!("only local $ref are supported, not {reference}"))?;
        self.doc
            .pointer(pointer)
            .with_context(|| format!("$ref {reference} resolves to nothing"))
    }

    /// The operation object for `method` (lower case) on the templated `path`.
    pub fn operation(&self, path: &str, method: &str) -> Option<&Value> {
        self.doc.get("paths")?.get(path)?.get(method)
    }

    /// The JSON request-body schema of an operation, if it has one.
    pub fn request_schema<'a>(&self, operation: &'a Value) -> Option<&'a Value> {
        operation.pointer("/requestBody/content/application~1json/schema")
    }

    /// Validates `value` against `schema`; returns every violation as
    /// `(property path, message)`, empty when it is valid.
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        self.check(schema, value, "", true, &mut errors);
        // A subtype's `allOf` repeats its base, which the discriminator's owner
        // has already checked: report each finding once.
        let mut seen = std::collections::HashSet::new();
        errors.retain(|error| seen.insert(error.clone()));
        errors
    }

    /// Validates `value` against `#/components/schemas/{name}`.
    pub fn validate_named(&self, name: &str, value: &Value) -> Vec<(String, String)> {
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        self.validate(&schema, value)
    }

    /// One schema against one value. `discriminate` is false for the members of an
    /// `allOf`, so a subtype that lists its base does not dispatch back to itself.
    fn check(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        discriminate: bool,
        errors: &mut Vec<(String, String)>,
    ) {
        let mut fail = |message: String| errors.push((at.to_owned(), message));
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match self.resolve(reference) {
                Ok(target) => self.check(target, value, at, discriminate, errors),
                Err(e) => fail(format!("schema error: {e:#}")),
            }
            return;
        }
        if let Some(kind) = schema.get("type").and_then(Value::as_str) {
            let ok = match kind {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                _ => true,
            };
            if !ok {
                fail(format!("must be of type {kind}"));
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            fail(format!("must be one of {}", Value::Array(allowed.clone())));
        }
        let limit = |key: &str| schema.get(key).and_then(Value::as_u64);
        match value {
            Value::String(text) => {
                let chars = text.chars().count() as u64;
                if limit("maxLength").is_some_and(|max| chars > max) {
                    fail(format!("Length must be at most {}", schema["maxLength"]));
                }
                if limit("minLength").is_some_and(|min| chars < min) {
                    fail(format!("Length must be at least {}", schema["minLength"]));
                }
                if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                    match regex::Regex::new(pattern) {
                        Ok(re) if !re.is_match(text) => fail(format!("must match {pattern}")),
                        Ok(_) => {}
                        Err(e) => fail(format!("schema error: bad pattern {pattern}: {e}")),
                    }
                }
                let uuid = schema.get("format").and_then(Value::as_str) == Some("uuid");
                if uuid && uuid::Uuid::try_parse(text).is_err() {
                    fail("must be a UUID".to_owned());
                }
            }
            Value::Number(n) => {
                let n = n.as_f64().unwrap_or(f64::NAN);
                let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
                if bound("minimum").is_some_and(|min| n < min) {
                    fail(format!("must be at least {}", schema["minimum"]));
                }
                if bound("maximum").is_some_and(|max| n > max) {
                    fail(format!("must be at most {}", schema["maximum"]));
                }
            }
            Value::Array(items) => {
                let len = items.len() as u64;
                if limit("maxItems").is_some_and(|max| len > max) {
                    fail(format!("Size must be between 0 and {}", schema["maxItems"]));
                }
                if limit("minItems").is_some_and(|min| len < min) {
                    fail(format!("Size must be at least {}", schema["minItems"]));
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{at}[{i}]"), true, errors);
                    }
                }
            }
            Value::Object(fields) => self.check_object(schema, fields, at, errors),
            _ => {}
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check(part, value, at, false, errors);
        }
        if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
            let matching = choices
                .iter()
                .filter(|choice| self.validate(choice, value).is_empty())
                .count();
            if matching != 1 {
                errors.push((at.to_owned(), format!("matches {matching} of oneOf, not 1")));
            }
        }
        if discriminate {
            self.check_discriminator(schema, value, at, errors);
        }
    }

    /// `required`, `properties` and `additionalProperties` of an object.
    fn check_object(
        &self,
        schema: &Value,
        fields: &Map<String, Value>,
        at: &str,
        errors: &mut Vec<(String, String)>,
    ) {
        let join = |name: &str| {
            if at.is_empty() {
                name.to_owned()
            } else {
                format!("{at}.{name}")
            }
        };
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                errors.push((join(name), "Must not be empty".to_owned()));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties").filter(|s| s.is_object());
        for (name, field) in fields {
            if let Some(field_schema) = properties.and_then(|p| p.get(name)).or(additional) {
                self.check(field_schema, field, &join(name), true, errors);
            }
        }
    }

    /// Dispatches on `discriminator.propertyName` through `discriminator.mapping`.
    fn check_discriminator(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        errors: &mut Vec<(String, String)>,
    ) {
        let Some(discriminator) = schema.get("discriminator") else {
            return;
        };
        let property = discriminator["propertyName"].as_str().unwrap_or("type");
        let Some(tag) = value.get(property).and_then(Value::as_str) else {
            return; // `required` or `type` has already said so
        };
        match discriminator
            .get("mapping")
            .and_then(|m| m.get(tag))
            .and_then(Value::as_str)
        {
            Some(reference) => {
                let target = serde_json::json!({ "$ref": reference });
                self.check(&target, value, at, true, errors);
            }
            None => errors.push((
                format!("{at}.{property}"),
                format!("unknown {property} {tag:?}"),
            )),
        }
    }
}
