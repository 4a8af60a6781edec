/**
 * tagdeck dashboard: the shell (header, breadcrumbs, session), the session
 * itself, and the hash router that mounts one view at a time. Which views a
 * route can reach depends on the registry (Alibaba: instances → namespaces
 * → repositories; Scaleway: namespaces → images; SWR: a repository picker);
 * the repository view is the same for all. Views get an `app` object: the
 * session, navigation, breadcrumbs, toasts and a cache.
 */
import { h, replace } from "./lib/dom.js";
import { parseRoute, formatRoute, routeKey } from "./lib/route.js";
import { openSession } from "./api/session.js";
import { saveConnection, saveRegion, loadRemembered, forgetKeys } from "./api/storage.js";
import { describeError } from "./lib/errors.js";
import { loading, copyButton, icon } from "./ui/components.js";
import { mountConnect } from "./views/connect.js";
import { mountInstances } from "./views/instances.js";
import { mountInstance } from "./views/instance.js";
import { mountNamespace } from "./views/namespace.js";
import { mountRepository } from "./views/repository.js";
import { mountScalewayNamespaces } from "./views/scaleway-namespaces.js";
import { mountScalewayImages } from "./views/scaleway-images.js";
import { mountRepositoryPicker } from "./views/repository-picker.js";
import { isRunsRoute, mountRunsPage } from "./views/runs-page.js";

/** Per registry: route name → view. A route a registry has no view for leads to its home. */
const VIEWS = {
  "alibaba-cr": { instances: mountInstances, instance: mountInstance, namespace: mountNamespace, repository: mountRepository },
  scaleway: { namespaces: mountScalewayNamespaces, namespace: mountScalewayImages, repository: mountRepository },
  swr: { namespaces: mountRepositoryPicker, namespace: mountRepositoryPicker, repository: mountRepository },
};

const main = document.getElementById("main");
const crumbs = document.getElementById("crumbs");
const sessionBox = document.getElementById("session-box");
let current = null; // { key, view }

const app = {
  session: null,
  cache: new Map(),

  /** Opens and checks a session; returns null on success or { error, context }. */
  async connect(settings, remember) {
    const context = { mode: settings.mode, endpoint: settings.mode === "proxy" ? settings.proxyUrl : settings.endpoint };
    try {
      const session = await openSession(settings);
      await session.verify();
      saveConnection(settings, remember);
      app.session = session;
      app.cache.clear();
      renderSessionBox();
      current = null;
      const here = parseRoute(location.hash);
      if (session.landing && !viewFor(session.registry, here)) app.navigate(session.landing);
      else route();
      return null;
    } catch (error) {
      return { error, context: { ...context, registry: settings.registry, endpoint: context.endpoint || "" } };
    }
  },

  /**
   * The same connection in another region (its instances or namespaces),
   * without disconnecting: a new session from the one held, checked like a
   * connection, then the registry's home. On failure the current session
   * stays and a toast says why.
   */
  async switchRegion(region) {
    const previous = app.session;
    if (!previous?.inRegion || region === previous.region) return;
    let next = null;
    try {
      next = await previous.inRegion(region);
      await next.verify();
    } catch (error) {
      next?.close();
      const info = describeError(error, previous.errorContext);
      app.toast(`Still in ${previous.region}: switching to ${region} failed (${info.title}).`, { requestId: info.requestId, kind: "error" });
      renderSessionBox();
      return;
    }
    if (app.session !== previous) return next.close(); // disconnected meanwhile
    current?.view.destroy?.();
    current = null;
    app.session = next;
    app.cache.clear();
    // The in-flight calls of the previous session keep their client until they end.
    previous.close();
    saveRegion(region);
    renderSessionBox();
    // Places are per region (an instance lives in one): start at the registry's home.
    const home = formatRoute(next.registry.home);
    if (location.hash === home) route();
    else location.hash = home;
  },

  disconnect() {
    forgetKeys();
    app.session?.close();
    app.session = null;
    app.cache.clear();
    renderSessionBox();
    current?.view.destroy?.();
    current = null;
    route();
  },

  /** Cached promise per key for the session's lifetime (instance names, repo ids). */
  cached(key, load) {
    if (!app.cache.has(key)) {
      const promise = load();
      app.cache.set(key, promise);
      promise.catch(() => app.cache.delete(key));
    }
    return app.cache.get(key);
  },

  href: (route) => formatRoute(route),
  navigate(route) {
    location.hash = formatRoute(route);
  },
  /** Changes the URL for in-view state (filter, sort, open tag) without a new history entry. */
  replaceRoute(route) {
    history.replaceState(history.state, "", formatRoute(route));
  },

  setTitle(title) {
    document.title = title ? `${title} \u00b7 tagdeck` : "tagdeck";
  },

  /** Breadcrumbs: [{ label, route? }]; the last one is the current page. */
  setCrumbs(items) {
    replace(
      crumbs,
      items.map((item, index) =>
        h(
          "li",
          {},
          index === items.length - 1 || !item.route
            ? h("span", { "aria-current": index === items.length - 1 ? "page" : null }, item.label)
            : h("a", { href: formatRoute(item.route) }, item.label),
        ),
      ),
    );
  },

  /** A short-lived confirmation in the corner (successes; errors stay where they happen). */
  toast(message, { requestId = "", kind = "success" } = {}) {
    const box = document.getElementById("toasts");
    const toast = h(
      "div",
      { class: ["toast", kind], role: "status" },
      h("span", {}, message),
      requestId ? h("small", {}, "Request ID ", h("code", {}, requestId), " ", copyButton(() => requestId, "Copy request ID")) : null,
    );
    box.append(toast);
    setTimeout(() => toast.remove(), 6000);
  },
};

/** What the pill says beside the connection, per health state (api/health.js). */
const HEALTH_WORDS = { ok: "", unreachable: "not answering", failing: "answering with errors" };
let unwatchHealth = () => {};

/**
 * The header's session box: the connection (registry, region, mode) with a
 * dot that is green only while the registry answers, the region switcher
 * where the connection has one, and "Disconnect".
 */
function renderSessionBox() {
  unwatchHealth();
  unwatchHealth = () => {};
  const session = app.session;
  if (!session) return replace(sessionBox);
  const word = h("span", { class: "health-word" });
  const pill = h("span", { class: ["session-pill", session.inRegion && "with-switcher"], role: "status" }, h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "session-label" }, session.inRegion ? session.registry.short : session.label), word);
  const showHealth = ({ state, error, since }) => {
    pill.dataset.health = state;
    word.textContent = HEALTH_WORDS[state] ? ` \u00b7 ${HEALTH_WORDS[state]}` : "";
    pill.title = state === "ok" ? session.endpoint : `${session.endpoint}: ${error?.message ?? state} (since ${new Date(since).toLocaleTimeString()})`;
  };
  showHealth(session.health.current);
  unwatchHealth = session.health.subscribe(showHealth);
  replace(
    sessionBox,
    pill,
    session.inRegion ? regionSwitcher(session) : null,
    // Narrow screens show the icon only (styles.css); the words stay its name.
    h("button", { type: "button", class: "button subtle small disconnect", title: "Disconnect", onclick: () => app.disconnect() }, icon("logout"), h("span", { class: "button-words" }, "Disconnect")),
  );
}

function regionSwitcher(session) {
  const regions = session.registry.regions.includes(session.region) ? session.registry.regions : [session.region, ...session.registry.regions];
  const select = h(
    "select",
    { class: "region-switcher", "aria-label": "Region", title: "Switch region (the same keys)" },
    regions.map((region) => h("option", { value: region, selected: region === session.region }, region)),
  );
  select.addEventListener("change", () => {
    select.disabled = true;
    app.switchRegion(select.value);
  });
  return select;
}

function route() {
  // The retention runs (the edge proxy's journal) need no registry session.
  if (isRunsRoute(location.hash)) {
    current?.view.destroy?.();
    app.setCrumbs([{ label: "Retention runs" }]);
    app.setTitle("Retention runs");
    current = { key: location.hash, view: mountRunsPage(main) };
    return;
  }
  if (!app.session) {
    if (current?.key !== "connect") {
      current?.view.destroy?.();
      app.setCrumbs([]);
      app.setTitle("Connect");
      current = { key: "connect", view: mountConnect(main, app) };
    }
    return;
  }
  let target = parseRoute(location.hash);
  let mount = viewFor(app.session.registry, target);
  if (!mount) {
    // Not a place in this registry (another registry's link, a bare URL): its home.
    target = app.session.registry.home;
    mount = viewFor(app.session.registry, target);
    app.replaceRoute(target);
  }
  const key = routeKey(target);
  if (current?.key === key) {
    current.view.update?.(target);
    return;
  }
  current?.view.destroy?.();
  replace(main);
  current = { key, view: mount(main, app, { query: {}, ...target }) };
  main.focus({ preventScroll: true });
}

/** The view for `target` in `registry`, or null when the registry has no such place. */
function viewFor(registry, target) {
  const mount = VIEWS[registry.id]?.[target.name];
  if (!mount) return null;
  // Alibaba's places are inside an instance; the others' never are.
  if (target.name !== "instances" && Boolean(target.params?.instanceId) !== registry.instanceScoped) return null;
  return mount;
}

async function boot() {
  document.getElementById("skip-link").addEventListener("click", () => main.focus());
  window.addEventListener("hashchange", route);
  const remembered = loadRemembered();
  // The brand link leads home, whichever registry that is.
  document.querySelector(".brand").addEventListener("click", (event) => {
    if (!app.session) return;
    event.preventDefault();
    app.navigate(app.session.registry.home);
  });
  if (remembered) {
    replace(main, loading("Reconnecting with the keys remembered on this device\u2026"));
    const failure = await app.connect(remembered, true);
    if (failure) {
      current = { key: "connect", view: mountConnect(main, app, { error: failure.error, errorContext: failure.context }) };
    }
    return;
  }
  route();
}

boot();
