//! `GET /api/v1/openapi.json`: an OpenAPI 3.0 description of the office API.

use axum::Json;
use serde_json::{json, Value};

/// The document (no token needed: it describes, it reveals nothing).
pub async fn document() -> Json<Value> {
    Json(json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Wish Station office API (心愿驿站)",
            "version": "1",
            "description": "Figures and exports for the central office, computed from the \
                server's per-wish summaries (no personal data of residents). Office \
                devices and coordinators see their own community; the administrator sees \
                all and may pass `community`. Times are milliseconds since the Unix epoch \
                (UTC); `from`, `to` and `now` also accept local dates YYYY-MM-DD (UTC+8)."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": paths(),
        "components": components(),
    }))
}

fn paths() -> Value {
    json!({
        "/api/v1/office/summary": get("Counts by status, module, channel, urgency, close \
            reason, station, community and ISO week", &["community"], "SummaryReport"),
        "/api/v1/office/wishes": get("Wishes, newest first, filtered and paged, with the \
            total", &["community", "status", "module", "station", "channel", "urgency", "from",
            "to", "page", "per_page"], "WishPage"),
        "/api/v1/office/durations": get("Time to claim and time to resolve: percentiles and \
            hour buckets", &["community", "module"], "DurationReport"),
        "/api/v1/office/satisfaction": get("Ratings: average, distribution 1–5, by module \
            and station", &["community"], "SatisfactionReport"),
        "/api/v1/office/overdue": get("Open wishes past their resolution target (default: \
            urgent 2 days, high 7, normal 14, low 30, from publication)", &["community",
            "status", "module", "station", "channel", "urgency", "now", "page", "per_page"],
            "OverdueReport"),
        "/api/v1/office/volunteers": get("Hours per claimant, most first (a wish's hours \
            are split equally among its claimants)", &["community", "page", "per_page"],
            "VolunteerReport"),
        "/api/v1/office/export/wishes.csv": file("The filtered wishes as CSV (UTF-8 with BOM, \
            Chinese headers)", "text/csv"),
        "/api/v1/office/export/wishes.xlsx": file("The filtered wishes as an Excel workbook \
            (Chinese headers)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "/api/v1/office/roster-coverage": get("Duty roster coverage per station: shifts in \
            the date range, uncovered shifts (no assignees) and past shifts without any \
            check-in", &["community", "from_date", "to_date", "now"], "CoverageReport"),
        "/api/v1/office/lists": get("The three lists (需求清单, 资源清单, 项目清单): open wishes \
            by module, offers by module, projects by status, and match suggestions (wishes \
            on the wall with the active offers of their module)", &["community"],
            "ListsReport"),
        "/api/v1/office/names": get("Names of the communities, stations, people and units \
            in scope (the community directory), by id; party members listed", &["community"],
            "Names"),
        "/api/v1/office/report": get("The monthly report (月度工作报告): the month's key \
            figures (collected, claimed, resolved, closed, overdue, the three lists, service \
            hours, party members, ratings, roster coverage) and its tables, by name",
            &["month", "community"], "MonthReport"),
        "/api/v1/office/report.xlsx": { "get": {
            "summary": "The monthly report as an Excel workbook, one sheet per table (概况, \
                按服务模块, 按驿站, 志愿服务)",
            "parameters": [param("month"), param("community")],
            "responses": responses(json!({ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": { "type": "string", "format": "binary" } } })),
        }},
        "/api/v1/office/export/ledger.csv": { "get": {
            "summary": "The community ledger as CSV (UTF-8 with BOM, Chinese headers): one row \
                per posting of every entry (earn, award, redeem, reversal); the postings of \
                an entry sum to zero",
            "parameters": [param("community")],
            "responses": responses(json!({ "text/csv": {
                "schema": { "type": "string", "format": "binary" } } })),
        }},
        "/api/v1/office/export/ledger.xlsx": { "get": {
            "summary": "The community ledger as an Excel workbook (Chinese headers), the rows \
                of ledger.csv",
            "parameters": [param("community")],
            "responses": responses(json!({ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": { "type": "string", "format": "binary" } } })),
        }},
        "/api/v1/office/export/service-records.xlsx": { "get": {
            "summary": "Volunteer service records (志愿服务记录) as an Excel workbook, the rows \
                of service-records.csv",
            "parameters": [param("community")],
            "responses": responses(json!({ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": { "type": "string", "format": "binary" } } })),
        }},
        "/api/v1/office/export/contacts.csv": { "get": {
            "summary": "The filtered wishes WITH residents' contact details (office only; at \
                most 5,000 wishes). Needs confirm=personal-data and a reason; every export \
                is written to the audit log before it is sent",
            "parameters": [param("confirm"), param("reason"), param("community"), param("status"),
                param("module"), param("station")],
            "responses": responses(json!({ "text/csv": {
                "schema": { "type": "string", "format": "binary" } } })),
        }},
        "/api/v1/import/people": import("Add people to the community directory from a \
            spreadsheet (XLSX, or CSV in UTF-8 or GB18030; columns 姓名, 类别, 模块, 技能, \
            党员, 单位, 驿站). Office and coordinators of the community."),
        "/api/v1/import/wishes": import("Create wishes from a spreadsheet of paper wish \
            cards (columns as `wish-station import --help`). Coordinators, into their own \
            stations; the office may not (the cards carry residents' contacts)."),
        "/api/v1/office/export/service-records.csv": { "get": {
            "summary": "Volunteer service records (志愿服务记录) as CSV (UTF-8 with BOM, \
                Chinese headers): one row per confirmed earn entry not reversed",
            "parameters": [param("community")],
            "responses": responses(json!({ "text/csv": {
                "schema": { "type": "string", "format": "binary" } } })),
        }},
    })
}

/// The answer of an import: every row's check, and how many items were created.
fn import_report() -> Value {
    let int = json!({ "type": "integer" });
    let texts = json!({ "type": "array", "items": string() });
    let row = json!({ "type": "object", "properties": {
        "line": int, "summary": string(), "errors": texts, "errors_zh": texts } });
    json!({ "type": "object", "properties": {
        "good": int, "bad": int, "imported": int,
        "rows": { "type": "array", "items": row } } })
}

/// An import endpoint: the file is the body; without `confirm` it is only checked.
fn import(summary: &str) -> Value {
    json!({ "post": {
        "summary": summary,
        "parameters": [
            { "name": "confirm", "in": "query", "schema": { "type": "boolean" },
              "description": "Create the items if every row is good; otherwise only check" },
            { "name": "station", "in": "query", "schema": string(),
              "description": "Wish cards: station (id or name) of rows without one" },
            param("community"),
        ],
        "requestBody": { "required": true, "content": {
            "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
        "responses": responses(json!({
            "application/json": { "schema": { "$ref": "#/components/schemas/ImportReport" } }
        })),
    }})
}

fn get(summary: &str, params: &[&str], schema: &str) -> Value {
    json!({ "get": {
        "summary": summary,
        "parameters": params.iter().map(|p| param(p)).collect::<Vec<_>>(),
        "responses": responses(json!({
            "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } }
        })),
    }})
}

fn file(summary: &str, media: &str) -> Value {
    let filters = [
        "community",
        "status",
        "module",
        "station",
        "channel",
        "urgency",
        "from",
        "to",
    ];
    json!({ "get": {
        "summary": summary,
        "parameters": filters.iter().map(|p| param(p)).collect::<Vec<_>>(),
        "responses": responses(json!({ media: { "schema": { "type": "string", "format": "binary" } } })),
    }})
}

fn responses(ok: Value) -> Value {
    let error =
        json!({ "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } });
    json!({
        "200": { "description": "OK", "content": ok },
        "400": { "description": "Bad parameter", "content": error },
        "401": { "description": "Missing or invalid token", "content": error },
        "403": { "description": "Role or community not allowed", "content": error },
    })
}

fn param(name: &str) -> Value {
    let (description, schema) = match name {
        "community" => (
            "Community id (administrator only; others get their own)",
            string(),
        ),
        "status" | "module" | "station" | "channel" | "urgency" => {
            ("One or more values, repeated or comma-separated", string())
        }
        "from" => ("Created at or after: ms or YYYY-MM-DD", string()),
        "from_date" => return date_param("from", "First shift date included"),
        "to_date" => return date_param("to", "Last shift date included"),
        "to" => (
            "Created before (a date: through that day): ms or YYYY-MM-DD",
            string(),
        ),
        "now" => (
            "The time to judge lateness at (default: now): ms or YYYY-MM-DD",
            string(),
        ),
        "confirm" => (
            "Must be personal-data: the caller asks for residents' personal data",
            json!({ "type": "string", "enum": ["personal-data"] }),
        ),
        "reason" => (
            "Why the personal data is needed (kept in the audit log)",
            string(),
        ),
        "month" => (
            "The month, YYYY-MM (local time, UTC+8); default: this month",
            json!({ "type": "string", "example": "2026-11" }),
        ),
        "page" => (
            "Page, from 1",
            json!({ "type": "integer", "minimum": 1, "default": 1 }),
        ),
        _ => (
            "Items per page",
            json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": 50 }),
        ),
    };
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

/// A roster date parameter (`from`/`to` on `roster-coverage` are dates, both inclusive).
fn date_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false,
        "description": format!("{description}: YYYY-MM-DD or ms (its local date)"),
        "schema": string() })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn counts() -> Value {
    json!({ "type": "object", "additionalProperties": { "type": "integer" } })
}

fn station_count(field: &str, kind: &str) -> Value {
    json!({ "type": "object", "properties": {
        "community": string(), "station": string(), field: { "type": kind } } })
}

fn components() -> Value {
    let n = json!({ "type": "number" });
    let int = json!({ "type": "integer" });
    let opt_n = json!({ "type": "number", "nullable": true });
    let opt_s = json!({ "type": "string", "nullable": true });
    let opt_i = json!({ "type": "integer", "nullable": true });
    let mut all = json!({
        "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
        "schemas": {
            "Error": { "type": "object", "properties": { "error": string() } },
            "SummaryReport": { "type": "object", "properties": {
                "community": opt_s, "total": int, "by_status": counts(), "by_module": counts(),
                "by_channel": counts(), "by_urgency": counts(), "by_close_reason": counts(),
                "by_station": { "type": "array", "items": station_count("count", "integer") },
                "by_community": counts(),
                "by_week": { "type": "array", "items": { "type": "object", "properties": {
                    "week": { "type": "string", "example": "2026-W48" },
                    "created": int, "resolved": int } } },
                "hours": n } },
            "Wish": { "type": "object", "properties": {
                "doc_id": string(), "id": string(), "title": string(), "community": string(),
                "station": string(), "module": opt_s, "status": string(), "channel": string(),
                "urgency": string(), "created_at": int, "published_at": opt_i,
                "first_claim_at": opt_i, "assigned_at": opt_i, "resolved_at": opt_i,
                "closed_at": opt_i, "close_reason": opt_s,
                "claimants": { "type": "array", "items": string() }, "hours": n,
                "rating": opt_i } },
            "WishPage": { "type": "object", "properties": {
                "total": int, "page": int, "per_page": int, "pages": int,
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/Wish" } } } },
            "Distribution": { "type": "object", "properties": {
                "count": int, "p50_hours": opt_n, "p90_hours": opt_n, "p99_hours": opt_n,
                "mean_hours": opt_n,
                "buckets": { "type": "array", "items": { "type": "object", "properties": {
                    "from_hours": int, "to_hours": opt_i, "count": int } } } } },
            "DurationReport": { "type": "object", "properties": {
                "community": opt_s, "module": opt_s,
                "time_to_claim": { "$ref": "#/components/schemas/Distribution" },
                "time_to_resolve": { "$ref": "#/components/schemas/Distribution" } } },
            "SatisfactionReport": { "type": "object", "properties": {
                "community": opt_s, "rated": int, "average": opt_n, "distribution": counts(),
                "by_module": { "type": "object", "additionalProperties": { "type": "object",
                    "properties": { "rated": int, "average": opt_n } } },
                "by_station": { "type": "array", "items": station_count("average", "number") } } },
            "OverdueReport": { "type": "object", "properties": {
                "now": int, "total": int, "by_module": counts(), "by_urgency": counts(),
                "by_station": { "type": "array", "items": station_count("count", "integer") },
                "targets": { "type": "array", "items": { "type": "object", "properties": {
                    "module": opt_s, "urgency": string(), "days": n } } },
                "page": int, "per_page": int,
                "items": { "type": "array", "items": { "allOf": [
                    { "$ref": "#/components/schemas/Wish" },
                    { "type": "object", "properties": { "deadline": int, "overdue_hours": n } }
                ] } } } },
            "VolunteerReport": { "type": "object", "properties": {
                "community": opt_s, "claimants": int, "total_hours": n, "page": int,
                "per_page": int,
                "leaderboard": { "type": "array", "items": { "type": "object", "properties": {
                    "rank": int, "claimant": string(), "name": string(), "hours": n,
                    "wishes": int,
                    "resolved": int } } } } },
            "ShiftRef": { "type": "object", "properties": {
                "id": string(), "date": string(), "start": string(), "end": string() } },
            "CoverageReport": { "type": "object", "properties": {
                "community": opt_s, "from": opt_s, "to": opt_s,
                "now": { "type": "string", "example": "2026-11-27 09:30" },
                "totals": { "type": "object", "properties": {
                    "stations": int, "shifts": int, "covered": int, "uncovered": int,
                    "past": int, "past_without_checkin": int } },
                "stations": { "type": "array", "items": { "type": "object", "properties": {
                    "doc_id": string(), "station": string(), "community": string(),
                    "name": string(), "shifts": int, "covered": int, "uncovered": int,
                    "past": int, "past_without_checkin": int,
                    "uncovered_shifts": { "type": "array",
                        "items": { "$ref": "#/components/schemas/ShiftRef" } },
                    "missed_shifts": { "type": "array",
                        "items": { "$ref": "#/components/schemas/ShiftRef" } } } } } } },
            "ListsReport": { "type": "object", "properties": {
                "community": opt_s,
                "needs": { "type": "object", "properties": {
                    "open": int, "by_module": counts() } },
                "offers": { "type": "object", "properties": {
                    "total": int, "active": int, "by_module": counts(),
                    "items": { "type": "array", "items": { "type": "object", "properties": {
                        "community": string(), "id": string(), "title": string(),
                        "module": string(), "provider": string(), "provider_kind": string(),
                        "capacity": int, "active": { "type": "boolean" } } } } } },
                "projects": { "type": "object", "properties": {
                    "total": int, "by_status": counts(),
                    "items": { "type": "array", "items": { "type": "object", "properties": {
                        "community": string(), "id": string(), "title": string(),
                        "module": string(), "status": string(), "lead": string(),
                        "created_at": int } } } } },
                "suggestions": { "type": "array", "items": { "type": "object", "properties": {
                    "doc_id": string(), "wish": string(), "title": string(),
                    "community": string(), "station": string(), "module": string(),
                    "status": string(),
                    "offers": { "type": "array", "items": string() } } } } } },
        }
    });
    // Added apart: one json! this large would pass the macro's recursion limit.
    all["schemas"]["ImportReport"] = import_report();
    all["schemas"]["Names"] = names();
    all["schemas"]["MonthReport"] = month_report();
    all["schemas"]["Wish"]["properties"]["names"] = json!({
        "type": "object",
        "description": "Names from the community directory (an unknown id shows as the id marked 未登记)",
        "properties": { "community": string(), "station": string(),
            "claimants": { "type": "array", "items": string() } } });
    all
}

fn month_report() -> Value {
    let (n, int) = (json!({ "type": "number" }), json!({ "type": "integer" }));
    let opt_n = json!({ "type": "number", "nullable": true });
    let figures = [
        "collected",
        "claimed",
        "resolved",
        "closed",
        "overdue",
        "needs_open",
        "offers",
        "offers_active",
        "projects",
        "projects_done",
        "projects_new",
        "service_records",
        "volunteers",
        "party_volunteers",
        "party_records",
        "rated",
        "shifts",
        "shifts_covered",
    ];
    let mut properties: serde_json::Map<String, Value> = figures
        .iter()
        .map(|f| ((*f).to_owned(), int.clone()))
        .collect();
    for f in ["hours", "party_hours"] {
        properties.insert(f.to_owned(), n.clone());
    }
    for f in ["average_rating", "coverage_percent"] {
        properties.insert(f.to_owned(), opt_n.clone());
    }
    let table = |fields: &[(&str, &Value)]| {
        let props: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).clone()))
            .collect();
        json!({ "type": "array", "items": { "type": "object", "properties": props } })
    };
    let text = string();
    json!({ "type": "object", "properties": {
        "month": { "type": "string", "example": "2026-11" },
        "label": { "type": "string", "example": "2026年11月" },
        "community": { "type": "string", "nullable": true },
        "scope_name": text, "generated_at": text,
        "figures": { "type": "object", "properties": properties },
        "by_module": table(&[("module", &text), ("label", &text), ("collected", &int),
            ("resolved", &int)]),
        "by_station": table(&[("community", &text), ("station", &text), ("collected", &int),
            ("resolved", &int), ("shifts", &int), ("shifts_covered", &int)]),
        "volunteers": table(&[("name", &text), ("community", &text),
            ("party_member", &json!({ "type": "boolean" })), ("records", &int), ("hours", &n)]),
    } })
}

fn names() -> Value {
    let by_id = json!({ "type": "object", "additionalProperties": string() });
    json!({ "type": "object", "properties": {
        "communities": by_id,
        "directories": { "type": "object", "additionalProperties": {
            "type": "object", "properties": {
                "people": by_id, "units": by_id, "stations": by_id,
                "party_members": { "type": "array", "items": string() } } } } } })
}
