/**
 * A repository's tag immutability on its head (Alibaba CR: GetRepository's
 * TagImmutability): the fact, and the switch that changes it
 * (UpdateRepository). With it on, the registry refuses to delete or
 * overwrite any tag but `latest` (the vendor's user guide "Enable image tag
 * immutability"); the delete report explains such refusals (lib/errors.js).
 */
import { h } from "../lib/dom.js";
import { describeError } from "../lib/errors.js";
import { icon } from "../ui/components.js";

/** "tags immutable" / "tags mutable". */
export function immutabilityFact(source) {
  const on = source.immutable;
  return h(
    "span",
    {
      class: ["immutability", on && "on"],
      dataset: { immutable: String(on) },
      title: on ? "Tag immutability is on: the registry refuses to delete or overwrite tags other than latest" : "Tag immutability is off: tags can be deleted and overwritten",
    },
    on ? "tags immutable" : "tags mutable",
  );
}

/** The switch; `onBusy(true)` while the change is under way, `onBusy(false)` after (the caller redraws). */
export function immutabilitySwitch({ app, source, busy, onBusy }) {
  const on = source.immutable;
  const change = async () => {
    onBusy(true);
    try {
      await source.setImmutable(!on);
      app.toast(!on ? "Tag immutability is on: tags other than latest can no longer be deleted or overwritten." : "Tag immutability is off: tags can be deleted and overwritten.");
    } catch (error) {
      const info = describeError(error, app.session.errorContext);
      app.toast(`Tag immutability not changed: ${info.title}.`, { requestId: info.requestId, kind: "error" });
    } finally {
      onBusy(false);
    }
  };
  return h(
    "button",
    {
      type: "button",
      class: "button subtle",
      role: "switch",
      "aria-checked": String(on),
      disabled: busy,
      title: on ? "Allow deleting and overwriting tags again" : "Refuse deleting and overwriting tags (all but latest)",
      onclick: change,
    },
    icon("shield"),
    h("span", {}, on ? "Immutable tags: on" : "Immutable tags: off"),
  );
}
