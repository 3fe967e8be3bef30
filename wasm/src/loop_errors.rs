//! Refusals of the loop's operations (回访, 微故事, points) in words for the screens:
//! `中文 / English`, without ids; anything else as the coordinator's refusals say it.

use wasm_bindgen::JsError;
use wish_client_core::ops::DomainError;

/// A refused operation as a JS error `中文 / English`.
pub fn refusal(error: DomainError) -> JsError {
    let words = |zh: &str, en: &str| JsError::new(&format!("{zh} / {en}"));
    match error {
        DomainError::InsufficientBalance { balance, points } => words(
            &format!("积分不足：现有 {balance} 分，需要 {points} 分"),
            &format!("not enough points: {balance} held, {points} needed"),
        ),
        DomainError::TooLong { max, .. } => words(
            &format!("文字太长，最多 {max} 个字"),
            &format!("too long: at most {max} characters"),
        ),
        DomainError::PersonalData(_) => words(
            "公开的文字不能含有居民的姓名、电话或门牌号",
            "public text must not hold the resident's name, phone or room",
        ),
        DomainError::AlreadyReversed(_) => words("这笔账已经冲正过了", "already reversed"),
        DomainError::InvalidEntry(_) => words("这笔账不能冲正", "this entry cannot be reversed"),
        DomainError::InvalidTransition { .. } => words(
            "心愿现在的状态不能这样操作",
            "this step does not apply to the wish now",
        ),
        DomainError::InvalidAmount(_) => words(
            "请填写积分或时长，不能为负数",
            "give points or hours, never negative",
        ),
        other => crate::coordinator_errors::refusal(other),
    }
}
