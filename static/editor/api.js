// api.js — the fetch client of the REST API: session cookie + CSRF token from the csrftoken
// cookie, JSON in and out, and one error type (ApiError) carrying the status and the JSON body.

export class ApiError extends Error {
  constructor(status, data, message) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// The first readable message of an error body: {"detail"} or the first per-field message.
export function firstMessage(data) {
  if (!data || typeof data !== "object") return "";
  if (typeof data.detail === "string") return data.detail;
  for (const value of Object.values(data)) {
    if (typeof value === "string") return value;
    const inner = Array.isArray(value) ? value.map(firstMessage).find(Boolean) || value.find((v) => typeof v === "string") : firstMessage(value);
    if (inner) return inner;
  }
  return "";
}

export async function request(method, url, body, extraHeaders = {}) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken(), ...extraHeaders };
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, null, "The server cannot be reached; check your connection.");
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.status === 401) {
    // Logged out meanwhile (in another tab, or the session expired): say so, keep the edits.
    throw new ApiError(401, data, "You are logged out. Log in again in another tab; your unsaved changes stay here.");
  }
  if (!response.ok) {
    const message = firstMessage(data) || `The server answered ${response.status}.`;
    throw new ApiError(response.status, data, message);
  }
  return data;
}

// A fresh Idempotency-Key. crypto.randomUUID exists only on HTTPS (or localhost) pages; a
// self-hosted server on a LAN address is plain HTTP, where getRandomValues still works.
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0"));
  return `${hex.slice(0, 4).join("")}-${hex.slice(4, 6).join("")}-${hex.slice(6, 8).join("")}-${hex.slice(8, 10).join("")}-${hex.slice(10).join("")}`;
}

const json = (method) => (url, body) => request(method, url, body);
const get = json("GET");
const post = json("POST");
const patch = json("PATCH");
const del = json("DELETE");

export const api = {
  timeline: (url) => get(url),
  addSequence: (projectId, data) => post(`/api/projects/${projectId}/sequences/`, data),
  patchSequence: (id, data) => patch(`/api/sequences/${id}/`, data),
  deleteSequence: (id) => del(`/api/sequences/${id}/`),
  uploadFrame(id, which, file) {
    const form = new FormData();
    form.append("image", file);
    return request("PUT", `/api/sequences/${id}/frames/${which}/`, form);
  },
  clearFrame: (id, which) => del(`/api/sequences/${id}/frames/${which}/`),
  comments: (projectId, params) => get(`/api/projects/${projectId}/comments/?${new URLSearchParams(params)}`),
  postComment: (projectId, data) => post(`/api/projects/${projectId}/comments/`, data),
  resolveComment: (id, resolved) => post(`/api/comments/${id}/resolve/`, { resolved }),
  review: (id, state) => post(`/api/sequences/${id}/review/`, { state }),
  validate: (id, provider) => post(`/api/sequences/${id}/validate/`, provider ? { provider } : {}),
  reorder: (id, shotIds) => post(`/api/sequences/${id}/reorder/`, { shot_ids: shotIds }),
  addShot: (sequenceId, data) => post(`/api/sequences/${sequenceId}/shots/`, data),
  patchShot: (id, data) => patch(`/api/shots/${id}/`, data),
  deleteShot: (id) => del(`/api/shots/${id}/`),
  duplicateShot: (id) => post(`/api/shots/${id}/duplicate/`),
  // Generation: jobs, takes, credits. The key makes a retried POST return the same job.
  providers: () => get("/api/providers/"),
  credits: () => get("/api/credits/"),
  generate: (id, provider, key) => request("POST", `/api/sequences/${id}/generate/`, { provider }, { "Idempotency-Key": key }),
  job: (id) => get(`/api/jobs/${id}/`),
  cancelJob: (id) => post(`/api/jobs/${id}/cancel/`),
  takes: (sequenceId) => get(`/api/sequences/${sequenceId}/takes/`),
  chooseTake: (id) => post(`/api/takes/${id}/choose/`),
  generateAgain: (id, key) => request("POST", `/api/takes/${id}/generate-again/`, undefined, { "Idempotency-Key": key }),
  // Either kind of object by name, for the code that treats shots and sequences alike.
  patch: (kind, id, data) => (kind === "shot" ? api.patchShot(id, data) : api.patchSequence(id, data)),
};
