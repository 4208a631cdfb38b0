//! `copydesk schema`: the article record's JSON Schema, or the same shape as a Spark DDL
//! string, derived from the JSON Schema so the two cannot drift apart.

use clap::{Args, ValueEnum};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::CliResult;

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// What to print.
    #[arg(long, value_enum, default_value_t = SchemaFormat::JsonSchema)]
    format: SchemaFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaFormat {
    /// The JSON Schema (draft 2020-12) of the article record.
    JsonSchema,
    /// A Spark SQL DDL string (`id STRING, source STRUCT<...>, ...`) for reading article
    /// records with a fixed schema (`from_json`, `spark.read.schema(...)`).
    SparkDdl,
}

pub(crate) fn schema(args: SchemaArgs) -> CliResult {
    match args.format {
        SchemaFormat::JsonSchema => println!("{}", article::json_schema()),
        SchemaFormat::SparkDdl => println!("{}", spark_ddl()?),
    }
    Ok(())
}

/// The article record as a Spark DDL string. Top-level columns come in the order of the
/// record's keys; fields of nested structs in the schema's order (required fields as
/// declared, then the optional ones). Integers are `BIGINT`, numbers `DOUBLE`, enums `STRING`,
/// maps with free-form values (`Label::extra`) `MAP<STRING, STRING>`: Spark reads a
/// non-string JSON value into a string column as its JSON text.
fn spark_ddl() -> Result<String, String> {
    let schema: Value = serde_json::from_str(&article::json_schema())
        .map_err(|error| format!("the JSON Schema does not parse: {error}"))?;
    let empty = Map::new();
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let converter = Converter { defs };
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .ok_or("the JSON Schema of the article has no properties")?;
    // Every top-level key is always written, so an empty record gives the column order.
    let record = serde_json::to_string(&article::Article::new(String::new()))
        .map_err(|error| error.to_string())?;
    let record_keys: KeyOrder = serde_json::from_str(&record).map_err(|error| error.to_string())?;
    let mut names: Vec<&String> = record_keys
        .0
        .iter()
        .filter_map(|key| properties.get_key_value(key).map(|(name, _)| name))
        .collect();
    let mut order = ordered_keys(&schema, properties);
    order.retain(|name| !names.contains(name));
    names.extend(order);
    let columns = names
        .into_iter()
        .map(|name| {
            Ok(format!(
                "{} {}",
                quote(name),
                converter.ddl(&properties[name])?
            ))
        })
        .collect::<Result<Vec<String>, String>>()?;
    Ok(columns.join(", "))
}

/// The keys of a JSON object in the order they are written (`serde_json::Map` sorts them).
struct KeyOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeyOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyOrder, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeyOrder;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(KeyOrder(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

struct Converter<'a> {
    defs: &'a Map<String, Value>,
}

impl Converter<'_> {
    fn ddl(&self, schema: &Value) -> Result<String, String> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            let target = self
                .defs
                .get(name)
                .ok_or_else(|| format!("unknown reference {reference}"))?;
            return self.ddl(target);
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
                return self.alternatives(alternatives);
            }
        }
        if schema.get("enum").is_some() || schema.get("const").is_some() {
            return Ok("STRING".to_string());
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(name)) => vec![name.as_str()],
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let types: Vec<&str> = types.into_iter().filter(|name| *name != "null").collect();
        match types.as_slice() {
            ["string"] => Ok("STRING".to_string()),
            ["integer"] => Ok("BIGINT".to_string()),
            ["number"] => Ok("DOUBLE".to_string()),
            ["boolean"] => Ok("BOOLEAN".to_string()),
            ["array"] => {
                let items = schema.get("items").ok_or("an array without items")?;
                Ok(format!("ARRAY<{}>", self.ddl(items)?))
            }
            ["object"] => self.object(schema),
            other => Err(format!("no Spark type for JSON Schema types {other:?}")),
        }
    }

    fn alternatives(&self, alternatives: &[Value]) -> Result<String, String> {
        let not_null: Vec<&Value> = alternatives
            .iter()
            .filter(|alternative| alternative.get("type") != Some(&Value::from("null")))
            .collect();
        let types = not_null
            .iter()
            .map(|alternative| self.ddl(alternative))
            .collect::<Result<Vec<String>, String>>()?;
        match types.split_first() {
            Some((first, rest)) if rest.iter().all(|other| other == first) => Ok(first.clone()),
            _ => Err(format!("alternatives of different types: {types:?}")),
        }
    }

    fn object(&self, schema: &Value) -> Result<String, String> {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let fields = ordered_keys(schema, properties)
                .into_iter()
                .map(|name| Ok(format!("{}: {}", quote(name), self.ddl(&properties[name])?)))
                .collect::<Result<Vec<String>, String>>()?;
            return Ok(format!("STRUCT<{}>", fields.join(", ")));
        }
        match schema.get("additionalProperties") {
            Some(Value::Object(values)) => Ok(format!(
                "MAP<STRING, {}>",
                self.ddl(&Value::Object(values.clone()))?
            )),
            // Free-form values: Spark keeps each as its JSON text.
            _ => Ok("MAP<STRING, STRING>".to_string()),
        }
    }
}

/// Required properties in the order the schema lists them (declaration order), then the
/// others in the schema's order.
fn ordered_keys<'a>(schema: &Value, properties: &'a Map<String, Value>) -> Vec<&'a String> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut keys: Vec<&String> = required
        .iter()
        .filter_map(|name| properties.get_key_value(*name).map(|(key, _)| key))
        .collect();
    keys.extend(
        properties
            .keys()
            .filter(|key| !required.contains(&key.as_str())),
    );
    keys
}

/// A column or field name in backticks, as Spark's DDL parser reads any name.
fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_covers_every_top_level_field_in_record_order() {
        let ddl = spark_ddl().unwrap();
        assert!(
            ddl.starts_with("`schema_version` BIGINT, `id` STRING, `source` STRUCT<"),
            "{ddl}"
        );
        assert!(
            ddl.contains(
                "`labels` MAP<STRING, ARRAY<STRUCT<`value`: STRING, `score`: DOUBLE, `extra`: MAP<STRING, STRING>>>>"
            ),
            "{ddl}"
        );
    }
}
