//! Every JSON answer the OpenAPI document describes matches its schema on a real server:
//! the district demo, read by the office device its code enrolls. The schemas are made
//! strict first (no property the schema does not name), so a key added, renamed or of
//! another type fails here until the document (derived from the types) says so.

use serde_json::{json, Map, Value};
use wish_tests::http::{request, Response};
use wish_tests::{temp_dir, TestServer};

const BIN: &str = env!("CARGO_BIN_EXE_wish-station-test-server");

#[test]
fn every_documented_json_answer_matches_its_schema() -> anyhow::Result<()> {
    let data = temp_dir();
    let code = district_demo(data.path())?;
    let server = TestServer::start(BIN, data.path())?;
    let token = redeem(&server, &code)?;
    let doc = request(&server.addr, "GET", "/api/v1/openapi.json", None, None)?.json()?;
    let strict = strict(&doc);
    let mut checked = 0;
    let wish = a_wish(&server, &token)?;
    for (path, schema_ref) in json_gets(&doc) {
        let path = path.replace("{doc}", &wish);
        let response = request(&server.addr, "GET", &path, Some(&token), None)?;
        anyhow::ensure!(response.status == 200, "{path}: {}", response.status);
        assert_matches(&strict, &schema_ref, &response, &path)?;
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} JSON answers described");
    assert_strict(&strict, &server, &token)?;
    let refused = request(&server.addr, "GET", "/api/v1/office/summary", None, None)?;
    assert_eq!(refused.status, 401);
    assert_matches(&strict, "#/components/schemas/Error", &refused, "a refusal")
}

/// The check can fail: an undocumented key, deep in an answer, or a value of another type
/// is refused.
fn assert_strict(strict: &Value, server: &TestServer, token: &str) -> anyhow::Result<()> {
    let page = request(
        &server.addr,
        "GET",
        "/api/v1/office/wishes",
        Some(token),
        None,
    )?
    .json()?;
    let validator = validator(strict, "#/components/schemas/WishPage")?;
    assert!(validator.is_valid(&page));
    let mut extra = page.clone();
    extra["items"][0]["surprise"] = json!(1);
    assert!(!validator.is_valid(&extra), "an undocumented key passed");
    let mut retyped = page;
    retyped["items"][0]["hours"] = json!("2");
    assert!(
        !validator.is_valid(&retyped),
        "a string for a number passed"
    );
    Ok(())
}

fn validator(strict: &Value, schema_ref: &str) -> anyhow::Result<jsonschema::Validator> {
    let mut root = strict.clone();
    root["$ref"] = json!(schema_ref);
    jsonschema::draft202012::new(&root)
        .map_err(|e| anyhow::anyhow!("{schema_ref} is not a valid schema: {e}"))
}

/// Seeds the three-community district demo; returns the office code it prints.
fn district_demo(data: &std::path::Path) -> anyhow::Result<String> {
    let out = std::process::Command::new(BIN)
        .arg("demo")
        .arg("--data")
        .arg(data)
        .args(["--wishes", "90"])
        .env("RUST_LOG", "warn")
        .output()?;
    let stdout = String::from_utf8(out.stdout)?;
    anyhow::ensure!(out.status.success(), "demo failed: {stdout}");
    stdout
        .lines()
        .find(|l| l.contains("街道 office"))
        .and_then(|l| l.rsplit(' ').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no office code in {stdout}"))
}

fn redeem(server: &TestServer, code: &str) -> anyhow::Result<String> {
    let body = json!({ "code": code, "name": "街道办" });
    let redeemed = request(&server.addr, "POST", "/api/v1/enroll", None, Some(&body))?;
    anyhow::ensure!(redeemed.status == 200, "redeem: {}", redeemed.text());
    redeemed.json()?["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no token"))
}

/// `(path, $ref of its 200 JSON schema)` of every GET answered with JSON.
/// A wish of the demo, for the routes about one wish.
fn a_wish(server: &TestServer, token: &str) -> anyhow::Result<String> {
    let page = request(
        &server.addr,
        "GET",
        "/api/v1/office/wishes",
        Some(token),
        None,
    )?
    .json()?;
    page["items"][0]["doc_id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the demo's wish list is empty: {page}"))
}

fn json_gets(doc: &Value) -> Vec<(String, String)> {
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    paths
        .into_iter()
        .filter_map(|(path, item)| {
            let schema = &item["get"]["responses"]["200"]["content"]["application/json"];
            let reference = schema["schema"]["$ref"].as_str()?;
            Some((path, reference.to_owned()))
        })
        .collect()
}

fn assert_matches(
    strict: &Value,
    schema_ref: &str,
    response: &Response,
    what: &str,
) -> anyhow::Result<()> {
    let validator = validator(strict, schema_ref)?;
    let body = response.json()?;
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    anyhow::ensure!(
        errors.is_empty(),
        "{what} ≠ {schema_ref}:\n{}",
        errors.join("\n")
    );
    Ok(())
}

/// The document with every object schema closed (`unevaluatedProperties: false`); a
/// flattened struct (`allOf` of object schemas) is merged into one object first, so that
/// its parts can be closed too.
fn strict(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let components = doc["components"]["schemas"].clone();
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for schema in schemas.values_mut() {
            merge_all_of(schema, &components);
            close(schema);
        }
    }
    doc
}

/// Replaces `allOf: [A, B…]` by one object with the properties and required keys of all.
fn merge_all_of(schema: &mut Value, components: &Value) {
    let Some(parts) = schema["allOf"].as_array().cloned() else {
        return;
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in parts {
        let part = match part["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
            Some(name) => components[name].clone(),
            None => part,
        };
        properties.extend(part["properties"].as_object().cloned().unwrap_or_default());
        required.extend(part["required"].as_array().cloned().unwrap_or_default());
    }
    *schema = json!({ "type": "object", "properties": properties, "required": required });
}

fn close(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if object.contains_key("properties") && !object.contains_key("additionalProperties") {
        object.insert("unevaluatedProperties".into(), json!(false));
    }
    for (key, child) in object.iter_mut() {
        match key.as_str() {
            "properties" => child
                .as_object_mut()
                .into_iter()
                .flat_map(|p| p.values_mut())
                .for_each(close),
            "items" | "additionalProperties" => close(child),
            "oneOf" | "anyOf" => child.as_array_mut().into_iter().flatten().for_each(close),
            _ => {}
        }
    }
}
