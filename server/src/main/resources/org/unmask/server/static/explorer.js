// Unmask explorer: renders API answers with textContent only, so user text is never parsed as HTML.
"use strict";

const PAIRS = [["he", "she"], ["man", "woman"], ["father", "mother"], ["son", "daughter"], ["boy", "girl"],
  ["brother", "sister"], ["husband", "wife"], ["his", "her"], ["men", "women"], ["uncle", "aunt"]];
const SLOT = /\[[^\[\]]*\|[^\[\]]*\]/;

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function token() {
  return sessionStorage.getItem("unmask-token") || "";
}

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token()) headers["Authorization"] = "Bearer " + token();
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = res.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await res.json() : await res.text();
  if (!res.ok) {
    const err = data && data.error ? data.error : { message: "HTTP " + res.status };
    const e = new Error(err.message + (err.hint ? " (" + err.hint + ")" : ""));
    e.status = res.status;
    throw e;
  }
  return data;
}

function setStatus(id, text, isError) {
  const s = $(id);
  s.textContent = text;
  s.classList.toggle("error", !!isError);
}

function pct(p) {
  return (100 * p).toFixed(p >= 0.1 ? 1 : 2) + "%";
}

function renderColumns(data) {
  const cols = $("columns");
  cols.replaceChildren();
  for (const g of data.groups) {
    const col = el("article", "column");
    col.setAttribute("aria-label", "completions for " + g.term);
    col.append(el("h3", null, g.term), el("p", "sentence", g.text));
    const list = el("ol", "completions");
    for (const c of g.completions) {
      const li = el("li");
      li.append(el("span", "word", c.token_str));
      const bar = el("span", "bar");
      const fill = el("span");
      fill.style.width = Math.max(0.5, 100 * c.score).toFixed(1) + "%";
      bar.append(fill);
      li.append(bar, el("span", "prob", pct(c.score)), el("span", "tag " + c.gender, c.gender));
      list.append(li);
    }
    col.append(list, el("p", "muted", "neutral share of shown probability: " + pct(g.neutral_mass)));
    cols.append(col);
  }
}

function renderAssociation(data) {
  const box = $("association");
  box.replaceChildren();
  const max = Math.max(1e-9, ...data.occupations.map((o) => Math.abs(o.log_ratio)));
  const table = el("table");
  const head = el("tr");
  for (const h of ["occupation", "leans to " + data.term_a + " (left) or " + data.term_b + " (right)",
    "log ratio", "BLS % female"]) head.append(el("th", null, h));
  const thead = el("thead");
  thead.append(head);
  table.append(thead);
  const body = el("tbody");
  for (const o of data.occupations) {
    const tr = el("tr");
    const bar = el("div", "diverge");
    const part = el("span", o.log_ratio >= 0 ? "a" : "b");
    const w = 50 * Math.abs(o.log_ratio) / max;
    part.style.width = w.toFixed(1) + "%";
    part.style.left = (o.log_ratio >= 0 ? 50 - w : 50).toFixed(1) + "%";
    bar.append(part);
    const barCell = el("td");
    barCell.append(bar);
    tr.append(el("td", null, o.occupation), barCell, el("td", "num", o.log_ratio.toFixed(3)),
      el("td", "num", o.pct_female === undefined ? "–" : o.pct_female.toFixed(1)));
    body.append(tr);
  }
  table.append(body);
  const wrap = el("div", "assoc-wrap");
  wrap.tabIndex = 0;
  wrap.setAttribute("aria-label", "occupation association table");
  wrap.append(table);
  box.append(wrap);
}

async function explore(ev) {
  ev.preventDefault();
  const template = $("template").value;
  const topK = parseInt($("top-k").value, 10) || 5;
  $("go").disabled = true;
  setStatus("status", "Asking the model…");
  $("association").replaceChildren();
  try {
    const data = await api("POST", "/api/explore", { template, top_k: topK });
    renderColumns(data);
    setStatus("status", "Done: " + data.groups.length + " groups.");
    $("association").append(el("p", "muted", "Computing occupation association…"));
    renderAssociation(await api("POST", "/api/association", { template }));
  } catch (e) {
    setStatus("status", e.message, true);
    if (e.status === 401) $("token-field").hidden = false;
  } finally {
    $("go").disabled = false;
  }
}

function applyPair() {
  const v = $("pair").value;
  if (!v) return;
  const t = $("template");
  const slot = "[" + v + "]";
  t.value = SLOT.test(t.value) ? t.value.replace(SLOT, slot) : slot + " " + t.value;
}

async function pollJob(id) {
  for (;;) {
    const s = await api("GET", "/api/jobs/" + encodeURIComponent(id));
    const p = s.progress || {};
    const frac = p.fraction === undefined ? "" : " (" + Math.round(100 * p.fraction) + "%)";
    setStatus("job-status", "Job " + id + ": " + s.status + frac);
    if (s.status === "succeeded" || s.status === "failed") return s;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function runSuite(kind, name, button) {
  button.disabled = true;
  try {
    const job = await api("POST", "/api/jobs", { kind, name });
    const s = await pollJob(job.id);
    if (s.status === "succeeded") {
      const links = $("job-status");
      links.append(" — ");
      const report = el("a", null, "open report");
      report.href = "/api/jobs/" + encodeURIComponent(job.id) + "/report.html";
      const result = el("a", null, "result JSON");
      result.href = "/api/jobs/" + encodeURIComponent(job.id) + "/result";
      links.append(report, " · ", result);
    } else {
      setStatus("job-status", "Job failed: " + (s.error || "unknown error"), true);
    }
  } catch (e) {
    setStatus("job-status", e.message, true);
  } finally {
    button.disabled = false;
  }
}

async function init() {
  for (const [a, b] of PAIRS) {
    const o = el("option", null, a + " / " + b);
    o.value = a + "|" + b;
    $("pair").append(o);
  }
  $("pair").addEventListener("change", applyPair);
  $("explore-form").addEventListener("submit", explore);
  $("token").addEventListener("change", () => sessionStorage.setItem("unmask-token", $("token").value));
  try {
    const info = await api("GET", "/api/info");
    $("model-line").textContent = "Model " + info.model.id + " · " + (info.model.backend || "") +
      (info.batching ? " · dynamic batching on" : " · batching off");
    const suites = $("suites");
    for (const j of info.jobs) {
      const b = el("button", null, "Run " + j.kind + " “" + j.name + "”");
      b.type = "button";
      b.addEventListener("click", () => runSuite(j.kind, j.name, b));
      suites.append(el("p", "muted", j.description), b);
    }
  } catch (e) {
    $("model-line").textContent = e.message;
    if (e.status === 401) $("token-field").hidden = false;
  }
}

document.addEventListener("DOMContentLoaded", init);
