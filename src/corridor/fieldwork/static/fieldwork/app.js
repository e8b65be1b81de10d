/* Corridor field work without network.
 *
 * The cases assigned to the social worker and the records she makes offline are kept in
 * IndexedDB, encrypted with AES-GCM (WebCrypto) under a key derived (HKDF) from a secret her
 * session gives her device. The key is stored as a non-extractable CryptoKey; a new sign-in
 * gives a new secret, and signing out deletes the whole store (wipe.js). Records wait in an
 * outbox and are sent when the network returns; the node answers each one: applied, conflict
 * (a person chooses on the node) or refused (kept here, with the reason, never dropped).
 */
(function () {
  "use strict";
  const root = document.getElementById("fieldwork");
  if (!root) return;
  const t = (name) => root.dataset["t" + name.charAt(0).toUpperCase() + name.slice(1)] || name;
  const DB = "corridor-fieldwork";
  const encoder = new TextEncoder();
  const state = { key: null, pack: null, outbox: [], damaged: false };

  function idb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => {
        for (const store of ["keys", "data", "quarantine"]) {
          if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function get(store, key) {
    const db = await idb();
    return new Promise((resolve, reject) => {
      const request = db.transaction(store).objectStore(store).get(key);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function put(store, key, value) {
    const db = await idb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, "readwrite");
      tx.objectStore(store).put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  async function deriveKey(secret, user) {
    const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: encoder.encode(user), info: encoder.encode("corridor-fieldwork") },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"]
    );
  }

  async function seal(value) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, state.key, encoder.encode(JSON.stringify(value)));
    return { iv, data };
  }

  async function unseal(blob) {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: blob.iv }, state.key, blob.data);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  async function save() {
    await put("data", "pack", await seal(state.pack));
    await put("data", "outbox", await seal(state.outbox));
  }

  function status(text, kind) {
    const line = document.getElementById("fw-status");
    line.textContent = text;
    line.className = kind || "muted";
  }

  async function load() {
    state.key = (await get("keys", "key")) || null;
    const sealedPack = await get("data", "pack");
    const sealedOutbox = await get("data", "outbox");
    if (!state.key || !sealedPack) return false;
    try {
      state.pack = await unseal(sealedPack);
      state.outbox = sealedOutbox ? await unseal(sealedOutbox) : [];
      return true;
    } catch (error) {
      // Damaged, or written under another sign-in's key: set aside, never deleted.
      await put("quarantine", new Date().toISOString(), { pack: sealedPack, outbox: sealedOutbox });
      await put("data", "pack", undefined);
      await put("data", "outbox", undefined);
      state.pack = null;
      state.outbox = [];
      state.damaged = true;
      status(t("corrupt"), "msg error");
      return false;
    }
  }

  async function download() {
    const response = await fetch(root.dataset.pack, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok || response.redirected || !(response.headers.get("Content-Type") || "").includes("json")) {
      throw new Error("pack " + response.status);
    }
    const pack = await response.json();
    const key = await deriveKey(pack.secret, pack.user);
    delete pack.secret;
    state.key = key; // the outbox already read is sealed again under the new key
    state.pack = pack;
    await put("keys", "key", key);
    await save();
  }

  function label(spec, value) {
    const choice = (spec.choices || []).find((c) => c[0] === String(value));
    if (choice) return choice[1];
    if (value === true) return "✓";
    if (value === false) return "—";
    if (spec.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(String(value))) {
      // A day as the node's pages write it (07/12/2026 in French, 7 Dec 2026 in English), read
      // in UTC so that it never shifts by a time zone.
      const day = new Date(`${value}T00:00:00Z`);
      const lang = document.documentElement.lang || "fr";
      const english = { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
      return lang.startsWith("en")
        ? new Intl.DateTimeFormat("en-GB", english).format(day)
        : new Intl.DateTimeFormat(lang, { timeZone: "UTC" }).format(day);
    }
    return String(value ?? "");
  }

  function buildForm(formName, caseItem, record) {
    const form = state.pack.forms[formName];
    const element = document.createElement("form");
    element.className = "fw-form";
    element.noValidate = true;
    for (const spec of form.fields) {
      if (spec.name === "placement") continue; // chosen on the node, where the placements are
      const row = document.createElement("p");
      const id = `fw-${formName}-${caseItem.case}-${spec.name}`;
      const caption = document.createElement("label");
      caption.htmlFor = id;
      caption.textContent = spec.label + (spec.required ? " *" : "");
      let input;
      if (spec.type === "select") {
        input = document.createElement("select");
        input.appendChild(new Option("—", ""));
        for (const [value, text] of spec.choices) input.appendChild(new Option(text, value));
      } else if (spec.type === "textarea") {
        input = document.createElement("textarea");
        input.rows = 2;
      } else {
        input = document.createElement("input");
        input.type = spec.type === "number" ? "number" : spec.type === "date" ? "date" : spec.type === "checkbox" ? "checkbox" : "text";
        if (spec.min != null) input.min = spec.min;
        if (spec.max != null) input.max = spec.max;
        if (spec.maxlength) input.maxLength = spec.maxlength;
      }
      input.id = id;
      input.name = spec.name;
      const current = record ? record.fields[spec.name] : undefined;
      if (current !== undefined && current !== null) {
        if (input.type === "checkbox") input.checked = !!current;
        else input.value = String(current);
      }
      const error = document.createElement("span");
      error.className = "error";
      error.id = `${id}-error`;
      input.setAttribute("aria-describedby", error.id);
      row.append(caption, input, error);
      element.appendChild(row);
    }
    const save = document.createElement("button");
    save.type = "submit";
    save.textContent = t("save");
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link";
    cancel.textContent = t("cancel");
    cancel.addEventListener("click", () => element.remove());
    element.append(save, document.createTextNode(" "), cancel);
    element.addEventListener("submit", (event) => {
      event.preventDefault();
      record_(formName, caseItem, record, element);
    });
    return element;
  }

  async function record_(formName, caseItem, record, element) {
    const fields = {};
    let missing = false;
    for (const spec of state.pack.forms[formName].fields) {
      const input = element.elements[spec.name];
      if (!input) continue;
      const value = input.type === "checkbox" ? input.checked : input.value.trim();
      const error = input.parentElement.querySelector(".error");
      error.textContent = "";
      input.removeAttribute("aria-invalid");
      if (spec.required && (value === "" || value === false) && spec.type !== "checkbox") {
        error.textContent = t("required");
        missing = true;
      } else if (input.validity && (input.validity.rangeUnderflow || input.validity.rangeOverflow || input.validity.badInput)) {
        // the form's own bounds, told before the record waits for the network
        error.textContent = spec.type === "date" ? t("date") : t("between").replace("{min}", spec.min).replace("{max}", spec.max);
        missing = true;
      }
      if (value !== "" || !record) fields[spec.name] = spec.type === "number" && value !== "" ? Number(value) : value;
    }
    for (const error of element.querySelectorAll(".error")) {
      if (error.textContent) error.parentElement.querySelector("input, select, textarea").setAttribute("aria-invalid", "true");
    }
    if (missing) {
      element.querySelector("[aria-invalid=true]")?.focus(); // the first field to correct, in sight
      return;
    }
    const operation = {
      id: crypto.randomUUID(),
      form: formName,
      case: caseItem.case,
      ref: caseItem.ref,
      fields,
      recorded_at: new Date().toISOString(),
    };
    if (record) {
      operation.record = record.uid;
      operation.base_version = record.version;
      operation.base = record.fields;
      for (const name of Object.keys(fields)) {
        if (String(fields[name]) === String(record.fields[name])) delete fields[name];
      }
      record.fields = { ...record.fields, ...fields }; // shown as corrected until the node answers
    }
    state.outbox.push(operation);
    await save();
    element.remove();
    status(t("saved"), "msg success");
    render();
    if (navigator.onLine) sync();
  }

  function render() {
    const outbox = document.getElementById("fw-outbox");
    outbox.replaceChildren();
    for (const operation of state.outbox) {
      const item = document.createElement("li");
      const form = state.pack.forms[operation.form];
      item.textContent = `${operation.ref} · ${form ? form.label : operation.form}` + (operation.message ? ` · ${t(operation.status || "refused")}${t("colon")} ${operation.message}` : "");
      item.dataset.status = operation.status || "waiting";
      outbox.appendChild(item);
    }
    if (!state.outbox.length) {
      const item = document.createElement("li");
      item.className = "muted";
      item.textContent = t("nothing");
      outbox.appendChild(item);
    }
    const cases = document.getElementById("fw-cases");
    cases.replaceChildren();
    if (!state.pack) {
      cases.textContent = t("nopack");
      return;
    }
    if (!state.pack.cases.length) cases.textContent = t("none");
    for (const caseItem of state.pack.cases) {
      const section = document.createElement("section");
      section.className = "panel fw-case";
      section.dataset.case = caseItem.case;
      const title = document.createElement("h2");
      title.textContent = `${caseItem.ref} · ${caseItem.name}`;
      const facts = document.createElement("p");
      facts.className = "muted";
      facts.textContent = [caseItem.age != null ? `${t("age")} ${caseItem.age}` : "", caseItem.place, caseItem.stage].filter(Boolean).join(" · ");
      const buttons = document.createElement("p");
      for (const [name, form] of Object.entries(state.pack.forms)) {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.form = name;
        button.textContent = form.label;
        button.addEventListener("click", () => section.appendChild(buildForm(name, caseItem, null)));
        buttons.append(button, document.createTextNode(" "));
      }
      section.append(title, facts, buttons);
      for (const [name, records] of Object.entries(caseItem.records || {})) {
        const form = state.pack.forms[name];
        const list = document.createElement("ul");
        list.className = "plain";
        for (const record of records) {
          const item = document.createElement("li");
          const specs = form.fields.filter((s) => ["date", "action", "outcome"].includes(s.name));
          item.textContent = specs.map((s) => label(s, record.fields[s.name])).join(" · ") + " ";
          const correct = document.createElement("button");
          correct.type = "button";
          correct.className = "link";
          correct.dataset.record = record.uid;
          correct.textContent = t("correct");
          correct.addEventListener("click", () => section.appendChild(buildForm(name, caseItem, record)));
          item.appendChild(correct);
          list.appendChild(item);
        }
        if (records.length) section.appendChild(list);
      }
      cases.appendChild(section);
    }
    applyFind();
  }

  // A name or a reference typed in "Find a case" keeps only the cases that hold it, accents
  // and case aside (Aïcha, aicha), so that fifty cases need no scrolling.
  const plain = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  const find = document.getElementById("fw-find");
  function applyFind() {
    const wanted = plain((find && find.value) || "").trim();
    for (const section of document.querySelectorAll(".fw-case")) {
      section.hidden = wanted !== "" && !plain(section.querySelector("h2").textContent).includes(wanted);
    }
  }
  if (find) find.addEventListener("input", applyFind);

  // One sync at a time: a record saved, the "online" event and the button may all ask at once;
  // a request made while one runs is served by one more pass after it.
  let syncing = null;
  let syncAgain = false;
  function sync() {
    if (syncing) {
      syncAgain = true;
      return syncing;
    }
    syncing = (async () => {
      do {
        syncAgain = false;
        await syncOnce();
      } while (syncAgain);
    })().finally(() => {
      syncing = null;
    });
    return syncing;
  }

  async function syncOnce() {
    const pending = state.outbox.filter((o) => o.status !== "refused");
    if (!pending.length || !navigator.onLine) return;
    let response;
    try {
      response = await fetch(root.dataset.sync, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
        body: JSON.stringify({ operations: pending.map(({ ref, status, message, ...o }) => o) }),
      });
    } catch (error) {
      status(t("offline"), "muted");
      return;
    }
    if (!response.ok || response.redirected) {
      status(`${response.status}`, "msg error");
      return;
    }
    const { answers } = await response.json();
    for (const answer of answers) {
      const operation = state.outbox.find((o) => o.id === answer.id);
      if (!operation) continue;
      if (answer.status === "refused") {
        operation.status = "refused";
        operation.message = answer.message;
      } else {
        operation.status = answer.status;
        operation.done = true;
        if (answer.status === "conflict") status(`${t("conflict")}: ${answer.message}`, "msg error");
      }
    }
    state.outbox = state.outbox.filter((o) => !o.done);
    await save();
    try {
      await download();
    } catch (error) {
      /* the answers are kept; the cases refresh next time */
    }
    if (!state.outbox.some((o) => o.status === "conflict")) status(t("sent"), "msg success");
    render();
  }

  async function start() {
    const had = await load();
    if (navigator.onLine) {
      try {
        await download();
      } catch (error) {
        if (!had) status(t("nopack"), "msg error");
      }
    }
    render();
    if (!state.damaged) {
      status(navigator.onLine ? t("online") : t("offline"), navigator.onLine ? "muted" : "msg");
    }
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.dataset.worker).catch(() => {});
    }
    root.dataset.ready = "1";
    if (navigator.onLine) sync();
  }

  window.addEventListener("online", () => {
    status(t("online"));
    sync();
  });
  window.addEventListener("offline", () => status(t("offline"), "msg"));
  document.getElementById("fw-sync").addEventListener("click", sync);
  document.getElementById("fw-refresh").addEventListener("click", async () => {
    await download();
    render();
  });
  start();
})();
