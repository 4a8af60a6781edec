/**
 * The connection form: registry, mode (direct keys or edge proxy, where the
 * registry has a proxy), region or endpoint, the registry's credentials (from
 * api/registries.js), the repository to open where the registry cannot list
 * them (SWR), and "remember on this device". A failed connection is
 * explained right under the button.
 */
import { h, replace, uid } from "../lib/dom.js";
import { parseRoute } from "../lib/route.js";
import { REGISTRIES, registryById } from "../api/registries.js";
import { loadPrefs, loadRecent } from "../api/storage.js";
import { errorBox, icon } from "../ui/components.js";

export function mountConnect(container, app, { error = null, errorContext = {} } = {}) {
  const prefs = loadPrefs();
  const servedLocally = ["127.0.0.1", "localhost", "[::1]"].includes(location.hostname);
  let registry = registryById(prefs.registry);

  const registrySelect = h(
    "select",
    { id: "registry", name: "registry" },
    REGISTRIES.map((entry) => h("option", { value: entry.id, selected: entry.id === registry.id }, entry.label)),
  );

  const modeDirect = h("input", { type: "radio", name: "mode", value: "direct", id: "mode-direct", checked: prefs.mode !== "proxy" });
  const modeProxy = h("input", { type: "radio", name: "mode", value: "proxy", id: "mode-proxy", checked: prefs.mode === "proxy" });
  const modeFieldset = h(
    "fieldset",
    { class: "segmented" },
    h("legend", {}, "How to connect"),
    h("label", { for: "mode-direct" }, modeDirect, h("span", {}, h("strong", {}, "Direct"), h("small", {}, "Keys stay in this tab"))),
    h("label", { for: "mode-proxy" }, modeProxy, h("span", {}, h("strong", {}, "Via edge proxy"), h("small", {}, "No keys in the browser"))),
  );

  const regionList = uid("regions");
  const regionOptions = h("datalist", { id: regionList });
  const region = input("region", "Region", { value: prefs.region ?? registry.defaultRegion, list: regionList, required: true, autocomplete: "off", spellcheck: false });
  const endpoint = input("endpoint", "Endpoint", {
    value: prefs.endpoint ?? (servedLocally ? location.origin : ""),
    autocomplete: "off",
    spellcheck: false,
    hint: " ",
  });

  // Every registry's credential fields, built once; only the chosen registry's are shown and read.
  const credentialGroups = new Map(
    REGISTRIES.map((entry) => {
      const fields = entry.credentials.map((field) => ({
        ...field,
        input: input(`${entry.id}-${field.name}`, field.label, {
          type: field.secret ? "password" : "text",
          autocomplete: "off",
          spellcheck: false,
          required: !field.optional,
          hint: field.hint ?? null,
        }),
      }));
      const plain = fields.filter((field) => !field.advanced).map((field) => field.input.element);
      const advanced = fields.filter((field) => field.advanced);
      const element = h(
        "div",
        { class: "field-group", dataset: { registry: entry.id } },
        plain,
        advanced.map((field) => h("details", { class: "advanced" }, h("summary", {}, field.advanced), field.input.element)),
      );
      return [entry.id, { fields, element }];
    }),
  );

  // Where the registry cannot list repositories (SWR): which one to open. Names, not secrets.
  const place = placeToOpen(prefs);
  const namespace = input("namespace", "Namespace", { value: place.namespace, required: true, autocomplete: "off", spellcheck: false });
  const repository = input("repository", "Repository", { value: place.repository, required: true, autocomplete: "off", spellcheck: false });
  const locatorHint = h("p", { class: "hint" });
  const locatorFields = h("div", { class: "field-group", id: "locator-fields" }, h("div", { class: "grid-2" }, namespace.element, repository.element), locatorHint);

  const proxyUrl = input("proxyUrl", "Proxy URL", { type: "url", value: prefs.proxyUrl ?? "", placeholder: "https://tagdeck-proxy.example.workers.dev", autocomplete: "off", spellcheck: false, required: true });
  const proxyToken = input("proxyToken", "Proxy token", { type: "password", autocomplete: "off", required: true });
  const remember = h("input", { type: "checkbox", id: "remember", name: "remember" });

  const directFields = h("div", { class: "field-group", id: "direct-fields" }, region.element, regionOptions, endpoint.element, [...credentialGroups.values()].map((group) => group.element), locatorFields);
  const proxyFields = h(
    "div",
    { class: "field-group", id: "proxy-fields" },
    proxyUrl.element,
    proxyToken.element,
    h("p", { class: "hint" }, "The proxy holds the AccessKey and signs each request; this browser only sends the proxy token."),
  );

  const errorArea = h("div", { class: "form-error", "aria-live": "assertive" });
  const submit = h("button", { type: "submit", class: "button primary wide" }, "Connect");
  const form = h(
    "form",
    { class: "connect-form", novalidate: true, "aria-labelledby": "connect-title" },
    h("div", { class: "field" }, h("label", { for: "registry" }, "Registry"), registrySelect),
    modeFieldset,
    directFields,
    proxyFields,
    h(
      "div",
      { class: "check" },
      remember,
      h("label", { for: "remember" }, "Remember on this device", h("small", { class: "hint" }, "Stores the keys in this browser\u2019s storage. Leave it unticked on shared computers.")),
    ),
    submit,
    errorArea,
  );

  /** Shows what the chosen registry and mode need, and nothing else. */
  const sync = () => {
    const previous = registry;
    registry = registryById(registrySelect.value);
    const canProxy = registry.modes.includes("proxy");
    modeFieldset.hidden = !canProxy;
    if (!canProxy) modeDirect.checked = true;
    const proxy = modeProxy.checked;
    // The region applies to both modes; move the one field instead of duplicating it.
    (proxy ? proxyFields : directFields).prepend(region.element);
    directFields.hidden = proxy;
    proxyFields.hidden = !proxy;
    for (const [id, group] of credentialGroups) group.element.hidden = id !== registry.id;
    locatorFields.hidden = !registry.locator;
    locatorHint.textContent = registry.locator?.hint ?? "";
    if (previous !== registry && !registry.regions.includes(region.control.value.trim())) region.control.value = registry.defaultRegion;
    replace(regionOptions, registry.regions.map((value) => h("option", { value })));
    endpoint.control.placeholder = registry.endpointFor("{region}");
    endpoint.setHint(registry.endpointHint);
  };
  registrySelect.addEventListener("change", () => {
    sync();
    replace(errorArea);
  });
  modeDirect.addEventListener("change", sync);
  modeProxy.addEventListener("change", sync);
  sync();

  if (error) replace(errorArea, errorBox(error, { context: errorContext }));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const mode = modeProxy.checked ? "proxy" : "direct";
    const credentials = credentialGroups.get(registry.id).fields;
    const required =
      mode === "proxy"
        ? [region, proxyUrl, proxyToken]
        : [region, ...credentials.filter((field) => !field.optional).map((field) => field.input), ...(registry.locator ? [namespace, repository] : [])];
    const missing = required.filter((field) => !field.control.value.trim());
    for (const field of required) field.setInvalid(missing.includes(field) ? `${field.label} is required.` : null);
    if (missing.length) {
      missing[0].control.focus();
      return;
    }
    const settings = {
      registry: registry.id,
      mode,
      region: region.control.value.trim(),
      endpoint: endpoint.control.value.trim(),
      proxyUrl: proxyUrl.control.value.trim(),
      proxyToken: proxyToken.control.value,
      ...(registry.locator ? { namespace: namespace.control.value.trim(), repository: repository.control.value.trim() } : {}),
      ...Object.fromEntries(credentials.map((field) => [field.name, field.input.control.value])),
    };
    submit.disabled = true;
    submit.textContent = "Connecting\u2026";
    replace(errorArea);
    const failure = await app.connect(settings, remember.checked);
    if (!failure) {
      // Connected: the keys now live only inside the client; clear the form.
      for (const group of credentialGroups.values()) for (const field of group.fields) if (field.secret) field.input.control.value = "";
      proxyToken.control.value = "";
      return;
    }
    submit.disabled = false;
    submit.textContent = "Connect";
    const box = errorBox(failure.error, { context: failure.context });
    replace(errorArea, box);
    // A refused secret is of no further use: clear it so the right one can be typed.
    const refused = credentials.find((field) => field.clearOnRefusal === box.dataset.errorKind);
    if (refused && mode === "direct") {
      refused.input.control.value = "";
      refused.input.control.focus({ preventScroll: true });
    }
    box.scrollIntoView({ block: "nearest" });
  });

  replace(
    container,
    h(
      "section",
      { class: "connect" },
      h(
        "div",
        { class: "connect-card" },
        h("div", { class: "connect-intro" }, h("span", { class: "brand-mark large", "aria-hidden": "true" }, icon("shield")), h("h1", { id: "connect-title" }, "Connect to a registry"), h("p", {}, "List, search and clean up container image tags.")),
        form,
      ),
    ),
  );
  (modeProxy.checked ? proxyUrl : credentialGroups.get(registry.id).fields[0].input).control.focus();

  return { update() {}, destroy() {} };
}

/** The repository the URL points at, else the last one asked for, else the newest opened. */
function placeToOpen(prefs) {
  const route = parseRoute(location.hash);
  if (route.name === "repository" && !route.params.instanceId) return route.params;
  if (prefs.namespace && prefs.repository) return { namespace: prefs.namespace, repository: prefs.repository };
  const recent = REGISTRIES.filter((entry) => entry.locator).flatMap((entry) => loadRecent(entry.id));
  return recent[0] ?? { namespace: "", repository: "" };
}

/** A labelled input with hint and inline error wiring. */
function input(name, label, { hint = null, ...attributes } = {}) {
  const id = `field-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const control = h("input", { id, name, type: "text", ...attributes, "aria-describedby": [hint ? hintId : null, errorId].filter(Boolean).join(" ") });
  const hintText = hint ? h("p", { class: "hint", id: hintId }, hint) : null;
  const errorText = h("p", { class: "field-error", id: errorId, hidden: true });
  const element = h("div", { class: "field" }, h("label", { for: id }, label, attributes.required ? null : h("span", { class: "optional" }, " (optional)")), control, hintText, errorText);
  return {
    element,
    control,
    label,
    setInvalid(message) {
      control.toggleAttribute("aria-invalid", Boolean(message));
      errorText.hidden = !message;
      errorText.textContent = message ?? "";
    },
    setHint(text) {
      if (hintText) hintText.textContent = text;
    },
  };
}
