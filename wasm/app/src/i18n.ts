// Every string the tablet shows, in Simplified Chinese (default) and English.

import { manageEn, manageZh } from "./i18n_manage.js";

export type Lang = "zh" | "en";

const zh = {
  appName: "心愿驿站",
  navWishes: "本站心愿",
  navCollect: "收集心愿",
  navWall: "心愿墙",
  navRoster: "排班",
  navMe: "我的",
  navSync: "同步",
  switchLang: "English",
  online: "在线",
  offline: "离线",
  connecting: "连接中",
  pending: "待上传",
  savedOnServer: "已保存到服务器",
  notOnServer: "尚未上传",
  enrollTitle: "登记本平板",
  enrollHelp: "请输入驿站社工给您的登记码（或扫描二维码）。",
  enrollCode: "登记码",
  deviceName: "设备名称",
  deviceNameDefault: "入户平板",
  enrollButton: "登记",
  scanButton: "扫描二维码",
  enrollFailed: "登记失败",
  collectTitle: "入户收集心愿",
  consent: "居民同意被联系",
  consentOnBehalf: "由志愿者代为记录同意",
  onBehalf: "代填（由志愿者代居民填写）",
  contactSection: "联系方式（单独保存，仅相关人员可见）",
  residentName: "居民姓名",
  phone: "电话",
  room: "门牌号",
  vulnerability: "困难情况",
  notes: "备注",
  areaSection: "位置（只填小区和楼栋）",
  compound: "小区",
  building: "楼栋",
  wishSection: "心愿",
  title: "标题",
  text: "居民原话",
  suggestedModule: "建议模块",
  channel: "收集渠道",
  urgency: "紧急程度",
  capacity: "需要人数",
  station: "站点",
  save: "保存",
  savedLocally: "已保存在本机，联网后自动上传",
  noModule: "未分类",
  all: "全部",
  status: "状态",
  module: "模块",
  empty: "暂无记录",
  claim: "认领",
  claimed: "已认领",
  wallEmpty: "心愿墙上暂无可认领的心愿",
  places: "名额",
  detailTimeline: "时间线",
  detailClaims: "认领",
  detailConflicts: "同时修改的字段",
  conflictHelp: "两台平板离线时改了同一项内容，请驿站社工选择保留哪个。",
  choose: "选择",
  contactHidden: "联系方式仅对采集人、驿站社工和已派单的服务者可见。",
  contactLoading: "联系方式正在同步…",
  refused: "服务器拒绝",
  refusedHelp: "服务器没有接受本机对这条心愿的修改，这条心愿暂停同步。撤销后，本机的修改会被丢弃，并从服务器重新取回这条心愿。",
  undoLocal: "撤销本地更改",
  edit: "修改",
  editTitle: "修改心愿信息",
  cancel: "取消",
  hours: "服务时长（小时）",
  resolveNote: "完成说明",
  score: "评分",
  comment: "评价",
  reason: "原因",
  rosterTitle: "本周排班",
  checkIn: "签到",
  checkOut: "签退",
  onDuty: "值班中",
  uncovered: "无人值班",
  noShifts: "本周没有排班",
  meTitle: "我的服务",
  hoursTotal: "累计服务时长",
  points: "积分",
  stars: "星级",
  nextStar: "距下一星级",
  syncTitle: "同步",
  connection: "连接",
  pendingChanges: "待上传的记录",
  lastSaved: "最近一次保存到服务器",
  never: "尚无",
  documents: "本机保存的资料",
  workOffline: "离线工作",
  goOnline: "恢复联网",
  device: "设备",
  person: "人员",
  role: "角色",
  leave: "注销本平板",
  leaveConfirm: "注销后本机数据将被清除，尚未上传的记录会丢失。确定吗？",
  actionFailed: "操作未完成",
  loading: "正在加载…",
  unknownWish: "本机没有这条心愿",
  by: "记录人",
  units: "小时",
  more: "显示更多",
  ...manageZh,
} as const;

export type Strings = { [K in keyof typeof zh]: string };

const en: Strings = {
  appName: "Wish Station",
  navWishes: "Station wishes",
  navCollect: "Collect",
  navWall: "Wish wall",
  navRoster: "Roster",
  navMe: "Me",
  navSync: "Sync",
  switchLang: "中文",
  online: "Online",
  offline: "Offline",
  connecting: "Connecting",
  pending: "to upload",
  savedOnServer: "Saved on server",
  notOnServer: "Not yet on server",
  enrollTitle: "Enroll this tablet",
  enrollHelp: "Enter the enrollment code your station's social worker gave you (or scan its QR code).",
  enrollCode: "Enrollment code",
  deviceName: "Device name",
  deviceNameDefault: "Door-to-door tablet",
  enrollButton: "Enroll",
  scanButton: "Scan QR code",
  enrollFailed: "Enrollment failed",
  collectTitle: "Collect a wish door to door",
  consent: "The resident agrees to be contacted",
  consentOnBehalf: "Consent recorded by the volunteer",
  onBehalf: "Entered on the resident's behalf",
  contactSection: "Contact (kept only in the contact document)",
  residentName: "Resident's name",
  phone: "Phone",
  room: "Room",
  vulnerability: "Circumstances",
  notes: "Notes",
  areaSection: "Location (compound and building only)",
  compound: "Compound",
  building: "Building",
  wishSection: "Wish",
  title: "Title",
  text: "In the resident's words",
  suggestedModule: "Suggested module",
  channel: "Channel",
  urgency: "Urgency",
  capacity: "People needed",
  station: "Station",
  save: "Save",
  savedLocally: "Saved on this tablet; it uploads by itself when online",
  noModule: "Not triaged",
  all: "All",
  status: "Status",
  module: "Module",
  empty: "Nothing here yet",
  claim: "Claim",
  claimed: "Claimed",
  wallEmpty: "No wishes to claim on the wall",
  places: "places",
  detailTimeline: "Timeline",
  detailClaims: "Claims",
  detailConflicts: "Fields edited at the same time",
  conflictHelp: "Two tablets changed the same item offline; the station's social worker chooses which stays.",
  choose: "Choose",
  contactHidden: "Contact details are visible to the collector, the station's social workers and assigned helpers only.",
  contactLoading: "Contact details are syncing…",
  refused: "Refused by the server",
  refusedHelp: "The server did not accept this tablet's change to this wish; the wish no longer syncs. Undo discards this tablet's change and fetches the wish from the server again.",
  undoLocal: "Undo local change",
  edit: "Edit",
  editTitle: "Edit the wish",
  cancel: "Cancel",
  hours: "Hours of service",
  resolveNote: "What was done",
  score: "Score",
  comment: "Comment",
  reason: "Reason",
  rosterTitle: "This week's roster",
  checkIn: "Check in",
  checkOut: "Check out",
  onDuty: "On duty",
  uncovered: "Nobody on duty",
  noShifts: "No shifts this week",
  meTitle: "My service",
  hoursTotal: "Hours of service",
  points: "Points",
  stars: "Stars",
  nextStar: "To the next star",
  syncTitle: "Sync",
  connection: "Connection",
  pendingChanges: "Records to upload",
  lastSaved: "Last saved on server",
  never: "Never",
  documents: "Documents on this tablet",
  workOffline: "Work offline",
  goOnline: "Go online",
  device: "Device",
  person: "Person",
  role: "Role",
  leave: "Unenroll this tablet",
  leaveConfirm: "Unenrolling erases this tablet's data; records not yet uploaded are lost. Continue?",
  actionFailed: "Not done",
  loading: "Loading…",
  unknownWish: "This wish is not on this tablet",
  by: "Recorded by",
  units: "h",
  more: "Show more",
  ...manageEn,
};

/** Labels of the schema's enumerations and of actions, by value. */
const zhLabels: Record<string, string> = {
  collected: "已收集", verified: "已验单", rejected: "未通过", published: "已发布",
  claimed: "已认领", assigned: "已派单", in_progress: "进行中", resolved: "已解决",
  rated: "已评价", closed: "已销号", triaged: "已分流", started: "已开始", confirmed: "已确认",
  law: "法律", psychology: "心理", medical: "医疗", employment: "就业", comprehensive: "综合",
  door_to_door: "上门收集", wish_box: "心愿箱", wish_wall: "心愿墙", walk_in: "到站登记",
  phone: "电话", grid_visit: "网格走访",
  low: "不急", normal: "一般", high: "较急", urgent: "紧急",
  fulfilled: "已圆梦", duplicate: "重复", out_of_scope: "不属服务范围", done_by_others: "已由他人解决",
  no_help_wanted: "居民不再需要", withdrawn: "居民撤回",
  living_alone: "独居", elderly: "高龄", ill: "患病", disabled: "残疾", unemployed: "失业",
  pending: "待派单", released: "已放弃认领",
  verify: "验单", reject: "不通过", triage: "分流到模块", publish: "发布到心愿墙", claim: "认领",
  start: "开始服务", resolve: "完成服务", confirm: "确认时长", rate: "代居民评价", close: "销号",
  release: "放弃认领", assign: "派单",
  volunteer: "志愿者", coordinator: "驿站社工", partner: "共建单位", office: "街道",
  administrator: "管理员",
};

const enLabels: Record<string, string> = {
  collected: "Collected", verified: "Verified", rejected: "Rejected", published: "Published",
  claimed: "Claimed", assigned: "Assigned", in_progress: "In progress", resolved: "Resolved",
  rated: "Rated", closed: "Closed", triaged: "Triaged", started: "Started", confirmed: "Confirmed",
  law: "Law", psychology: "Psychology", medical: "Medical", employment: "Employment",
  comprehensive: "Comprehensive",
  door_to_door: "Door to door", wish_box: "Wish box", wish_wall: "Wish wall", walk_in: "Walk-in",
  phone: "Phone", grid_visit: "Grid visit",
  low: "Low", normal: "Normal", high: "High", urgent: "Urgent",
  fulfilled: "Fulfilled", duplicate: "Duplicate", out_of_scope: "Out of scope",
  done_by_others: "Done by others", no_help_wanted: "No help wanted", withdrawn: "Withdrawn",
  living_alone: "Lives alone", elderly: "Elderly", ill: "Ill", disabled: "Disabled",
  unemployed: "Unemployed", pending: "Pending", released: "Released",
  verify: "Verify", reject: "Reject", triage: "Triage", publish: "Publish to the wall",
  claim: "Claim", start: "Start", resolve: "Resolve", confirm: "Confirm hours",
  rate: "Rate for resident", close: "Close", release: "Release", assign: "Assign",
  volunteer: "Volunteer", coordinator: "Station social worker", partner: "Partner unit", office: "Street office",
  administrator: "Administrator",
};

/** What community workers call each field a conflict can be on (never the raw path). */
const FIELD_LABELS: Record<string, [string, string]> = {
  title: ["标题", "Title"], text: ["心愿内容", "The wish"], urgency: ["紧急程度", "Urgency"],
  capacity: ["需要人数", "People needed"], module: ["服务模块", "Module"],
  suggested_module: ["建议模块", "Suggested module"], channel: ["来源渠道", "Channel"],
  "area/compound": ["小区", "Compound"], "area/building": ["楼栋", "Building"],
  contact: ["联系方式", "Contact"],
};

/** The Chinese (or English) name of a document field; a generic name for anything else. */
export function fieldLabel(path: string): string {
  const found = FIELD_LABELS[path];
  if (found) return lang === "zh" ? found[0] : found[1];
  const [map] = path.split("/");
  const section: Record<string, [string, string]> = {
    events: ["服务记录", "Service record"], claims: ["认领", "Claim"], assigned: ["派单", "Assignment"],
  };
  const name = section[map] ?? ["其他内容", "Other detail"];
  return lang === "zh" ? name[0] : name[1];
}

export const MODULES = ["law", "psychology", "medical", "employment", "comprehensive"];
export const CHANNELS = ["door_to_door", "wish_box", "wish_wall", "walk_in", "phone", "grid_visit"];
export const URGENCIES = ["low", "normal", "high", "urgent"];
export const STATUSES = [
  "collected", "verified", "published", "claimed", "assigned", "in_progress", "resolved",
  "rated", "closed", "rejected",
];
export const CLOSE_REASONS = [
  "fulfilled", "duplicate", "out_of_scope", "done_by_others", "no_help_wanted", "withdrawn",
];
export const VULNERABILITIES = ["living_alone", "elderly", "ill", "disabled", "unemployed"];

let lang: Lang = (localStorage.getItem("wish-station-lang") as Lang | null) ?? "zh";

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem("wish-station-lang", next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
}

/** A UI string. */
export function t(key: keyof Strings): string {
  return lang === "zh" ? zh[key] : en[key];
}

/** The label of an enumeration value or action; the value itself if unknown. */
export function label(value: string | null | undefined): string {
  if (!value) return "";
  return (lang === "zh" ? zhLabels : enLabels)[value] ?? value;
}

/** A time as the tablet's locale shows it. */
export function when(ms: number | null | undefined): string {
  if (!ms) return t("never");
  return new Date(ms).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", {
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
}
