// The central office's dashboard: presents the answers of /api/v1/office/* (no framework,
// no build step). The office computer is enrolled like a tablet: an enrollment code is
// redeemed with POST /api/v1/enroll and the device token kept in localStorage (the
// administrator's key only in sessionStorage); it goes out as `Authorization: Bearer`.
// "退出登录" forgets it. People, units and stations are shown by name (/office/names).
"use strict";

(function () {
  const TOKEN_KEY = "wish-station.office.token";
  const DEVICE_NAME = "街道办公室电脑";
  const LANG_KEY = "wish-station.office.lang";
  const PER_PAGE = 10;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const MAX_WEEKS = 26;

  const TEXT = {
    zh: {
      title: "心愿驿站 · 中心办公室",
      code: "登记码",
      enroll: "登记本电脑",
      admin_link: "管理员登录",
      admin_key: "管理员密钥",
      admin_signin: "登录",
      cancel: "取消",
      report: "月度报告",
      signed_in: "本电脑已登记",
      signed_in_admin: "管理员",
      logout: "退出登录",
      refresh: "刷新",
      kpi_total: "心愿总数",
      kpi_open: "待办",
      kpi_resolved: "已解决",
      kpi_overdue: "已超时",
      kpi_rating: "平均评分",
      kpi_hours: "服务总时长",
      hours_unit: "小时",
      chart_weeks: "每周新增与解决",
      chart_modules: "按服务模块",
      chart_stations: "按驿站",
      chart_ratings: "评分分布",
      created_series: "新增",
      resolved_series: "已解决",
      rated: "共 {n} 条评价",
      wishes: "心愿列表",
      export_csv: "导出 CSV",
      export_xlsx: "导出 Excel",
      export_records: "志愿服务记录 CSV",
      export_ledger: "积分账本 CSV",
      status: "状态",
      module: "模块",
      station: "驿站",
      urgency: "紧急程度",
      clear: "清除筛选",
      all: "全部",
      col_title: "标题",
      created: "收集日期",
      hours: "时长",
      rating: "评分",
      prev: "上一页",
      next: "下一页",
      page_info: "第 {page} / {pages} 页 · 共 {total} 条",
      overdue: "超时心愿",
      overdue_count: "（共 {n} 条）",
      overdue_by: "超时",
      days: "{n} 天",
      hours_short: "{n} 小时",
      leaderboard: "志愿者排行榜",
      rank: "名次",
      claimant: "志愿者",
      wishes_count: "心愿",
      resolved_count: "已解决",
      none: "暂无数据",
      need_token: "请输入登记码，点击“登记本电脑”。",
      enrolling: "正在登记…",
      bad_code: "登记码无效、已过期或已使用，请向管理员索取新的登记码。",
      loading: "正在加载…",
      loaded: "已更新：{time}",
      exporting: "正在导出…",
      exported: "已导出 {name}",
      unauthorized: "本电脑的登记已失效，请重新登记。",
      forbidden: "本电脑无权查看街道的数据。",
      failed: "加载失败：{msg}",
      untriaged: "未分类",
    },
    en: {
      title: "Wish Station · Central Office",
      code: "Enrollment code",
      enroll: "Enroll this computer",
      admin_link: "Administrator sign-in",
      admin_key: "Administrator key",
      admin_signin: "Sign in",
      cancel: "Cancel",
      report: "Monthly report",
      signed_in: "This computer is enrolled",
      signed_in_admin: "Administrator",
      logout: "Sign out",
      refresh: "Refresh",
      kpi_total: "Total wishes",
      kpi_open: "Open",
      kpi_resolved: "Resolved",
      kpi_overdue: "Overdue",
      kpi_rating: "Average rating",
      kpi_hours: "Service hours",
      hours_unit: "h",
      chart_weeks: "Created and resolved per week",
      chart_modules: "By module",
      chart_stations: "By station",
      chart_ratings: "Rating distribution",
      created_series: "Created",
      resolved_series: "Resolved",
      rated: "{n} ratings",
      wishes: "Wishes",
      export_csv: "Export CSV",
      export_xlsx: "Export Excel",
      export_records: "Service records CSV",
      export_ledger: "Points ledger CSV",
      status: "Status",
      module: "Module",
      station: "Station",
      urgency: "Urgency",
      clear: "Clear filters",
      all: "All",
      col_title: "Title",
      created: "Collected",
      hours: "Hours",
      rating: "Rating",
      prev: "Previous",
      next: "Next",
      page_info: "Page {page} of {pages} · {total} wishes",
      overdue: "Overdue wishes",
      overdue_count: "({n} in all)",
      overdue_by: "Overdue by",
      days: "{n} d",
      hours_short: "{n} h",
      leaderboard: "Volunteer leaderboard",
      rank: "Rank",
      claimant: "Volunteer",
      wishes_count: "Wishes",
      resolved_count: "Resolved",
      none: "No data",
      need_token: "Enter the enrollment code and press Enroll this computer.",
      enrolling: "Enrolling…",
      bad_code: "The code is invalid, expired or already used; ask the administrator for a new one.",
      loading: "Loading…",
      loaded: "Updated {time}",
      exporting: "Exporting…",
      exported: "Exported {name}",
      unauthorized: "This computer's enrollment has ended; please enroll it again.",
      forbidden: "This computer may not see the office figures.",
      failed: "Loading failed: {msg}",
      untriaged: "Untriaged",
    },
  };

  // Labels of the API's codes (the same as the tablets show).
  const LABELS = {
    status: {
      collected: ["已收集", "Collected"],
      verified: ["已验单", "Verified"],
      rejected: ["未通过", "Rejected"],
      triaged: ["已分流", "Triaged"],
      published: ["已发布", "Published"],
      claimed: ["已认领", "Claimed"],
      released: ["已放弃认领", "Released"],
      assigned: ["已派单", "Assigned"],
      started: ["已开始", "Started"],
      in_progress: ["进行中", "In progress"],
      resolved: ["已解决", "Resolved"],
      confirmed: ["已确认", "Confirmed"],
      rated: ["已评价", "Rated"],
      closed: ["已销号", "Closed"],
    },
    module: {
      law: ["法律", "Law"],
      psychology: ["心理", "Psychology"],
      medical: ["医疗", "Medical"],
      employment: ["就业", "Employment"],
      comprehensive: ["综合", "Comprehensive"],
      untriaged: ["未分类", "Untriaged"],
    },
    urgency: {
      low: ["不急", "Low"],
      normal: ["一般", "Normal"],
      high: ["较急", "High"],
      urgent: ["紧急", "Urgent"],
    },
  };
  const STATUS_ORDER = Object.keys(LABELS.status);
  // Statuses after which a wish is no longer open (as the overdue report counts).
  const FINISHED = ["resolved", "rated", "closed", "rejected"];

  const state = {
    lang: "zh",
    token: "",
    admin: false,
    names: null, // /api/v1/office/names
    page: 1,
    data: null, // { summary, satisfaction, overdue, volunteers }
    wishes: null,
    statusKey: "need_token",
    statusVars: {},
    statusError: false,
  };

  const $ = (id) => document.getElementById(id);

  function t(key, vars) {
    const table = TEXT[state.lang] || TEXT.zh;
    let text = key in table ? table[key] : key;
    for (const [name, value] of Object.entries(vars || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function label(kind, code) {
    if (code === null || code === undefined || code === "") {
      return kind === "module" ? t("untriaged") : "–";
    }
    if (kind === "station") return stationName(code);
    const entry = LABELS[kind] && LABELS[kind][code];
    if (!entry) return String(code);
    return state.lang === "en" ? entry[1] : entry[0];
  }

  // A station's name from the directory; an unknown one shows its id marked 未登记.
  function stationName(code) {
    for (const directory of Object.values((state.names || {}).directories || {})) {
      const name = (directory.stations || {})[code];
      if (name) return name;
    }
    return String(code) + "（未登记）";
  }

  function locale() {
    return state.lang === "en" ? "en-US" : "zh-CN";
  }

  function num(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    return Number(value).toLocaleString(locale(), {
      minimumFractionDigits: digits || 0,
      maximumFractionDigits: digits || 0,
    });
  }

  function date(ms) {
    if (!ms) return "–";
    return new Intl.DateTimeFormat(state.lang === "en" ? "en-CA" : "zh-CN", {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(new Date(ms));
  }

  function setStatus(key, vars, isError) {
    state.statusKey = key;
    state.statusVars = vars || {};
    state.statusError = Boolean(isError);
    const el = $("status");
    el.textContent = key ? t(key, vars) : "";
    el.classList.toggle("error", Boolean(isError));
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------------------------------
  // API.

  class ApiFailure extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function call(path) {
    const response = await fetch(path, {
      headers: { Authorization: "Bearer " + state.token },
      cache: "no-store",
    });
    if (!response.ok) {
      let message = response.statusText || String(response.status);
      try {
        const body = await response.json();
        message = body.error || body.message || message;
      } catch (_) {
        // Not JSON: keep the status text.
      }
      throw new ApiFailure(response.status, message);
    }
    return response;
  }

  async function json(path) {
    return (await call(path)).json();
  }

  function filterQuery() {
    const params = new URLSearchParams();
    for (const name of ["status", "module", "station"]) {
      const value = $("f-" + name).value;
      if (value) params.set(name, value);
    }
    return params;
  }

  function failed(error) {
    if (error instanceof ApiFailure && error.status === 401) {
      forgetToken();
      setStatus("unauthorized", {}, true);
    } else if (error instanceof ApiFailure && error.status === 403) {
      // A code for another role (a volunteer's, say) enrolls a device the office
      // figures refuse: forget it so that the right code can be entered.
      forgetToken();
      setStatus("forbidden", {}, true);
    } else {
      setStatus("failed", { msg: error && error.message ? error.message : String(error) }, true);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Loading.

  async function loadAll() {
    setStatus("loading");
    $("main").removeAttribute("data-state");
    try {
      // The summary first: a bad token then costs one refused request, not four.
      const summary = await json("/api/v1/office/summary");
      const [satisfaction, overdue, volunteers, names] = await Promise.all([
        json("/api/v1/office/satisfaction"),
        json("/api/v1/office/overdue?per_page=" + PER_PAGE),
        json("/api/v1/office/volunteers?per_page=" + PER_PAGE),
        // Figures name stations by id; the directory names them.
        json("/api/v1/office/names"),
      ]);
      state.names = names;
      state.data = { summary, satisfaction, overdue, volunteers };
      $("main").hidden = false;
      showConnected(true);
      renderFilters();
      renderData();
      await loadWishes();
      $("main").setAttribute("data-state", "ready");
      setStatus("loaded", { time: new Date().toLocaleTimeString(locale()) });
    } catch (error) {
      failed(error);
    }
  }

  async function loadWishes() {
    const params = filterQuery();
    params.set("page", String(state.page));
    params.set("per_page", String(PER_PAGE));
    state.wishes = await json("/api/v1/office/wishes?" + params.toString());
    renderWishes();
  }

  async function reloadWishes() {
    try {
      await loadWishes();
    } catch (error) {
      failed(error);
    }
  }

  async function exportWishes(format) {
    const query = filterQuery().toString();
    await exportFile("/api/v1/office/export/wishes." + format + (query ? "?" + query : ""), "wishes", format);
  }

  /** Downloads one export; `base` names the file (base-YYYY-MM-DD.format). */
  async function exportFile(path, base, format) {
    setStatus("exporting");
    try {
      const response = await call(path);
      const blob = await response.blob();
      const today = new Date().toISOString().slice(0, 10);
      const name = base + "-" + today + "." + format;
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      setStatus("exported", { name });
    } catch (error) {
      failed(error);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Rendering.

  function renderData() {
    if (!state.data) return;
    const { summary, satisfaction, overdue, volunteers } = state.data;
    const byStatus = summary.by_status || {};
    const finished = FINISHED.reduce((sum, s) => sum + (byStatus[s] || 0), 0);
    const resolved = (summary.by_week || []).reduce((sum, w) => sum + (w.resolved || 0), 0);
    $("kpi-total").textContent = num(summary.total);
    $("kpi-open").textContent = num(Math.max(0, summary.total - finished));
    $("kpi-resolved").textContent = num(resolved);
    $("kpi-overdue").textContent = num(overdue.total);
    $("kpi-rating").textContent = satisfaction.rated ? num(satisfaction.average, 2) : "–";
    $("kpi-hours").replaceChildren(num(summary.hours, 1), el("small", { text: " " + t("hours_unit") }));

    renderWeeks(summary.by_week || []);
    renderHBars(
      "chart-modules",
      Object.entries(summary.by_module || {})
        .map(([code, count]) => ({ label: label("module", code), value: count }))
        .sort((a, b) => b.value - a.value),
      "#2f6fb3",
    );
    renderHBars(
      "chart-stations",
      (summary.by_station || [])
        .map((s) => ({ label: label("station", s.station), value: s.count }))
        .sort((a, b) => b.value - a.value),
      "#2e8b57",
    );
    renderRatings(satisfaction);
    renderOverdue(overdue);
    renderVolunteers(volunteers);
  }

  function empty(container) {
    container.replaceChildren(el("p", { class: "empty", text: t("none") }));
  }

  function renderWeeks(allWeeks) {
    const box = $("chart-weeks");
    const weeks = allWeeks.slice(-MAX_WEEKS);
    if (!weeks.length) return empty(box);
    const W = 580;
    const H = 240;
    const left = 40;
    const right = 10;
    const top = 14;
    const bottom = 30;
    const max = Math.max(1, ...weeks.map((w) => Math.max(w.created, w.resolved)));
    const scale = niceMax(max);
    const plotW = W - left - right;
    const plotH = H - top - bottom;
    const slot = plotW / weeks.length;
    const bar = Math.max(2, Math.min(18, (slot - 4) / 2));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("chart_weeks") });
    drawGrid(root, left, top, plotW, plotH, scale);
    const every = Math.ceil(weeks.length / 13);
    weeks.forEach((w, i) => {
      const x = left + i * slot + slot / 2;
      for (const [j, key, color] of [
        [0, "created", "#2f6fb3"],
        [1, "resolved", "#2e8b57"],
      ]) {
        const h = (w[key] / scale) * plotH;
        const rect = svg("rect", {
          x: x - bar + j * bar,
          y: top + plotH - h,
          width: bar - 1,
          height: Math.max(0, h),
          fill: color,
          class: "bar bar-" + key,
        });
        rect.append(svg("title", {}, `${w.week} ${t(key + "_series")}: ${w[key]}`));
        root.append(rect);
      }
      if (i % every === 0) {
        const short = String(w.week).replace(/^\d{4}-/, "");
        root.append(svg("text", { x, y: H - 10, "text-anchor": "middle", class: "muted" }, short));
      }
    });
    const legend = el("div", { class: "legend" }, [
      legendItem("#2f6fb3", t("created_series")),
      legendItem("#2e8b57", t("resolved_series")),
    ]);
    box.replaceChildren(root, legend);
  }

  function legendItem(color, text) {
    const swatch = el("i");
    swatch.style.background = color;
    return el("span", {}, [swatch, text]);
  }

  function niceMax(max) {
    const magnitude = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * magnitude >= max) return step * magnitude;
    }
    return 10 * magnitude;
  }

  function drawGrid(root, left, top, plotW, plotH, scale) {
    for (let i = 0; i <= 4; i++) {
      const y = top + plotH - (i / 4) * plotH;
      root.append(svg("line", { x1: left, x2: left + plotW, y1: y, y2: y, stroke: "#dde3ea" }));
      root.append(
        svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "muted" }, num((scale * i) / 4)),
      );
    }
  }

  function renderHBars(id, rows, color) {
    const box = $(id);
    if (!rows.length) return empty(box);
    const W = 460;
    const rowH = 30;
    const labelW = 130;
    const valueW = 50;
    const H = rows.length * rowH + 6;
    const max = Math.max(1, ...rows.map((r) => r.value));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img" });
    rows.forEach((r, i) => {
      const y = 3 + i * rowH;
      const w = ((W - labelW - valueW) * r.value) / max;
      root.append(
        svg("text", { x: labelW - 8, y: y + rowH / 2 + 5, "text-anchor": "end" }, truncate(r.label, 14)),
      );
      const rect = svg("rect", { x: labelW, y: y + 4, width: Math.max(1, w), height: rowH - 8, rx: 3, fill: color, class: "bar" });
      rect.append(svg("title", {}, `${r.label}: ${r.value}`));
      root.append(rect);
      root.append(svg("text", { x: labelW + w + 6, y: y + rowH / 2 + 5 }, num(r.value)));
    });
    box.replaceChildren(root);
  }

  function truncate(text, max) {
    const s = String(text);
    return s.length > max ? s.slice(0, max - 1) + "…" : s;
  }

  function renderRatings(satisfaction) {
    const box = $("chart-ratings");
    const dist = satisfaction.distribution || {};
    const stars = ["1", "2", "3", "4", "5"];
    const W = 460;
    const H = 200;
    const left = 40;
    const top = 14;
    const bottom = 28;
    const plotW = W - left - 10;
    const plotH = H - top - bottom;
    const max = Math.max(1, ...stars.map((s) => dist[s] || 0));
    const scale = niceMax(max);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("chart_ratings") });
    drawGrid(root, left, top, plotW, plotH, scale);
    const slot = plotW / stars.length;
    stars.forEach((s, i) => {
      const value = dist[s] || 0;
      const h = (value / scale) * plotH;
      const x = left + i * slot + slot * 0.2;
      const rect = svg("rect", { x, y: top + plotH - h, width: slot * 0.6, height: h, rx: 3, fill: "#c77c0e", class: "bar" });
      rect.append(svg("title", {}, `${s}★: ${value}`));
      root.append(rect);
      root.append(svg("text", { x: x + slot * 0.3, y: top + plotH - h - 4, "text-anchor": "middle" }, num(value)));
      root.append(svg("text", { x: x + slot * 0.3, y: H - 8, "text-anchor": "middle", class: "muted" }, s + "★"));
    });
    const note = el("div", { class: "legend" }, [t("rated", { n: num(satisfaction.rated || 0) })]);
    box.replaceChildren(root, note);
  }

  function cell(text, cls) {
    return el("td", cls ? { class: cls, text } : { text });
  }

  function badge(kind, code) {
    const cls = kind === "urgency" && (code === "urgent" || code === "high") ? "badge " + code : "badge";
    return el("td", {}, [el("span", { class: cls, text: label(kind, code) })]);
  }

  function fillTable(id, rows, columns) {
    const body = $(id).tBodies[0];
    if (!rows.length) {
      body.replaceChildren(el("tr", {}, [el("td", { colspan: String(columns), class: "empty", text: t("none") })]));
      return;
    }
    body.replaceChildren(...rows);
  }

  function renderWishes() {
    const page = state.wishes;
    if (!page) return;
    const rows = (page.items || []).map((w) =>
      el("tr", {}, [
        cell(w.title || "–"),
        cell(w.names ? w.names.station : label("station", w.station), "nowrap"),
        cell(label("module", w.module), "nowrap"),
        badge("status", w.status),
        badge("urgency", w.urgency),
        cell(date(w.created_at), "nowrap"),
        cell(w.hours ? num(w.hours, 1) : "–", "num"),
        cell(w.rating ? w.rating + "★" : "–", "num"),
      ]),
    );
    fillTable("wishes", rows, 8);
    const pages = Math.max(1, page.pages || 1);
    $("page-info").textContent = t("page_info", { page: page.page, pages, total: num(page.total) });
    $("prev").disabled = page.page <= 1;
    $("next").disabled = page.page >= pages;
  }

  function renderOverdue(overdue) {
    $("overdue-count").textContent = t("overdue_count", { n: num(overdue.total) });
    const rows = (overdue.items || []).map((w) => {
      const hours = w.overdue_hours || 0;
      const late = hours >= 48 ? t("days", { n: num(hours / 24, 0) }) : t("hours_short", { n: num(hours, 0) });
      return el("tr", {}, [
        cell(w.title || "–"),
        cell(w.names ? w.names.station : label("station", w.station), "nowrap"),
        badge("urgency", w.urgency),
        badge("status", w.status),
        cell(late, "num"),
      ]);
    });
    fillTable("overdue", rows, 5);
  }

  function renderVolunteers(report) {
    const rows = (report.leaderboard || []).map((v) =>
      el("tr", {}, [
        cell(String(v.rank), "num"),
        cell(v.name || v.claimant + "（未登记）"),
        cell(num(v.hours, 1), "num"),
        cell(num(v.wishes), "num"),
        cell(num(v.resolved), "num"),
      ]),
    );
    fillTable("volunteers", rows, 5);
  }

  function fillSelect(id, codes, kind) {
    const select = $(id);
    const current = select.value;
    const options = [el("option", { value: "", text: t("all") })];
    for (const code of codes) {
      options.push(el("option", { value: code, text: kind ? label(kind, code) : code }));
    }
    select.replaceChildren(...options);
    select.value = codes.includes(current) ? current : "";
  }

  function renderFilters() {
    if (!state.data) return;
    const summary = state.data.summary;
    const statuses = Object.keys(summary.by_status || {}).sort(
      (a, b) => rank(STATUS_ORDER, a) - rank(STATUS_ORDER, b),
    );
    fillSelect("f-status", statuses, "status");
    fillSelect("f-module", Object.keys(summary.by_module || {}), "module");
    const stations = [...new Set((summary.by_station || []).map((s) => s.station))].sort();
    fillSelect("f-station", stations, "station");
  }

  function rank(order, code) {
    const i = order.indexOf(code);
    return i < 0 ? order.length : i;
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = t(node.getAttribute("data-i18n"));
    }
    for (const button of document.querySelectorAll(".lang-btn")) {
      const active = button.getAttribute("data-lang") === state.lang;
      button.classList.toggle("active", active);
      button.setAttribute("aria-pressed", String(active));
    }
    $("who").textContent = t(state.admin ? "signed_in_admin" : "signed_in");
    setStatus(state.statusKey, state.statusVars, state.statusError);
    renderFilters();
    renderData();
    renderWishes();
  }

  // ---------------------------------------------------------------------------------------
  // Token and events.

  // Signed in: the enrollment form gives way to "report", "refresh" and "sign out".
  function showConnected(connected) {
    $("login").hidden = connected;
    $("admin").hidden = true;
    $("signed-in").hidden = !connected;
    $("who").textContent = t(state.admin ? "signed_in_admin" : "signed_in");
    $("report-link").href = "/office/report?month=" + thisMonth();
  }

  // This month in local time (UTC+8), YYYY-MM.
  function thisMonth() {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
      .format(new Date())
      .slice(0, 7);
  }

  function forgetToken() {
    state.token = "";
    state.admin = false;
    state.data = null;
    state.wishes = null;
    state.names = null;
    for (const storage of [() => localStorage, () => sessionStorage]) {
      try {
        storage().removeItem(TOKEN_KEY);
      } catch (_) {
        // Storage may be unavailable; the token then lived only in memory.
      }
    }
    $("code").value = "";
    $("admin-key").value = "";
    $("main").hidden = true;
    $("main").removeAttribute("data-state");
    showConnected(false);
  }

  // Keeps the token: a device's for good (localStorage), the administrator's for this tab.
  function keepToken(token, admin) {
    state.token = token;
    state.admin = admin;
    try {
      (admin ? sessionStorage : localStorage).setItem(TOKEN_KEY, token);
    } catch (_) {
      // Keep it in memory only.
    }
  }

  function storedToken() {
    try {
      const device = localStorage.getItem(TOKEN_KEY);
      if (device) return { token: device, admin: false };
      const admin = sessionStorage.getItem(TOKEN_KEY);
      if (admin) return { token: admin, admin: true };
    } catch (_) {
      // Storage may be unavailable.
    }
    return null;
  }

  // Redeems an enrollment code for this computer's device token.
  async function enroll(code) {
    setStatus("enrolling");
    try {
      const response = await fetch("/api/v1/enroll", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code, name: DEVICE_NAME }),
        cache: "no-store",
      });
      if (!response.ok) {
        setStatus(response.status === 429 ? "failed" : "bad_code", { msg: response.statusText }, true);
        return;
      }
      const body = await response.json();
      keepToken(body.token, false);
      state.page = 1;
      loadAll();
    } catch (error) {
      failed(error);
    }
  }

  function init() {
    try {
      const lang = localStorage.getItem(LANG_KEY);
      if (lang === "en" || lang === "zh") state.lang = lang;
    } catch (_) {
      // Storage may be unavailable.
    }
    const stored = storedToken();
    if (stored) {
      state.token = stored.token;
      state.admin = stored.admin;
    }
    applyLanguage();

    $("login").addEventListener("submit", (event) => {
      event.preventDefault();
      const code = $("code").value.trim();
      if (!code) {
        setStatus("need_token", {}, true);
        return;
      }
      enroll(code);
    });
    $("admin-link").addEventListener("click", () => {
      $("login").hidden = true;
      $("admin").hidden = false;
      $("admin-key").focus();
    });
    $("admin-cancel").addEventListener("click", () => {
      $("admin").hidden = true;
      $("login").hidden = false;
    });
    $("admin").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("admin-key").value.trim();
      if (!key) return;
      keepToken(key, true);
      state.page = 1;
      loadAll();
    });
    $("logout").addEventListener("click", () => {
      forgetToken();
      setStatus("need_token");
    });
    $("refresh").addEventListener("click", () => loadAll());
    for (const button of document.querySelectorAll(".lang-btn")) {
      button.addEventListener("click", () => {
        state.lang = button.getAttribute("data-lang");
        try {
          localStorage.setItem(LANG_KEY, state.lang);
        } catch (_) {
          // Not remembered then.
        }
        applyLanguage();
      });
    }
    for (const name of ["status", "module", "station"]) {
      $("f-" + name).addEventListener("change", () => {
        state.page = 1;
        reloadWishes();
      });
    }
    $("f-clear").addEventListener("click", () => {
      for (const name of ["status", "module", "station"]) $("f-" + name).value = "";
      state.page = 1;
      reloadWishes();
    });
    $("prev").addEventListener("click", () => {
      if (state.page > 1) {
        state.page -= 1;
        reloadWishes();
      }
    });
    $("next").addEventListener("click", () => {
      state.page += 1;
      reloadWishes();
    });
    $("export-csv").addEventListener("click", () => exportWishes("csv"));
    $("export-xlsx").addEventListener("click", () => exportWishes("xlsx"));
    $("export-records").addEventListener("click", () =>
      exportFile("/api/v1/office/export/service-records.csv", "service-records", "csv"));
    $("export-ledger").addEventListener("click", () =>
      exportFile("/api/v1/office/export/ledger.csv", "ledger", "csv"));

    if (state.token) loadAll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
