// The review page of the OCR Invoice Gateway: plain JavaScript, no build step, no CDN.
//
// It uses the public GraphQL API only: queries and the correctField mutation by fetch() to
// /graphql with the X-API-Key header, live job changes by the jobStatusChanged subscription
// over graphql-transport-ws (the key in connection_init). Page images come from
// /review/pages/{pageId}/image, authenticated by an HttpOnly cookie that POST
// /review/session sets once the key is checked (an <img> cannot send a header).
//
// The queue is filtered on the server (needsReview, lowestConfidence, group, status) and read
// a slice at a time through jobsConnection, oldest first: the next slice comes when the
// reader steps past the last job shown (n) or asks for more, so every job in a backlog of
// any size is reachable. A refresh re-reads as many jobs as were shown.
//
// Field boxes are [x0, y0, x1, y1] in the pixel space of the page's imageProperties
// (width, height); they are placed in percentages of that size over the image, so they
// follow the image whatever size it is shown at.
"use strict";

(function () {
  const GRAPHQL_PATH = "/graphql";
  const SESSION_PATH = "/review/session";
  const IMAGE_PATH = (pageId) => `/review/pages/${encodeURIComponent(pageId)}/image`;
  const KEY_STORAGE = "ocr-gateway:apiKey"; // shared with GraphiQL: one key for both pages
  const HEADER = "X-API-Key";
  const QUEUE_SLICE = 100; // jobs per request: the API's largest page
  const REFRESH_DEBOUNCE_MS = 250;
  // Subscriptions follow the groups' jobs; jobs in no group and groups made after the page
  // opened have none to follow, so the queue (and the groups) are also re-read this often.
  const FALLBACK_REFRESH_MS = 30000;

  const state = {
    apiKey: null,
    hasDuplicates: false, // Job.possibleDuplicateOf exists in this server's schema
    groups: [],
    queue: [],
    queueTotal: 0,
    queueCursor: null, // endCursor of the last slice read
    queueMore: false, // the server holds jobs past those read
    queueVersion: 0, // bumped by every re-read: a slice of an older one is dropped
    job: null,
    selected: null, // the selected field's name
    socket: null,
    acked: false, // the current socket's connection_ack arrived: subscribing is allowed
    subscribed: new Set(), // group ids followed on the current socket
    refreshTimer: null,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "style") Object.assign(node.style, value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function announce(message, kind) {
    const status = $("status");
    status.textContent = message;
    status.dataset.kind = kind || "info";
  }

  // --- API ------------------------------------------------------------------------------

  class ApiError extends Error {}

  function errorText(error) {
    const fields = ((error.extensions || {}).fields || []).map((f) => `${f.field}: ${f.message}`);
    return fields.length ? fields.join("; ") : error.message;
  }

  async function graphql(query, variables) {
    const headers = {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json",
    };
    if (state.apiKey) headers[HEADER] = state.apiKey;
    let response;
    try {
      response = await fetch(GRAPHQL_PATH, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables: variables || {} }),
      });
    } catch (e) {
      throw new ApiError(`the server cannot be reached (${e.message})`);
    }
    let body;
    try {
      body = await response.json();
    } catch (e) {
      throw new ApiError(`the server answered HTTP ${response.status} without JSON`);
    }
    if (body.errors && body.errors.length) {
      const error = new ApiError(body.errors.map(errorText).join("; "));
      error.code = (body.errors[0].extensions || {}).code;
      throw error;
    }
    return body.data;
  }

  // --- the key --------------------------------------------------------------------------

  function loadKey() {
    try {
      return window.localStorage.getItem(KEY_STORAGE);
    } catch (e) {
      return null;
    }
  }

  function saveKey(key) {
    try {
      if (key) window.localStorage.setItem(KEY_STORAGE, key);
      else window.localStorage.removeItem(KEY_STORAGE);
    } catch (e) {
      // storage disabled: the key lasts as long as the page
    }
  }

  function keyFromAddress() {
    const params = new URLSearchParams(window.location.search);
    if (!params.has("apiKey")) return null;
    const key = params.get("apiKey");
    params.delete("apiKey");
    const search = params.toString();
    const rest = (search ? `?${search}` : "") + window.location.hash; // #job=… still opens
    history.replaceState(null, "", window.location.pathname + rest);
    return key;
  }

  async function openSession(key) {
    const response = await fetch(SESSION_PATH, {
      method: "POST",
      headers: { [HEADER]: key },
      credentials: "same-origin",
    });
    if (response.ok) return null;
    try {
      return errorText((await response.json()).errors[0]);
    } catch (e) {
      return `HTTP ${response.status}`;
    }
  }

  function askForKey(message) {
    $("key-form").hidden = false;
    $("signed-in").hidden = true;
    $("api-key").focus();
    if (message) announce(message, "error");
  }

  async function useKey(key) {
    const problem = await openSession(key);
    if (problem) {
      saveKey(null);
      askForKey(`The API key was not accepted: ${problem}`);
      return;
    }
    state.apiKey = key;
    saveKey(key);
    $("key-form").hidden = true;
    $("signed-in").hidden = false;
    await start();
  }

  async function signOut() {
    saveKey(null);
    state.apiKey = null;
    if (state.socket) state.socket.close();
    await fetch(SESSION_PATH, { method: "DELETE", credentials: "same-origin" });
    window.location.reload();
  }

  // --- start ----------------------------------------------------------------------------

  async function detectDuplicates() {
    // possibleDuplicateOf arrives with duplicate flagging: ask the schema, never assume it.
    try {
      const data = await graphql('{ __type(name: "Job") { fields { name } } }');
      const fields = ((data.__type || {}).fields || []).map((f) => f.name);
      state.hasDuplicates = fields.includes("possibleDuplicateOf");
    } catch (e) {
      state.hasDuplicates = false;
    }
  }

  async function loadGroups() {
    const data = await graphql(
      "{ jobGroups(limit: 100, sort: name, order: asc) { items { id name } } }",
    );
    state.groups = data.jobGroups.items;
    const select = $("filter-group");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: "All groups" }));
    for (const group of state.groups) {
      select.append(el("option", { value: group.id, text: group.name }));
    }
    select.value = state.groups.some((g) => g.id === chosen) ? chosen : "";
  }

  async function start() {
    announce("Loading the queue…");
    try {
      await detectDuplicates();
      await loadGroups();
      await refreshQueue();
    } catch (e) {
      if (e.code === "UNAUTHENTICATED") {
        askForKey(`The API key was not accepted: ${e.message}`);
        return;
      }
      announce(`Could not load the queue: ${e.message}`, "error");
      return;
    }
    subscribe();
    setInterval(() => refreshAll(), FALLBACK_REFRESH_MS);
    const wanted = new URLSearchParams(window.location.hash.slice(1)).get("job");
    if (wanted) await openJob(wanted);
    else if (state.queue.length) await openJob(state.queue[0].id);
  }

  // --- the queue ------------------------------------------------------------------------

  function queueFilter() {
    const filter = {};
    const group = $("filter-group").value;
    const status = $("filter-status").value;
    const limit = threshold();
    if ($("filter-review").checked) {
      filter.needsReview = { eq: true };
      if (limit < 1) filter.lowestConfidence = { lt: limit };
    }
    if (group) filter.group = { eq: group };
    if (status) filter.status = { eq: status };
    return filter;
  }

  function threshold() {
    const value = Number.parseFloat($("filter-confidence").value);
    return Number.isFinite(value) ? value : 1;
  }

  function reviewFields(job) {
    return Object.entries(job.invoiceData || {})
      .filter(([, entry]) => entry && entry.needsReview)
      .map(([name, entry]) => ({ name, ...entry }));
  }

  function duplicateSelection() {
    return state.hasDuplicates ? " possibleDuplicateOf" : "";
  }

  function queueQuery() {
    return `query Queue($filter: JobFilter, $after: String) {
      jobsConnection(filter: $filter, first: ${QUEUE_SLICE}, after: $after, sort: createdAt, order: asc) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id name status needsReview lowestConfidence createdAt invoiceData group { id name }${duplicateSelection()} } }
      }
    }`;
  }

  async function readSlice(filter, after) {
    const data = await graphql(queueQuery(), { filter, after });
    const slice = data.jobsConnection;
    return {
      jobs: slice.edges.map((edge) => edge.node),
      total: slice.totalCount,
      more: slice.pageInfo.hasNextPage,
      cursor: slice.pageInfo.endCursor,
    };
  }

  // Re-read the queue from its start: as many jobs as were shown (a live update or a
  // saved correction keeps the reader's place), or one slice when the filters changed.
  async function refreshQueue(fromStart) {
    const version = ++state.queueVersion;
    const wanted = fromStart ? QUEUE_SLICE : Math.max(QUEUE_SLICE, state.queue.length);
    const filter = queueFilter();
    let jobs = [];
    let slice = { more: true, cursor: null, total: 0 };
    while (slice.more && jobs.length < wanted) {
      slice = await readSlice(filter, slice.cursor);
      if (version !== state.queueVersion) return;
      jobs = jobs.concat(slice.jobs);
    }
    state.queue = jobs;
    state.queueTotal = slice.total;
    state.queueMore = slice.more;
    state.queueCursor = slice.cursor;
    renderQueue();
  }

  // The next slice after the jobs shown; false when there is none.
  async function loadMore() {
    if (!state.queueMore) return false;
    const version = state.queueVersion;
    const slice = await readSlice(queueFilter(), state.queueCursor);
    if (version !== state.queueVersion) return false;
    const known = new Set(state.queue.map((job) => job.id));
    state.queue = state.queue.concat(slice.jobs.filter((job) => !known.has(job.id)));
    state.queueTotal = slice.total;
    state.queueMore = slice.more;
    state.queueCursor = slice.cursor;
    renderQueue();
    return slice.jobs.length > 0;
  }

  async function showMore() {
    try {
      await loadMore();
      announce(`${state.queue.length} of ${state.queueTotal} jobs shown.`);
    } catch (e) {
      announce(`Could not read more of the queue: ${e.message}`, "error");
    }
  }

  function scheduleRefresh(fromStart) {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(async () => {
      try {
        await refreshQueue(fromStart === true);
      } catch (e) {
        announce(`Could not refresh the queue: ${e.message}`, "error");
      }
    }, REFRESH_DEBOUNCE_MS);
  }

  async function refreshAll() {
    try {
      await loadGroups();
      followGroups();
      await refreshQueue();
    } catch (e) {
      announce(`Could not refresh the queue: ${e.message}`, "error");
    }
  }

  function renderQueue() {
    const total = state.queueTotal;
    const list = $("queue-list");
    const shown = state.queue.length;
    $("queue-count").textContent =
      shown === total ? `(${shown})` : `(${shown} shown of ${total})`;
    list.replaceChildren();
    if (!shown) {
      list.append(el("li", { class: "empty", text: "Nothing to review." }));
      return;
    }
    for (const job of state.queue) {
      const count = reviewFields(job).length;
      const lowest = job.lowestConfidence;
      const current = state.job && state.job.id === job.id;
      list.append(
        el(
          "li",
          { "data-job-id": job.id },
          el(
            "button",
            {
              type: "button",
              class: "queue-item",
              "aria-current": current ? "true" : null,
              onclick: () => openJob(job.id),
            },
            el("span", { class: "queue-name", text: job.name }),
            el(
              "span",
              { class: "queue-detail" },
              `${job.status.replace("_", " ")} · ${count} to review`,
              typeof lowest === "number" ? ` · lowest ${percent(lowest)}` : "",
              job.group ? ` · ${job.group.name}` : "",
            ),
            job.possibleDuplicateOf
              ? el("span", { class: "badge duplicate", text: "possible duplicate" })
              : null,
          ),
        ),
      );
    }
    if (state.queueMore) {
      list.append(
        el(
          "li",
          { class: "more" },
          el(
            "button",
            { type: "button", class: "queue-more", onclick: showMore },
            `Show more (${total - shown} not shown yet)`,
          ),
        ),
      );
    }
  }

  function queueIndex() {
    if (!state.job) return -1;
    return state.queue.findIndex((job) => job.id === state.job.id);
  }

  async function stepJob(delta) {
    if (!state.queue.length) {
      announce("The queue is empty.");
      return;
    }
    const index = queueIndex();
    const next = index < 0 ? (delta > 0 ? 0 : state.queue.length - 1) : index + delta;
    if (next >= state.queue.length && state.queueMore) {
      // Past the last job shown: the next slice of the queue, read now.
      try {
        await loadMore();
      } catch (e) {
        announce(`Could not read more of the queue: ${e.message}`, "error");
        return;
      }
    }
    if (next < 0 || next >= state.queue.length) {
      announce(delta > 0 ? "This is the last job in the queue." : "This is the first job.");
      return;
    }
    await openJob(state.queue[next].id);
  }

  // --- one job --------------------------------------------------------------------------

  function jobSelection() {
    return `id name status needsReview invoiceData discrepancies
      group { id name }
      template { name fields { name type } }
      pages(limit: 100) { items { id pageNumber status textSource imageProperties } }${duplicateSelection()}`;
  }

  async function openJob(id) {
    let data;
    try {
      data = await graphql(`query Job($id: ID!) { job(id: $id) { ${jobSelection()} } }`, { id });
    } catch (e) {
      announce(`Could not open the job: ${e.message}`, "error");
      return;
    }
    state.job = data.job;
    history.replaceState(null, "", `#job=${encodeURIComponent(id)}`);
    const first = fieldList()[0];
    const review = fieldList().find((f) => f.entry && f.entry.needsReview);
    state.selected = (review || first || {}).name || null;
    renderJob();
    renderQueue();
    const count = reviewFields(state.job).length;
    announce(`Opened ${state.job.name}: ${count} field${count === 1 ? "" : "s"} to review.`);
  }

  // Template fields first (in the template's order), then anything else invoiceData holds.
  function fieldList() {
    const job = state.job;
    if (!job) return [];
    const data = job.invoiceData || {};
    const out = job.template.fields.map((f) => ({ name: f.name, type: f.type, entry: data[f.name] }));
    for (const [name, entry] of Object.entries(data)) {
      if (!out.some((f) => f.name === name)) out.push({ name, type: entry.type, entry });
    }
    return out;
  }

  // Where a field was read: a correction keeps what extraction said under "extracted".
  function located(entry) {
    if (!entry) return null;
    if (entry.box && (entry.pageId || entry.page)) return entry;
    if (entry.extracted && entry.extracted.box) return entry.extracted;
    return null;
  }

  function renderJob() {
    const job = state.job;
    $("job-title").textContent = job.name;
    const meta = [
      el("span", { class: "badge", text: job.status.replace("_", " ") }),
      job.needsReview
        ? el("span", { class: "badge review", text: "needs review" })
        : el("span", { class: "badge done", text: "reviewed" }),
      job.group ? el("span", { text: `group ${job.group.name}` }) : null,
      el("span", { text: `template ${job.template.name}` }),
    ];
    if (job.possibleDuplicateOf) {
      meta.push(
        el(
          "button",
          {
            type: "button",
            class: "badge duplicate",
            onclick: () => openJob(job.possibleDuplicateOf),
          },
          `possible duplicate of ${job.possibleDuplicateOf}`,
        ),
      );
    }
    for (const d of job.discrepancies || []) {
      meta.push(
        el("span", {
          class: "badge review",
          text: `${d.field}: e-invoice ${d.xmlValue}, printed ${d.printedValue}`,
        }),
      );
    }
    $("job-meta").replaceChildren(...meta.filter(Boolean));
    renderPages();
    renderFields();
    highlight(state.selected, false);
  }

  function renderPages() {
    const container = $("pages");
    container.replaceChildren();
    const fields = fieldList();
    for (const page of state.job.pages.items) {
      const frame = el("div", { class: "page-frame", "data-page-id": page.id });
      const image = el("img", {
        class: "page-image",
        src: IMAGE_PATH(page.id),
        alt: `Page ${page.pageNumber} of ${state.job.name}`,
        "data-page-id": page.id,
      });
      frame.append(image);
      const props = page.imageProperties || {};
      const placeBoxes = (width, height) => {
        for (const field of fields) {
          const where = located(field.entry);
          if (!where) continue;
          const onPage = where.pageId ? where.pageId === page.id : where.page === page.pageNumber;
          if (onPage) frame.append(boxElement(field, where.box, width, height));
        }
      };
      if (props.width && props.height) placeBoxes(props.width, props.height);
      else image.addEventListener("load", () => placeBoxes(image.naturalWidth, image.naturalHeight));
      image.addEventListener("error", () => imageFailed(frame, page));
      container.append(
        el(
          "figure",
          { class: "page" },
          frame,
          el("figcaption", {
            text: `Page ${page.pageNumber} · ${page.status}${page.textSource ? ` · ${page.textSource}` : ""}`,
          }),
        ),
      );
    }
  }

  async function imageFailed(frame, page) {
    let message = "the image could not be loaded";
    try {
      const response = await fetch(IMAGE_PATH(page.id), { credentials: "same-origin" });
      message = errorText((await response.json()).errors[0]);
    } catch (e) {
      // keep the generic message
    }
    frame.replaceChildren(el("p", { class: "image-error", text: `Page ${page.pageNumber}: ${message}` }));
  }

  function boxElement(field, box, width, height) {
    const [x0, y0, x1, y1] = box;
    const entry = field.entry;
    const classes = ["box"];
    if (entry.needsReview) classes.push("needs-review");
    if (entry.method === "manual") classes.push("corrected");
    return el("button", {
      type: "button",
      class: classes.join(" "),
      "data-field": field.name,
      title: `${field.name}: ${entry.value ?? "(none)"}`,
      "aria-label": `${field.name} on the page: ${entry.value ?? "no value"}`,
      style: {
        left: `${(x0 / width) * 100}%`,
        top: `${(y0 / height) * 100}%`,
        width: `${((x1 - x0) / width) * 100}%`,
        height: `${((y1 - y0) / height) * 100}%`,
      },
      onclick: () => highlight(field.name, true, true),
      onmouseenter: () => hover(field.name, true),
      onmouseleave: () => hover(field.name, false),
    });
  }

  function percent(value) {
    return `${Math.round(value * 100)}%`;
  }

  function inputValue(entry) {
    if (!entry) return "";
    const value = entry.normalizedValue ?? entry.value;
    return value === null || value === undefined ? "" : String(value);
  }

  function renderFields() {
    const rows = $("field-rows");
    rows.replaceChildren();
    for (const field of fieldList()) rows.append(fieldRow(field));
  }

  function fieldRow(field) {
    const entry = field.entry;
    const id = `value-${field.name}`;
    const input = el("input", {
      id,
      class: "value-input",
      type: "text",
      value: inputValue(entry),
      "data-field": field.name,
      autocomplete: "off",
      "aria-describedby": `error-${field.name}`,
      onfocus: () => highlight(field.name, false),
      onkeydown: (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          save(field.name, input.value);
        } else if (event.key === "Escape") {
          input.value = inputValue(entry);
          input.blur();
        }
      },
    });
    const row = el(
      "tr",
      {
        class: `field-row${entry && entry.needsReview ? " needs-review" : ""}`,
        "data-field": field.name,
        onmouseenter: () => hover(field.name, true),
        onmouseleave: () => hover(field.name, false),
        onclick: (event) => {
          if (!event.target.closest("button, input")) highlight(field.name, true);
        },
      },
      el(
        "th",
        { scope: "row" },
        el("label", { for: id, text: field.name }),
        el("span", { class: "field-type", text: field.type || "" }),
        entry && entry.needsReview ? el("span", { class: "badge review", text: "needs review" }) : null,
      ),
      el(
        "td",
        { class: "value-cell" },
        input,
        el("p", { class: "field-error", id: `error-${field.name}`, role: "alert" }),
        el(
          "div",
          { class: "actions" },
          el("button", { type: "button", class: "save", onclick: () => save(field.name, input.value) }, "Save"),
          el(
            "button",
            {
              type: "button",
              class: "accept",
              disabled: !entry || !entry.needsReview,
              onclick: () => accept(field.name),
            },
            "Accept",
          ),
        ),
      ),
      el("td", { class: "extracted" }, ...extractedInfo(entry)),
    );
    return row;
  }

  function extractedInfo(entry) {
    if (!entry) return [el("span", { class: "muted", text: "not found on the pages" })];
    const lines = [
      line("printed", entry.value ?? "(none)"),
      line("normalized", entry.normalizedValue ?? "(none)"),
      line("confidence", typeof entry.confidence === "number" ? percent(entry.confidence) : "?"),
      line("method", entry.method || "?"),
    ];
    if (entry.page) lines.push(line("page", String(entry.page)));
    if (entry.warning) lines.push(line("warning", entry.warning));
    if (entry.method === "manual") {
      const was = entry.extracted ? entry.extracted.value ?? "(none)" : "(nothing)";
      lines.push(line("corrected", `by ${entry.correctedBy || "?"} at ${entry.correctedAt || "?"}`));
      lines.push(line("extraction said", was));
    }
    return [el("dl", { class: "facts" }, ...lines)];
  }

  function line(name, value) {
    return el("div", {}, el("dt", { text: name }), el("dd", { text: String(value) }));
  }

  function highlight(name, scroll, fromBox) {
    state.selected = name;
    for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
    if (!name) return;
    const targets = document.querySelectorAll(`[data-field="${CSS.escape(name)}"]`);
    for (const node of targets) {
      if (node.classList.contains("box") || node.classList.contains("field-row")) {
        node.classList.add("selected");
      }
    }
    if (scroll) {
      const box = document.querySelector(`.box[data-field="${CSS.escape(name)}"]`);
      const row = document.querySelector(`.field-row[data-field="${CSS.escape(name)}"]`);
      if (box && !fromBox) box.scrollIntoView({ block: "nearest", inline: "nearest" });
      if (row) row.scrollIntoView({ block: "nearest" });
      if (fromBox) {
        const input = $(`value-${name}`);
        if (input) input.focus();
      }
    }
  }

  function hover(name, on) {
    for (const node of document.querySelectorAll(`[data-field="${CSS.escape(name)}"]`)) {
      node.classList.toggle("hover", on);
    }
  }

  function stepField(delta) {
    const names = fieldList().map((f) => f.name);
    if (!names.length) return;
    const index = names.indexOf(state.selected);
    const next = index < 0 ? 0 : Math.min(names.length - 1, Math.max(0, index + delta));
    highlight(names[next], true);
  }

  // --- corrections ----------------------------------------------------------------------

  async function correct(name, value) {
    const error = $(`error-${name}`);
    if (error) error.textContent = "";
    const mutation = `mutation Correct($jobId: ID!, $field: String!, $value: JSON) {
      correctField(jobId: $jobId, field: $field, value: $value) { ${jobSelection()} }
    }`;
    try {
      const data = await graphql(mutation, { jobId: state.job.id, field: name, value });
      return data.correctField;
    } catch (e) {
      const message = `${name} was not saved: ${e.message}`;
      const slot = $(`error-${name}`);
      if (slot) slot.textContent = e.message;
      announce(message, "error");
      return null;
    }
  }

  async function save(name, text) {
    const trimmed = text.trim();
    await applied(name, await correct(name, trimmed === "" ? null : trimmed), "saved");
  }

  async function accept(name) {
    const field = fieldList().find((f) => f.name === name);
    if (!field || !field.entry) {
      announce(`${name} has no value to accept: type one and save it.`, "error");
      return;
    }
    if (!field.entry.needsReview) {
      announce(`${name} does not need review.`);
      return;
    }
    await applied(name, await correct(name, field.entry.normalizedValue ?? field.entry.value), "accepted");
  }

  async function applied(name, job, verb) {
    if (!job) return;
    state.job = job;
    const remaining = fieldList().filter((f) => f.entry && f.entry.needsReview);
    const next = remaining.find((f) => f.name !== name) || remaining[0];
    state.selected = next ? next.name : name;
    renderJob();
    if (next) {
      announce(`${name} ${verb}. Next to review: ${next.name}.`, "success");
      const input = $(`value-${next.name}`);
      if (input) input.focus();
      return;
    }
    announce(`${name} ${verb}. ${job.name} is reviewed; press n for the next job.`, "success");
    await refreshQueue().catch(() => {});
    renderQueue();
  }

  // --- live: graphql-transport-ws -------------------------------------------------------

  function followGroups() {
    const socket = state.socket;
    if (!socket || !state.acked || socket.readyState !== WebSocket.OPEN) return;
    for (const group of state.groups) {
      if (state.subscribed.has(group.id)) continue;
      state.subscribed.add(group.id);
      socket.send(
        JSON.stringify({
          id: `group-${group.id}`,
          type: "subscribe",
          payload: {
            query: "subscription ($g: ID!) { jobStatusChanged(groupId: $g) { id status needsReview } }",
            variables: { g: group.id },
          },
        }),
      );
    }
  }

  function subscribe() {
    const url = new URL(GRAPHQL_PATH, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url, "graphql-transport-ws");
    state.subscribed = new Set();
    state.acked = false;
    socket.binaryType = "arraybuffer"; // the server sends its JSON in binary frames
    state.socket = socket;
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "connection_init", payload: { [HEADER]: state.apiKey } }));
    });
    socket.addEventListener("message", (event) => {
      const text =
        typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data);
      const message = JSON.parse(text);
      if (message.type === "connection_ack") {
        $("live-state").textContent = "live";
        state.acked = true;
        followGroups();
      } else if (message.type === "next") {
        scheduleRefresh();
      } else if (message.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (message.type === "error") {
        announce(`Live updates failed: ${(message.payload || []).map(errorText).join("; ")}`, "error");
      }
    });
    socket.addEventListener("close", () => {
      $("live-state").textContent = "offline";
      if (state.socket === socket && state.apiKey) {
        setTimeout(() => {
          if (state.socket === socket) subscribe();
        }, 3000);
      }
    });
  }

  // --- keyboard -------------------------------------------------------------------------

  function toggleHelp(show) {
    const help = $("help");
    help.hidden = show === undefined ? !help.hidden : !show;
    $("help-button").setAttribute("aria-expanded", String(!help.hidden));
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, select, textarea")) return;
    const actions = {
      n: () => stepJob(1),
      p: () => stepJob(-1),
      j: () => stepField(1),
      k: () => stepField(-1),
      a: () => state.selected && accept(state.selected),
      e: () => {
        const input = state.selected && $(`value-${state.selected}`);
        if (input) input.focus();
      },
      r: () => scheduleRefresh(),
      "?": () => toggleHelp(),
      Escape: () => toggleHelp(false),
    };
    const action = actions[event.key];
    if (!action || !state.job && "jeak".includes(event.key)) return;
    event.preventDefault();
    action();
  }

  // --- wiring ---------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    $("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("api-key").value.trim();
      if (key) useKey(key);
    });
    $("sign-out").addEventListener("click", signOut);
    $("next-job").addEventListener("click", () => stepJob(1));
    $("previous-job").addEventListener("click", () => stepJob(-1));
    $("help-button").addEventListener("click", () => toggleHelp());
    $("filters").addEventListener("change", () => scheduleRefresh(true));
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    document.addEventListener("keydown", onKey);
    const key = keyFromAddress() || loadKey();
    if (key) useKey(key);
    else askForKey();
  });
})();
