// The city's dashboard: the report, a stream browser, projection status and
// the audit console, over the service's own API. No outside scripts: the
// charts are drawn as SVG here. The bearer token comes from #token=… (kept
// in localStorage); the live feed (server-sent events) refreshes the pages.
"use strict";

const state = { token: "", page: "report", stream: "", from: 1, refreshTimer: null, position: 0 };

function readToken() {
  const hash = new URLSearchParams(location.hash.replace(/^#/, "").replace(/^[a-z]+&/, ""));
  const fromHash = hash.get("token");
  if (fromHash) localStorage.setItem("caseledger-token", fromHash);
  return fromHash || localStorage.getItem("caseledger-token") || "";
}

async function api(path, options = {}) {
  const response = await fetch("/api/" + path, {
    ...options,
    headers: { "Authorization": "Bearer " + state.token, "Content-Type": "application/json", ...(options.headers || {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

const $ = (id) => document.getElementById(id);
const percent = (x) => (x * 100).toFixed(1) + "%";
const text = (id, value) => { $(id).textContent = value; };

// A bar chart of [label, value] pairs; with `line`, also a line of
// [label, value] on a second scale (0 to lineMax).
function barChart(id, pairs, line = null, lineMax = 5) {
  const width = 560, height = 180, bottom = 28, top = 10;
  const max = Math.max(1, ...pairs.map((p) => p[1]));
  const step = width / Math.max(1, pairs.length);
  let svg = `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${id}">`;
  pairs.forEach(([label, value], i) => {
    const h = (height - bottom - top) * value / max;
    const x = i * step + step * 0.15, w = step * 0.7, y = height - bottom - h;
    svg += `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#2f6f9f"><title>${label}: ${value}</title></rect>`;
    svg += `<text x="${x + w / 2}" y="${height - bottom + 12}" text-anchor="middle">${label}</text>`;
    svg += `<text x="${x + w / 2}" y="${y - 2}" text-anchor="middle">${value}</text>`;
  });
  if (line && line.length) {
    const points = line.map(([, v], i) => `${i * step + step / 2},${height - bottom - (height - bottom - top) * v / lineMax}`);
    svg += `<polyline points="${points.join(" ")}" fill="none" stroke="#a3322a" stroke-width="2"/>`;
  }
  svg += "</svg>";
  $(id).innerHTML = svg;
}

async function showReport() {
  const [report, trend] = await Promise.all([api("report"), api("ratings/trend")]);
  state.position = Math.max(state.position, report.position);
  text("report-position", report.position);
  text("tickets-accepted", report.tickets.accepted);
  text("tickets-concluded", report.tickets.concluded);
  text("completion-rate", percent(report.tickets.overallCompletionRate));
  text("dispute-rate", percent(report.tickets.disputeResolutionRate));
  text("ratings", report.evaluations.ratings);
  text("ratings-mean", "mean " + report.evaluations.mean.toFixed(2));
  text("three-documents", percent(report.enforcement.threeDocumentsTogetherRate));
  text("points-found", report.checkups.riskPointsFound);
  text("points-rectified", report.checkups.riskPointsRectified);
  const levels = ["group", "village", "town", "county", "city"];
  barChart("chart-levels", levels.map((l) => [l, report.tickets.settledByLevel[l] || 0]));
  barChart("chart-trend", trend.map((m) => [String(m.month).slice(4), m.ratings]), trend.map((m) => [m.month, m.mean]));
  const lists = report.enforcement.byList;
  barChart("chart-lists", [["no penalty", lists.noPenalty], ["mitigated", lists.mitigated], ["lighter", lists.lighter],
                           ["exempt", lists.exemptFromCompulsory], ["ordinary", lists.ordinary]]);
  barChart("chart-steps", Object.entries(report.tickets.openByStep).sort());
}

async function showStream() {
  if (!state.stream) return;
  const page = await api(`streams/${encodeURIComponent(state.stream)}?from=${state.from}&limit=20`);
  text("stream-summary", `${state.stream}: version ${page.version}; events ${state.from} to ${state.from + page.events.length - 1}`);
  const rows = page.events.map((e) => `<tr><td>${e.position}</td><td>${e.streamVersion ?? e.version ?? ""}</td><td>${e.type}</td>` +
    `<td>${e.recordedAt ?? e.metadata?.recordedAt ?? ""}</td><td class="data">${escape(JSON.stringify(e.data))}</td><td class="hash">${e.hash}</td></tr>`);
  $("stream-events").querySelector("tbody").innerHTML = rows.join("");
}

function escape(s) { return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]); }

async function showStatus() {
  const rows = await api("status");
  $("status-table").querySelector("tbody").innerHTML = rows.map((r) =>
    `<tr><td>${r.name}</td><td>${r.state}</td><td>${r.checkpoint}</td><td>${r.savedCheckpoint ?? "–"}</td><td>${r.head}</td>` +
    `<td>${r.lagEvents}</td><td>${r.lagSeconds.toFixed(3)}</td></tr>`).join("");
}

async function verify() {
  text("verify-result", "verifying…");
  const result = await api("verify", { method: "POST" });
  const models = result.readModels.map((m) => `<li>${m.name}: ${m.agrees ? "matches the log" : "does not match: " + escape(m.problem || "")}` +
    ` (saved at ${m.savedCheckpoint ?? "–"})</li>`).join("");
  $("verify-result").innerHTML = `<p class="${result.valid ? "ok" : "bad"}">${result.valid ? "verified" : "FAILED: " + escape(result.failure || "a read model")}` +
    `</p><p>${result.events} events; head hash <code>${result.headHash}</code></p><ul>${models}</ul>`;
  try {
    text("checkpoint", JSON.stringify(await api("checkpoint"), null, 2));
  } catch (error) {
    text("checkpoint", error.message);
  }
}

async function show(page) {
  state.page = page;
  document.querySelectorAll(".page").forEach((p) => p.classList.toggle("shown", p.id === "page-" + page));
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.page === page));
  try {
    if (page === "report") await showReport();
    if (page === "streams") await showStream();
    if (page === "status") await showStatus();
  } catch (error) {
    text("caller", error.message);
  }
}

// Refreshes the page shown at most every 300 ms while events arrive.
function refreshSoon() {
  if (state.refreshTimer) return;
  state.refreshTimer = setTimeout(() => { state.refreshTimer = null; show(state.page); }, 300);
}

// Follows the feed from the event after the read models' position, so no
// event between the first load and the feed's start is missed. With
// `until`, the server ends the feed after that position (a bounded run, as
// in the browser test) and the page stops following.
function follow(until) {
  let url = "/api/feed?token=" + encodeURIComponent(state.token) + "&from=" + (state.position + 1);
  if (until) url += "&until=" + until;
  const feed = new EventSource(url);
  feed.addEventListener("end", () => { feed.close(); $("live").className = "off"; text("live", "feed ended"); });
  feed.onopen = () => { $("live").className = "on"; text("live", "live"); };
  feed.onerror = () => { $("live").className = "off"; text("live", "feed off"); };
  feed.onmessage = (message) => {
    const event = JSON.parse(message.data);
    text("last-event", `${event.position} ${event.type} on ${event.stream}`);
    refreshSoon();
  };
}

async function start() {
  state.token = readToken();
  $("token").value = state.token;
  $("use-token").onclick = () => { localStorage.setItem("caseledger-token", $("token").value); location.hash = ""; location.reload(); };
  document.querySelectorAll("nav a").forEach((a) => a.onclick = (e) => { e.preventDefault(); show(a.dataset.page); });
  $("stream-form").onsubmit = (e) => { e.preventDefault(); state.stream = $("stream-name").value.trim(); state.from = 1; showStream(); };
  $("stream-next").onclick = () => { state.from += 20; showStream(); };
  $("stream-prev").onclick = () => { state.from = Math.max(1, state.from - 20); showStream(); };
  $("verify").onclick = () => verify().catch((error) => text("verify-result", error.message));
  try {
    const me = await api("whoami");
    text("caller", `${me.role} ${me.id}${me.unit ? " (" + me.unit + ")" : ""}`);
  } catch (error) {
    text("caller", "not signed in: open /#token=…");
    return;
  }
  const params = new URLSearchParams(location.search);
  if (params.get("stream")) { state.stream = params.get("stream"); $("stream-name").value = state.stream; }
  if (params.get("page") && params.get("page") !== "report") await showReport().catch(() => {});
  await show(params.get("page") || "report");
  if (params.get("feed") !== "off") follow(params.get("feedUntil"));
}

start();
