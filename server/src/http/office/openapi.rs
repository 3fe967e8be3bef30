//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the office API, derived by
//! utoipa from the response types (`ToSchema`) and the handlers' `#[utoipa::path]`, so it
//! cannot drift from them. `docs/openapi.json` is a copy (the office dashboard's
//! TypeScript types are generated from it); a test fails when it is stale and says how to
//! regenerate it.

use axum::Json;
use serde::Serialize;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi, PartialSchema, ToSchema};

use super::{detail, export, handlers, insight, lists, names, report, roster, supervise, targets};
use crate::http::api::import;

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Wish Station office API (心愿驿站)",
        version = "1",
        description = "Figures and exports for the central office, computed from the \
            server's per-wish summaries (no personal data of residents). Office devices and \
            coordinators see their own community; the administrator sees all and may pass \
            `community`. Times are milliseconds since the Unix epoch (UTC); `from`, `to` \
            and `now` also accept local dates YYYY-MM-DD (UTC+8)."
    ),
    servers((url = "/")),
    security(("bearer" = [])),
    modifiers(&BearerAuth),
    paths(
        handlers::summary,
        handlers::wishes,
        handlers::durations,
        handlers::satisfaction,
        handlers::overdue,
        handlers::volunteers,
        insight::communities,
        insight::participation,
        insight::ratings,
        detail::wish,
        supervise::supervise,
        targets::get,
        targets::put,
        export::csv,
        export::xlsx,
        roster::coverage,
        lists::lists,
        names::names,
        report::json,
        report::xlsx,
        export::ledger_csv,
        export::ledger_xlsx,
        export::service_records,
        export::service_records_xlsx,
        export::contacts_csv,
        import::import_people,
        import::import_wishes,
    ),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json` (no token needed: it describes, it reveals nothing).
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Every route takes `Authorization: Bearer TOKEN`.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme =
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", scheme);
    }
}

/// The body of every refusal (`ApiError`).
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: String,
}

/// A file downloaded (CSV, XLSX) or uploaded (an import): a binary string. Described by
/// hand: the derive would describe bytes as an array of integers.
pub struct File;

impl PartialSchema for File {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for File {}

/// The refusals every route may answer.
#[derive(IntoResponses)]
#[allow(dead_code)] // only described: the handlers answer with `ApiError`
pub enum Refusals {
    #[response(status = 400, description = "Bad parameter")]
    BadParameter(ErrorBody),
    #[response(status = 401, description = "Missing or invalid token")]
    Unauthorized(ErrorBody),
    #[response(status = 403, description = "Role or community not allowed")]
    Forbidden(ErrorBody),
}

// The query parameters, described. The handlers read the raw pairs through `params.rs`
// (a filter takes several values, repeated or comma-separated, and a time is
// milliseconds or a date), which a struct serde deserializes into cannot express; so
// these structs only describe them.

/// `community` alone.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct Scope {
    /// Community id (administrator only; others get their own).
    community: Option<String>,
}

/// The wish filters of the lists and exports.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct Filters {
    /// Community id (administrator only; others get their own).
    community: Option<String>,
    /// One or more values, repeated or comma-separated.
    status: Option<String>,
    /// One or more values, repeated or comma-separated.
    module: Option<String>,
    /// One or more values, repeated or comma-separated.
    station: Option<String>,
    /// One or more values, repeated or comma-separated.
    channel: Option<String>,
    /// One or more values, repeated or comma-separated.
    urgency: Option<String>,
    /// Created at or after: ms or YYYY-MM-DD.
    from: Option<String>,
    /// Created before (a date: through that day): ms or YYYY-MM-DD.
    to: Option<String>,
}

/// A date range: the figures count the wishes created in it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct Window {
    /// Created at or after: ms or YYYY-MM-DD.
    from: Option<String>,
    /// Created before (a date: through that day): ms or YYYY-MM-DD.
    to: Option<String>,
}

/// The wish a route is about.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct DocPath {
    /// The wish's document id (`automerge:…`).
    doc: String,
}

/// Paging of a list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct Paged {
    /// Page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    /// Items per page.
    #[param(minimum = 1, maximum = 1000, default = 50)]
    per_page: Option<u32>,
}

/// The module of the durations.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ModuleParam {
    /// One or more values, repeated or comma-separated.
    module: Option<String>,
}

/// When lateness is judged.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct Now {
    /// The time to judge lateness at (default: now): ms or YYYY-MM-DD.
    now: Option<String>,
}

/// The date range of the roster coverage (both inclusive).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ShiftDates {
    /// First shift date included: YYYY-MM-DD or ms (its local date).
    from: Option<String>,
    /// Last shift date included: YYYY-MM-DD or ms (its local date).
    to: Option<String>,
}

/// The month of the monthly report.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MonthParam {
    /// The month, YYYY-MM (local time, UTC+8); default: this month.
    #[param(example = "2026-11")]
    month: Option<String>,
}

/// The confirmation of an export with residents' personal data.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PersonalData {
    /// Must be personal-data: the caller asks for residents' personal data.
    #[param(pattern = "^personal-data$")]
    confirm: String,
    /// Why the personal data is needed (kept in the audit log).
    reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");

    /// The document as `docs/openapi.json` holds it.
    fn pretty_json() -> String {
        let mut text = ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
        text.push('\n');
        text
    }

    /// `docs/openapi.json` is what the server serves. Regenerate with
    /// `UPDATE_OPENAPI=1 cargo test -p wish-server --lib openapi`.
    #[test]
    fn docs_openapi_json_is_current() {
        let now = pretty_json();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(DOCS_PATH, &now).unwrap_or_else(|e| panic!("{DOCS_PATH}: {e}"));
        }
        let stored = std::fs::read_to_string(DOCS_PATH).unwrap_or_default();
        assert!(
            stored == now,
            "docs/openapi.json is stale: regenerate it with \
             `UPDATE_OPENAPI=1 cargo test -p wish-server --lib openapi`"
        );
    }

    #[test]
    fn every_route_is_described_with_its_refusals() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        assert_eq!(paths.len(), 26, "{:?}", paths.keys());
        for (path, item) in paths {
            let operation = item["get"].as_object().or(item["post"].as_object());
            let operation = operation.or(item["put"].as_object());
            let responses = &operation.unwrap_or_else(|| panic!("{path}"))["responses"];
            for status in ["200", "400", "401", "403"] {
                assert!(responses[status].is_object(), "{path} {status}");
            }
        }
    }
}
