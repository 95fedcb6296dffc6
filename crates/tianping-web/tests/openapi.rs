//! The OpenAPI document (`/api/v1/openapi.json`, derived by utoipa) against the API as it is:
//! real answers of every route, successes and errors, hold to the schema of their status; every
//! route is documented and every documented route exists; the documented parameters are the
//! ones the handlers read.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use tianping_web::api::route_table;

/// A small JSON Schema (the part of OpenAPI 3.1 that utoipa writes) checker. Stricter than JSON
/// Schema in one way: an object may hold only the properties its schema declares, so a field
/// that an answer gains without the document knowing fails.
struct Schemas<'a> {
    doc: &'a Value,
}

impl Schemas<'_> {
    fn resolve<'s>(&'s self, mut schema: &'s Value) -> &'s Value {
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local references: {reference}"));
            schema = self
                .doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling reference {reference}"));
        }
        schema
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
            let matching = options
                .iter()
                .filter(|option| {
                    let mut errs = Vec::new();
                    self.check(option, value, at, &mut errs);
                    errs.is_empty()
                })
                .count();
            if matching != 1 {
                errors.push(format!(
                    "{at}: {value} matches {matching} of the oneOf alternatives"
                ));
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.check(part, value, at, errors);
            }
        }
        if let Some(types) = schema.get("type") {
            let types: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                other => panic!("{at}: type {other}"),
            };
            let fits = |t: &str| match t {
                "null" => value.is_null(),
                "boolean" => value.is_boolean(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                other => panic!("{at}: unknown type {other}"),
            };
            if !types.iter().any(|t| fits(t)) {
                errors.push(format!("{at}: {value} is not of type {types:?}"));
                return;
            }
        }
        if let Some(choices) = schema.get("enum").and_then(Value::as_array)
            && !choices.contains(value)
        {
            errors.push(format!("{at}: {value} is not one of {choices:?}"));
        }
        if let (Some("date"), Some(text)) =
            (schema.get("format").and_then(Value::as_str), value.as_str())
            && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err()
        {
            errors.push(format!("{at}: '{text}' is not a date"));
        }
        if let (Some(minimum), Some(number)) = (
            schema.get("minimum").and_then(Value::as_f64),
            value.as_f64(),
        ) && number < minimum
        {
            errors.push(format!("{at}: {number} is below {minimum}"));
        }
        if let Value::Object(object) = value {
            let properties = schema.get("properties").and_then(Value::as_object);
            for required in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !object.contains_key(required) {
                    errors.push(format!("{at}: the required key '{required}' is missing"));
                }
            }
            if let Some(properties) = properties {
                for (key, item) in object {
                    match properties.get(key) {
                        Some(property) => {
                            self.check(property, item, &format!("{at}.{key}"), errors)
                        }
                        None => errors.push(format!("{at}: the key '{key}' is not in the schema")),
                    }
                }
            }
        }
        if let (Value::Array(items), Some(schema)) = (value, schema.get("items")) {
            for (i, item) in items.iter().enumerate() {
                self.check(schema, item, &format!("{at}[{i}]"), errors);
            }
        }
    }

    /// The documented answer of `method path` with `status`.
    fn response(&self, method: &Method, path: &str, status: StatusCode) -> &Value {
        let operation = &self.doc["paths"][path][method.as_str().to_lowercase()];
        assert!(operation.is_object(), "{method} {path} is not documented");
        let response = &operation["responses"][status.as_str()];
        assert!(
            response.is_object(),
            "{method} {path} does not document the status {status}"
        );
        self.resolve(response)
    }
}

/// An answer of the API, as the client got it.
struct Answer {
    method: Method,
    path: &'static str,
    status: StatusCode,
    body: Option<Value>,
}

async fn answer(
    client: &mut Client,
    method: Method,
    path: &'static str,
    query: &str,
    json_body: Option<Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let target = format!("/api/v1{path}{query}");
    let reply = match (&method, json_body) {
        (&Method::GET, _) => client.get(&target).await,
        (&Method::POST, Some(body)) => client.post_json_with(&target, body, headers).await,
        (&Method::POST, None) => {
            let mut req = Request::builder().method(Method::POST).uri(uri(&target));
            for (name, value) in headers {
                req = req.header(*name, *value);
            }
            client.send(req.body(Body::empty()).unwrap()).await
        }
        (other, _) => panic!("{other}"),
    };
    // A download (the 司法建议书) is not JSON: its body is not read.
    let json = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    let body = (!reply.body.is_empty() && json).then(|| reply.json());
    Answer {
        method,
        path,
        status: reply.status,
        body,
    }
}

/// The documented path of a request's path: a record's id stands for `{id}`.
fn doc_path(path: &'static str) -> &'static str {
    if let Some(rest) = path.strip_prefix("/refunds/items/") {
        return if rest.ends_with("/actions") {
            "/refunds/items/{id}/actions"
        } else {
            "/refunds/items/{id}"
        };
    }
    if let Some(rest) = path.strip_prefix("/suggestions/items/") {
        return if rest.ends_with("/actions") {
            "/suggestions/items/{no}/actions"
        } else if rest.ends_with("/letter") {
            "/suggestions/items/{no}/letter"
        } else {
            "/suggestions/items/{no}"
        };
    }
    if let Some(rest) = path.strip_prefix("/petitions/items/") {
        return if rest.ends_with("/actions") {
            "/petitions/items/{id}/actions"
        } else {
            "/petitions/items/{id}"
        };
    }
    match path.strip_prefix("/mediation/items/") {
        Some(rest) if rest.ends_with("/actions") => "/mediation/items/{id}/actions",
        Some(_) => "/mediation/items/{id}",
        None => path,
    }
}

async fn document(client: &mut Client) -> Value {
    let reply = client.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    reply.json()
}

#[tokio::test]
async fn real_answers_hold_to_the_document() {
    let world = world_app().await;
    let mut anonymous = Client::new(&world.app);
    let doc = document(&mut anonymous).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let schemas = Schemas { doc: &doc };

    let mut admin = Client::new(&world.app);
    let mut clerk = Client::signed_in(&world.app, "clerk0202").await;
    let mut judge = Client::signed_in(&world.app, "judge").await;
    let g = Method::GET;
    let p = Method::POST;
    let credentials = json!({"username": "admin", "password": PASSWORD});
    let mut answers = vec![
        answer(&mut admin, p.clone(), "/login", "", Some(credentials), &[]).await,
        answer(&mut admin, g.clone(), "/me", "", None, &[]).await,
        answer(&mut judge, g.clone(), "/me", "", None, &[]).await,
    ];
    for by in ["none", "court", "division", "judge", "class", "type_code"] {
        let query = format!("?from=2023-01-01&to=2023-12-31&by={by}");
        let query: &'static str = Box::leak(query.into_boxed_str());
        answers.push(answer(&mut admin, g.clone(), "/indicators", query, None, &[]).await);
    }
    for (client, query) in [
        (&mut admin, "?as_of=2023-09-20&status=all"),
        (&mut clerk, "?as_of=2023-09-20"),
        (&mut judge, "?as_of=2024-09-20&status=overdue"),
    ] {
        answers.push(answer(client, g.clone(), "/deadlines", query, None, &[]).await);
    }
    answers.extend([
        answer(&mut admin, g.clone(), "/signals", "?year=2023", None, &[]).await,
        answer(
            &mut clerk,
            g.clone(),
            "/case-numbers/parse",
            "?q=(2023)皖0202民初1号&q=（2019）最高法知民终1号之一&q=（2023）皖0202民初&q=（2014）民一终字第174号&q=",
            None,
            &[],
        )
        .await,
        answer(&mut anonymous, g.clone(), "/openapi.json", "", None, &[]).await,
        // Errors.
        answer(&mut anonymous, g.clone(), "/me", "", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/indicators", "?from=2023-01-01&to=2023-12-31", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/deadlines", "", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/signals", "?year=2023", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/case-numbers/parse", "?q=1", None, &[]).await,
        answer(&mut anonymous, p.clone(), "/logout", "", None, &[]).await,
        answer(&mut admin, g.clone(), "/indicators", "?from=2023-01-01", None, &[]).await,
        answer(&mut admin, g.clone(), "/deadlines", "?status=late", None, &[]).await,
        answer(&mut admin, g.clone(), "/signals", "?year=1900", None, &[]).await,
        answer(&mut admin, g.clone(), "/case-numbers/parse", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/indicators", "?from=2023-01-01&to=2023-12-31&scope=鲁", None, &[]).await,
        answer(&mut clerk, g.clone(), "/deadlines", "?scope=鲁", None, &[]).await,
        answer(&mut clerk, g.clone(), "/signals", "?year=2023&scope=鲁", None, &[]).await,
        answer(&mut judge, g.clone(), "/signals", "?year=2023", None, &[]).await,
        answer(&mut clerk, p.clone(), "/logout", "", None, &[("x-csrf-token", "wrong")]).await,
        answer(
            &mut anonymous,
            p.clone(),
            "/login",
            "",
            Some(json!({"username": "x".repeat(65), "password": "p"})),
            &[],
        )
        .await,
        answer(
            &mut anonymous,
            p.clone(),
            "/login",
            "",
            Some(json!({"username": "admin", "password": "p".repeat(20_000)})),
            &[],
        )
        .await,
    ]);
    // Wrong passwords from one address until the throttle answers 429.
    let mut stranger = Client::at(&world.app, "10.9.8.7");
    for _ in 0..8 {
        let wrong = json!({"username": "clerk02", "password": "wrong"});
        let a = answer(&mut stranger, p.clone(), "/login", "", Some(wrong), &[]).await;
        let throttled = a.status == StatusCode::TOO_MANY_REQUESTS;
        answers.push(a);
        if throttled {
            break;
        }
    }
    // Mediation: a referred mediation of 皖0202 to act on.
    let mut referred = tianping_workflow::mediation::Mediation::registered(
        "WH-1",
        "皖0202",
        tianping_workflow::mediation::MediationKind::Delegated,
        d("2023-09-01"),
    );
    referred.referred_date = Some(d("2023-09-01"));
    world
        .store
        .apply_mediation_batch(
            &tianping_store::MediationBatch {
                mediations: vec![referred],
                ..Default::default()
            },
            &[],
        )
        .await
        .unwrap();
    let token = admin.get("/api/v1/me").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let clerk_token = clerk.get("/api/v1/me").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let act = "/mediation/items/WH-1/actions";
    answers.extend([
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/items",
            "?as_of=2023-09-30",
            None,
            &[],
        )
        .await,
        answer(
            &mut admin,
            g.clone(),
            "/mediation/items",
            "?status=late",
            None,
            &[],
        )
        .await,
        answer(&mut anonymous, g.clone(), "/mediation/items", "", None, &[]).await,
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/items",
            "?scope=鲁",
            None,
            &[],
        )
        .await,
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/items/WH-1",
            "?as_of=2023-09-30",
            None,
            &[],
        )
        .await,
        answer(
            &mut anonymous,
            g.clone(),
            "/mediation/items/WH-1",
            "",
            None,
            &[],
        )
        .await,
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/items/NOPE",
            "",
            None,
            &[],
        )
        .await,
        answer(
            &mut admin,
            p.clone(),
            act,
            "",
            Some(json!({"action": "accept", "date": "2023-09-04"})),
            &[("x-csrf-token", &token)],
        )
        .await,
        answer(
            &mut anonymous,
            p.clone(),
            act,
            "",
            Some(json!({"action": "accept"})),
            &[],
        )
        .await,
        answer(
            &mut clerk,
            p.clone(),
            act,
            "",
            Some(json!({"action": "extend", "days": 5})),
            &[("x-csrf-token", &clerk_token)],
        )
        .await,
        answer(
            &mut admin,
            p.clone(),
            "/mediation/items/NOPE/actions",
            "",
            Some(json!({"action": "accept"})),
            &[("x-csrf-token", &token)],
        )
        .await,
        answer(
            &mut admin,
            p.clone(),
            act,
            "",
            Some(json!({"action": "accept", "date": "2023-09-05"})),
            &[("x-csrf-token", &token)],
        )
        .await,
        answer(
            &mut admin,
            p.clone(),
            act,
            "",
            Some(json!({"action": "extend", "days": 0, "date": "2023-09-05"})),
            &[("x-csrf-token", &token)],
        )
        .await,
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/due",
            "?as_of=2023-09-30",
            None,
            &[],
        )
        .await,
        answer(
            &mut admin,
            g.clone(),
            "/mediation/due",
            "?status=late",
            None,
            &[],
        )
        .await,
        answer(&mut anonymous, g.clone(), "/mediation/due", "", None, &[]).await,
        answer(
            &mut admin,
            p.clone(),
            "/mediation/items",
            "",
            Some(json!({"court_code": "皖0202", "kind": "委派", "registered_date": "2023-09-02"})),
            &[("x-csrf-token", &token)],
        )
        .await,
        answer(
            &mut anonymous,
            p.clone(),
            "/mediation/items",
            "",
            Some(json!({"kind": "委派"})),
            &[],
        )
        .await,
        answer(
            &mut clerk,
            p.clone(),
            "/mediation/items",
            "",
            Some(json!({"kind": "委派"})),
            &[("x-csrf-token", &clerk_token)],
        )
        .await,
        answer(
            &mut admin,
            p.clone(),
            "/mediation/items",
            "",
            Some(json!({"mediation_id": "WH-1", "court_code": "皖0202", "kind": "委派"})),
            &[("x-csrf-token", &token)],
        )
        .await,
        answer(
            &mut admin,
            p.clone(),
            "/mediation/items",
            "",
            Some(json!({"court_code": "皖0202", "kind": "委托"})),
            &[("x-csrf-token", &token)],
        )
        .await,
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/due",
            "?scope=鲁",
            None,
            &[],
        )
        .await,
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/indicators",
            "?period=2023&compare=yoy",
            None,
            &[],
        )
        .await,
        answer(
            &mut admin,
            g.clone(),
            "/mediation/indicators",
            "?period=2023&by=colour",
            None,
            &[],
        )
        .await,
        answer(
            &mut anonymous,
            g.clone(),
            "/mediation/indicators",
            "",
            None,
            &[],
        )
        .await,
        answer(
            &mut clerk,
            g.clone(),
            "/mediation/indicators",
            "?scope=鲁",
            None,
            &[],
        )
        .await,
    ]);
    // Petitions: only the petition duties read them (the clerk has none: 403).
    let pact = "/petitions/items/XF-T1/actions";
    let petition = json!({"petition_id": "XF-T1", "court_code": "皖0202", "received_date": "2023-09-20",
        "channel": "来信", "nature": "申诉求决", "litigation_related": true});
    answers.extend([
        answer(&mut admin, p.clone(), "/petitions/items", "", Some(petition.clone()), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/petitions/items", "", Some(petition), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/petitions/items", "",
            Some(json!({"court_code": "皖0202", "channel": "传真", "nature": "申诉求决", "litigation_related": true})),
            &[("x-csrf-token", &token)]).await,
        answer(&mut anonymous, p.clone(), "/petitions/items", "", Some(json!({})), &[]).await,
        answer(&mut clerk, p.clone(), "/petitions/items", "", Some(json!({})), &[("x-csrf-token", &clerk_token)]).await,
        answer(&mut admin, g.clone(), "/petitions/items", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/items", "?status=late", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/petitions/items", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/petitions/items", "", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/items/XF-T1", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/items/NOPE", "", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/petitions/items/XF-T1", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/petitions/items/XF-T1", "", None, &[]).await,
        answer(&mut admin, p.clone(), pact, "",
            Some(json!({"action": "acknowledge", "decision": "受理", "date": "2023-09-28"})),
            &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), pact, "",
            Some(json!({"action": "acknowledge", "decision": "受理", "date": "2023-09-29"})),
            &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), pact, "",
            Some(json!({"action": "reply", "result": "支持", "date": "2023-10-10"})),
            &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), pact, "", Some(json!({"action": "fly"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/petitions/items/NOPE/actions", "",
            Some(json!({"action": "reopen", "note": "x"})), &[("x-csrf-token", &token)]).await,
        answer(&mut anonymous, p.clone(), pact, "", Some(json!({"action": "reopen"})), &[]).await,
        answer(&mut clerk, p.clone(), pact, "", Some(json!({"action": "reopen", "note": "x"})),
            &[("x-csrf-token", &clerk_token)]).await,
        answer(&mut admin, g.clone(), "/petitions/due", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/due", "?status=late", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/petitions/due", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/petitions/due", "", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/indicators", "?period=2023&compare=yoy", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/indicators", "?period=2023&by=colour", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/petitions/indicators", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/petitions/indicators", "", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/matters", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/petitions/matters", "?status=late", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/petitions/matters", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/petitions/matters", "", None, &[]).await,
    ]);
    // Judicial suggestions: everyone in scope reads them; officers act, leaders sign.
    let sact = "/suggestions/items/镜法建〔2023〕1号/actions";
    let suggestion = json!({"suggestion_no": "镜法建(2023)1号", "court_code": "皖0202",
        "title": "芜湖市镜湖区人民法院关于物业管理的司法建议书", "recipient": "芜湖市镜湖区住房和城乡建设局",
        "recipient_type": "行政机关", "topic": "物业纠纷", "drafted_date": "2023-09-01"});
    answers.extend([
        answer(&mut admin, p.clone(), "/suggestions/items", "", Some(suggestion.clone()), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/suggestions/items", "", Some(suggestion), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/suggestions/items", "",
            Some(json!({"suggestion_no": "镜法建〔2023〕2号", "court_code": "皖0202", "title": "t", "recipient": "r",
                "recipient_type": "行政机关", "topic": "天气"})),
            &[("x-csrf-token", &token)]).await,
        answer(&mut anonymous, p.clone(), "/suggestions/items", "", Some(json!({})), &[]).await,
        answer(&mut clerk, p.clone(), "/suggestions/items", "", Some(json!({})), &[("x-csrf-token", &clerk_token)]).await,
        answer(&mut admin, g.clone(), "/suggestions/items", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/items", "?status=late", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/suggestions/items", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/suggestions/items", "?scope=鲁", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/items/镜法建〔2023〕1号", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/items/NOPE", "", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/suggestions/items/镜法建〔2023〕1号", "", None, &[]).await,
        answer(&mut admin, p.clone(), sact, "",
            Some(json!({"action": "approve", "date": "2023-10-01"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), sact, "",
            Some(json!({"action": "approve", "date": "2023-10-02"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), sact, "", Some(json!({"action": "reply"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), sact, "", Some(json!({"action": "fly"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/suggestions/items/NOPE/actions", "",
            Some(json!({"action": "approve"})), &[("x-csrf-token", &token)]).await,
        answer(&mut anonymous, p.clone(), sact, "", Some(json!({"action": "approve"})), &[]).await,
        answer(&mut clerk, p.clone(), sact, "", Some(json!({"action": "withdraw", "note": "x"})),
            &[("x-csrf-token", &clerk_token)]).await,
        answer(&mut admin, g.clone(), "/suggestions/items/镜法建〔2023〕1号/letter", "?format=docx", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/items/镜法建〔2023〕1号/letter", "?format=odt", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/items/NOPE/letter", "", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/suggestions/items/镜法建〔2023〕1号/letter", "", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/due", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/due", "?status=late", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/suggestions/due", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/suggestions/due", "?scope=鲁", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/indicators", "?period=2023&compare=yoy", None, &[]).await,
        answer(&mut admin, g.clone(), "/suggestions/indicators", "?period=2023&by=colour", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/suggestions/indicators", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/suggestions/indicators", "?scope=鲁", None, &[]).await,
    ]);
    // Court-fee refunds: everyone in scope reads them; the finance office acts.
    let ract = "/refunds/items/TF-T1/actions";
    let refund = json!({"refund_id": "TF-T1", "case_number": "（2023）皖0202民初3号", "payer": "原告",
        "reason": "胜诉退费", "amount": "100", "effective_date": "2023-04-20"});
    answers.extend([
        answer(&mut admin, p.clone(), "/refunds/items", "", Some(refund.clone()), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/refunds/items", "", Some(refund), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/refunds/items", "",
            Some(json!({"refund_id": "TF-T2", "case_number": "（2023）皖0202民初3号", "payer": "原告",
                "reason": "胜诉退费", "amount": "0", "effective_date": "2023-04-20"})),
            &[("x-csrf-token", &token)]).await,
        answer(&mut anonymous, p.clone(), "/refunds/items", "", Some(json!({})), &[]).await,
        answer(&mut clerk, p.clone(), "/refunds/items", "", Some(json!({})), &[("x-csrf-token", &clerk_token)]).await,
        answer(&mut admin, g.clone(), "/refunds/items", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/refunds/items", "?status=late", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/refunds/items", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/refunds/items", "?scope=鲁", None, &[]).await,
        answer(&mut admin, g.clone(), "/refunds/items/TF-T1", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/refunds/items/NOPE", "", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/refunds/items/TF-T1", "", None, &[]).await,
        answer(&mut admin, p.clone(), ract, "",
            Some(json!({"action": "refund", "amount": "40", "date": "2023-04-25"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), ract, "",
            Some(json!({"action": "waive", "note": "x", "date": "2023-04-26"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), ract, "",
            Some(json!({"action": "refund", "amount": "500", "date": "2023-04-26"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), ract, "", Some(json!({"action": "fly"})), &[("x-csrf-token", &token)]).await,
        answer(&mut admin, p.clone(), "/refunds/items/NOPE/actions", "",
            Some(json!({"action": "refund"})), &[("x-csrf-token", &token)]).await,
        answer(&mut anonymous, p.clone(), ract, "", Some(json!({"action": "refund"})), &[]).await,
        answer(&mut clerk, p.clone(), ract, "", Some(json!({"action": "refund"})),
            &[("x-csrf-token", &clerk_token)]).await,
        answer(&mut admin, g.clone(), "/refunds/due", "?as_of=2023-12-31", None, &[]).await,
        answer(&mut admin, g.clone(), "/refunds/due", "?status=late", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/refunds/due", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/refunds/due", "?scope=鲁", None, &[]).await,
        answer(&mut admin, g.clone(), "/refunds/indicators", "?period=2023&compare=yoy", None, &[]).await,
        answer(&mut admin, g.clone(), "/refunds/indicators", "?period=2023&by=colour", None, &[]).await,
        answer(&mut anonymous, g.clone(), "/refunds/indicators", "", None, &[]).await,
        answer(&mut clerk, g.clone(), "/refunds/indicators", "?scope=鲁", None, &[]).await,
    ]);
    let csrf = admin.get("/api/v1/me").await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    answers.push(
        answer(
            &mut admin,
            p.clone(),
            "/logout",
            "",
            None,
            &[("x-csrf-token", &csrf)],
        )
        .await,
    );

    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    for a in &answers {
        let path = doc_path(a.path);
        let response = schemas.response(&a.method, path, a.status);
        let at = format!("{} {} {}", a.method, a.path, a.status.as_u16());
        match (
            response["content"]["application/json"].get("schema"),
            &a.body,
        ) {
            (Some(schema), Some(body)) => schemas.check(schema, body, &at, &mut errors),
            (Some(_), None) => errors.push(format!("{at}: no body, but the document has one")),
            (None, Some(_)) if a.path == "/openapi.json" => {}
            (None, Some(body)) => errors.push(format!("{at}: an undocumented body {body}")),
            (None, None) => {}
        }
        seen.insert((a.method.to_string(), path, a.status.as_u16()));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));

    // Every documented answer was seen.
    let mut unseen = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for status in operation["responses"].as_object().unwrap().keys() {
                let key = (
                    method.to_uppercase(),
                    path.as_str(),
                    status.parse().unwrap(),
                );
                if !seen
                    .iter()
                    .any(|s| (s.0.as_str(), s.1, s.2) == (key.0.as_str(), key.1, key.2))
                {
                    unseen.push(format!("{} {path} {status}", key.0));
                }
            }
        }
    }
    assert!(
        unseen.is_empty(),
        "documented but never answered: {unseen:?}"
    );
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_exists() {
    let world = world_app().await;
    let mut anonymous = Client::new(&world.app);
    let doc = document(&mut anonymous).await;
    let routes: BTreeSet<(String, String)> = route_table()
        .iter()
        .map(|r| (r.method.as_str().to_lowercase(), r.path.to_owned()))
        .collect();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(|method| (method.clone(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(routes, documented);
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    // Each route of the table answers its method (401 or 200, never 404 or 405).
    for route in route_table() {
        let req = Request::builder()
            .method(route.method.clone())
            .uri(format!("/api/v1{}", route.path))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let status = anonymous.send(req).await.status;
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{} {}: {status}",
            route.method,
            route.path
        );
    }
}

/// A value for a documented query parameter.
fn sample(schema: &Value) -> Option<String> {
    if schema["format"] == "date" {
        return Some("2023-09-20".into());
    }
    match schema["type"].as_str() {
        Some("integer") => Some("2023".into()),
        Some("array") => Some("(2023)皖0202民初1号".into()),
        _ => None,
    }
}

/// The parameters the document names are the ones the handlers read: without a required one
/// the answer is 400 and names it; a documented date, enum or pattern refuses nonsense by name.
#[tokio::test]
async fn the_documented_parameters_are_the_ones_read() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let doc = document(&mut admin).await;
    let schemas = Schemas { doc: &doc };
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(operation) = item.get("get") else {
            continue;
        };
        // A path with an id is about one record, not about query parameters.
        if path.contains('{') {
            continue;
        }
        let params: Vec<&Value> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .collect();
        let required: Vec<(String, String)> = params
            .iter()
            .filter(|p| p["required"] == true)
            .map(|p| {
                let name = p["name"].as_str().unwrap().to_owned();
                let value = sample(schemas.resolve(&p["schema"]))
                    .unwrap_or_else(|| panic!("{path}: no sample for {name}"));
                (name, value)
            })
            .collect();
        let query = |pairs: &[(String, String)]| {
            let text = pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&");
            format!("/api/v1{path}?{text}")
        };
        let reply = admin.get(&query(&required)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
        for (i, (name, _)) in required.iter().enumerate() {
            let mut without = required.clone();
            without.remove(i);
            let reply = admin.get(&query(&without)).await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{path} without {name}"
            );
            let message = reply.json()["error"].as_str().unwrap().to_owned();
            assert!(
                message.contains(name.as_str()),
                "{path} without {name}: {message}"
            );
            checked += 1;
        }
        for param in &params {
            let schema = schemas.resolve(&param["schema"]);
            let name = param["name"].as_str().unwrap();
            if schema["format"] != "date"
                && schema.get("enum").is_none()
                && schema.get("pattern").is_none()
            {
                continue;
            }
            let mut pairs: Vec<(String, String)> = required
                .iter()
                .filter(|(k, _)| k != name)
                .cloned()
                .collect();
            pairs.push((name.to_owned(), "nonsense".to_owned()));
            let reply = admin.get(&query(&pairs)).await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{path}: {name}=nonsense"
            );
            let message = reply.json()["error"].as_str().unwrap().to_owned();
            assert!(message.contains(name), "{path} {name}=nonsense: {message}");
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} parameters checked");
}

/// The checker itself: an answer that drifted from the document fails.
#[tokio::test]
async fn a_drifted_answer_fails_the_check() {
    let world = world_app().await;
    let mut admin = Client::signed_in(&world.app, "admin").await;
    let doc = document(&mut admin).await;
    let schemas = Schemas { doc: &doc };
    let schema = &schemas.response(&Method::GET, "/deadlines", StatusCode::OK)["content"]["application/json"]
        ["schema"];
    let body = admin.get("/api/v1/deadlines?as_of=2023-09-20").await.json();
    let mut errors = Vec::new();
    schemas.check(schema, &body, "deadlines", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    for drift in [
        json!({"rows": [], "as_of": "2023-09-20", "extra": 1}),
        json!({"rows": []}),
        json!({"rows": [], "as_of": "20.9.2023"}),
        json!({"rows": [{"case_number": 1}], "as_of": "2023-09-20"}),
    ] {
        let mut errors = Vec::new();
        schemas.check(schema, &drift, "drift", &mut errors);
        assert!(!errors.is_empty(), "{drift} passed");
    }
    let mut row = body["rows"][0].clone();
    row["status"] = json!("late");
    let mut errors = Vec::new();
    schemas.check(
        schema,
        &json!({"as_of": "2023-09-20", "rows": [row]}),
        "drift",
        &mut errors,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
}
