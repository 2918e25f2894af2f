// The diplokg SPARQL console: YASGUI (the @zazuko/yasgui npm package, served by the app) pointed at
// the app's own /sparql endpoint. What is ours: the example queries, the project's prefixes (offered
// by the editor and declared when a query uses them), a chart view of results (Chart.js), errors
// read out of the server's JSON, and IRIs of the graph followed inside the console.
"use strict";

(() => {
  const ENDPOINT = new URL("sparql", document.baseURI).href;
  const PREFIXES_URL = "console/prefixes";

  const EXAMPLES = [
    {
      title: "Meetings with their dates and places",
      prefixes: ["dip", "rdfs"],
      body: `# a dip:modality (dip:Negated, dip:Future, ...) marks meetings that did not take place
SELECT ?meeting (SAMPLE(?d) AS ?date) (SAMPLE(?placeName) AS ?place)
       (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?participants)
       (SAMPLE(?m) AS ?modality)
WHERE {
  ?meeting a dip:Meeting .
  OPTIONAL { ?meeting dip:date ?d }
  OPTIONAL { ?meeting dip:place/rdfs:label ?placeName }
  OPTIONAL { ?meeting dip:participant/rdfs:label ?name }
  OPTIONAL { ?meeting dip:modality ?m }
}
GROUP BY ?meeting
ORDER BY ?date ?meeting
LIMIT 200`,
    },
    {
      title: "Actors by number of events",
      prefixes: ["dip", "rdfs"],
      body: `SELECT ?actor (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?event dip:participant ?actor .
  OPTIONAL { ?actor rdfs:label ?label }
}
GROUP BY ?actor
ORDER BY DESC(?events) ?name
LIMIT 100`,
    },
    {
      title: "Agreements, their parties and topics",
      prefixes: ["dip", "rdfs"],
      body: `# a dip:modality (dip:Negated, dip:Future, ...) marks agreements not (yet) reached
SELECT ?agreement (SAMPLE(?d) AS ?date)
       (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?parties)
       (SAMPLE(?t) AS ?topic) (SAMPLE(?m) AS ?modality)
WHERE {
  ?agreement a dip:Agreement .
  OPTIONAL { ?agreement dip:date ?d }
  OPTIONAL { ?agreement dip:participant/rdfs:label ?name }
  OPTIONAL { ?agreement dip:topic ?t }
  OPTIONAL { ?agreement dip:modality ?m }
}
GROUP BY ?agreement
ORDER BY ?date ?agreement
LIMIT 200`,
    },
    {
      title: "Posts and who holds them",
      prefixes: ["dip", "org", "rdfs"],
      body: `SELECT DISTINCT ?holder ?name ?title ?state
WHERE {
  ?post a org:Post ; org:heldBy ?holder ; dip:title ?title .
  OPTIONAL { ?holder rdfs:label ?name }
  OPTIONAL { ?post org:postIn/rdfs:label ?state }
}
ORDER BY ?name ?title
LIMIT 200`,
    },
    {
      title: "Events by class (chart)",
      prefixes: ["dip"],
      body: `# the Chart view above the results draws the counts
SELECT ?class (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?event a dip:Event , ?class .
  FILTER NOT EXISTS { ?event dip:modality ?m }
  FILTER(?class != dip:Event && STRSTARTS(STR(?class), STR(dip:)))
}
GROUP BY ?class
ORDER BY DESC(?events) ?class`,
      plugin: "chart",
    },
    {
      title: "Events per month (chart)",
      prefixes: ["dip"],
      body: `# asserted events by the month of their first possible day
SELECT ?month (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?event a dip:Event ; dip:earliest ?day .
  FILTER NOT EXISTS { ?event dip:modality ?m }
  BIND(SUBSTR(STR(?day), 1, 7) AS ?month)
}
GROUP BY ?month
ORDER BY ?month`,
      plugin: "chart",
    },
    {
      title: "Documents and the events they report",
      prefixes: ["dip", "dcterms"],
      body: `# each document is a named graph holding what was read in it
SELECT ?document ?date ?title (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?document a dip:Document .
  OPTIONAL { ?document dcterms:date ?date }
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL { GRAPH ?document { ?event a dip:Event } }
}
GROUP BY ?document ?date ?title
ORDER BY DESC(?date) ?document
LIMIT 200`,
    },
    {
      title: "Describe a meeting (Turtle)",
      prefixes: ["dip"],
      body: `DESCRIBE ?meeting
WHERE { ?meeting a dip:Meeting }
LIMIT 1`,
      plugin: "response",
    },
  ];

  let prefixes = {}; // prefix -> namespace IRI, from the server

  // -- prefixes ------------------------------------------------------------------------------

  async function loadPrefixes() {
    try {
      const response = await fetch(PREFIXES_URL, { headers: { Accept: "application/json" } });
      if (response.ok) prefixes = await response.json();
    } catch (err) {
      // the editor then offers YASGUI's own list only
    }
  }

  function declarations(names) {
    return names
      .filter((name) => name in prefixes)
      .map((name) => `PREFIX ${name}: <${prefixes[name]}>\n`)
      .join("");
  }

  // The query with its strings, IRIs and comments blanked: what prefixed names are looked for in.
  function code(text) {
    const skipped =
      /<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g;
    return text.replace(skipped, " ");
  }

  // The project's prefixes the query uses but does not declare.
  function missingPrefixes(text) {
    const stripped = code(text);
    const declared = new Set();
    for (const match of stripped.matchAll(/\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:/gi)) {
      declared.add(match[1] || "");
    }
    const missing = [];
    for (const match of stripped.matchAll(/(?:^|[^\w?$:.-])([A-Za-z][\w-]*(?:\.[\w-]+)*):/g)) {
      const name = match[1];
      if (name in prefixes && !declared.has(name) && !missing.includes(name)) missing.push(name);
    }
    return missing;
  }

  // The editor's prefix completion offers the project's prefixes before YASGUI's bundled list, and
  // declares one as soon as it is typed (dip: → PREFIX dip: <...>): nothing is fetched for it.
  function registerPrefixCompleter(Yasqe) {
    const bundled = Yasqe.Autocompleters.prefixes;
    Yasqe.forkAutocompleter(
      "prefixes",
      {
        name: "diplokg-prefixes",
        persistenceId: null,
        get: async (yasqe) => {
          const ours = Object.entries(prefixes).map(([name, iri]) => `${name}: <${iri}>`);
          const taken = new Set(Object.keys(prefixes));
          const theirs = (await bundled.get(yasqe)).filter((line) => !taken.has(line.split(":")[0]));
          return [...ours.sort(), ...theirs];
        },
      },
      false
    );
  }

  // -- a chart of results (Chart.js) ---------------------------------------------------------

  const NUMERIC = /#(integer|decimal|float|double|long|int|short|byte|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;

  function numberOf(binding) {
    if (!binding || binding.type === "uri" || binding.type === "bnode") return null;
    if (binding.datatype && !NUMERIC.test(binding.datatype)) return null;
    const value = Number(binding.value);
    return binding.value.trim() !== "" && Number.isFinite(value) ? value : null;
  }

  function shortened(iri, known) {
    let best = null;
    for (const [name, namespace] of Object.entries(known)) {
      if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) {
        best = [name, namespace];
      }
    }
    if (!best) return iri;
    const local = iri.slice(best[1].length);
    return best[0] === "dip" ? local : `${best[0]}:${local}`;
  }

  // A bar chart (a line for months or years) of a SELECT answer: labels from its first column
  // that is not a number, one series per column whose every value is a number.
  class ChartPlugin {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Chart";
      this.chart = null;
    }

    columns() {
      const results = this.yasr.results;
      if (!results || results.getBoolean() !== undefined) return null;
      const vars = results.getVariables() || [];
      const rows = (results.getBindings() || []).slice(0, 500);
      if (!vars.length || !rows.length) return null;
      const numeric = vars.filter((name) =>
        rows.every((row) => !row[name] || numberOf(row[name]) !== null)
      ).filter((name) => rows.some((row) => row[name]));
      const label = vars.find((name) => !numeric.includes(name));
      if (!numeric.length) return null;
      return { label, numeric, rows };
    }

    canHandleResults() {
      return this.columns() !== null;
    }

    draw() {
      const { label, numeric, rows } = this.columns();
      const known = this.yasr.getPrefixes();
      const labels = rows.map((row, index) => {
        const cell = label && row[label];
        if (!cell) return String(index + 1);
        return cell.type === "uri" ? shortened(cell.value, known) : cell.value;
      });
      const timeline = labels.every((text) => /^\d{4}(-\d{2}){0,2}$/.test(text));
      const wrapper = document.createElement("div");
      wrapper.className = "diplokg-chart";
      const canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `${numeric.join(", ")} by ${label || "row"}`);
      wrapper.append(canvas);
      this.yasr.resultsEl.append(wrapper);
      const palette = ["#2f6f9f", "#d08c2c", "#4a9a5b", "#b8453c", "#7b5ea7"];
      this.chart = new window.Chart(canvas, {
        type: timeline ? "line" : "bar",
        data: {
          labels,
          datasets: numeric.map((name, index) => ({
            label: `?${name}`,
            data: rows.map((row) => numberOf(row[name])),
            backgroundColor: palette[index % palette.length],
            borderColor: palette[index % palette.length],
          })),
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: numeric.length > 1 } },
          scales: { y: { beginAtZero: true } },
        },
      });
      wrapper.dataset.points = String(rows.length);
    }

    getIcon() {
      const icon = document.createElement("div");
      icon.className = "diplokg-chart-icon";
      icon.textContent = "▮▮";
      return icon;
    }

    destroy() {
      if (this.chart) this.chart.destroy();
      this.chart = null;
    }
  }

  // -- errors: the server answers {"detail": "..."} ------------------------------------------

  function errorDetail(text) {
    try {
      const body = JSON.parse(text);
      if (body && body.detail !== undefined) {
        return typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      }
    } catch (err) {
      // not JSON: the text itself
    }
    return (text || "").trim();
  }

  async function renderError(error) {
    const box = document.createElement("div");
    box.className = "diplokg-error";
    const title = document.createElement("strong");
    title.textContent = error.status
      ? `The server answered ${error.status} ${error.statusText || ""}`.trim()
      : "The server refused the query";
    const detail = document.createElement("pre");
    detail.textContent = errorDetail(error.text) || "(no detail)";
    box.append(title, detail);
    return box;
  }

  // -- wiring --------------------------------------------------------------------------------

  function exampleQuery(example) {
    return `${declarations(example.prefixes)}\n${example.body}`;
  }

  // What the console runs when an IRI of the graph is followed: the triples it is in.
  function triplesQuery(iri) {
    const node = `<${iri}>`;
    return `# the triples ${shortened(iri, prefixes)} is the subject or the object of
SELECT DISTINCT ?subject ?property ?object
WHERE {
  { ${node} ?property ?object BIND(${node} AS ?subject) }
  UNION
  { ?subject ?property ${node} BIND(${node} AS ?object) }
}
ORDER BY ?subject ?property ?object
LIMIT 1000`;
  }

  function openTab(yasgui, name, query, plugin) {
    const tab = yasgui.addTab(true, {
      name,
      yasqe: { value: query },
      yasr: { settings: { selectedPlugin: plugin || "table", pluginsConfig: {} }, response: undefined },
    });
    return tab;
  }

  function setStatus(text) {
    document.getElementById("status").textContent = text;
  }

  function wire(yasgui) {
    const picker = document.getElementById("examples");
    EXAMPLES.forEach((example, index) => {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = example.title;
      picker.append(option);
    });
    picker.addEventListener("change", () => {
      if (picker.value === "") return;
      const example = EXAMPLES[Number(picker.value)];
      openTab(yasgui, example.title, exampleQuery(example), example.plugin);
      picker.value = "";
    });

    // a query that uses the project's prefixes without declaring them gets their PREFIX lines,
    // in the editor (so what runs is what is shown, and error positions match)
    yasgui.on("queryBefore", (_yasgui, tab) => {
      const yasqe = tab.getYasqe();
      const missing = missingPrefixes(yasqe.getValue());
      if (missing.length) {
        yasqe.addPrefixes(Object.fromEntries(missing.map((name) => [name, prefixes[name]])));
        setStatus(`added PREFIX ${missing.map((name) => name + ":").join(" ")}`);
      } else {
        setStatus("");
      }
    });

    // an IRI of the graph (dipr:...) opens, in a new tab, the triples it is in
    document.getElementById("yasgui").addEventListener("click", (event) => {
      const link = event.target.closest("a.iri");
      if (!link || !prefixes.dipr || !link.href.startsWith(prefixes.dipr)) return;
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      const tab = openTab(yasgui, shortened(link.href, prefixes), triplesQuery(link.href));
      tab.query();
    });
  }

  async function start() {
    const Yasgui = window.Yasgui;
    await loadPrefixes();
    registerPrefixCompleter(Yasgui.Yasqe);
    Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
    Yasgui.Yasr.defaults.errorRenderers = [renderError];
    // the class and property completers ask a web service (Linked Open Vocabularies): not here.
    // (set on the defaults: a config array would be merged into them index by index)
    Yasgui.Yasqe.defaults.autocompleters = ["diplokg-prefixes", "variables"];
    const first = EXAMPLES[0];
    const yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: {
        endpoint: ENDPOINT,
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
        acceptHeaderGraph: "text/turtle,*/*;q=0.9",
      },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: () => [{ endpoint: ENDPOINT }] },
      persistenceId: "diplokg-console",
      tabName: "Query",
      yasqe: { value: exampleQuery(first) },
      yasr: {
        prefixes,
        pluginOrder: ["table", "chart", "response"],
        defaultPlugin: "table",
      },
    });
    const firstTab = yasgui.getTab();
    if (firstTab && firstTab.getName() === "Query" && firstTab.getQuery() === exampleQuery(first)) {
      firstTab.setName(first.title);
    }
    wire(yasgui);
    window.diplokgConsole = yasgui;
    document.body.dataset.ready = "true";
  }

  window.addEventListener("DOMContentLoaded", start);
})();
