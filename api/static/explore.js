// The diplokg graph explorer: search an actor, draw its ego network with Cytoscape.js (an npm
// package the app serves itself), narrow it in time, and list the events behind a node or a link
// with the sentences and documents they come from. It reads the REST API only:
//   /actors?q=   /actors/{id}/network   /events?actor=   /events?actor=A&actor=B
"use strict";

(() => {
  // PLOVER's quad classes (kg/analysis/scale.json says which each class is in); Meeting is a
  // Consult and Agreement an Agree. Only the badges of the event list use them: a link's colour
  // comes from the API's own counts (`cooperation`, `conflict` on /actors/{id}/network edges).
  const QUAD = {
    Agree: "verbal cooperation",
    Agreement: "verbal cooperation",
    Consult: "verbal cooperation",
    Meeting: "verbal cooperation",
    Support: "verbal cooperation",
    Concede: "verbal cooperation",
    Cooperate: "material cooperation",
    Aid: "material cooperation",
    Retreat: "material cooperation",
    Request: "verbal conflict",
    Accuse: "verbal conflict",
    Reject: "verbal conflict",
    Threaten: "verbal conflict",
    Protest: "material conflict",
    Sanction: "material conflict",
    Mobilize: "material conflict",
    Coerce: "material conflict",
    Assault: "material conflict",
  };
  const KIND_COLOURS = { State: "#4c72b0", Person: "#dd8452", Organization: "#55a868" };
  const TONE = { conflict: [192, 57, 43], mixed: [138, 143, 152], coop: [46, 139, 87] };
  const PAGE = 20;

  const $ = (id) => document.getElementById(id);
  const state = {
    ego: null, // the Actor drawn
    depth: 1,
    months: [], // "YYYY-MM", oldest first: the slider's stops
    until: 0, // index into months
    window: 0, // months back from `until`; 0: everything up to it
    evidence: null, // what the event list shows: {kind: "node"|"edge", ...}
  };
  let cy = null;
  let drawn = 0; // request counter: a late answer to an old request is dropped
  let listed = 0;

  // -- the REST API ---------------------------------------------------------------------------

  class ApiError extends Error {}

  async function api(path, params = {}) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      // an array is a repeated parameter (`actor=A&actor=B`)
      for (const one of Array.isArray(value) ? value : [value]) {
        if (one !== null && one !== undefined && one !== "") query.append(key, String(one));
      }
    }
    const url = query.toString() ? `${path}?${query}` : path;
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" } });
    } catch (err) {
      throw new ApiError("The server could not be reached.");
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = typeof body.detail === "string" ? body.detail : response.statusText;
      throw new ApiError(`${response.status}: ${detail}`);
    }
    return body;
  }

  const actorPath = (id) => `actors/${encodeURIComponent(id)}`;

  // -- time -----------------------------------------------------------------------------------

  function monthsBetween(first, last) {
    const months = [];
    let [year, month] = first.split("-").map(Number);
    const [endYear, endMonth] = last.split("-").map(Number);
    while (year < endYear || (year === endYear && month <= endMonth)) {
      months.push(`${year}-${String(month).padStart(2, "0")}`);
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
    }
    return months;
  }

  // The months the actor's dated events cover (the ends of its event list, oldest first).
  async function eventMonths(actorId) {
    const first = await api("events", { actor: actorId, limit: 500 });
    let events = first.data;
    if (first.total > events.length) {
      const last = await api("events", { actor: actorId, limit: 500, offset: first.total - 500 });
      events = events.concat(last.data);
    }
    const starts = events.map((e) => e.earliest).filter(Boolean).sort();
    const ends = events.map((e) => e.latest).filter(Boolean).sort();
    if (!starts.length) return [];
    return monthsBetween(starts[0].slice(0, 7), ends[ends.length - 1].slice(0, 7));
  }

  // The window the slider and the window select give: {since, until} for the API, or {} for all.
  function period() {
    const months = state.months;
    if (!months.length) return {};
    const last = months.length - 1;
    if (state.window === 0 && state.until === last) return {}; // all events, undated ones too
    const until = months[state.until];
    const since = state.window === 0 ? null : months[Math.max(0, state.until - state.window + 1)];
    return since ? { since, until } : { until };
  }

  function describePeriod() {
    const { since, until } = period();
    if (!state.months.length) return "no dated events: all of them are shown";
    if (!until) return `all events (${state.months[0]} to ${state.months[state.months.length - 1]}, and undated ones)`;
    if (!since) return `events up to the end of ${until}`;
    return since === until ? `events of ${until}` : `events from ${since} to ${until}`;
  }

  // -- colours --------------------------------------------------------------------------------

  // A link's tone in [-1, 1]: the share of cooperation minus the share of conflict among its
  // events, as the API counts them (kg.analysis.tally: PLOVER's quad classes).
  function tone(edge) {
    const sum = edge.cooperation + edge.conflict;
    return sum ? (edge.cooperation - edge.conflict) / sum : 0;
  }

  function toneColour(value) {
    const [from, to, share] =
      value >= 0 ? [TONE.mixed, TONE.coop, value] : [TONE.mixed, TONE.conflict, -value];
    const mix = from.map((c, i) => Math.round(c + (to[i] - c) * share));
    return `rgb(${mix.join(", ")})`;
  }

  function toneName(value) {
    if (value > 0.33) return "cooperation";
    if (value < -0.33) return "conflict";
    return "mixed";
  }

  function quadClass(type) {
    return (QUAD[type] || "other").replace(" ", "-");
  }

  // -- drawing --------------------------------------------------------------------------------

  function levels(egoId, edges) {
    const neighbours = new Map();
    for (const { source, target } of edges) {
      if (!neighbours.has(source)) neighbours.set(source, []);
      if (!neighbours.has(target)) neighbours.set(target, []);
      neighbours.get(source).push(target);
      neighbours.get(target).push(source);
    }
    const level = new Map([[egoId, 0]]);
    const queue = [egoId];
    while (queue.length) {
      const node = queue.shift();
      for (const next of neighbours.get(node) || []) {
        if (!level.has(next)) {
          level.set(next, level.get(node) + 1);
          queue.push(next);
        }
      }
    }
    return level;
  }

  function elements(network, egoId) {
    const strength = new Map();
    for (const edge of network.edges) {
      strength.set(edge.source, (strength.get(edge.source) || 0) + edge.weight);
      strength.set(edge.target, (strength.get(edge.target) || 0) + edge.weight);
    }
    const level = levels(egoId, network.edges);
    const nodes = network.nodes.map((actor) => ({
      group: "nodes",
      data: {
        id: actor.id,
        label: actor.label,
        kind: actor.type,
        colour: KIND_COLOURS[actor.type] || "#888888",
        size: 22 + 9 * Math.sqrt(strength.get(actor.id) || 0),
        level: level.has(actor.id) ? level.get(actor.id) : 9,
      },
      classes: actor.id === egoId ? "ego" : "",
    }));
    const edges = network.edges.map((edge) => {
      const value = tone(edge);
      return {
        group: "edges",
        data: {
          id: `${edge.source}|${edge.target}`,
          source: edge.source,
          target: edge.target,
          weight: edge.weight,
          cooperation: edge.cooperation,
          conflict: edge.conflict,
          score: edge.score,
          tone: value,
          toneName: toneName(value),
          colour: toneColour(value),
          width: 1.5 + 2.2 * Math.sqrt(edge.weight),
        },
      };
    });
    return nodes.concat(edges);
  }

  function graphStyle() {
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          width: "data(size)",
          height: "data(size)",
          label: "data(label)",
          "font-size": 12,
          "font-family": "system-ui, DejaVu Sans, sans-serif",
          color: "#1d232b",
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
          "border-width": 1,
          "border-color": "#ffffff",
        },
      },
      { selector: "node.ego", style: { "border-width": 4, "border-color": "#1d232b", "font-weight": "bold" } },
      {
        selector: "edge",
        style: {
          "line-color": "data(colour)",
          width: "data(width)",
          "curve-style": "bezier",
          opacity: 0.85,
        },
      },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#1f5fa8" } },
      {
        selector: "edge:selected",
        style: { opacity: 1, "underlay-color": "#1f5fa8", "underlay-padding": 5, "underlay-opacity": 0.45 },
      },
    ];
  }

  // A force-directed layout (Cytoscape's CoSE), started from rings around the ego (its partners,
  // then theirs); small graphs are not blown up to fill the pane.
  function layout() {
    const maxLevel = Math.max(0, ...cy.nodes().map((n) => n.data("level")));
    cy.layout({
      name: "concentric",
      concentric: (node) => maxLevel + 1 - node.data("level"),
      levelWidth: () => 1,
      minNodeSpacing: 60,
      animate: false,
    }).run();
    if (cy.nodes().length > 2) {
      cy.layout({
        name: "cose",
        randomize: false,
        animate: false,
        nodeRepulsion: () => 60000,
        nodeOverlap: 40,
        idealEdgeLength: () => 150,
        nodeDimensionsIncludeLabels: true,
      }).run();
    }
    cy.fit(undefined, 50);
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center();
    }
  }

  function setStatus(text, isError = false) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("error", isError);
  }

  async function draw() {
    const ticket = ++drawn;
    const graph = $("graph");
    graph.dataset.state = "loading";
    const ego = state.ego;
    let network;
    try {
      network = await api(`${actorPath(ego.id)}/network`, { depth: state.depth, ...period() });
    } catch (err) {
      if (ticket !== drawn) return;
      graph.dataset.state = "error";
      setStatus(err.message, true);
      return;
    }
    if (ticket !== drawn) return;
    if (!cy) {
      cy = window.cytoscape({ container: graph, style: graphStyle(), minZoom: 0.2, maxZoom: 4 });
      cy.on("tap", "node", (event) => listNode(event.target.data()));
      cy.on("tap", "edge", (event) => listEdge(event.target.data()));
    }
    cy.elements().remove();
    cy.add(elements(network, ego.id));
    layout();
    const links = network.edges.length;
    graph.dataset.state = "drawn";
    graph.dataset.nodes = String(network.nodes.length);
    graph.dataset.edges = String(links);
    setStatus(
      `${ego.label}: ${plural(network.nodes.length - 1, "partner")}, ${plural(links, "link")} · ${describePeriod()}`
    );
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  // -- the event list -------------------------------------------------------------------------

  function text(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }

  function eventItem(event) {
    const item = text("li", `event ${quadClass(event.type)}`);
    item.dataset.id = event.id;
    const head = text("div", "event-head");
    const badge = text("span", "badge", event.type);
    badge.title = QUAD[event.type] || "";
    head.append(badge, text("span", "date", event.date || "undated"));
    if (event.modality) head.append(text("span", "modality", event.modality));
    item.append(head);

    const roles = { initiator: [], recipient: [], participant: [] };
    for (const p of event.participants) roles[p.role].push(p.label || p.id);
    let who = "";
    if (roles.initiator.length || roles.recipient.length) {
      who = `${roles.initiator.join(", ") || "?"} → ${roles.recipient.join(", ") || "?"}`;
      if (roles.participant.length) who += ` (with ${roles.participant.join(", ")})`;
    } else {
      who = roles.participant.join(", ");
    }
    item.append(text("div", "who", who));
    const about = [event.topic, event.place && event.place.label && `at ${event.place.label}`].filter(Boolean);
    if (about.length) item.append(text("div", "about muted", about.join(" · ")));

    for (const evidence of event.evidence) {
      const quote = text("blockquote", "sentence", evidence.sentence || "(no sentence)");
      const doc = evidence.document;
      const source = text("cite", "document", doc.title || doc.id);
      source.title = `document ${doc.id}, characters ${evidence.start}–${evidence.end}`;
      const from = text("div", "source");
      from.append(source);
      if (doc.date) from.append(text("span", "muted", ` · ${doc.date}`));
      from.append(text("span", "doc-id muted", ` · ${doc.id}`));
      item.append(quote, from);
    }
    return item;
  }

  function startList(title) {
    $("evidence-title").textContent = title;
    $("evidence-hint").hidden = true;
    $("events").replaceChildren();
    $("events").dataset.state = "loading";
    $("more").hidden = true;
  }

  function showEvents(events, total, shown) {
    const list = $("events");
    for (const event of events) list.append(eventItem(event));
    list.dataset.state = "loaded";
    list.dataset.total = String(total);
    $("more").hidden = shown >= total;
    if (!total) list.append(text("li", "muted empty", "No asserted events in this period."));
  }

  function listError(err) {
    const list = $("events");
    list.replaceChildren(text("li", "error", err.message));
    list.dataset.state = "error";
  }

  function periodNote() {
    const { since, until } = period();
    if (!until) return "";
    return since ? ` (${since} to ${until})` : ` (up to ${until})`;
  }

  async function listNode(node, offset = 0) {
    const ticket = offset ? listed : ++listed;
    if (!offset) {
      state.evidence = { kind: "node", id: node.id, label: node.label, shown: 0 };
      startList(`Events of ${node.label}${periodNote()}`);
    }
    try {
      const page = await api("events", { actor: node.id, limit: PAGE, offset, ...period() });
      if (ticket !== listed) return;
      state.evidence.shown = offset + page.data.length;
      showEvents(page.data, page.total, state.evidence.shown);
    } catch (err) {
      if (ticket === listed) listError(err);
    }
  }

  // The events of one link: those its two actors share, a page at a time (oldest first).
  async function listEdge(edge, offset = 0) {
    const ticket = offset ? listed : ++listed;
    if (!offset) {
      const label = (id) => (cy && cy.getElementById(id).data("label")) || id;
      state.evidence = { kind: "edge", source: edge.source, target: edge.target, shown: 0 };
      startList(`${label(edge.source)} — ${label(edge.target)}${periodNote()}`);
    }
    try {
      const actors = [state.evidence.source, state.evidence.target];
      const page = await api("events", { actor: actors, limit: PAGE, offset, ...period() });
      if (ticket !== listed) return;
      state.evidence.shown = offset + page.data.length;
      showEvents(page.data, page.total, state.evidence.shown);
    } catch (err) {
      if (ticket === listed) listError(err);
    }
  }

  function more() {
    const shown = state.evidence;
    if (!shown) return;
    if (shown.kind === "node") listNode(shown, shown.shown);
    else listEdge(shown, shown.shown);
  }

  // -- search and controls --------------------------------------------------------------------

  let searchTimer = null;
  let searched = 0;

  async function search(q) {
    const ticket = ++searched;
    const matches = $("matches");
    if (!q.trim()) {
      matches.replaceChildren();
      return;
    }
    try {
      const found = await api("actors", { q: q.trim(), limit: 20 });
      if (ticket !== searched) return;
      matches.replaceChildren();
      for (const actor of found.data) {
        const events = Object.values(actor.event_counts || {}).reduce((a, b) => a + b, 0);
        const button = text("button", "match");
        button.type = "button";
        button.dataset.id = actor.id;
        button.append(text("span", "name", actor.label), text("span", "muted", ` ${actor.type} · ${plural(events, "event")}`));
        button.addEventListener("click", () => choose(actor));
        const item = text("li");
        item.append(button);
        matches.append(item);
      }
      if (!found.data.length) matches.append(text("li", "muted", `No actor matches “${q.trim()}”.`));
      matches.dataset.total = String(found.total);
    } catch (err) {
      if (ticket === searched) matches.replaceChildren(text("li", "error", err.message));
    }
  }

  function remember() {
    const params = new URLSearchParams();
    if (state.ego) params.set("actor", state.ego.id);
    if (state.depth !== 1) params.set("depth", String(state.depth));
    const { since, until } = period();
    if (until) params.set("until", until);
    if (since) params.set("window", String(state.window));
    const search = params.toString() ? `?${params}` : "";
    if (location.search !== search) history.replaceState(null, "", `explore${search}`);
  }

  function updateTimeControls() {
    const slider = $("until");
    slider.max = String(Math.max(0, state.months.length - 1));
    slider.value = String(state.until);
    slider.disabled = state.months.length < 2;
    $("window").disabled = !state.months.length;
    $("period").textContent = describePeriod();
  }

  async function choose(actor, { until = null, window = 0 } = {}) {
    state.ego = actor;
    state.evidence = null;
    $("controls").hidden = false;
    $("ego-label").textContent = actor.label;
    const posts = (actor.posts || []).map((p) => p.label || p.title).filter(Boolean);
    $("ego-about").textContent = [actor.type, ...posts].join(" · ");
    $("events").replaceChildren();
    $("evidence-title").textContent = "Events";
    $("evidence-hint").hidden = false;
    $("more").hidden = true;
    try {
      state.months = await eventMonths(actor.id);
    } catch (err) {
      state.months = [];
    }
    const index = until ? state.months.indexOf(until) : -1;
    state.until = index >= 0 ? index : Math.max(0, state.months.length - 1);
    state.window = index >= 0 ? window : 0;
    $("window").value = String(state.window);
    updateTimeControls();
    remember();
    await draw();
  }

  let timeTimer = null;

  function timeChanged() {
    state.until = Number($("until").value);
    state.window = Number($("window").value);
    $("period").textContent = describePeriod();
    remember();
    clearTimeout(timeTimer);
    timeTimer = setTimeout(async () => {
      await draw();
      const shown = state.evidence;
      if (shown && shown.kind === "node") listNode(shown);
      else if (shown) listEdge(shown);
    }, 120);
  }

  function wire() {
    $("search").addEventListener("submit", (event) => {
      event.preventDefault();
      const first = $("matches").querySelector("button.match");
      if (first) first.click();
      else search($("q").value);
    });
    $("q").addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => search($("q").value), 150);
    });
    $("depth").addEventListener("change", () => {
      state.depth = Number($("depth").value);
      remember();
      draw();
    });
    $("until").addEventListener("input", timeChanged);
    $("window").addEventListener("change", timeChanged);
    $("more").addEventListener("click", more);
  }

  async function start() {
    wire();
    const params = new URLSearchParams(location.search);
    const depth = Number(params.get("depth"));
    if (depth === 2) {
      state.depth = 2;
      $("depth").value = "2";
    }
    const id = params.get("actor");
    if (id) {
      try {
        const actor = await api(actorPath(id));
        $("q").value = actor.label;
        await choose(actor, { until: params.get("until"), window: Number(params.get("window")) || 0 });
      } catch (err) {
        setStatus(err.message, true);
      }
    }
    document.body.dataset.ready = "true";
  }

  window.addEventListener("DOMContentLoaded", start);
})();
