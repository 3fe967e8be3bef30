// The monthly report page (/office/report?month=YYYY-MM): lays out the answer of
// /api/v1/office/report with the office computer's device token (kept by the dashboard),
// draws two bar charts in SVG, and prints to A4 through the browser (report.css).
"use strict";

(function () {
  const TOKEN_KEY = "wish-station.office.token";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const COLORS = { collected: "#2f6fb3", resolved: "#2e8b57" };

  const $ = (id) => document.getElementById(id);

  function token() {
    try {
      return localStorage.getItem(TOKEN_KEY) || sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (_) {
      return "";
    }
  }

  function status(text, isError) {
    $("status").textContent = text;
    $("status").classList.toggle("error", Boolean(isError));
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

  function num(value, digits) {
    if (value === null || value === undefined) return "–";
    return Number(value).toLocaleString("zh-CN", {
      minimumFractionDigits: digits || 0,
      maximumFractionDigits: digits || 0,
    });
  }

  function percent(part, whole) {
    return whole > 0 ? num((100 * part) / whole, 1) + "%" : "–";
  }

  function thisMonth() {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
      .format(new Date())
      .slice(0, 7);
  }

  // The administrator may narrow the report to one community (`&community=`).
  function scopeQuery() {
    const community = new URLSearchParams(location.search).get("community");
    return community ? "&community=" + encodeURIComponent(community) : "";
  }

  function requestedMonth() {
    const month = new URLSearchParams(location.search).get("month") || "";
    return /^\d{4}-\d{2}$/.test(month) ? month : thisMonth();
  }

  async function call(path) {
    const response = await fetch(path, {
      headers: { Authorization: "Bearer " + token() },
      cache: "no-store",
    });
    if (response.status === 401) throw new Error("本电脑尚未登记或登记已失效，请先在街道工作台登记。");
    if (response.status === 403) throw new Error("本电脑无权查看这份报告。");
    if (!response.ok) throw new Error("加载失败（" + response.status + "）");
    return response;
  }

  // ---------------------------------------------------------------------------------------
  // Layout.

  function figures(id, rows) {
    $(id).replaceChildren(
      ...rows.map(([key, label, value]) =>
        el("div", { class: "figure", "data-figure": key }, [
          el("span", { class: "label", text: label }),
          el("span", { class: "value", text: value }),
        ]),
      ),
    );
  }

  function renderFigures(f) {
    figures("figures-wishes", [
      ["collected", "新收集心愿（件）", num(f.collected)],
      ["claimed", "认领（件）", num(f.claimed)],
      ["resolved", "解决（件）", num(f.resolved)],
      ["closed", "销号（件）", num(f.closed)],
      ["overdue", "超时未办（件）", num(f.overdue)],
      ["rated", "群众评价（条）", num(f.rated)],
      ["average_rating", "平均评分", f.average_rating == null ? "–" : num(f.average_rating, 2)],
      ["coverage", "排班覆盖率", percent(f.shifts_covered, f.shifts)],
    ]);
    figures("figures-lists", [
      ["needs_open", "需求清单（条，待办）", num(f.needs_open)],
      ["offers", "资源清单（条）", num(f.offers)],
      ["projects", "项目清单（个）", num(f.projects)],
      ["projects_done", "已完成项目（个）", num(f.projects_done)],
    ]);
    figures("figures-service", [
      ["hours", "服务时长（小时）", num(f.hours, 1)],
      ["service_records", "服务记录（条）", num(f.service_records)],
      ["volunteers", "参与志愿者（人）", num(f.volunteers)],
      ["party_volunteers", "其中党员（人）", num(f.party_volunteers)],
      ["party_hours", "党员服务时长（小时）", num(f.party_hours, 1)],
      ["party_share", "党员时长占比", percent(f.party_hours, f.hours)],
      ["shifts", "排班（班次）", num(f.shifts)],
      ["projects_new", "本月新建项目（个）", num(f.projects_new)],
    ]);
  }

  function table(id, rows, cells) {
    const body = $(id).tBodies[0];
    if (!rows.length) {
      const columns = $(id).tHead.rows[0].cells.length;
      body.replaceChildren(el("tr", {}, [el("td", { colspan: String(columns), class: "empty", text: "本月无数据" })]));
      return;
    }
    body.replaceChildren(
      ...rows.map((row) =>
        el("tr", {}, cells(row).map(([text, cls]) => el("td", cls ? { class: cls, text } : { text }))),
      ),
    );
  }

  function renderTables(report) {
    table("table-modules", report.by_module, (m) => [[m.label], [num(m.collected), "num"], [num(m.resolved), "num"]]);
    table("table-stations", report.by_station, (s) => [
      [s.community],
      [s.station],
      [num(s.collected), "num"],
      [num(s.resolved), "num"],
      [num(s.shifts), "num"],
      [num(s.shifts_covered), "num"],
    ]);
    table("table-volunteers", report.volunteers, (v) => [
      [v.name],
      [v.community],
      [v.party_member ? "是" : "否"],
      [num(v.records), "num"],
      [num(v.hours, 1), "num"],
    ]);
  }

  // Grouped horizontal bars: collected and resolved per row.
  function pairChart(id, rows) {
    const box = $(id);
    if (!rows.length) {
      box.replaceChildren(el("p", { class: "empty", text: "本月无数据" }));
      return;
    }
    const W = 340;
    const rowH = 26;
    const labelW = 92;
    const H = rows.length * rowH + 4;
    const max = Math.max(1, ...rows.flatMap((r) => [r.collected, r.resolved]));
    const width = (value) => ((W - labelW - 34) * value) / max;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img" });
    rows.forEach((r, i) => {
      const y = 2 + i * rowH;
      const name = r.label.length > 8 ? r.label.slice(0, 7) + "…" : r.label;
      root.append(svg("text", { x: labelW - 6, y: y + rowH / 2 + 4, "text-anchor": "end" }, name));
      ["collected", "resolved"].forEach((key, k) => {
        const barY = y + 3 + k * 10;
        root.append(svg("rect", { x: labelW, y: barY, width: Math.max(1, width(r[key])), height: 9, fill: COLORS[key] }));
        root.append(svg("text", { x: labelW + width(r[key]) + 4, y: barY + 8 }, num(r[key])));
      });
    });
    const legend = el("div", { class: "legend" }, [
      el("span", { class: "swatch collected" }),
      "新收集",
      el("span", { class: "swatch resolved" }),
      "已解决",
    ]);
    box.replaceChildren(root, legend);
  }

  function render(report) {
    document.title = `${report.scope_name} ${report.label} 心愿驿站工作报告`;
    $("scope-name").textContent = report.scope_name;
    $("month-label").textContent = report.label;
    $("generated").textContent = report.generated_at;
    renderFigures(report.figures);
    renderTables(report);
    pairChart("chart-modules", report.by_module.map((m) => ({ label: m.label, collected: m.collected, resolved: m.resolved })));
    pairChart(
      "chart-stations",
      report.by_station
        .filter((s) => s.collected || s.resolved)
        .map((s) => ({ label: s.station, collected: s.collected, resolved: s.resolved })),
    );
    $("report").hidden = false;
  }

  async function load(month) {
    status("正在加载…");
    document.body.removeAttribute("data-state");
    try {
      const report = await (await call("/api/v1/office/report?month=" + month + scopeQuery())).json();
      render(report);
      status("");
      document.body.setAttribute("data-state", "ready");
    } catch (error) {
      status(error.message, true);
    }
  }

  async function downloadXlsx(month) {
    try {
      const blob = await (await call("/api/v1/office/report.xlsx?month=" + month + scopeQuery())).blob();
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: `月度工作报告-${month}.xlsx` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      status(error.message, true);
    }
  }

  function init() {
    const month = requestedMonth();
    $("month").value = month;
    $("month").addEventListener("change", () => {
      const chosen = $("month").value;
      if (/^\d{4}-\d{2}$/.test(chosen)) location.search = "?month=" + chosen + scopeQuery();
    });
    $("print").addEventListener("click", () => window.print());
    $("xlsx").addEventListener("click", () => downloadXlsx(month));
    load(month);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
