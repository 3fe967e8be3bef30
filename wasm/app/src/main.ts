// Boots the tablet app: the service worker, IndexedDB, the enrolled session (or the
// enrollment screen), then a hash router that redraws the current screen on every change.

import { currentLang, setLang, t } from "./i18n.js";
import { Session, type Identity } from "./session.js";
import { Store } from "./sync/store.js";
import { h, mount } from "./ui/dom.js";
import { collectScreen } from "./ui/screens/collect.js";
import { catalogueScreen } from "./ui/screens/catalogue.js";
import { detailScreen } from "./ui/screens/detail.js";
import { dutyScreen } from "./ui/screens/duty.js";
import { enrollScreen } from "./ui/screens/enroll.js";
import { meScreen } from "./ui/screens/me.js";
import { peopleScreen } from "./ui/screens/people.js";
import { personScreen } from "./ui/screens/person.js";
import { rosterScreen } from "./ui/screens/roster.js";
import { connectionText, syncScreen } from "./ui/screens/sync.js";
import { unitsScreen } from "./ui/screens/units.js";
import { wallScreen } from "./ui/screens/wall.js";
import { wishesScreen } from "./ui/screens/wishes.js";
import { setupOpen } from "./manage_api.js";
import { devicesScreen } from "./ui/screens/devices.js";
import { importScreen } from "./ui/screens/import.js";
import { MANAGE_SCREENS, manageScreen } from "./ui/screens/manage.js";
import { newCommunityScreen } from "./ui/screens/new_community.js";
import { setupScreen } from "./ui/screens/setup.js";
import { listsScreen } from "./ui/screens/lists.js";
import { tasksBadge, tasksScreen } from "./ui/screens/tasks.js";
import { pointsScreen } from "./ui/screens/points.js";
import { starsScreen } from "./ui/screens/stars.js";
import { storiesScreen } from "./ui/screens/stories.js";

const app = document.getElementById("app") as HTMLElement;
/** Sync redraws wait until the page has not scrolled for this long. */
const SCROLL_QUIET_MS = 300;

const TABS: [string, () => string][] = [
  ["wishes", () => t("navWishes")],
  ["collect", () => t("navCollect")],
  ["wall", () => t("navWall")],
  ["tasks", () => t("navTasks")],
  ["roster", () => t("navRoster")],
  ["me", () => t("navMe")],
  ["sync", () => t("navSync")],
];

/** Coordinators and the office also get 管理 (the management screens). */
const MANAGE_TAB: [string, () => string] = ["manage", () => t("navManage")];

/** A station's shared tablet (驿站公用平板) only signs people in. */
const STATION_TABLET_TABS: [string, () => string][] = [
  ["duty", () => t("dutyTitle")],
  ["sync", () => t("navSync")],
];

async function boot(): Promise<void> {
  setLang(currentLang());
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("./sw.js").catch((e) => console.warn("no service worker", e));
  }
  const store = await Store.open();
  const identity = await store.getMeta<Identity>("identity");
  if (!identity) return (await setupOpen()) ? showSetup(store) : showEnrollment(store);
  const session = await Session.open(store, identity);
  (window as unknown as { wishStation: Session }).wishStation = session;
  const draw = () => render(session, store);
  window.addEventListener("hashchange", draw);
  const held = holdRedrawsDuringTaps(draw);
  session.onChange(() => {
    if (editing() || held()) return;
    draw();
  });
  draw();
  // The stored records failed to load: say so rather than show the kept rows forever.
  session.ready.catch(bootFailed);
}

/**
 * A tap moves focus to the button on press and acts on release; a sync redraw in
 * between would replace the form under the finger and the tap would act on nothing.
 * Redraws wait while a pointer is down and happen just after the tap instead (and while
 * the page scrolls, until it stops). Returns whether a redraw must wait now.
 */
function holdRedrawsDuringTaps(draw: () => void): () => boolean {
  let down = false;
  let missed = false;
  let scrolledAt = -Infinity;
  window.addEventListener("pointerdown", () => { down = true; }, true);
  const release = () => {
    down = false;
    if (!missed) return;
    missed = false;
    // After the click that follows the release has run.
    setTimeout(() => { if (!editing()) draw(); }, 50);
  };
  window.addEventListener("pointerup", release, true);
  window.addEventListener("pointercancel", release, true);
  // A redraw of a big station's list takes a few hundred ms: one while the list is being
  // scrolled is a visible stall. Sync redraws wait until the scrolling stops.
  window.addEventListener("scroll", () => { scrolledAt = performance.now(); }, { passive: true });
  const afterScroll = () => {
    const quiet = scrolledAt + SCROLL_QUIET_MS - performance.now();
    if (quiet > 0) return void setTimeout(afterScroll, quiet);
    if (!down) release();
  };
  return () => {
    const scrolling = performance.now() - scrolledAt < SCROLL_QUIET_MS;
    if (down || scrolling) {
      if (!missed && scrolling && !down) setTimeout(afterScroll, SCROLL_QUIET_MS);
      missed = true;
    }
    return down || scrolling;
  };
}

function showEnrollment(store: Store): void {
  const code = location.hash.match(/^#\/enroll\/([\w-]+)/)?.[1] ?? "";
  const onEnrolled = async (identity: Identity) => {
    await store.setMeta("identity", identity);
    location.hash = "#/wishes";
    location.reload();
  };
  mount(app, header(null), enrollScreen(onEnrolled, code));
}

/** A fresh server: 创建社区 with the setup code (from the QR's link if given). */
function showSetup(store: Store): void {
  const code = location.hash.match(/^#\/setup\/([\w-]+)/)?.[1] ?? "";
  const onEnrolled = async (identity: Identity) => {
    await store.setMeta("identity", identity);
    location.hash = "#/manage";
    location.reload();
  };
  mount(app, header(null), setupScreen(onEnrolled, code, () => showEnrollment(store)));
}

/** Whether the user is typing in a form a redraw would reset, or a screen holds what it
 *  was given (a code, a checked file: `data-keep`). */
function editing(): boolean {
  const active = document.activeElement;
  return (
    app.querySelector("form.inline-form, form[data-testid=collect-form], [data-keep]") !== null ||
    (active instanceof HTMLElement && active.matches("input, textarea, select"))
  );
}

function render(session: Session, store: Store): void {
  const [route, arg] = location.hash.replace(/^#\/?/, "").split("/");
  const go = (to: string) => (location.hash = `#/${to}`);
  const leave = async () => {
    await store.clear();
    location.hash = "";
    location.reload();
  };
  const screens: Record<string, () => HTMLElement> = {
    wishes: () => wishesScreen(session),
    collect: () => collectScreen(session, go),
    wall: () => wallScreen(session),
    tasks: () => tasksScreen(session),
    lists: () => listsScreen(session),
    wish: () => detailScreen(session, arg ?? ""),
    roster: () => rosterScreen(session),
    me: () => meScreen(session),
    sync: () => syncScreen(session, leave),
    people: () => peopleScreen(session),
    person: () => personScreen(session, arg ?? ""),
    units: () => unitsScreen(session),
    catalogue: () => catalogueScreen(session),
    duty: () => dutyScreen(session),
    points: () => pointsScreen(session),
    stars: () => starsScreen(session),
    stories: () => storiesScreen(session),
    ...(session.isCoordinator ? manageRoutes(session, arg) : {}),
  };
  const shared = session.device.role === "station_tablet";
  const tabs = shared ? STATION_TABLET_TABS : session.isCoordinator ? [...TABS, MANAGE_TAB] : TABS;
  const allowed = shared ? tabs.map(([r]) => r) : Object.keys(screens);
  const current = allowed.includes(route) ? route : tabs[0][0];
  const badges: Record<string, HTMLElement | null> = shared || session.loading ? {} : { tasks: tasksBadge(session) };
  // While the stored records load, only the wish list (from the kept rows) is drawn.
  const opening = session.loading && (current !== "wishes" || !session.listReady);
  const screen = opening ? h("main", { class: "screen" }, h("p", { class: "empty", "data-testid": "opening" }, t("opening"))) : screens[current]();
  mount(app, header(session), nav(activeTab(current), tabs, badges), screen);
}

/** The management screens of coordinators and the office (the 管理 tab). */
function manageRoutes(session: Session, arg: string | undefined): Record<string, () => HTMLElement> {
  return {
    manage: () => manageScreen(session),
    devices: () => devicesScreen(session),
    import: () => importScreen(session, arg === "people" ? "people" : "wishes"),
    ...(session.device.role === "office" ? { "new-community": () => newCommunityScreen(session) } : {}),
  };
}

function header(session: Session | null): HTMLElement {
  const community = session?.community();
  const switchLang = () => {
    setLang(currentLang() === "zh" ? "en" : "zh");
    window.dispatchEvent(new Event("hashchange"));
    if (!session) location.reload();
  };
  return h("header", { class: "top" },
    h("span", { class: "brand" }, "❤ ", t("appName"), community ? h("small", {}, ` · ${community.name}`) : null),
    session ? statusPill(session) : null,
    h("button", { class: "lang", "data-testid": "switch-lang", onclick: switchLang }, t("switchLang")));
}

function statusPill(session: Session): HTMLElement {
  // Counted once every stored record is loaded.
  const pending = session.loading ? 0 : session.pendingCount();
  return h("a", { href: "#/sync", class: `pill pill-${session.connection}`, "data-testid": "status-pill", "data-state": session.connection, "data-pending": pending },
    connectionText(session.connection), pending ? ` · ${pending} ${t("pending")}` : "");
}

function nav(current: string, tabs: [string, () => string][], badges: Record<string, HTMLElement | null> = {}): HTMLElement {
  return h("nav", { class: "tabs" }, tabs.map(([route, text]) =>
    h("a", { href: `#/${route}`, class: route === current ? "tab active" : "tab", "data-testid": `nav-${route}` }, text(), badges[route] ? " " : null, badges[route])));
}

/** The tab a route is under: the management screens (but the roster) under 管理. */
function activeTab(route: string): string {
  const managing = route !== "roster" && MANAGE_SCREENS.some(([r]) => r.split("/")[0] === route);
  return managing ? "manage" : route;
}

function bootFailed(error: unknown): void {
  console.error(error);
  mount(app, h("p", { class: "boot error" }, `${t("actionFailed")}: ${(error as Error).message}`));
}

boot().catch(bootFailed);
