//! Errors of the document readers.

use automerge::AutomergeError;

/// Why a document could not be read as the expected type.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// `@type` is missing or names another document type.
    #[error("document type is {found:?}, expected {expected}")]
    WrongType {
        /// The type the reader expects.
        expected: &'static str,
        /// The `@type` found, if any.
        found: Option<String>,
    },
    /// A required field is missing or null.
    #[error("missing field {0}")]
    MissingField(String),
    /// A field holds a value of the wrong type.
    #[error("field {field} is not a {expected}")]
    FieldType {
        /// Path of the field.
        field: String,
        /// What the schema says it holds.
        expected: &'static str,
    },
    /// A field holds a value outside its enumeration or range.
    #[error("field {field} has invalid value {value:?}")]
    InvalidValue {
        /// Path of the field.
        field: String,
        /// The value found.
        value: String,
    },
    /// Automerge refused a read (an object id of another document).
    #[error("automerge: {0}")]
    Automerge(#[from] AutomergeError),
}

impl ModelError {
    /// Prefixes the field path of this error with `prefix`, for errors of nested entries.
    pub(crate) fn within(self, prefix: &str) -> ModelError {
        let join = |field: String| format!("{prefix}/{field}");
        match self {
            ModelError::MissingField(f) => ModelError::MissingField(join(f)),
            ModelError::FieldType { field, expected } => ModelError::FieldType {
                field: join(field),
                expected,
            },
            ModelError::InvalidValue { field, value } => ModelError::InvalidValue {
                field: join(field),
                value,
            },
            other => other,
        }
    }
}
