/**
 * The connection form: registry, mode (direct keys or edge proxy), region
 * or endpoint, credentials, and "remember on this device". A failed
 * connection is explained right under the button.
 */
import { h, replace, uid } from "../lib/dom.js";
import { REGISTRIES, registryById } from "../api/registries.js";
import { loadPrefs } from "../api/storage.js";
import { errorBox, icon } from "../ui/components.js";

export function mountConnect(container, app, { error = null, errorContext = {} } = {}) {
  const prefs = loadPrefs();
  const servedLocally = ["127.0.0.1", "localhost", "[::1]"].includes(location.hostname);
  const registry = registryById(prefs.registry);

  const registrySelect = h(
    "select",
    { id: "registry", name: "registry" },
    REGISTRIES.map((entry) =>
      h("option", { value: entry.id, disabled: !entry.available, selected: entry.id === registry.id }, entry.available ? entry.label : `${entry.label} (${entry.note})`),
    ),
  );

  const modeDirect = h("input", { type: "radio", name: "mode", value: "direct", id: "mode-direct", checked: prefs.mode !== "proxy" });
  const modeProxy = h("input", { type: "radio", name: "mode", value: "proxy", id: "mode-proxy", checked: prefs.mode === "proxy" });

  const regionList = uid("regions");
  const region = input("region", "Region", { value: prefs.region ?? registry.defaultRegion, list: regionList, required: true, autocomplete: "off", spellcheck: false });
  const endpoint = input("endpoint", "Endpoint", {
    value: prefs.endpoint ?? (servedLocally ? location.origin : ""),
    placeholder: registry.endpointFor?.("{region}") ?? "",
    autocomplete: "off",
    spellcheck: false,
    hint: "Leave empty for the region\u2019s public endpoint. Direct mode needs an endpoint that allows browser requests (CORS), such as the local emulator.",
  });
  const accessKeyId = input("accessKeyId", registry.keyLabels.id, { autocomplete: "off", spellcheck: false, required: true });
  const accessKeySecret = input("accessKeySecret", registry.keyLabels.secret, { type: "password", autocomplete: "off", required: true });
  const securityToken = input("securityToken", "STS security token", { type: "password", autocomplete: "off", hint: "Only for temporary (STS) credentials." });
  const proxyUrl = input("proxyUrl", "Proxy URL", { type: "url", value: prefs.proxyUrl ?? "", placeholder: "https://tagdeck-proxy.example.workers.dev", autocomplete: "off", spellcheck: false, required: true });
  const proxyToken = input("proxyToken", "Proxy token", { type: "password", autocomplete: "off", required: true });
  const remember = h("input", { type: "checkbox", id: "remember", name: "remember" });

  const directFields = h(
    "div",
    { class: "field-group", id: "direct-fields" },
    region.element,
    h("datalist", { id: regionList }, (registry.regions ?? []).map((value) => h("option", { value }))),
    endpoint.element,
    accessKeyId.element,
    accessKeySecret.element,
    h("details", { class: "advanced" }, h("summary", {}, "Temporary credentials (STS)"), securityToken.element),
  );
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
    h(
      "fieldset",
      { class: "segmented" },
      h("legend", {}, "How to connect"),
      h("label", { for: "mode-direct" }, modeDirect, h("span", {}, h("strong", {}, "Direct"), h("small", {}, "Keys stay in this tab"))),
      h("label", { for: "mode-proxy" }, modeProxy, h("span", {}, h("strong", {}, "Via edge proxy"), h("small", {}, "No keys in the browser"))),
    ),
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

  const syncMode = () => {
    const proxy = modeProxy.checked;
    // The region applies to both modes; move the one field instead of duplicating it.
    (proxy ? proxyFields : directFields).prepend(region.element);
    directFields.hidden = proxy;
    proxyFields.hidden = !proxy;
  };
  modeDirect.addEventListener("change", syncMode);
  modeProxy.addEventListener("change", syncMode);
  syncMode();

  if (error) replace(errorArea, errorBox(error, { context: errorContext }));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const mode = modeProxy.checked ? "proxy" : "direct";
    const required = mode === "proxy" ? [region, proxyUrl, proxyToken] : [region, accessKeyId, accessKeySecret];
    const missing = required.filter((field) => !field.control.value.trim());
    for (const field of required) field.setInvalid(missing.includes(field) ? `${field.label} is required.` : null);
    if (missing.length) {
      missing[0].control.focus();
      return;
    }
    const settings = {
      registry: registrySelect.value,
      mode,
      region: region.control.value.trim(),
      endpoint: endpoint.control.value.trim(),
      accessKeyId: accessKeyId.control.value,
      accessKeySecret: accessKeySecret.control.value,
      securityToken: securityToken.control.value,
      proxyUrl: proxyUrl.control.value.trim(),
      proxyToken: proxyToken.control.value,
    };
    submit.disabled = true;
    submit.textContent = "Connecting\u2026";
    replace(errorArea);
    const failure = await app.connect(settings, remember.checked);
    if (!failure) {
      // Connected: the keys now live only inside the client; clear the form.
      for (const field of [accessKeySecret, securityToken, proxyToken]) field.control.value = "";
      return;
    }
    submit.disabled = false;
    submit.textContent = "Connect";
    const box = errorBox(failure.error, { context: failure.context });
    replace(errorArea, box);
    if (box.dataset.errorKind === "wrong-secret") {
      // A wrong secret is of no further use: clear it so the right one can be typed.
      accessKeySecret.control.value = "";
      accessKeySecret.control.focus({ preventScroll: true });
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
  (mode() === "proxy" ? proxyUrl : accessKeyId).control.focus();

  function mode() {
    return modeProxy.checked ? "proxy" : "direct";
  }
  return { update() {}, destroy() {} };
}

/** A labelled input with hint and inline error wiring. */
function input(name, label, { hint = null, ...attributes } = {}) {
  const id = `field-${name}`;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const control = h("input", { id, name, type: "text", ...attributes, "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") });
  const errorText = h("p", { class: "field-error", id: errorId, hidden: true });
  const element = h("div", { class: "field" }, h("label", { for: id }, label, attributes.required ? null : h("span", { class: "optional" }, " (optional)")), control, hint ? h("p", { class: "hint", id: hintId }, hint) : null, errorText);
  return {
    element,
    control,
    label,
    setInvalid(message) {
      control.toggleAttribute("aria-invalid", Boolean(message));
      errorText.hidden = !message;
      errorText.textContent = message ?? "";
    },
  };
}
