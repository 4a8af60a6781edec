// A user's own middleware built on edge/sign.js, for the workerd test: it
// signs the request it receives with its env credentials and forwards it to
// env.UPSTREAM unchanged otherwise.

import { initSync } from "../../../pkg/tagdeck.js";
import wasmModule from "../../../pkg/tagdeck_bg.wasm";
import { signFetchRequest } from "../../../edge/sign.js";

initSync({ module: wasmModule });

export default {
  async fetch(request, env) {
    const incoming = new URL(request.url);
    const target = new Request(`${env.UPSTREAM}/${incoming.search}`, request);
    const signed = await signFetchRequest(target, { accessKeyId: env.ACCESS_KEY_ID, accessKeySecret: env.ACCESS_KEY_SECRET });
    return fetch(signed);
  },
};
