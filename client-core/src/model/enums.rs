//! The enumerations of `docs/schema.md`, each stored as a snake_case string.
//!
//! Every enum has `as_str()` (the stored value), `FromStr` (parsing a stored value),
//! `label_zh()` (the Chinese label for the UI) and `ALL` (every value, in schema order).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A stored string that is not a value of the expected enumeration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} value {value:?}")]
pub struct UnknownValue {
    /// The enumeration's name, e.g. `Module`.
    pub kind: &'static str,
    /// The string that did not parse.
    pub value: String,
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $s:literal, $zh:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order the schema lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value as stored in documents.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $s,)+
                }
            }

            /// The Chinese label shown to users.
            pub fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s {
                    $($s => Ok($name::$variant),)+
                    _ => Err(UnknownValue { kind: stringify!($name), value: s.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// The five modules of the expert panel (智囊团五大模块), the triage target.
    Module {
        Law => "law", "法律";
        Psychology => "psychology", "心理";
        Medical => "medical", "医疗";
        Employment => "employment", "就业";
        Comprehensive => "comprehensive", "综合";
    }
}

string_enum! {
    /// How a wish was collected.
    Channel {
        DoorToDoor => "door_to_door", "上门收集";
        WishBox => "wish_box", "心愿箱";
        WishWall => "wish_wall", "心愿墙";
        WalkIn => "walk_in", "到站登记";
        Phone => "phone", "电话";
        GridVisit => "grid_visit", "网格走访";
    }
}

string_enum! {
    /// How soon a wish needs help.
    Urgency {
        Low => "low", "不急";
        Normal => "normal", "一般";
        High => "high", "较急";
        Urgent => "urgent", "紧急";
    }
}

string_enum! {
    /// The kind of an entry in a wish's `events` map.
    EventKind {
        Collected => "collected", "已收集";
        Verified => "verified", "已验单";
        Rejected => "rejected", "未通过";
        Triaged => "triaged", "已分流";
        Published => "published", "已发布";
        Claimed => "claimed", "已认领";
        Released => "released", "已放弃认领";
        Assigned => "assigned", "已派单";
        Started => "started", "已开始";
        Resolved => "resolved", "已解决";
        Confirmed => "confirmed", "已确认";
        Rated => "rated", "已评价";
        Closed => "closed", "已销号";
        Visited => "visited", "已回访";
        Story => "story", "微故事";
        /// 督办: the street office marks an overdue wish for follow-up (no status change).
        Supervised => "supervised", "街道督办";
    }
}

string_enum! {
    /// Why a wish was closed.
    CloseReason {
        Fulfilled => "fulfilled", "已圆梦";
        Duplicate => "duplicate", "重复";
        OutOfScope => "out_of_scope", "不属服务范围";
        DoneByOthers => "done_by_others", "已由他人解决";
        NoHelpWanted => "no_help_wanted", "居民不再需要";
        Withdrawn => "withdrawn", "居民撤回";
    }
}

string_enum! {
    /// Who claims a wish: one person, a partner unit, or a group (帮帮团) led by a person.
    ClaimKind {
        Person => "person", "个人";
        Unit => "unit", "单位";
        Group => "group", "帮帮团";
    }
}

string_enum! {
    /// The kind of a station.
    StationKind {
        Station => "station", "心愿驿站";
        RedStation => "red_station", "红色驿站";
    }
}

string_enum! {
    /// The kind of a ledger entry.
    LedgerKind {
        Earn => "earn", "服务积分";
        Award => "award", "奖励积分";
        Redeem => "redeem", "积分兑换";
        Reversal => "reversal", "冲正";
    }
}

string_enum! {
    /// The role of a person in the community directory.
    Role {
        Volunteer => "volunteer", "志愿者";
        Member => "member", "党员";
        Expert => "expert", "专家";
        Coordinator => "coordinator", "驿站社工";
    }
}

string_enum! {
    /// Whether a roster assignee or an offer's provider is a person or a partner unit.
    MemberKind {
        Person => "person", "个人";
        Unit => "unit", "单位";
    }
}

string_enum! {
    /// The state of a project in the projects list (项目清单).
    ProjectStatus {
        Planned => "planned", "计划中";
        Running => "running", "进行中";
        Done => "done", "已完成";
    }
}

string_enum! {
    /// The `@type` of a document root.
    DocType {
        Community => "community", "社区";
        Station => "station", "驿站";
        Wish => "wish", "心愿卡";
        Contact => "contact", "联系方式";
        Ledger => "ledger", "积分账本";
    }
}
