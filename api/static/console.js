// The diplokg SPARQL console: posts the editor's query to the app's /sparql endpoint and shows the
// answer (a table for SELECT, true/false for ASK, Turtle for CONSTRUCT and DESCRIBE). Plain
// JavaScript, no library, nothing fetched from outside the app.
"use strict";

(() => {
  const ENDPOINT = "sparql";
  const PREFIXES_URL = "console/prefixes";
  // SELECT and ASK answer SPARQL JSON; CONSTRUCT and DESCRIBE, which cannot, answer Turtle
  const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

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
      title: "Events by class",
      prefixes: ["dip"],
      body: `SELECT ?class (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?event a dip:Event , ?class .
  FILTER(?class != dip:Event && STRSTARTS(STR(?class), STR(dip:)))
}
GROUP BY ?class
ORDER BY DESC(?events) ?class`,
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
    },
  ];

  const $ = (id) => document.getElementById(id);
  const form = $("console");
  const editor = $("query");
  const runButton = $("run");
  const examples = $("examples");
  const autoPrefixes = $("auto-prefixes");
  const status = $("status");
  const errorBox = $("error");
  const results = $("results");

  let prefixes = {}; // prefix -> namespace IRI
  let namespaces = []; // [prefix, namespace], longest namespace first
  let busy = false;

  // -- prefixes ------------------------------------------------------------------------------

  async function loadPrefixes() {
    try {
      const response = await fetch(PREFIXES_URL, { headers: { Accept: "application/json" } });
      if (response.ok) {
        setPrefixes(await response.json());
      }
    } catch (err) {
      // IRIs stay unshortened and typed queries must declare their prefixes
    }
  }

  function setPrefixes(table) {
    prefixes = table;
    namespaces = Object.entries(table).sort((a, b) => b[1].length - a[1].length);
  }

  function declare(names) {
    return names
      .filter((name) => name in prefixes)
      .map((name) => `PREFIX ${name}: <${prefixes[name]}>\n`)
      .join("");
  }

  // The query with its text, IRIs and comments blanked: what prefixed names are looked for in.
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
      if (name in prefixes && !declared.has(name) && !missing.includes(name)) {
        missing.push(name);
      }
    }
    return missing;
  }

  // -- showing terms -------------------------------------------------------------------------

  function shorten(iri) {
    for (const [prefix, namespace] of namespaces) {
      if (iri.startsWith(namespace)) {
        return `${prefix}:${iri.slice(namespace.length)}`;
      }
    }
    return `<${iri}>`;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // What the console runs when an IRI in a result is followed: the triples it is in.
  function exploreQuery(iri) {
    const node = `<${iri}>`;
    return `# the triples ${shorten(iri)} is the subject or the object of
SELECT DISTINCT ?subject ?property ?object
WHERE {
  { ${node} ?property ?object BIND(${node} AS ?subject) }
  UNION
  { ?subject ?property ${node} BIND(${node} AS ?object) }
}
ORDER BY ?subject ?property ?object
LIMIT 1000`;
  }

  function queryLink(query) {
    return `?query=${encodeURIComponent(query)}`;
  }

  function term(value) {
    switch (value.type) {
      case "uri": {
        const link = element("a", "iri", shorten(value.value));
        link.href = queryLink(exploreQuery(value.value));
        link.title = value.value;
        link.dataset.iri = value.value;
        return link;
      }
      case "bnode":
        return element("span", "bnode", `_:${value.value}`);
      case "triple": {
        const quoted = element("span", "triple");
        const parts = value.value;
        quoted.append("<< ", term(parts.subject), " ", term(parts.predicate), " ");
        quoted.append(term(parts.object), " >>");
        return quoted;
      }
      default: {
        // "literal" (and "typed-literal", from older writers)
        const literal = element("span", "literal", value.value);
        const wrapper = element("span");
        wrapper.append(literal);
        const lang = value["xml:lang"];
        if (lang) {
          wrapper.append(" ", element("span", "lang", `@${lang}`));
        } else if (value.datatype && value.datatype !== prefixes.xsd + "string") {
          const datatype = element("span", "datatype", shorten(value.datatype));
          datatype.title = value.datatype;
          wrapper.append(" ", datatype);
        }
        return wrapper;
      }
    }
  }

  // -- showing answers -----------------------------------------------------------------------

  function clearOutput() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
    results.replaceChildren();
  }

  function showError(title, detail) {
    errorBox.replaceChildren(element("strong", "", title));
    if (detail) errorBox.append(element("pre", "", detail));
    errorBox.hidden = false;
  }

  function showTable(data) {
    const vars = (data.head && data.head.vars) || [];
    const rows = (data.results && data.results.bindings) || [];
    const table = element("table", "result-table");
    const headRow = element("tr");
    for (const name of vars) headRow.append(element("th", "", `?${name}`));
    table.createTHead().append(headRow);
    const body = table.createTBody();
    const rowsFragment = document.createDocumentFragment();
    for (const row of rows) {
      const tr = element("tr");
      for (const name of vars) {
        const td = element("td");
        if (row[name]) td.append(term(row[name]));
        else td.className = "unbound";
        tr.append(td);
      }
      rowsFragment.append(tr);
    }
    body.append(rowsFragment);
    const wrapper = element("div", "table-wrapper");
    wrapper.append(table);
    results.append(wrapper);
    if (!rows.length) results.append(element("p", "empty", "No results."));
    return rows.length;
  }

  function showBoolean(value) {
    results.append(element("p", `boolean ${value}`, value ? "true" : "false"));
  }

  function showText(text) {
    results.append(element("pre", "graph", text || "# no triples"));
  }

  function errorDetail(text) {
    try {
      const body = JSON.parse(text);
      if (body && body.detail !== undefined) {
        return typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      }
    } catch (err) {
      // not JSON: the text itself
    }
    return text.trim();
  }

  function duration(ms) {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
  }

  function plural(n, word) {
    return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
  }

  // -- running -------------------------------------------------------------------------------

  async function run({ remember = true } = {}) {
    if (busy) return;
    const text = editor.value;
    clearOutput();
    if (!text.trim()) {
      status.textContent = "";
      showError("Type a query first.");
      return;
    }
    if (remember) rememberQuery(text);
    const added = autoPrefixes.checked ? missingPrefixes(text) : [];
    const query = declare(added) + text;
    const notes = added.length ? [`added PREFIX ${added.map((p) => p + ":").join(" ")}`] : [];

    busy = true;
    runButton.disabled = true;
    runButton.textContent = "Running…";
    status.textContent = "running…";
    const started = performance.now();
    try {
      let response;
      let body;
      try {
        response = await fetch(ENDPOINT, {
          method: "POST",
          headers: {
            Accept: ACCEPT,
            "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
          },
          body: new URLSearchParams({ query }),
        });
        body = await response.text();
      } catch (err) {
        status.textContent = "";
        showError("The server could not be reached.", String(err && err.message ? err.message : err));
        return;
      }
      const took = duration(performance.now() - started);
      if (!response.ok) {
        status.textContent = [`failed after ${took}`, ...notes].join(" · ");
        let detail = errorDetail(body);
        if (added.length) {
          const lines = plural(added.length, "PREFIX line");
          detail += `\n(the console added ${lines} before the query: positions above count them)`;
        }
        showError(`${response.status} ${response.statusText}`.trim(), detail);
        return;
      }
      const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
      const cut = response.headers.get("X-SPARQL-MaxRows");
      let summary;
      if (type === "application/sparql-results+json" || type === "application/json") {
        const data = JSON.parse(body);
        if (typeof data.boolean === "boolean") {
          showBoolean(data.boolean);
          summary = `ASK: ${data.boolean}`;
        } else {
          summary = plural(showTable(data), "row");
        }
      } else {
        showText(body);
        summary = type === "text/turtle" ? "graph (Turtle)" : `answer (${type || "no type"})`;
      }
      if (cut) notes.unshift(`cut at the server's limit of ${cut}`);
      status.textContent = [`${summary} in ${took}`, ...notes].join(" · ");
    } catch (err) {
      status.textContent = "";
      showError("The answer could not be read.", String(err && err.message ? err.message : err));
    } finally {
      busy = false;
      runButton.disabled = false;
      runButton.textContent = "Run";
    }
  }

  // The address of a run query is `/?query=...`: it can be bookmarked, and Back runs the last one.
  function rememberQuery(text) {
    const search = queryLink(text);
    if (location.search !== search) history.pushState({ query: text }, "", search);
  }

  function queryFromAddress() {
    return new URLSearchParams(location.search).get("query");
  }

  // -- wiring --------------------------------------------------------------------------------

  function fillExamples() {
    EXAMPLES.forEach((example, index) => {
      const option = element("option", "", example.title);
      option.value = String(index);
      examples.append(option);
    });
  }

  function exampleText(index) {
    const example = EXAMPLES[index];
    return declare(example.prefixes) + (Object.keys(prefixes).length ? "\n" : "") + example.body;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });

  examples.addEventListener("change", () => {
    if (examples.value === "") return;
    editor.value = exampleText(Number(examples.value));
    editor.focus();
  });

  // following an IRI runs the query of its triples here, without reloading the page
  results.addEventListener("click", (event) => {
    const link = event.target.closest("a.iri");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    editor.value = exploreQuery(link.dataset.iri);
    examples.value = "";
    run();
  });

  window.addEventListener("popstate", () => {
    const query = queryFromAddress();
    if (query === null) return;
    editor.value = query;
    examples.value = "";
    run({ remember: false });
  });

  async function start() {
    fillExamples();
    await loadPrefixes();
    const query = queryFromAddress();
    if (query !== null) {
      editor.value = query;
      run({ remember: false });
    } else if (!editor.value.trim()) {
      examples.value = "0";
      editor.value = exampleText(0);
    }
    document.body.dataset.ready = "true";
  }

  start();
})();
