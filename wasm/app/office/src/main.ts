// The street office's console at /office: sign in with an enrollment code (or the
// administrator's key), then every figure of the office API for a period and a community,
// by name. Panels load together; a failing one says so in words without hiding the others.

import { h, mount } from "../../src/ui/dom.js";
import { t } from "../../src/i18n.js";
import { Api, ApiError } from "./api.js";
import { destroyCharts, drawCharts } from "./charts.js";
import type { Ctx } from "./context.js";
import { NameBook } from "./names.js";
import { periodBar, type Choice } from "./period.js";
import { presetRange, reportMonth } from "./range.js";
import { enroll, forget, keep, storedSession, type Session } from "./session.js";
import { languageButtons, status, translateStatic } from "./shell.js";
import { tf } from "./text.js";
import type { Names } from "./types.js";
import { channels } from "./panels/channels.js";
import { compare } from "./panels/compare.js";
import { showWish } from "./panels/detail.js";
import { durations } from "./panels/durations.js";
import { exportsBar } from "./panels/exports.js";
import { kpis } from "./panels/kpis.js";
import { leaderboard } from "./panels/leaderboard.js";
import { lists } from "./panels/lists.js";
import { overdue } from "./panels/overdue.js";
import { party } from "./panels/party.js";
import { ratings } from "./panels/ratings.js";
import { roster } from "./panels/roster.js";
import { trend } from "./panels/trend.js";
import { resetWishFilters, wishes } from "./panels/wishes.js";

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let session: Session | null = null;
let choice: Choice = { range: presetRange("month", new Date(), { preset: "custom", from: "", to: "" }), community: "" };

/** The panels, top to bottom. */
const PANELS: ((ctx: Ctx) => Promise<HTMLElement>)[] = [
  kpis, compare, trend, lists, durations, channels, party, ratings, roster, leaderboard, overdue, wishes,
];

/** Counts loads, so that an older load finishing late does not overwrite a newer one. */
let generation = 0;

async function load(): Promise<void> {
  if (!session) return showSignIn();
  const mine = ++generation;
  showSignedIn(session);
  status(t("officeLoading"));
  const main = byId("main");
  main.dataset.state = "loading";
  const api = new Api(session.token);
  try {
    const names = new NameBook(await api.get<Names>("names"));
    const ctx = context(api, names);
    periodBar(byId<HTMLFormElement>("period"), names, choice, (next) => {
      if (next.community !== choice.community) resetWishFilters();
      choice = next;
      void load();
    });
    const panels = await Promise.all(PANELS.map((panel) => panel(ctx).catch((error: unknown) => failedPanel(error))));
    if (mine !== generation) return;
    const holder = byId("panels");
    destroyCharts(holder);
    mount(holder, exportsBar(ctx, reportMonth(choice.range, new Date())), panels);
    drawCharts(holder);
    byId<HTMLAnchorElement>("report-link").href = `/office/report?month=${reportMonth(choice.range, new Date())}${
      choice.community ? `&community=${encodeURIComponent(choice.community)}` : ""}`;
    main.dataset.state = "ready";
    status(tf("officeLoaded", { time: new Date().toLocaleTimeString() }));
  } catch (error) {
    failed(error);
  }
}

function context(api: Api, names: NameBook): Ctx {
  const dialog = byId<HTMLDialogElement>("detail");
  const ctx: Ctx = {
    api,
    names,
    query: { from: choice.range.from, to: choice.range.to, community: choice.community },
    admin: session?.admin ?? false,
    openWish: (doc) => void showWish(ctx, dialog, doc).catch((error: unknown) => failed(error)),
    reload: () => void load(),
  };
  return ctx;
}

function failedPanel(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 401) throw error;
  return h("section", { class: "card failed" }, tf("officeFailed", { msg: (error as Error).message }));
}

function failed(error: unknown): void {
  byId("main").dataset.state = "failed";
  if (error instanceof ApiError && error.status === 401) {
    forget();
    session = null;
    showSignIn();
    status(t("officeUnauthorized"), true);
  } else if (error instanceof ApiError && error.status === 403) {
    status(t("officeForbidden"), true);
  } else {
    status(tf("officeFailed", { msg: (error as Error).message }), true);
  }
}

function showSignIn(): void {
  byId("login").hidden = false;
  byId("admin").hidden = true;
  byId("signed-in").hidden = true;
  byId("main").hidden = true;
  destroyCharts(byId("panels"));
  mount(byId("panels"));
  status(t("officeNeedCode"));
}

function showSignedIn(current: Session): void {
  byId("login").hidden = true;
  byId("admin").hidden = true;
  byId("signed-in").hidden = false;
  byId("main").hidden = false;
  byId("who").textContent = current.admin ? t("officeAdmin") : t("officeSignedIn");
}

function wire(): void {
  byId<HTMLFormElement>("login").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = byId<HTMLInputElement>("code").value;
    if (!code.trim()) return status(t("officeNeedCode"), true);
    status(t("officeEnrolling"));
    enroll(code).then(
      (token) => {
        if (!token) return status(t("officeBadCode"), true);
        session = { token, admin: false };
        keep(session);
        byId<HTMLInputElement>("code").value = "";
        void load();
      },
      (error: unknown) => failed(error),
    );
  });
  byId("admin-link").addEventListener("click", () => {
    byId("login").hidden = true;
    byId("admin").hidden = false;
  });
  byId("admin-cancel").addEventListener("click", showSignIn);
  byId<HTMLFormElement>("admin").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = byId<HTMLInputElement>("admin-key").value.trim();
    if (!key) return;
    session = { token: key, admin: true };
    keep(session);
    byId<HTMLInputElement>("admin-key").value = "";
    void load();
  });
  byId("refresh").addEventListener("click", () => void load());
  byId("logout").addEventListener("click", () => {
    forget();
    session = null;
    showSignIn();
  });
  languageButtons(() => void load());
}

translateStatic();
wire();
session = storedSession();
void load();
