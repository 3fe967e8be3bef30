//! The coordinator's refusals in words for the screens: `中文 / English`, without ids or
//! field paths (the screen shows the side of its language). Conversions only: the
//! decision was made by `wish-client-core`.

use wasm_bindgen::JsError;
use wish_client_core::ops::DomainError;

/// A refused coordinator operation as a JS error `中文 / English`.
pub fn refusal(error: DomainError) -> JsError {
    let (zh, en) = words(&error);
    let en = en.unwrap_or_else(|| error.to_string());
    JsError::new(&format!("{zh} / {en}"))
}

fn words(error: &DomainError) -> (String, Option<String>) {
    let fixed = |zh: &str, en: &str| (zh.to_owned(), Some(en.to_owned()));
    match error {
        DomainError::EmptyField("template") => fixed(
            "请先在排班模板里添加时段",
            "add a time slot to the template first",
        ),
        DomainError::EmptyField(_) => fixed("请填写必填项", "please fill in the required fields"),
        DomainError::DuplicateId(_) => fixed(
            "记录已存在，请重试",
            "that record already exists; try again",
        ),
        DomainError::NotFound { what, .. } => (format!("找不到{}", thing(what)), None),
        DomainError::NothingToChange => fixed("没有需要保存的修改", "nothing to save"),
        DomainError::NotMonday(_) => {
            fixed("一周的排班从周一开始", "a week's roster starts on a Monday")
        }
        DomainError::InvalidWeekdays => {
            fixed("请至少选择星期几中的一天", "choose at least one weekday")
        }
        DomainError::InvalidShiftTimes => fixed(
            "结束时间必须晚于开始时间",
            "the end must be after the start",
        ),
        DomainError::InvalidTime(_) | DomainError::InvalidDate(_) => {
            fixed("时间格式不对", "the time is not valid")
        }
        DomainError::PersonLeft(_) => fixed("此人已离开，不能再安排", "this person has left"),
        DomainError::ItemRetired(_) => fixed("这个项目已下架", "this item is retired"),
        DomainError::AlreadyAssignee(_) => fixed("已经在这个班次上了", "already on this shift"),
        DomainError::NotAssignee(_) => fixed("此人不在这个班次上", "not on this shift"),
        DomainError::AlreadyCheckedIn(_) => fixed("已经签到过了", "already signed in"),
        DomainError::NotOnDuty(_) => {
            fixed("还没有签到，或已经签退", "not signed in, or already out")
        }
        DomainError::InvalidAmount(_) => fixed("积分至少为1", "at least 1 point"),
        DomainError::NewerSchema(_) => fixed(
            "这份资料来自更新的版本，本机只能查看",
            "this record is from a newer version; read-only here",
        ),
        _ => ("操作未完成".to_owned(), None),
    }
}

fn thing(what: &str) -> &'static str {
    match what {
        "person" => "这个人",
        "unit" => "这个共建单位",
        "station" => "这个站点",
        "shift" => "这个班次",
        "catalogue item" => "这个兑换项目",
        "template slot" => "这个时段",
        _ => "这条记录",
    }
}
