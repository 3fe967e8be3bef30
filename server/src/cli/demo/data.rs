//! The demo community's directory, in Chinese: stations, partner units, people, the
//! resources and projects lists and the redemption catalogue. Names are invented.

use wish_client_core::model::{MemberKind, Module, ProjectStatus, Role, StationKind};

use Module::{Comprehensive as Comp, Employment as Emp, Law, Medical as Med, Psychology as Psy};

pub const COMMUNITY_NAME: &str = "幸福社区";
pub const DISTRICT: &str = "南山区";

/// The district's communities: the first is 幸福社区 as laid out below; the others share
/// its shape (stations, people, units, lists) under their own names.
pub struct CommunityData {
    pub name: &'static str,
    /// Station names, in the order of [`STATIONS`].
    pub stations: [&'static str; 4],
    /// Added to each surname's index, so each community's people have their own names.
    pub surname_shift: usize,
}

pub const COMMUNITIES: &[CommunityData] = &[
    CommunityData {
        name: COMMUNITY_NAME,
        stations: [
            "幸福社区心愿驿站",
            "锦绣花园红色驿站",
            "桃源小区红色驿站",
            "幸福社区北区心愿驿站",
        ],
        surname_shift: 0,
    },
    CommunityData {
        name: "阳光社区",
        stations: [
            "阳光社区心愿驿站",
            "翠湖苑红色驿站",
            "丽景花园红色驿站",
            "阳光社区东区心愿驿站",
        ],
        surname_shift: 7,
    },
    CommunityData {
        name: "和平社区",
        stations: [
            "和平社区心愿驿站",
            "银湖小区红色驿站",
            "海棠苑红色驿站",
            "和平社区西区心愿驿站",
        ],
        surname_shift: 13,
    },
];

pub struct StationData {
    pub id: &'static str,
    pub kind: StationKind,
    pub address: &'static str,
    pub compounds: &'static [&'static str],
    /// The partner unit that takes its turn on the roster.
    pub duty_unit: &'static str,
}

pub const STATIONS: &[StationData] = &[
    StationData {
        id: "center",
        kind: StationKind::Station,
        address: "南山区幸福路88号社区党群服务中心一楼",
        compounds: &["幸福里", "南苑新村"],
        duty_unit: "u-hospital",
    },
    StationData {
        id: "jinxiu",
        kind: StationKind::RedStation,
        address: "锦绣花园3栋架空层",
        compounds: &["锦绣花园", "海月花园"],
        duty_unit: "u-property",
    },
    StationData {
        id: "taoyuan",
        kind: StationKind::RedStation,
        address: "桃源小区物业楼东侧",
        compounds: &["桃源小区", "荔林小区"],
        duty_unit: "u-socialwork",
    },
    StationData {
        id: "north",
        kind: StationKind::Station,
        address: "翠竹路12号北区邻里中心",
        compounds: &["翠竹苑", "工人新村"],
        duty_unit: "u-tech",
    },
];

/// `(id, name, kind, contact person)` of the partner units (驻区单位 / 共建单位).
pub const UNITS: &[(&str, &str, &str, &str)] = &[
    ("u-hospital", "幸福社区健康服务中心", "hospital", "周立华"),
    ("u-law", "正和律师事务所", "law_firm", "高明远"),
    ("u-school", "南山实验中学", "school", "冯子健"),
    ("u-property", "安居物业服务有限公司", "enterprise", "罗建华"),
    ("u-socialwork", "心桥社工服务中心", "social_org", "邓慧敏"),
    ("u-tech", "鹏城科技有限公司党支部", "enterprise", "何文斌"),
];

pub struct PersonData {
    pub id: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub modules: &'static [Module],
    pub skills: &'static [&'static str],
    pub party_member: bool,
    pub unit: Option<&'static str>,
    /// Empty: serves the whole community.
    pub stations: &'static [&'static str],
}

#[allow(clippy::too_many_arguments)] // one row of a data table
const fn p(
    id: &'static str,
    name: &'static str,
    role: Role,
    modules: &'static [Module],
    skills: &'static [&'static str],
    party_member: bool,
    unit: Option<&'static str>,
    stations: &'static [&'static str],
) -> PersonData {
    PersonData {
        id,
        name,
        role,
        modules,
        skills,
        party_member,
        unit,
        stations,
    }
}

use Role::{Coordinator as Coord, Expert, Member, Volunteer as Vol};

#[rustfmt::skip]
pub const PEOPLE: &[PersonData] = &[
    p("p01", "林晓梅", Coord, &[Comp], &["心愿分流", "活动组织"], true, None, &["center"]),
    p("p02", "黄志强", Coord, &[Comp], &["心愿分流", "网格管理"], true, None, &["jinxiu"]),
    p("p03", "陈丽娟", Coord, &[Comp], &["心愿分流", "居民调解"], true, None, &["taoyuan"]),
    p("p04", "吴建国", Coord, &[Comp], &["心愿分流", "活动组织"], true, None, &["north"]),
    p("p05", "张桂芳", Vol, &[], &["上门走访", "代填心愿卡"], false, None, &["center"]),
    p("p06", "李春生", Vol, &[Comp], &["上门走访", "理发"], true, None, &["center"]),
    p("p07", "王秀英", Vol, &[Psy], &["上门走访", "陪伴聊天"], false, None, &["jinxiu"]),
    p("p08", "赵德明", Vol, &[], &["网格巡查", "上门走访"], true, None, &["jinxiu"]),
    p("p09", "刘玉兰", Vol, &[Comp], &["上门走访", "代购"], false, None, &["taoyuan"]),
    p("p10", "孙海涛", Vol, &[Comp], &["网格巡查", "水电维修"], false, None, &["taoyuan"]),
    p("p11", "周美华", Vol, &[Psy], &["上门走访", "陪伴聊天"], false, None, &["north"]),
    p("p12", "郑国庆", Vol, &[Comp], &["网格巡查", "搬运"], true, None, &["north"]),
    p("p13", "何文斌", Member, &[Comp], &["电脑维修", "路由器安装", "智能手机教学"], true, Some("u-tech"), &[]),
    p("p14", "马俊杰", Member, &[Comp], &["电脑维修", "网络布线"], true, Some("u-tech"), &[]),
    p("p15", "罗建华", Member, &[Comp], &["水电维修", "照明维修", "管道疏通"], true, Some("u-property"), &[]),
    p("p16", "梁淑贞", Member, &[Comp, Psy], &["陪伴聊天", "代购", "家政"], true, None, &[]),
    p("p17", "宋卫东", Member, &[Emp], &["技能培训", "电工证辅导"], true, None, &[]),
    p("p18", "谢雨欣", Member, &[Comp], &["家电维修", "理发"], true, None, &[]),
    p("p19", "高明远", Expert, &[Law], &["法律咨询", "遗产继承", "劳动争议"], true, Some("u-law"), &[]),
    p("p20", "许静怡", Expert, &[Law], &["法律咨询", "婚姻家事", "租赁纠纷"], false, Some("u-law"), &[]),
    p("p21", "邓慧敏", Expert, &[Psy], &["心理疏导", "哀伤辅导"], false, Some("u-socialwork"), &[]),
    p("p22", "冯子健", Expert, &[Psy], &["青少年心理", "家庭教育"], true, Some("u-school"), &[]),
    p("p23", "周立华", Expert, &[Med], &["上门问诊", "慢病管理"], true, Some("u-hospital"), &[]),
    p("p24", "唐晓燕", Expert, &[Med], &["康复指导", "上门护理"], false, Some("u-hospital"), &[]),
    p("p25", "韩振宇", Expert, &[Med], &["中医推拿", "测血压"], false, None, &[]),
    p("p26", "曹丽萍", Expert, &[Emp], &["简历指导", "职业规划"], true, None, &[]),
    p("p27", "彭志伟", Expert, &[Emp], &["面试辅导", "创业咨询"], false, None, &[]),
    p("p28", "袁书华", Expert, &[Comp], &["学业辅导", "作业辅导"], true, Some("u-school"), &[]),
    p("p29", "蒋国梁", Expert, &[Comp], &["电脑维修", "家电维修"], false, None, &[]),
    p("p30", "范春燕", Member, &[Med, Psy], &["陪诊", "心理疏导"], true, None, &[]),
];

pub struct OfferData {
    pub id: &'static str,
    pub title: &'static str,
    pub module: Module,
    pub skills: &'static [&'static str],
    pub provider: &'static str,
    pub provider_kind: MemberKind,
    pub capacity: u32,
    pub active: bool,
}

#[allow(clippy::too_many_arguments)] // one row of a data table
const fn o(
    id: &'static str,
    title: &'static str,
    module: Module,
    skills: &'static [&'static str],
    provider: &'static str,
    provider_kind: MemberKind,
    capacity: u32,
    active: bool,
) -> OfferData {
    OfferData {
        id,
        title,
        module,
        skills,
        provider,
        provider_kind,
        capacity,
        active,
    }
}

use MemberKind::{Person as Pk, Unit as Uk};

/// The resources list (资源清单).
#[rustfmt::skip]
pub const OFFERS: &[OfferData] = &[
    o("o01", "家庭医生上门问诊", Med, &["上门问诊", "慢病管理"], "u-hospital", Uk, 10, true),
    o("o02", "免费法律咨询（每周三下午）", Law, &["法律咨询", "遗产继承"], "u-law", Uk, 8, true),
    o("o03", "电脑及路由器上门维修", Comp, &["电脑维修", "路由器安装"], "p13", Pk, 4, true),
    o("o04", "心理疏导与哀伤陪伴", Psy, &["心理疏导", "哀伤辅导"], "u-socialwork", Uk, 5, true),
    o("o05", "简历修改与求职辅导", Emp, &["简历指导", "面试辅导"], "p26", Pk, 6, true),
    o("o06", "楼道照明及水电小修", Comp, &["照明维修", "水电维修"], "u-property", Uk, 6, true),
    o("o07", "中学生志愿者作业辅导", Comp, &["学业辅导"], "u-school", Uk, 10, true),
    o("o08", "老年人智能手机课堂", Comp, &["智能手机教学"], "p13", Pk, 20, true),
    o("o09", "中风康复训练指导", Med, &["康复指导"], "p24", Pk, 3, true),
    o("o10", "电工技能培训推荐", Emp, &["技能培训"], "p17", Pk, 5, false),
];

/// The projects list (项目清单): `(id, title, module, status, lead, days ago)`.
#[rustfmt::skip]
pub const PROJECTS: &[(&str, &str, Module, ProjectStatus, &str, u64)] = &[
    ("pr1", "长者智能手机课堂", Comp, ProjectStatus::Running, "p13", 70),
    ("pr2", "楼道灯光点亮工程", Comp, ProjectStatus::Done, "p15", 84),
    ("pr3", "荔林小区低洼积水排水改造", Comp, ProjectStatus::Planned, "p03", 20),
    ("pr4", "独居老人健康随访", Med, ProjectStatus::Running, "p23", 60),
    ("pr5", "青少年暑期心理成长营", Psy, ProjectStatus::Done, "p22", 80),
    ("pr6", "社区就业招聘会", Emp, ProjectStatus::Planned, "p26", 10),
];

/// The redemption catalogue: `(id, name, points)`.
pub const CATALOGUE: &[(&str, &str, i64)] = &[
    ("c1", "社区食堂餐券", 3),
    ("c2", "理发服务券", 5),
    ("c3", "米面油礼包", 15),
    ("c4", "超市购物卡（50元）", 30),
    ("c5", "免费体检套餐", 40),
];

/// Awards (感动社区): `(person, points, reason)`.
pub const AWARDS: &[(&str, i64, &str)] = &[
    ("p05", 30, "感动社区·优秀信鸽"),
    ("p13", 20, "优秀共产党员志愿者"),
    ("p07", 20, "五星级志愿者"),
    ("p15", 15, "楼道灯光点亮工程突出贡献"),
];

/// Redemptions tried after the awards: `(person, catalogue item)`; one is skipped when
/// the person's balance is too low.
pub const REDEMPTIONS: &[(&str, &str)] = &[
    ("p05", "c3"),
    ("p13", "c2"),
    ("p07", "c1"),
    ("p15", "c4"),
    ("p23", "c1"),
    ("p19", "c2"),
];
