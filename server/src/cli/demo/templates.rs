//! Wish card templates and the phrases of their lifecycle, in Chinese, after the typical
//! wishes of the seeds: routers, home medical visits, inheritance, grief, job seeking, dark
//! stairwells, flooded compounds. No template holds personal data or digits, so a
//! resident's name, phone or room can never leak into a public field.

use wish_client_core::model::Module;

pub struct WishTemplate {
    pub module: Module,
    pub title: &'static str,
    /// Variants of the resident's own words.
    pub texts: &'static [&'static str],
    pub vulnerability: &'static [&'static str],
    /// Places to fill: 1 for a home visit, more for group work.
    pub capacity: u32,
    /// Urgency weights: low, normal, high, urgent.
    pub urgency: [u32; 4],
}

const CALM: [u32; 4] = [3, 6, 1, 0];
const SOON: [u32; 4] = [1, 5, 3, 1];
const PRESSING: [u32; 4] = [0, 2, 5, 3];

const fn t(
    module: Module,
    title: &'static str,
    texts: &'static [&'static str],
    vulnerability: &'static [&'static str],
    capacity: u32,
    urgency: [u32; 4],
) -> WishTemplate {
    WishTemplate {
        module,
        title,
        texts,
        vulnerability,
        capacity,
        urgency,
    }
}

use Module::{Comprehensive as Comp, Employment as Emp, Law, Medical as Med, Psychology as Psy};

const OLD: &[&str] = &["elderly"];
const OLD_ALONE: &[&str] = &["elderly", "living_alone"];
const OLD_ILL: &[&str] = &["elderly", "living_alone", "ill"];
const JOBLESS: &[&str] = &["unemployed"];
const NONE: &[&str] = &[];

#[rustfmt::skip]
pub const TEMPLATES: &[WishTemplate] = &[
    t(Law, "咨询房产继承手续", &[
        "老伴去世后，房子还在他名下，想问问我和子女要怎么办理继承手续。",
        "父母留下一套老房子，兄弟姐妹对怎么分有分歧，想请律师讲讲法律是怎么规定的。",
    ], OLD, 1, CALM),
    t(Law, "想立遗嘱不知道怎么写才有效", &[
        "年纪大了想提前立个遗嘱，不知道自己写的遗嘱要注意什么，需不需要去公证。",
    ], OLD, 1, CALM),
    t(Law, "工地拖欠工资怎么维权", &[
        "在工地干了三个月，老板一直拖着工钱不给，想知道该去哪里投诉、要准备哪些材料。",
        "装修队的工钱拖了半年，包工头电话也不接了，想请律师给出出主意。",
    ], JOBLESS, 1, SOON),
    t(Law, "退租押金被扣咨询", &[
        "退租的时候房东找各种理由扣押金，想咨询一下怎么维护自己的权益。",
    ], NONE, 1, CALM),
    t(Law, "老人赡养问题法律咨询", &[
        "子女长期不来看望也不给生活费，想了解老人可以通过什么途径要求赡养。",
    ], OLD_ALONE, 1, SOON),
    t(Psy, "丧偶后情绪低落希望有人陪伴", &[
        "老伴走了半年，每天一个人在家，晚上睡不着，也不想出门，希望有人能来陪我聊聊天。",
        "丈夫去年病逝，我一直走不出来，经常一个人掉眼泪，想找个懂心理的人说说话。",
    ], OLD_ALONE, 1, SOON),
    t(Psy, "孩子厌学沉迷手机", &[
        "孩子上初中，最近不愿意去学校，整天玩手机，一说就发脾气，家长不知道怎么沟通。",
    ], NONE, 1, SOON),
    t(Psy, "失业后焦虑失眠", &[
        "失业两个多月了，心里很焦虑，晚上整夜失眠，想找专业的人聊一聊。",
    ], JOBLESS, 1, SOON),
    t(Psy, "长期照顾病人身心疲惫", &[
        "一个人照顾瘫痪在床的母亲好几年了，觉得很累很压抑，希望得到一些心理上的支持。",
    ], NONE, 1, CALM),
    t(Psy, "独居老人希望有人常来聊天", &[
        "子女都在外地工作，平时很孤单，希望有志愿者每周能来陪我说说话。",
    ], OLD_ALONE, 1, CALM),
    t(Med, "独居老人需要上门问诊", &[
        "腿脚不方便下不了楼，最近血压一直偏高，希望医生能上门看看，帮忙调整一下用药。",
        "一个人住，最近总是头晕乏力，去医院排队太难了，想请社区医生上门看看。",
    ], OLD_ILL, 1, PRESSING),
    t(Med, "术后行动不便需要上门换药", &[
        "做完手术刚回家，伤口需要定期换药，家里没人能陪我去医院。",
    ], &["ill"], 1, PRESSING),
    t(Med, "多种慢性病用药指导", &[
        "同时在吃好几种药，不清楚怎么搭配，担心有副作用，想请社区医生指导一下。",
    ], &["elderly", "ill"], 1, SOON),
    t(Med, "中风后康复训练指导", &[
        "家里老人中风后右手没力气，想请康复师教一下在家里怎么做训练。",
    ], &["elderly", "disabled"], 1, SOON),
    t(Med, "希望定期上门测血压血糖", &[
        "有高血压和糖尿病，想请医生每个月上门测一次血压血糖并记下来。",
    ], &["elderly", "ill"], 1, CALM),
    t(Emp, "求职简历修改", &[
        "大专毕业两年一直没找到合适的工作，想请人帮忙看看简历应该怎么写。",
        "想换工作，简历投了很多都没有回音，希望有人帮忙改一改。",
    ], JOBLESS, 1, CALM),
    t(Emp, "想学一门技能再就业", &[
        "四十多岁下岗在家，想学个电工或者家政的手艺，不知道社区有没有培训。",
    ], JOBLESS, 1, SOON),
    t(Emp, "残疾人就业咨询", &[
        "腿有残疾，想找一份能坐着做的工作，想了解有什么扶持政策和合适的岗位。",
    ], &["disabled", "unemployed"], 1, SOON),
    t(Emp, "面试前想找人模拟练习", &[
        "下周有一个面试，心里很紧张，想请有经验的人帮忙模拟一下。",
    ], NONE, 1, SOON),
    t(Emp, "灵活就业社保怎么缴纳", &[
        "现在跑外卖，想问问灵活就业人员的社保和医保应该怎么缴纳。",
    ], NONE, 1, CALM),
    t(Comp, "帮忙安装调试路由器", &[
        "家里新装了宽带，路由器不会设置，孙子跟我视频老是连不上，想请懂电脑的人来帮忙。",
        "换了新的无线路由器，手机电视都连不上网，老两口弄不明白。",
    ], OLD, 1, CALM),
    t(Comp, "楼道灯坏了一直没人修", &[
        "楼道里的灯坏了快一个月，晚上上下楼黑漆漆的，老人很容易摔倒。",
        "我们这个单元的楼道灯时亮时不亮，晚上下班回来只能打手电。",
    ], NONE, 1, PRESSING),
    t(Comp, "小区低洼处下雨就积水", &[
        "小区门口地势低，每次下大雨积水能到小腿，进出很不方便，希望能改造一下排水。",
        "楼下那一片是低洼地，下雨水就倒灌进车库和一楼，希望社区帮忙协调疏通排水。",
    ], NONE, 3, PRESSING),
    t(Comp, "旧电脑开不了机", &[
        "家里的旧电脑开不了机，里面有孩子的学习资料，想请人帮忙修一修。",
    ], NONE, 1, CALM),
    t(Comp, "教老人用智能手机", &[
        "想学会用手机挂号、视频聊天和扫码付款，希望有人能耐心教一教。",
    ], OLD, 1, CALM),
    t(Comp, "独居老人需要代购生活用品", &[
        "腿脚不好，下楼买菜很困难，希望每周有人帮忙代买米面油和日用品。",
    ], OLD_ALONE, 2, SOON),
    t(Comp, "厨房水龙头漏水", &[
        "厨房水龙头一直滴水，自己不会换，请懂水电的志愿者帮忙看看。",
    ], OLD, 1, SOON),
    t(Comp, "孩子放学后无人辅导作业", &[
        "夫妻俩下班都很晚，孩子放学后没人辅导作业，希望有老师或者大学生志愿者帮帮忙。",
    ], NONE, 1, CALM),
    t(Comp, "卧床老人希望上门理发", &[
        "卧床好几年出不了门，头发很长了，希望有志愿者上门帮忙理个发。",
    ], &["elderly", "disabled"], 1, CALM),
];

/// What the claimant wrote when resolving, per module.
pub fn resolution_notes(module: Module) -> &'static [&'static str] {
    match module {
        Module::Law => &[
            "律师已上门讲解相关法律规定，并协助整理了材料。",
            "已出具书面法律意见，居民清楚了办理流程。",
        ],
        Module::Psychology => &[
            "已上门开展三次心理疏导，情绪明显好转，约定每月回访。",
            "社工已结对陪伴，并邀请参加社区兴趣小组。",
        ],
        Module::Medical => &[
            "社区医生当周上门问诊，已调整用药并建立随访档案。",
            "已上门完成检查和护理，约好了下次随访时间。",
        ],
        Module::Employment => &[
            "已帮忙修改简历并推荐了两个岗位，居民已去面试。",
            "已对接技能培训班，居民已报名参加。",
        ],
        Module::Comprehensive => &[
            "志愿者已上门处理完毕，居民现场确认。",
            "已协调物业一起维修，并回访确认效果。",
        ],
    }
}

/// Residents' ratings: `(score, comment)`.
pub const RATINGS: &[(u8, &str)] = &[
    (5, "非常感谢，服务很贴心！"),
    (5, "志愿者很耐心，帮了大忙。"),
    (5, "来得很及时，谢谢社区。"),
    (4, "问题解决了，就是等得久了一点。"),
    (4, "挺好的，希望以后常来看看。"),
    (3, "基本解决了，还需要再跟进。"),
];

pub const REJECT_REASONS: &[&str] = &[
    "信息不全，多次联系未能核实",
    "不属于心愿驿站服务范围，已告知居民办理渠道",
    "涉及商业经营纠纷，建议居民走法律程序",
];

pub const CLAIM_NOTES: &[&str] = &[
    "我周末有空，可以上门。",
    "我们单位可以安排专业人员。",
    "住得近，下班顺路过去。",
    "这个我熟悉，交给我吧。",
];

pub const RELEASE_NOTES: &[&str] = &["临时出差，去不了了，请其他志愿者认领。"];

/// Residents' surnames for the obviously fake names of contact documents (王某某).
pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];

pub const CONTACT_NOTES: &[&str] = &[
    "",
    "",
    "白天家里有人",
    "请先打电话再上门",
    "耳朵不太好，说话大声些",
];
